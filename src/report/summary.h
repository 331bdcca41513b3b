// The batch summary (--summary): one row per top-level input with its findings by severity and
// its input errors, in command-line order, plus a total row. Shared by the text table and the
// JSON report's summary.inputs_table, so both always agree.
#pragma once
#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/model.h"
#include "report/json_writer.h"

namespace marsscan::report {

struct InputRow {
  std::string input;
  std::array<uint64_t, 4> findings{};  // by kSeveritiesDesc: critical, error, warning, note
  uint64_t errors = 0;                 // entries of Report::errors under this input
};

// Rows in Report::inputs order. An error belongs to the input its source equals or starts with
// (followed by '/', '\\' or '!'); errors matching no input are counted in the total only.
std::vector<InputRow> inputs_table(const analysis::Report& r);

// "input  critical  error  warning  note  errors" with one line per input and a total line.
void render_inputs_table(const analysis::Report& r, std::ostream& out);
// [{"input", "critical", "error", "warning", "note", "errors"}, ...] (no total: summary has it).
void write_inputs_table(JsonWriter& w, const analysis::Report& r);

}  // namespace marsscan::report
