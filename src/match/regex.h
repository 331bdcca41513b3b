// How the database compiles its RE2 regexes, in one place so that the loader, the matcher and
// the sample check agree: UTF-8, case-sensitive unless the regex says (?i), no logging.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

namespace marsscan::match {

RE2::Options regex_options(int64_t max_mem);

// Compiles `regex`; on failure returns null and sets `error` to a message quoting RE2
// (or naming the memory limit when the program is too large).
std::shared_ptr<const RE2> compile_regex(std::string_view regex, int64_t max_mem,
                                         std::string& error);

// A regex compiled on first use, once, whichever thread asks first; copies share it. A run
// confirms candidates for few of the database's hundreds of regexes, and compiling them all
// while loading was the larger part of the start-up.
class LazyRegex {
 public:
  LazyRegex() = default;  // no regex: false, get() null
  LazyRegex(std::string regex, int64_t max_mem);
  explicit LazyRegex(std::shared_ptr<const RE2> compiled);
  explicit operator bool() const { return state_ != nullptr; }
  const std::string& pattern() const;
  // The compiled regex; null when there is none or RE2 rejects it (loaders that take regexes
  // from users compile them at once, to report that; compile_regex).
  const RE2* get() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// The end of the escape (\Q...\E included), character class ([:alpha:] inside it included)
// or single character that starts at regex[i]; a group's parenthesis counts as one character.
size_t atom_end(std::string_view regex, size_t i);

}  // namespace marsscan::match
