#include "cli/grep_print.h"

#include <fmt/format.h>

#include <memory>

#include "report/json_writer.h"

namespace marsscan::cli {

namespace {

// GNU grep's default GREP_COLORS (fn=35, ln=32, se=36, ms=01;31), each followed by "erase to end
// of line" as grep does, so coloured output is byte-identical to grep's; rules get yellow.
constexpr std::string_view kPath = "\x1b[35m\x1b[K", kNumber = "\x1b[32m\x1b[K",
                           kRule = "\x1b[33m\x1b[K", kSep = "\x1b[36m\x1b[K",
                           kMatch = "\x1b[01;31m\x1b[K", kReset = "\x1b[m\x1b[K";

// grep names standard input "(standard input)"; members of an archive read from it keep that.
std::string display_name(std::string_view source) {
  if (source == "-") return "(standard input)";
  std::string name;
  if (source.starts_with("-!")) {
    name = "(standard input)";
    source.remove_prefix(1);
  }
  name.append(source);
  return name;
}

class StandardPrinter final : public GrepPrinter {
 public:
  StandardPrinter(std::ostream& out, const PrintSettings& s) : out_(out), s_(s) {}

  void line(const GrepLine& l) override {
    if (s_.only_matching) {
      if (l.context) return;
      for (auto [b, e] : l.spans) {
        prefix(l, ':');
        paint(kMatch, l.text.substr(b, e - b));
        out_ << '\n';
      }
      return;
    }
    const char sep = l.context ? '-' : ':';
    prefix(l, sep);
    size_t at = 0;
    for (auto [b, e] : l.spans) {
      if (b < at) continue;
      out_ << l.text.substr(at, b - at);
      paint(kMatch, l.text.substr(b, e - b));
      at = e;
    }
    out_ << l.text.substr(at) << '\n';
  }
  void separator() override {
    paint(kSep, "--");
    out_ << '\n';
  }
  void count(std::string_view source, uint64_t n) override {
    if (named(source)) {
      paint(kPath, display_name(source));
      if (s_.null) out_ << '\0';
      else paint(kSep, ":");
    }
    out_ << n << '\n';
  }
  void name(std::string_view source) override {
    paint(kPath, display_name(source));
    out_ << (s_.null ? '\0' : '\n');
  }
  void end_leaf(std::string_view, const GrepStats&, bool) override {}
  void summary(const GrepStats&, double) override {}

 private:
  void paint(std::string_view color, std::string_view text) {
    if (s_.color && !text.empty()) out_ << color << text << kReset;
    else out_ << text;
  }
  bool named(std::string_view source) const {
    return s_.names == PrintSettings::Names::Always ||
           (s_.names == PrintSettings::Names::Auto && source != s_.only_input);
  }
  void prefix(const GrepLine& l, char sep) {
    const std::string_view sep_text(&sep, 1);
    if (named(l.source)) {
      paint(kPath, display_name(l.source));
      if (s_.null) out_ << '\0';
      else paint(kSep, sep_text);
    }
    if (s_.line_number) {
      paint(kNumber, fmt::format("{}", l.number));
      paint(kSep, sep_text);
    }
    if (!l.rules.empty()) {
      paint(kRule, l.rules);
      paint(kSep, sep_text);
    }
  }
  std::ostream& out_;
  PrintSettings s_;
};

// ripgrep's --json message format, so tools that read `rg --json` read ours; the extra
// "rules" field names the rules a line matched.
class JsonPrinter final : public GrepPrinter {
 public:
  explicit JsonPrinter(std::ostream& out) : out_(out) {}

  void line(const GrepLine& l) override {
    if (current_ != l.source) {
      current_ = std::string(l.source);
      message("begin", [&](report::JsonWriter& w) { path(w, l.source); });
    }
    message(l.context ? "context" : "match", [&](report::JsonWriter& w) {
      path(w, l.source);
      w.key("lines").begin_object().field("text", std::string(l.text) + "\n").end_object();
      w.field("line_number", l.number).field("absolute_offset", l.offset);
      w.key("submatches").begin_array();
      for (auto [b, e] : l.spans)
        w.begin_object()
            .key("match").begin_object().field("text", l.text.substr(b, e - b)).end_object()
            .field("start", uint64_t{b}).field("end", uint64_t{e})
            .end_object();
      w.end_array();
      if (!l.context) {
        w.key("rules").begin_array();
        std::string_view rest = l.rules;
        while (!rest.empty()) {
          size_t c = rest.find(',');
          w.value(rest.substr(0, c));
          rest.remove_prefix(c == std::string_view::npos ? rest.size() : c + 1);
        }
        w.end_array();
      }
    });
  }
  void separator() override {}
  void count(std::string_view, uint64_t) override {}
  void name(std::string_view) override {}
  void end_leaf(std::string_view source, const GrepStats& s, bool matched) override {
    if (!matched) return;
    message("end", [&](report::JsonWriter& w) {
      path(w, source);
      w.key("binary_offset").null();
      stats(w, s, 0);
    });
    current_.clear();
  }
  void summary(const GrepStats& total, double seconds) override {
    message("summary", [&](report::JsonWriter& w) {
      elapsed(w, "elapsed_total", seconds);
      stats(w, total, seconds);
    });
  }

 private:
  template <class F> void message(std::string_view type, F body) {
    report::JsonWriter w(out_, 0);
    w.begin_object().field("type", type).key("data").begin_object();
    body(w);
    w.end_object().end_object();
    w.finish();
  }
  static void path(report::JsonWriter& w, std::string_view p) {
    w.key("path").begin_object().field("text", p).end_object();
  }
  static void elapsed(report::JsonWriter& w, std::string_view key, double seconds) {
    auto nanos = static_cast<uint64_t>(seconds * 1e9);
    w.key(key).begin_object()
        .field("secs", nanos / 1000000000).field("nanos", nanos % 1000000000)
        .field("human", fmt::format("{:.6f}s", seconds))
        .end_object();
  }
  static void stats(report::JsonWriter& w, const GrepStats& s, double seconds) {
    w.key("stats").begin_object();
    elapsed(w, "elapsed", seconds);
    w.field("searches", s.searches).field("searches_with_match", s.searches_with_match)
        .field("bytes_searched", s.bytes_searched).field("bytes_printed", uint64_t{0})
        .field("matched_lines", s.matched_lines).field("matches", s.matches);
    w.end_object();
  }
  std::ostream& out_;
  std::string current_;
};

}  // namespace

std::unique_ptr<GrepPrinter> make_standard_printer(std::ostream& out, const PrintSettings& s) {
  return std::make_unique<StandardPrinter>(out, s);
}
std::unique_ptr<GrepPrinter> make_json_printer(std::ostream& out) {
  return std::make_unique<JsonPrinter>(out);
}

}  // namespace marsscan::cli
