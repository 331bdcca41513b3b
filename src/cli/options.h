// Options shared by several commands, parsed with Boost.ProgramOptions. Each group adds its
// options to a description and turns the parsed values into the settings its stage takes.
#pragma once
#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "input/limits.h"
#include "match/loader.h"
#include "records/reader.h"
#include "report/render.h"

namespace marsscan::cli {

namespace po = boost::program_options;

// Thrown for bad command lines; the command prints it with its usage and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct InputSettings {
  std::vector<std::string> inputs;
  std::optional<int> year;
  std::string tz = "UTC";
  bool recover = false;
  input::WalkOptions walk;
  uint64_t max_evtx_bytes = 1ull << 30;
  uint64_t max_line = 1u << 20;
  double time_budget = 0;          // seconds per top-level input (--time-budget); 0: none
  uint64_t max_memory = 4ull << 30; // address space of the whole process (--max-memory); 0: none
  unsigned jobs = 1;                // threads (-j, where a command has it: add_jobs_to)

  void add_to(po::options_description& d);
  // -j/--jobs with the command's own description; the default, 0, means the number of cores,
  // which resolve_jobs() puts in its place after parsing.
  void add_jobs_to(po::options_description& d, const char* help);
  void resolve_jobs();
  records::ReadOptions read_options() const;  // throws UsageError on a bad --tz or --year
  // Caps the process's address space at --max-memory. A library that runs away on a crafted
  // file (libevtx asks for gigabytes on some broken EVTX records) then gets a failed
  // allocation, which it reports as an error for that record, instead of exhausting the machine.
  void apply_memory_limit() const;
};

struct DatabaseSettings {
  std::vector<std::string> dirs;
  bool no_builtin = false;
  int64_t max_regex_memory = 8 << 20;
  bool check_builtin = false;  // not an option: patterns check sets it

  void add_to(po::options_description& d);
  match::LoadOptions load_options() const;
};

struct OutputSettings {
  std::string lang;      // "", "en", "zh-CN"
  std::string color = "auto";
  std::string output;    // -o FILE

  void add_to(po::options_description& d);
  // Resolves --lang (default from LANG/LC_ALL/LC_MESSAGES) and --color (auto: a terminal,
  // no -o, NO_COLOR unset, TERM not dumb).
  report::RenderOptions render_options() const;
};

// Parses a command's arguments (argv[2..]) against `visible`; the positional ones (`name`,
// kept out of --help) go to `positionals`. With --help, prints `visible` and `examples` to
// stdout and returns false: the command is done. Throws UsageError on a bad command line.
bool parse_command(int argc, char** argv, const po::options_description& visible, const char* name,
                   std::vector<std::string>& positionals, std::string_view examples,
                   po::variables_map& vm);

// Loads the pattern database, printing every load error to stderr. Returns false on errors.
bool load_database(const DatabaseSettings& s, match::PatternDb& db);

}  // namespace marsscan::cli
