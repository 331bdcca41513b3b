// Printers for `marsscan grep`: grep/ripgrep-style lines, or ripgrep's JSON Lines envelope
// (begin / match / context / end / summary). The searcher (grep_search.h) decides what is
// printed; a printer only decides how.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marsscan::cli {

struct GrepLine {
  std::string_view source;
  uint64_t number = 0;              // line, or event ordinal
  uint64_t offset = 0;              // byte offset of the line in the decoded leaf
  bool context = false;             // a -A/-B/-C line, not a match
  std::string_view text;            // without CR/LF
  std::string rules;                // "MARS-407,MARS-34513"; empty for context lines
  std::vector<std::pair<size_t, size_t>> spans;  // matched byte ranges in text
};

struct GrepStats {
  uint64_t searches = 0, searches_with_match = 0, bytes_searched = 0, matched_lines = 0, matches = 0;
  GrepStats& operator+=(const GrepStats& o) {
    searches += o.searches;
    searches_with_match += o.searches_with_match;
    bytes_searched += o.bytes_searched;
    matched_lines += o.matched_lines;
    matches += o.matches;
    return *this;
  }
};

struct PrintSettings {
  // Names are printed always, never, or (auto) unless the source is `only_input` itself:
  // one plain file given on its own prints bare lines, as grep does, while members of an
  // archive or files of a directory are named.
  enum class Names { Always, Never, Auto } names = Names::Auto;
  std::string only_input;
  bool line_number = true;
  bool only_matching = false;       // -o
  bool null = false;                // --null: NUL after file names
  bool color = false;
};

class GrepPrinter {
 public:
  virtual ~GrepPrinter() = default;
  virtual void line(const GrepLine& l) = 0;
  virtual void separator() = 0;                                  // "--" between context groups
  virtual void count(std::string_view source, uint64_t n) = 0;  // -c
  virtual void name(std::string_view source) = 0;               // -l / -L
  virtual void end_leaf(std::string_view source, const GrepStats& leaf, bool matched) = 0;
  virtual void summary(const GrepStats& total, double seconds) = 0;
};

// A printer of the run's kind writing to the stream given.
using PrinterFactory = std::function<std::unique_ptr<GrepPrinter>(std::ostream&)>;

std::unique_ptr<GrepPrinter> make_standard_printer(std::ostream& out, const PrintSettings& s);
std::unique_ptr<GrepPrinter> make_json_printer(std::ostream& out);

}  // namespace marsscan::cli
