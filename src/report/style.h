// Labels of the human-readable formats in both report languages, and ANSI colour that is
// only emitted when asked for (never in files or pipes unless --color=always).
#pragma once
#include <string>
#include <string_view>

#include "match/rule.h"

namespace marsscan::report {

struct Labels {
  const char *inputs, *files, *records, *bytes, *findings, *input_errors, *no_findings;
  const char *rule, *count, *first_seen, *last_seen, *input, *jobs, *occurrences, *more;
  const char *caused_by, *leads_to, *causes, *evidenced, *possible, *score, *evidence;
  const char *actions, *job, *type, *start, *end, *outcome, *failed_phase, *failure;
  const char *last_state, *phases, *summary, *codes, *source, *references, *confidence;
  const char *general_actions, *unknown;
  const char* outcome_name(std::string_view outcome) const;
  bool chinese;
};
const Labels& labels(bool chinese);

class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string cyan(std::string_view s) const { return wrap("36", s); }
  std::string severity(match::Severity s, std::string_view text) const;
  std::string outcome(std::string_view outcome, std::string_view text) const;
 private:
  std::string wrap(const char* code, std::string_view s) const;
  bool color_;
};

}  // namespace marsscan::report
