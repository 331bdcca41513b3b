// The pipeline: input -> records -> match -> analysis, for a list of top-level inputs.
// Each top-level input is a case of its own; with jobs > 1 inputs are scanned in parallel and
// merged in command-line order, so the report does not depend on the thread count.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analyzer.h"
#include "cli/options.h"
#include "match/matcher.h"

namespace marsscan::cli {

struct ScanSettings {
  InputSettings input;
  analysis::AnalyzerOptions analysis;
  // Told when input `i` starts (leaf empty), reads a leaf, and is done; called from the scanning
  // threads with -j N, so it must be thread-safe (cli/progress.h). Optional.
  std::function<void(size_t i, std::string_view leaf, bool done)> progress;
};

// Scans every input and returns the finished analysis. Input problems are in report.errors.
analysis::Report scan_inputs(const ScanSettings& settings, const match::Matcher& matcher);

}  // namespace marsscan::cli
