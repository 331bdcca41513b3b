// SARIF 2.1.0 for code-scanning services (GitHub, Azure DevOps, GitLab): every rule of the
// database as a reportingDescriptor, one result per finding, input errors as tool execution
// notifications. Deterministic: no run times, no absolute paths that the input did not give.
#include <map>
#include <string>

#include "report/json_writer.h"
#include "report/render.h"
#include "report/sarif_util.h"

namespace marsscan::report {

namespace {

using analysis::Finding;
using analysis::Occurrence;
using match::Rule;
using match::Severity;

// The documentation every rule's help comes from; marsscan has no public home page of its own.
constexpr const char* kInformationUri =
    "https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot";

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// help.text / help.markdown: what a reader of a code-scanning alert needs to act on it.
std::string help_text(const Rule& r, bool markdown) {
  std::string s;
  const std::string& summary = r.summary.en.empty() ? r.title.en : r.summary.en;
  s += markdown ? "**" + r.title.en + "**\n\n" : r.title.en + "\n\n";
  if (!summary.empty() && summary != r.title.en) s += summary + "\n\n";
  if (!r.causes.empty()) {
    s += markdown ? "### Possible causes\n\n" : "Possible causes:\n";
    int n = 0;
    for (const auto& c : r.causes) {
      ++n;
      if (markdown)
        s += std::to_string(n) + ". **" + c.text.en + "** (`" + c.id + "`)\n";
      else
        s += "  " + std::to_string(n) + ". " + c.text.en + " [" + c.id + "]\n";
      for (const auto& a : c.actions) s += (markdown ? "   - " : "     - ") + a.en + "\n";
    }
    s += "\n";
  }
  if (!r.actions.empty()) {
    s += markdown ? "### Actions\n\n" : "Actions:\n";
    for (const auto& a : r.actions) s += (markdown ? "- " : "  - ") + a.en + "\n";
    s += "\n";
  }
  if (!r.source.empty()) s += (markdown ? "Source: " : "Source: ") + r.source + "\n";
  for (const auto& ref : r.references) {
    if (ref.url.empty()) continue;
    std::string label = ref.document + (ref.section.empty() ? "" : ", " + ref.section);
    if (markdown)
      s += "- [" + (label.empty() ? ref.url : label) + "](" + ref.url + ")\n";
    else
      s += "  " + (label.empty() ? "" : label + ": ") + ref.url + "\n";
  }
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

void write_rule(JsonWriter& w, const Rule& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("name", pascal_case_name(r.title.en, r.id));
  w.key("shortDescription").begin_object().field("text", r.title.en.empty() ? r.id : r.title.en).end_object();
  const std::string& full = r.summary.en.empty() ? r.title.en : r.summary.en;
  w.key("fullDescription").begin_object().field("text", full.empty() ? r.id : full).end_object();
  w.key("help").begin_object();
  w.field("text", help_text(r, false));
  w.field("markdown", help_text(r, true));
  w.end_object();
  for (const auto& ref : r.references) {
    if (ref.url.empty()) continue;
    w.field("helpUri", ref.url);
    break;
  }
  w.key("defaultConfiguration").begin_object().field("level", sarif_level(r.severity)).end_object();
  w.key("properties").begin_object();
  w.field("severity", match::severity_name(r.severity));
  if (!r.title.zh.empty()) w.field("title-zh-CN", r.title.zh);
  if (!r.summary.zh.empty()) w.field("summary-zh-CN", r.summary.zh);
  w.key("codes").string_array(r.codes);
  w.key("causes").begin_array();
  for (const auto& c : r.causes) w.value(c.id);
  w.end_array();
  // "tags" and "precision" are the property-bag names code-scanning services read.
  std::vector<std::string> tags{"marsscan", "azure-backup", "mars-agent"};
  tags.push_back(match::severity_name(r.severity));
  w.key("tags").string_array(tags);
  if (!r.confidence.empty()) w.field("precision", r.confidence);
  if (!r.source.empty()) w.field("source", r.source);
  w.end_object();
  w.end_object();
}

void write_physical_location(JsonWriter& w, const Occurrence& o) {
  w.key("physicalLocation").begin_object();
  w.key("artifactLocation").begin_object().field("uri", artifact_uri(o.source)).end_object();
  if (o.line > 0) {
    w.key("region").begin_object();
    w.field("startLine", o.line);
    if (!o.text.empty()) w.key("snippet").begin_object().field("text", o.text).end_object();
    w.end_object();
  }
  w.end_object();
}

// What a location says beyond where it is: events are numbered by ordinal, not by line.
void write_occurrence_properties(JsonWriter& w, const Occurrence& o) {
  w.key("properties").begin_object();
  w.field("source", o.source);
  if (o.is_event) {
    w.field("event", true);
    w.field("eventOrdinal", o.line);
  }
  if (o.time) w.field("time", format_iso8601(*o.time));
  if (!o.task.empty()) w.field("task", o.task);
  if (!o.decoded.empty()) w.key("decoded").string_array(o.decoded);
  w.end_object();
}

std::string result_message(const Finding& f, const RenderOptions& o) {
  std::string s = f.rule->title.in(o.chinese);
  s += o.chinese ? "（" + std::to_string(f.count) + " 次）" : " (" + plural(f.count, "occurrence", "occurrences") + ")";
  if (!f.causes.empty() && f.causes.front().cause) {
    const auto& top = f.causes.front();
    if (o.chinese)
      s += (top.evidenced ? "。最可能的原因：" : "。可能的原因：") + top.cause->text.in(true);
    else
      s += (top.evidenced ? ". Most likely cause: " : ". Possible cause: ") + top.cause->text.en;
    s += " [" + top.cause->id + "]";
  }
  if (!f.caused_by.empty()) {
    s += o.chinese ? "。由以下问题引起：" : ". Caused by: ";
    for (size_t i = 0; i < f.caused_by.size(); ++i) s += (i ? ", " : "") + f.caused_by[i];
  }
  s += o.chinese ? "。" : ".";
  return s;
}

void write_result(JsonWriter& w, const Finding& f, int rule_index, const RenderOptions& o) {
  w.begin_object();
  w.field("ruleId", f.rule->id);
  if (rule_index >= 0) w.field("ruleIndex", rule_index);
  w.field("level", sarif_level(f.rule->severity));
  w.key("message").begin_object().field("text", result_message(f, o)).end_object();
  if (!f.occurrences.empty()) {
    w.key("locations").begin_array();
    for (const auto& occ : f.occurrences) {
      w.begin_object();
      write_physical_location(w, occ);
      write_occurrence_properties(w, occ);
      w.end_object();
    }
    w.end_array();
  }
  w.key("partialFingerprints").begin_object();
  w.field("marsscanFinding/v1", finding_fingerprint(f));
  w.end_object();

  bool any_evidence = false;
  for (const auto& rc : f.causes) any_evidence |= !rc.evidence.empty();
  if (any_evidence) {
    w.key("relatedLocations").begin_array();
    int id = 0;
    for (const auto& rc : f.causes) {
      if (!rc.cause) continue;
      for (const auto& ev : rc.evidence) {
        w.begin_object();
        w.field("id", id++);
        write_physical_location(w, ev.occurrence);
        std::string msg = "Evidence for cause " + rc.cause->id + ": " + rc.cause->text.in(o.chinese);
        if (!ev.via.empty()) msg += " (" + ev.via + ")";
        w.key("message").begin_object().field("text", msg).end_object();
        write_occurrence_properties(w, ev.occurrence);
        w.end_object();
      }
    }
    w.end_array();
  }

  w.key("properties").begin_object();
  w.field("input", f.input);
  w.field("severity", match::severity_name(f.rule->severity));
  w.field("count", f.count);
  if (f.first_seen) w.field("firstSeen", format_iso8601(*f.first_seen));
  if (f.last_seen) w.field("lastSeen", format_iso8601(*f.last_seen));
  w.key("causes").begin_array();
  for (const auto& rc : f.causes) {
    if (!rc.cause) continue;
    w.begin_object();
    w.field("id", rc.cause->id);
    w.field("status", rc.evidenced ? "evidenced" : "possible");
    w.field("score", rc.score);
    w.field("text", rc.cause->text.in(o.chinese));
    w.end_object();
  }
  w.end_array();
  w.key("causedBy").string_array(f.caused_by);
  w.key("causesOf").string_array(f.causes_of);
  w.key("jobs").string_array(f.jobs);
  w.end_object();
  w.end_object();
}

}  // namespace

void render_sarif(const analysis::Report& r, const match::PatternDb& db, const RenderOptions& o,
                  std::ostream& out) {
  std::map<const Rule*, int> index;
  for (size_t i = 0; i < db.rules.size(); ++i) index[&db.rules[i]] = static_cast<int>(i);
  // A finding's rule may come from another copy of the database: fall back to the id.
  auto rule_index = [&](const Rule* rule) {
    auto it = index.find(rule);
    return it != index.end() ? it->second : db.rule_index(rule->id);
  };

  JsonWriter w(out, 2);
  w.begin_object();
  w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  w.field("version", "2.1.0");
  w.key("runs").begin_array().begin_object();

  w.key("tool").begin_object().key("driver").begin_object();
  w.field("name", "marsscan");
  if (!o.tool_version.empty()) {
    w.field("version", o.tool_version);
    w.field("semanticVersion", o.tool_version);
  }
  w.field("informationUri", kInformationUri);
  w.key("rules").begin_array();
  for (const auto& rule : db.rules) write_rule(w, rule);
  w.end_array();
  w.end_object().end_object();

  w.key("invocations").begin_array().begin_object();
  w.field("executionSuccessful", r.errors.empty());
  if (!r.errors.empty()) {
    w.key("toolExecutionNotifications").begin_array();
    for (const auto& e : r.errors) {
      w.begin_object();
      w.field("level", "error");
      w.key("message").begin_object().field("text", e.source + ": " + e.message).end_object();
      if (!e.source.empty()) {
        w.key("locations").begin_array().begin_object();
        w.key("physicalLocation").begin_object();
        w.key("artifactLocation").begin_object().field("uri", artifact_uri(e.source)).end_object();
        w.end_object();
        w.end_object().end_array();
      }
      w.end_object();
    }
    w.end_array();
  }
  w.end_object().end_array();

  w.key("results").begin_array();
  for (const auto& f : r.findings) {
    if (!f.rule) continue;  // a finding always has a rule; never write a result without one
    write_result(w, f, rule_index(f.rule), o);
  }
  w.end_array();

  w.key("properties").begin_object();
  w.key("inputs").string_array(r.inputs);
  w.key("summary").begin_object();
  w.field("inputs", r.summary.inputs);
  w.field("files", r.summary.files);
  w.field("records", r.summary.records);
  w.field("bytes", r.summary.bytes);
  w.key("findings").begin_object();
  for (const auto& [sev, n] : r.summary.findings) w.field(match::severity_name(sev), n);
  w.end_object();
  w.end_object();
  w.end_object();

  w.end_object().end_array();
  w.end_object();
  w.finish();
}

}  // namespace marsscan::report
