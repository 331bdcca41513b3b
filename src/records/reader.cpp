// read_leaf: the records stage's dispatch. Sniffs a head, then streams text to the sink in
// blocks, or hands event exports to their parser and forwards each event as a Record.
#include "records/reader.h"

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include "records/events.h"
#include "records/reader_utf8.h"

namespace marsscan::records {

namespace {

constexpr size_t kHeadBytes = 64 * 1024;

// Counts the raw bytes taken from the leaf, whichever path reads them.
class CountingReader : public input::ByteReader {
 public:
  explicit CountingReader(input::ByteReader& src) : src_(src) {}
  size_t read(char* buf, size_t n) override {
    size_t got = src_.read(buf, n);
    count_ += got;
    return got;
  }
  uint64_t count() const { return count_; }

 private:
  input::ByteReader& src_;
  uint64_t count_ = 0;
};

// Reads until `out` holds `limit` bytes or the reader ends; false at the end. The buffer
// grows with what actually arrives, so a large limit costs nothing for a small leaf.
bool read_up_to(input::ByteReader& r, std::string& out, size_t limit) {
  while (out.size() < limit) {
    size_t old = out.size();
    size_t want = std::min(limit - old, std::max(kHeadBytes, old));
    out.resize(old + want);
    size_t got = r.read(out.data() + old, want);
    out.resize(old + got);
    if (got == 0) return false;
  }
  return true;
}

std::string count_of(uint64_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

// One error per kind of damage the text reader met (see reader.h for the wording).
void report_damage(const std::string& source, const input::TextProblems& p, RecordSink& sink) {
  if (p.nul_bytes) {  // binary: its invalid UTF-8 is part of the same story, said once
    std::string m = "binary content (" + count_of(p.nul_bytes, "NUL byte", "NUL bytes") +
                    ", first at line " + std::to_string(p.nul_line);
    if (p.invalid_utf8) m += ", " + count_of(p.invalid_utf8, "invalid UTF-8 sequence", "invalid UTF-8 sequences");
    sink.on_error({source, m + "): scanned as text"});
  } else if (p.invalid_utf8) {
    sink.on_error({source, "invalid UTF-8: " +
                               count_of(p.invalid_utf8, "sequence", "sequences") +
                               " shown as U+FFFD (first at line " +
                               std::to_string(p.invalid_utf8_line) + "); the lines are still scanned"});
  }
  if (p.unpaired_surrogates)
    sink.on_error({source, "UTF-16: " +
                               count_of(p.unpaired_surrogates, "unpaired surrogate", "unpaired surrogates") +
                               " replaced by U+FFFD (first at line " +
                               std::to_string(p.surrogate_line) + ")"});
  if (p.odd_byte)
    sink.on_error({source, "UTF-16: odd number of bytes, the last byte replaced by U+FFFD"});
}

void read_text(input::Leaf& leaf, CountingReader& in, std::string head, const ReadOptions& options,
               RecordSink& sink, ReadStats& stats) {
  TimeContext ctx = options.time;
  if (leaf.mtime) ctx.mtime = leaf.mtime;  // else whatever the caller set for all leaves
  YearResolver years(ctx);
  input::TextReader text(in, std::move(head), options.max_line);
  sink.on_text_reader(leaf.name, text, years, stats.records);
  if (in.count() == 0) sink.on_error({leaf.name, "empty file"});
  report_damage(leaf.name, text.problems(), sink);
}

// Forwards parsed events to the sink as Records numbered by their place in the export.
struct EventForwarder {
  input::Leaf& leaf;
  RecordSink& sink;
  ReadStats& stats;

  EventFn emit() {
    return [this](Event&& ev) {
      std::string text = ev.text();
      Record r;
      r.kind = RecordKind::Event;
      r.source = leaf.name;
      r.line = ++stats.records;
      r.text = text;
      r.time = ev.time;
      r.event = &ev;
      sink.on_event(r);
    };
  }
  ErrorFn error() {
    return [this](const std::string& message) { sink.on_error({leaf.name, message}); };
  }
};

void read_evtx(input::Leaf& leaf, CountingReader& in, std::string head, const ReadOptions& options,
               RecordSink& sink, ReadStats& stats) {
  // libevtx parses from memory, so the whole file is held: the one exception to streaming,
  // bounded by --max-evtx-bytes.
  const uint64_t max = options.max_evtx_bytes;
  auto refuse = [&](uint64_t size, bool exact) {
    sink.on_error({leaf.name, std::string("EVTX file of ") + (exact ? "" : "more than ") +
                                  std::to_string(size) + " bytes exceeds --max-evtx-bytes (" +
                                  std::to_string(max) +
                                  "); raise the limit or convert it with "
                                  "`wevtutil qe <file> /lf:true /f:xml`"});
  };
  if (leaf.size && *leaf.size > max) {
    refuse(*leaf.size, true);
    return;
  }
  std::string bytes = std::move(head);
  if (leaf.size) bytes.reserve(static_cast<size_t>(*leaf.size) + 1);
  if (bytes.size() > max) {
    refuse(max, false);
    return;
  }
  // Read one byte past the limit to tell "exactly max" from "too big".
  if (read_up_to(in, bytes, static_cast<size_t>(max) + 1)) {
    refuse(max, false);
    return;
  }
  EventForwarder fwd{leaf, sink, stats};
  parse_evtx(bytes, options.recover, fwd.emit(), fwd.error());
}

void read_export(Format format, input::Leaf& leaf, CountingReader& in, const std::string& head,
                 RecordSink& sink, ReadStats& stats) {
  Utf8Reader utf8(in, head);
  std::string utf8_head = utf8.take_head();
  EventForwarder fwd{leaf, sink, stats};
  switch (format) {
    case Format::EventXml: parse_event_xml(utf8, std::move(utf8_head), fwd.emit(), fwd.error()); break;
    case Format::EventCsv: parse_event_csv(utf8, std::move(utf8_head), fwd.emit(), fwd.error()); break;
    case Format::EventJson: parse_event_json(utf8, std::move(utf8_head), fwd.emit(), fwd.error()); break;
    default: break;
  }
}

}  // namespace

void RecordSink::on_text_reader(std::string_view source, input::TextReader& text, YearResolver& years,
                                uint64_t& lines) {
  input::TextBlock block;
  while (text.next(block)) {
    lines += block.lines;
    on_text(source, block, years);
  }
}

ReadStats read_leaf(input::Leaf& leaf, const ReadOptions& options, RecordSink& sink) {
  ReadStats stats;
  if (!leaf.reader) {
    sink.on_error({leaf.name, "no reader for this leaf"});
    return stats;
  }
  CountingReader in(*leaf.reader);
  try {
    std::string head;
    read_up_to(in, head, kHeadBytes);
    stats.format = sniff_format(head);
    switch (stats.format) {
      case Format::Text: read_text(leaf, in, std::move(head), options, sink, stats); break;
      case Format::Evtx: read_evtx(leaf, in, std::move(head), options, sink, stats); break;
      default: read_export(stats.format, leaf, in, head, sink, stats); break;
    }
  } catch (const input::InputError& e) {
    std::string message = e.message;
    if (stats.records > 0) message += " (after " + std::to_string(stats.records) + " records)";
    sink.on_error({e.source.empty() ? leaf.name : e.source, message});
  } catch (const std::bad_alloc&) {
    sink.on_error({leaf.name, std::string("out of memory while reading as ") +
                                  format_name(stats.format)});
  } catch (const std::exception& e) {
    sink.on_error({leaf.name, e.what()});
  }
  stats.bytes = in.count();
  return stats;
}

}  // namespace marsscan::records
