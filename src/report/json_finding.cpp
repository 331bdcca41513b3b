#include "report/json_finding.h"

#include "report/report_common.h"

namespace marsscan::report {

using analysis::Finding;
using analysis::Occurrence;

void write_occurrence(JsonWriter& w, const Occurrence& o, bool chinese) {
  w.begin_object();
  w.field("source", o.source).field("line", o.line);
  w.key("time");
  write_time(w, o.time);
  w.field("text", o.text);
  w.key("task");
  if (o.task.empty()) w.null();
  else w.value(o.task);
  w.key("decoded").string_array(o.decoded_in(chinese));
  w.end_object();
}

void write_finding_fields(JsonWriter& w, const Finding& f, bool chinese) {
  const match::Rule& r = *f.rule;
  w.field("rule", r.id).field("severity", match::severity_name(r.severity));
  w.field("title", r.title.in(chinese));
  w.key("codes").string_array(r.codes);
  w.field("input", f.input).field("count", f.count);
  w.key("first_seen");
  write_time(w, f.first_seen);
  w.key("last_seen");
  write_time(w, f.last_seen);
  w.key("occurrences").begin_array();
  for (const auto& o : f.occurrences) write_occurrence(w, o, chinese);
  w.end_array();
  w.key("causes").begin_array();
  for (const auto& c : f.causes) {
    if (!c.cause) continue;
    w.begin_object();
    w.field("id", c.cause->id).field("status", cause_status(c)).field("score", c.score);
    w.field("text", c.cause->text.in(chinese));
    w.key("evidence").begin_array();
    for (const auto& e : c.evidence) {
      w.begin_object();
      w.field("source", e.occurrence.source).field("line", e.occurrence.line);
      w.key("time");
      write_time(w, e.occurrence.time);
      w.field("text", e.occurrence.text).field("via", e.via);
      w.key("decoded").string_array(e.occurrence.decoded_in(chinese));
      w.end_object();
    }
    w.end_array();
    w.key("actions").begin_array();
    for (const auto& a : c.cause->actions) w.value(a.in(chinese));
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("actions").string_array(finding_actions(f, chinese));
  w.key("caused_by").string_array(f.caused_by);
  w.key("causes_of").string_array(f.causes_of);
  w.key("jobs").string_array(f.jobs);
  w.key("references").begin_array();
  for (const auto& ref : r.references) {
    w.begin_object();
    w.field("document", ref.document).field("section", ref.section).field("url", ref.url);
    w.end_object();
  }
  w.end_array();
  w.field("source", r.source).field("confidence", r.confidence.empty() ? "high" : r.confidence);
}

}  // namespace marsscan::report
