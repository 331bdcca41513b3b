// Loads pattern files into a PatternDb. A file with a YAML error, an unknown key, a missing
// field or a regex RE2 rejects is an error "file:line: rule ID: reason"; loading goes on with
// the other files so that all problems are reported at once.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "match/rule.h"

namespace marsscan::match {

struct LoadError {
  std::string file;
  int line = 0;
  std::string rule;      // empty when the error is not inside a rule
  std::string message;
  std::string to_string() const;  // "patterns/x.yaml:12: MARS-34513: unknown key 'trigers'"
};

struct LoadOptions {
  bool builtin = true;                  // start from the compiled-in database
  std::vector<std::string> dirs;        // --patterns DIR (files *.yaml, recursive, sorted)
  int64_t max_regex_memory = 8 << 20;   // RE2 max_mem per regex
  // Compile the built-in text regexes while loading, as those of other files are, rather than
  // on first use (patterns check; the test suite proves they compile).
  bool check_builtin = false;
};

class PatternLoader {
 public:
  explicit PatternLoader(LoadOptions options);
  // Adds one file's content; a rule whose id is already present replaces it. `trusted`:
  // its text regexes are known to compile (the built-in files): compiled on first use.
  void add_file(const std::string& name, std::string_view yaml, bool trusted = false);
  void add_directory(const std::string& dir);
  const std::vector<LoadError>& errors() const { return errors_; }
  // Resolves rule references (evidence rules must exist) and returns the database.
  PatternDb finish();
 private:
  LoadOptions options_;
  std::vector<LoadError> errors_;
  struct State;
  std::shared_ptr<State> state_;
};

// The usual way in: built-in files (unless disabled) then each directory.
PatternDb load_database(const LoadOptions& options, std::vector<LoadError>& errors);

}  // namespace marsscan::match
