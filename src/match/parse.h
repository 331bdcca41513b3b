// Reading one pattern file (schema: patterns/README.md) into self-contained drafts. Each
// draft owns its patterns, so a later file can replace a rule whole; the loader numbers the
// patterns of all drafts when it builds the PatternDb.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "match/loader.h"
#include "match/rule.h"

namespace marsscan::match {

struct RuleDraft {
  Rule rule;                            // triggers/evidence index `patterns` and `events`
  std::vector<Pattern> patterns;
  std::vector<EventPattern> events;
  struct RuleRef { int cause; std::string id; int line; };
  std::vector<RuleRef> rule_refs;       // evidence `rule:` entries, resolved by the loader
};

struct MarkerDraft {
  Marker marker;                        // pattern/event_pattern are 0 when present, else -1
  std::vector<Pattern> patterns;
  std::vector<EventPattern> events;
};

struct ParsedFile {
  std::vector<RuleDraft> rules;         // only rules without errors
  std::vector<MarkerDraft> markers;
  std::vector<CodeInfo> codes;
  std::vector<std::string> failed_rules;  // ids of rules dropped because of errors
};

// Parses `yaml` (named `file` in messages); problems are appended to `errors`. `trusted`: the
// text regexes are compiled on first use instead of now (PatternLoader::add_file).
ParsedFile parse_pattern_file(const std::string& file, std::string_view yaml,
                              int64_t max_regex_memory, bool trusted, std::vector<LoadError>& errors);

}  // namespace marsscan::match
