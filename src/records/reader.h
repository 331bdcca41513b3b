// The records stage: reads one leaf, decides by content what it is (errlog/text, EVTX,
// event XML, CSV or JSON export), and hands out records. Text comes as blocks of lines so
// that the matcher can scan a whole block at once; events come one by one.
#pragma once
#include <string>
#include <string_view>

#include "input/source.h"
#include "input/text.h"
#include "records/errlog.h"
#include "records/record.h"

namespace marsscan::records {

enum class Format { Text, Evtx, EventXml, EventCsv, EventJson };
const char* format_name(Format f);
// Decides from the first bytes of a leaf (up to 64 KiB, any text encoding).
Format sniff_format(std::string_view head);

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // A block of text lines of `source`. `years` turns a line's month/day into a time.
  virtual void on_text(std::string_view source, const input::TextBlock& block,
                       YearResolver& years) = 0;
  // All the text of a leaf, as the reader its blocks come from. Adds each block's lines to
  // `lines` as it is read, so that the count is right when the reader throws. The default hands
  // each block to on_text. A sink that reads blocks on threads of its own overrides it: it must
  // return only once text.next() has said false (or rethrow what it threw), and not use `text`
  // after that.
  virtual void on_text_reader(std::string_view source, input::TextReader& text, YearResolver& years,
                              uint64_t& lines);
  virtual void on_event(const Record& record) = 0;
  // Something in the leaf could not be read (a bad record, a malformed row); the leaf goes on
  // unless the error is fatal for it.
  virtual void on_error(const input::InputError& error) = 0;
};

struct ReadOptions {
  TimeContext time;                 // year/mtime/tz for errlog lines (mtime filled per leaf)
  bool recover = false;             // EVTX: also read recovered (deleted) records
  size_t max_line = 1u << 20;
  uint64_t max_evtx_bytes = 1ull << 30;  // EVTX is parsed from memory; larger files are refused
};

struct ReadStats {
  uint64_t bytes = 0;
  uint64_t records = 0;             // lines + events
  Format format = Format::Text;
};

// Reads a whole leaf into sink. Never throws for bad content: problems go to on_error.
// Every on_error is an error (the run ends with exit 2), including damage to a text leaf
// whose lines were all scanned anyway, because the user must know the evidence may be
// incomplete. A text leaf gets, after its last block, at most one error per kind:
//   "empty file"                                               (0 bytes)
//   "binary content (N NUL bytes, first at line L[, M invalid UTF-8 sequences]): scanned as text"
//   "invalid UTF-8: N sequences shown as U+FFFD (first at line L); the lines are still scanned"
//     (not for text in a legacy code page, which the text reader decodes: input/legacy.h)
//   "UTF-16: N unpaired surrogates replaced by U+FFFD (first at line L)"
//   "UTF-16: odd number of bytes, the last byte replaced by U+FFFD"
// (binary content includes its invalid UTF-8; event exports report their own problems).
ReadStats read_leaf(input::Leaf& leaf, const ReadOptions& options, RecordSink& sink);

}  // namespace marsscan::records
