// render_ndjson: one finding per line ("marsscan.finding/1": the fields of a finding in the JSON
// report, in the same order, after a "schema" key), then one {"type":"summary"} line. Each line
// is flushed as it is written so a pipeline (jq, a log shipper) sees findings as they come.
// tests/unit/report/test_ndjson.cpp checks field-for-field equality with render_json.
#include "report/json_finding.h"
#include "report/json_writer.h"
#include "report/render.h"
#include "report/report_common.h"

namespace marsscan::report {

namespace {

using analysis::Finding;

void write_finding_line(std::ostream& out, const Finding& f, bool chinese) {
  JsonWriter w(out, 0);
  w.begin_object();
  w.field("schema", "marsscan.finding/1");
  write_finding_fields(w, f, chinese);
  w.end_object();
  w.finish();
}

}  // namespace

void render_ndjson(const analysis::Report& r, const RenderOptions& o, std::ostream& out) {
  for (const auto& f : r.findings) {
    if (!f.rule) continue;
    write_finding_line(out, f, o.chinese);
    out.flush();
  }
  JsonWriter w(out, 0);
  w.begin_object();
  w.field("type", "summary");
  w.field("schema", "marsscan.finding/1");
  w.field("inputs", r.summary.inputs).field("files", r.summary.files);
  w.field("records", r.summary.records).field("bytes", r.summary.bytes);
  w.key("findings").begin_object();
  uint64_t total = 0;
  for (auto s : kSeveritiesDesc) {
    auto it = r.summary.findings.find(s);
    const uint64_t n = it == r.summary.findings.end() ? 0 : it->second;
    total += n;
    w.field(match::severity_name(s), n);
  }
  w.end_object();
  w.field("total", total);
  w.field("jobs", static_cast<uint64_t>(r.jobs.size()));
  w.key("errors").begin_array();
  for (const auto& e : r.errors)
    w.begin_object().field("source", e.source).field("message", e.message).end_object();
  w.end_array();
  w.end_object();
  w.finish();
  out.flush();
}

}  // namespace marsscan::report
