// render_json: schema "marsscan.report/1" (field table in SCHEMA.md). Deterministic: no run
// time, no paths beyond what the user typed, fields always in the same order.
#include "report/job_story.h"
#include "report/json_finding.h"
#include "report/json_writer.h"
#include "report/render.h"
#include "report/report_common.h"
#include "report/summary.h"

namespace marsscan::report {

namespace {

using analysis::Finding;
using analysis::Job;
using analysis::Occurrence;

void write_finding(JsonWriter& w, const Finding& f, bool chinese) {
  w.begin_object();
  write_finding_fields(w, f, chinese);
  w.end_object();
}

void write_at(JsonWriter& w, const std::optional<Occurrence>& o, bool chinese) {
  if (o) write_occurrence(w, *o, chinese);
  else w.null();
}

void write_job(JsonWriter& w, const analysis::Report& r, const Job& j, bool chinese) {
  w.begin_object();
  w.field("id", j.id).field("input", j.input).field("type", j.type).field("source", j.source);
  w.key("start");
  write_time(w, j.start);
  w.key("end");
  write_time(w, j.end);
  w.key("duration_ms");
  if (j.start && j.end && *j.end >= *j.start) w.value(static_cast<uint64_t>(*j.end - *j.start));
  else w.null();
  w.field("outcome", j.outcome).field("failure", j.failure);
  w.field("failed_phase", j.failed_phase).field("failure_message", j.failure_message);
  w.key("failure_decoded").string_array(j.failure_decoded_in(chinese));
  w.key("phases").begin_array();
  for (const auto& p : j.phases) {
    w.begin_object().field("name", p.name).key("time");
    write_time(w, p.time);
    w.end_object();
  }
  w.end_array();
  w.field("last_state", j.last_state);
  w.key("state");
  if (j.last_state.empty()) {
    w.null();
  } else {
    w.begin_object().field("value", j.last_state).field("stage", j.state_stage);
    w.field("meaning", j.state_meaning.in(chinese)).end_object();
  }
  w.key("findings").string_array(j.findings);
  // The story: each finding inside the job with its top cause and first action.
  w.key("story").begin_array();
  for (const auto& fs : job_findings(r, j, chinese)) {
    w.begin_object().field("rule", fs.finding->rule->id);
    w.field("severity", match::severity_name(fs.finding->rule->severity)).field("count", fs.finding->count);
    w.key("top_cause");
    if (fs.top) {
      w.begin_object().field("id", fs.top->cause->id).field("status", cause_status(*fs.top));
      w.field("text", fs.top->cause->text.in(chinese)).end_object();
    } else {
      w.null();
    }
    w.field("first_action", fs.first_action);
    w.end_object();
  }
  w.end_array();
  w.key("started_at");
  write_at(w, j.started_at, chinese);
  w.key("failed_at");
  write_at(w, j.failed_at, chinese);
  w.key("ended_at");
  write_at(w, j.ended_at, chinese);
  w.key("events").begin_array();
  for (const auto& e : j.events) write_occurrence(w, e, chinese);
  w.end_array();
  w.end_object();
}

void write_timeline(JsonWriter& w, const analysis::Report& r, bool chinese) {
  w.key("timeline").begin_array();
  for (const auto& e : r.timeline) {
    w.begin_object();
    w.key("time");
    write_time(w, e.at.time);
    w.field("kind", analysis::timeline_kind_name(e.kind)).field("input", e.input);
    w.key("rule");
    if (e.rule) w.value(e.rule->id);
    else w.null();
    w.key("severity");
    if (e.rule) w.value(match::severity_name(e.rule->severity));
    else w.null();
    w.key("job");
    if (e.job.empty()) w.null();
    else w.value(e.job);
    w.field("source", e.at.source).field("line", e.at.line).field("event", e.at.is_event);
    w.field("text", e.at.text);
    w.key("decoded").string_array(e.at.decoded_in(chinese));
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void render_json(const analysis::Report& r, const RenderOptions& o, std::ostream& out) {
  JsonWriter w(out, 2);
  w.begin_object();
  w.field("schema", "marsscan.report/1");
  w.key("tool").begin_object().field("name", "marsscan").field("version", o.tool_version).end_object();
  w.key("summary").begin_object();
  w.field("inputs", r.summary.inputs).field("files", r.summary.files);
  w.field("records", r.summary.records).field("bytes", r.summary.bytes);
  w.field("errors", static_cast<uint64_t>(r.errors.size()));
  w.key("findings").begin_object();
  for (auto s : kSeveritiesDesc) {
    auto it = r.summary.findings.find(s);
    w.field(match::severity_name(s), it == r.summary.findings.end() ? uint64_t{0} : it->second);
  }
  w.end_object();
  if (o.inputs_table) {
    w.key("inputs_table");
    write_inputs_table(w, r);
  }
  w.end_object();
  w.key("inputs").string_array(r.inputs);
  w.key("errors").begin_array();
  for (const auto& e : r.errors)
    w.begin_object().field("source", e.source).field("message", e.message).end_object();
  w.end_array();
  w.key("findings").begin_array();
  for (const auto& f : r.findings) write_finding(w, f, o.chinese);
  w.end_array();
  w.key("jobs").begin_array();
  for (const auto& j : r.jobs) write_job(w, r, j, o.chinese);
  w.end_array();
  if (o.timeline) write_timeline(w, r, o.chinese);
  w.end_object();
  w.finish();
}

}  // namespace marsscan::report
