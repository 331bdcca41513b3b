// The fields of one finding as JSON, shared by the JSON report and the NDJSON stream so that
// the two can never drift apart (the order is the field order of SCHEMA.md).
#pragma once
#include "analysis/model.h"
#include "report/json_writer.h"

namespace marsscan::report {

// One quoted line or event: {"source", "line", "time", "text", "task", "decoded"}.
void write_occurrence(JsonWriter& w, const analysis::Occurrence& o, bool chinese);
// Writes the finding's keys and values into the object `w` has open.
void write_finding_fields(JsonWriter& w, const analysis::Finding& f, bool chinese);

}  // namespace marsscan::report
