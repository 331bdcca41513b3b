// Helpers every report format needs, so that all formats agree: severity order and labels,
// time formatting, where an occurrence is, and the actions of a finding in the right order.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analysis/model.h"
#include "report/json_writer.h"

namespace marsscan::report {

// Most severe first: critical, error, warning, note.
inline constexpr std::array<match::Severity, 4> kSeveritiesDesc = {
    match::Severity::Critical, match::Severity::Error, match::Severity::Warning,
    match::Severity::Note};

// "error" (stable id, as in JSON/SARIF) or "错误" when chinese.
const char* severity_label(match::Severity s, bool chinese);

// "2019-06-07T01:23:25.640Z", or "" when unknown.
std::string format_time(const std::optional<TimeMs>& t);
// Same, as a JSON string or null.
void write_time(JsonWriter& w, const std::optional<TimeMs>& t);

// "evidenced" or "possible".
const char* cause_status(const analysis::RankedCause& c);

// "a.zip!Temp/CBEngineCurr.errlog:42" (events: "System.evtx:#42").
std::string location(const analysis::Occurrence& o);
// The quoted text followed by its decoded codes: "… [0x80070005 (E_ACCESSDENIED: …)]".
std::string text_with_codes(const analysis::Occurrence& o, bool chinese);

// What to do about a finding: the evidenced causes' actions (best cause first), then the
// possible causes' actions (documented order), then the rule's general actions; each text
// once, in the chosen language.
std::vector<std::string> finding_actions(const analysis::Finding& f, bool chinese);

}  // namespace marsscan::report
