// grep over several inputs at once: each input is searched on a thread of its own, with its own
// searcher and printer writing into a buffer, and the buffers are written out in input order,
// so that standard output and standard error read exactly as from one thread.
#pragma once
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/grep_print.h"
#include "cli/grep_search.h"
#include "input/source.h"

namespace marsscan::cli {

struct GrepRun {
  GrepStats stats;
  bool had_error = false;
};

// Searches `inputs` on up to `threads` threads. `printer` prints the "--" that one thread would
// have printed between two inputs' context groups; `out` is where the buffers go. Stops early
// as one thread would: -q after the first match, or when `out` fails (a closed pipe).
GrepRun grep_inputs(const std::vector<std::string>& inputs, const input::WalkOptions& walk,
                    const match::Matcher& matcher, const SearchSettings& settings,
                    const records::ReadOptions& read, const PrinterFactory& make_printer,
                    GrepPrinter& printer, std::ostream& out, unsigned threads);

}  // namespace marsscan::cli
