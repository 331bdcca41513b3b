// The pattern database: rules, their causes, evidence and job markers, as loaded from
// patterns/*.yaml (schema: patterns/README.md). Immutable once loaded.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "match/literals.h"
#include "match/regex.h"

namespace marsscan::match {

enum class Severity { Note = 0, Warning = 1, Error = 2, Critical = 3 };
const char* severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

// A text in both report languages; `zh` falls back to `en` when a rule has no translation.
struct Text {
  std::string en, zh;
  const std::string& in(bool chinese) const { return chinese && !zh.empty() ? zh : en; }
};

// Where a definition was read: "patterns/seed/mars-34513.yaml:12".
struct Origin { std::string file; int line = 0; };

// Conditions on the fields of an event record; every present condition must hold.
// Regexes are RE2, matched unanchored unless they anchor themselves.
struct EventCondition {
  std::optional<std::string> provider, channel, message;   // regexes
  std::vector<uint32_t> ids;                                // any of these event ids
  std::optional<int> max_level;                             // level <= this (1 critical, 2 error, 3 warning)
  std::map<std::string, std::string> data;                  // field name (or "#N" positional) -> regex
  Origin origin;
};

// What a pattern belongs to; evidence patterns name their rule and cause.
struct PatternOwner {
  enum Kind : uint8_t { Trigger, Evidence, Marker } kind = Trigger;
  int rule = -1;     // index into PatternDb::rules (Trigger, Evidence)
  int cause = -1;    // index into Rule::causes (Evidence)
  int marker = -1;   // index into PatternDb::markers (Marker)
};

// One text regex of the database. All of them are scanned together (see matcher.h).
struct Pattern {
  std::string regex;
  PatternOwner owner;
  Origin origin;
  LazyRegex re;         // `regex`, compiled on first use (empty in a database built by hand)
  // Optional filter on the record's source (leaf name); the pattern fires only where it matches.
  std::string source_regex;
  LazyRegex source_re;
  // Its literal cover (literals.h; empty: none), when worked out in advance (the built-in
  // image); else the prefilter works it out.
  std::optional<std::vector<Literal>> cover;
};

struct EventPattern {
  EventCondition condition;
  PatternOwner owner;
};

struct Cause {
  std::string id;                     // fixed by docs/catalogue.md, e.g. "credentials-expired"
  Text text;
  std::vector<int> evidence_patterns; // into PatternDb::patterns
  std::vector<int> evidence_events;   // into PatternDb::event_patterns
  std::vector<std::string> evidence_rules;  // findings of these rules are evidence (causal chain)
  std::vector<Text> actions;
  std::vector<std::string> samples;   // lines that must match one of evidence_patterns
};

struct Reference { std::string document, section, url; };

struct EventSample {                  // a synthetic event for samples/near-misses
  std::string provider, channel, message;
  uint32_t id = 0;
  int level = -1;
  std::map<std::string, std::string> data;
};

struct Rule {
  std::string id;                     // "MARS-34513"
  Severity severity = Severity::Error;
  Text title;
  Text summary;
  std::vector<std::string> codes;     // "34513", "0x1FC07", "0x80070005", "SalLowDiskSpace"
  std::vector<Reference> references;
  std::string source;                 // document and section, for explain and SARIF help
  std::string confidence;             // "high", "medium", "low"
  std::vector<int> triggers;          // into PatternDb::patterns
  std::vector<int> event_triggers;    // into PatternDb::event_patterns
  std::vector<Cause> causes;          // in documented order
  std::vector<Text> actions;          // general actions, after the causes' own
  std::vector<std::string> samples, near_misses;
  std::vector<EventSample> event_samples, event_near_misses;
  Origin origin;
};

// What a value of a state marker means ("5" -> TRANSFERRING_DATA, transferring data).
struct MarkerState {
  std::string value;                  // as logged: "5"
  std::string stage;                  // "TRANSFERRING_DATA"
  Text meaning;
};

// Job life-cycle markers (mars-formats.md §1.5): lines that start, advance or end a job.
struct Marker {
  enum Kind : uint8_t { Start, Phase, Success, Failure, End, State } kind = Phase;
  std::string id;
  std::string job_type;               // "backup", "offline-backup", "restore", ...
  std::string phase;                  // fixed phase name, or from the (?P<phase>) group
  int pattern = -1;                   // into PatternDb::patterns
  int event_pattern = -1;             // into PatternDb::event_patterns (CloudBackup 1/3/10/11)
  Origin origin;
  std::vector<MarkerState> states;    // kind state: the documented values (may be empty)
};

// An HRESULT / Win32 code the agent logs, decoded in evidence lines.
struct CodeInfo {
  uint32_t code = 0;
  std::string name;                   // "E_ACCESSDENIED"
  Text text;                          // "Access is denied."
};

struct PatternDb {
  std::vector<Rule> rules;
  std::vector<Marker> markers;
  std::vector<Pattern> patterns;
  std::vector<EventPattern> event_patterns;
  std::vector<CodeInfo> codes;        // sorted by code
  std::vector<std::string> files;     // files loaded, in order

  const Rule* find_rule(std::string_view id) const;
  int rule_index(std::string_view id) const;
  // Looks up "34513", "MARS-34513", "0x1FC07", "1fc07", "SalLowDiskSpace": by id, then codes.
  const Rule* lookup(std::string_view key) const;
  const CodeInfo* find_code(uint32_t code) const;
};

}  // namespace marsscan::match
