// marsscan records: every normalized record as NDJSON (or text), for jq pipelines and for
// debugging a rule. This is the records stage's output, before any matching.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "input/source.h"
#include "records/reader.h"
#include "report/json_writer.h"

namespace marsscan::cli {

namespace {

const char* kind_name(records::RecordKind k) {
  switch (k) {
    case records::RecordKind::Errlog: return "errlog";
    case records::RecordKind::Event: return "event";
    default: return "text";
  }
}

class RecordPrinter final : public input::LeafVisitor, public records::RecordSink {
 public:
  RecordPrinter(std::ostream& out, bool ndjson, const records::ReadOptions& read)
      : out_(out), ndjson_(ndjson), read_(read) {}
  bool had_error = false;

  void on_leaf(input::Leaf& leaf) override {
    records::ReadOptions options = read_;
    options.time.mtime = leaf.mtime;
    records::read_leaf(leaf, options, *this);
  }
  void on_error(const input::InputError& e) override {
    had_error = true;
    std::cerr << "marsscan: " << e.source << ": " << e.message << '\n';
  }
  void on_text(std::string_view source, const input::TextBlock& block,
               records::YearResolver& years) override {
    std::string_view data = block.data;
    uint64_t line = block.first_line;
    while (!data.empty()) {
      size_t nl = data.find('\n');
      std::string_view text = data.substr(0, nl);
      data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
      print(records::make_line_record(source, line++, text, years));
    }
  }
  void on_event(const records::Record& r) override { print(r); }

 private:
  void print(const records::Record& r) {
    if (!ndjson_) {
      out_ << r.source << ':' << r.line << ": " << r.text << '\n';
      return;
    }
    report::JsonWriter w(out_, 0);
    w.begin_object();
    w.field("source", r.source).field("line", r.line).field("kind", kind_name(r.kind));
    w.key("time");
    if (r.time) w.value(format_iso8601(*r.time)); else w.null();
    if (r.kind == records::RecordKind::Errlog) {
      const auto& e = r.errlog;
      w.field("pid", e.pid).field("tid", e.tid).field("component", e.component);
      w.field("src_file", e.src_file).field("src_line", e.src_line).field("ptr", e.ptr);
      w.field("task", e.task).field("level", e.level).field("message", e.message);
    } else if (r.kind == records::RecordKind::Event && r.event) {
      const auto& ev = *r.event;
      w.field("format", ev.format).field("provider", ev.provider).field("channel", ev.channel);
      w.field("event_id", ev.event_id);
      w.key("qualifiers");
      if (ev.qualifiers) w.value(*ev.qualifiers); else w.null();
      w.field("level", ev.level).field("level_name", ev.level_name);
      w.field("computer", ev.computer).field("record_id", ev.record_id);
      w.field("message", ev.message);
      w.key("data").begin_array();
      for (const auto& f : ev.data) w.begin_object().field("name", f.name).field("value", f.value).end_object();
      w.end_array();
    }
    w.field("text", r.text);
    w.end_object();
    w.finish();
  }

  std::ostream& out_;
  bool ndjson_;
  const records::ReadOptions& read_;
};

}  // namespace

int records_command(int argc, char** argv) {
  InputSettings in;
  OutputSettings out;
  std::string format = "ndjson";
  po::options_description d(
      "usage: marsscan records [options] INPUT...\n\n"
      "Prints every record marsscan reads (errlog lines with their parsed columns, other text\n"
      "lines, events from every export format) in the normalized form rules are matched on.\n\n"
      "options");
  d.add_options()
    ("help,h", "show this help")
    ("format", po::value<std::string>(&format)->default_value("ndjson"), "ndjson or text");
  out.add_to(d);
  in.add_to(d);
  po::variables_map vm;
  if (!parse_command(argc, argv, d, "input", in.inputs,
                     "\nexamples:\n  marsscan records Temp/CBEngineCurr.errlog | jq 'select(.level==\"FATAL\")'\n"
                     "  marsscan records --format text bundle.zip\n",
                     vm))
    return 0;
  if (in.inputs.empty()) throw UsageError("no INPUT given (use - for standard input)");
  if (format != "ndjson" && format != "text")
    throw UsageError(fmt::format("--format: '{}' is not one of ndjson, text", format));
  records::ReadOptions read = in.read_options();
  in.apply_memory_limit();
  Output o(out.output);
  RecordPrinter printer(o.stream(), format == "ndjson", read);
  for (const auto& input : in.inputs) input::walk(input, in.walk, printer);
  if (!o.close()) return 2;
  return printer.had_error ? 2 : 0;
}

}  // namespace marsscan::cli
