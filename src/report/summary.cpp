#include "report/summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/report_common.h"

namespace marsscan::report {

namespace {

size_t severity_index(match::Severity s) {
  for (size_t i = 0; i < kSeveritiesDesc.size(); ++i)
    if (kSeveritiesDesc[i] == s) return i;
  return kSeveritiesDesc.size() - 1;
}

bool under(const std::string& source, const std::string& input) {
  if (source.size() < input.size() || source.compare(0, input.size(), input) != 0) return false;
  if (source.size() == input.size()) return true;
  char c = source[input.size()];
  return c == '/' || c == '\\' || c == '!' || input.ends_with('/');
}

}  // namespace

std::vector<InputRow> inputs_table(const analysis::Report& r) {
  std::vector<InputRow> rows;
  rows.reserve(r.inputs.size());
  for (const auto& in : r.inputs) rows.push_back({in, {}, 0});
  // Inputs may repeat on the command line; a finding names its case, so the first row wins.
  auto row_of = [&](const std::string& input) -> InputRow* {
    for (auto& row : rows)
      if (row.input == input) return &row;
    return nullptr;
  };
  for (const auto& f : r.findings)
    if (InputRow* row = row_of(f.input)) ++row->findings[severity_index(f.rule->severity)];
  for (const auto& e : r.errors) {
    InputRow* best = nullptr;  // the longest input that contains the source
    for (auto& row : rows)
      if (under(e.source, row.input) && (!best || row.input.size() > best->input.size())) best = &row;
    if (best) ++best->errors;
  }
  return rows;
}

void render_inputs_table(const analysis::Report& r, std::ostream& out) {
  auto rows = inputs_table(r);
  size_t width = 5;  // "input", "total"
  for (const auto& row : rows) width = std::max(width, row.input.size());
  auto line = [&](std::string_view name, const std::array<uint64_t, 4>& f, uint64_t errors) {
    out << fmt::format("{:<{}}  {:>8}  {:>5}  {:>7}  {:>4}  {:>6}\n", name, width, f[0], f[1], f[2],
                       f[3], errors);
  };
  out << fmt::format("{:<{}}  {:>8}  {:>5}  {:>7}  {:>4}  {:>6}\n", "input", width, "critical",
                     "error", "warning", "note", "errors");
  std::array<uint64_t, 4> total{};
  for (const auto& row : rows) {
    line(row.input, row.findings, row.errors);
    for (size_t i = 0; i < total.size(); ++i) total[i] += row.findings[i];
  }
  line("total", total, r.errors.size());
}

void write_inputs_table(JsonWriter& w, const analysis::Report& r) {
  w.begin_array();
  for (const auto& row : inputs_table(r)) {
    w.begin_object().field("input", row.input);
    for (size_t i = 0; i < kSeveritiesDesc.size(); ++i)
      w.field(match::severity_name(kSeveritiesDesc[i]), row.findings[i]);
    w.field("errors", row.errors).end_object();
  }
  w.end_array();
}

}  // namespace marsscan::report
