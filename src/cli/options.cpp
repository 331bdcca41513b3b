#include "cli/options.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <thread>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "util/time.h"

namespace marsscan::cli {

void InputSettings::add_to(po::options_description& d) {
  d.add_options()
    ("year", po::value<int>()->notifier([this](int y) { year = y; }),
     "year of the first errlog timestamp (errlogs carry none); "
     "default: each file's modification time")
    ("tz", po::value<std::string>(&tz)->default_value("UTC"),
     "UTC offset the agent wrote errlog times in, e.g. +08:00")
    ("recover", po::bool_switch(&recover), "EVTX: also read recovered (deleted) records")
    ("max-depth", po::value<int>(&walk.max_depth)->default_value(8), "archive nesting depth")
    ("max-total-bytes", po::value<uint64_t>(&walk.max_total_bytes)->default_value(64ull << 30),
     "decompressed bytes per top-level input")
    ("max-ratio", po::value<uint64_t>(&walk.max_ratio)->default_value(1000),
     "compression ratio per archive member (past 64 MiB)")
    ("max-members", po::value<uint64_t>(&walk.max_members)->default_value(200000),
     "archive members per top-level input")
    ("max-evtx-bytes", po::value<uint64_t>(&max_evtx_bytes)->default_value(1ull << 30),
     "largest EVTX file held in memory")
    ("max-line", po::value<uint64_t>(&max_line)->default_value(1u << 20),
     "longer lines are scanned in pieces of this size")
    ("follow-symlinks", po::bool_switch(&walk.follow_symlinks),
     "follow symbolic links that leave a given directory")
    ("max-memory", po::value<uint64_t>(&max_memory)->default_value(4ull << 30),
     "memory for the data, bytes (0: no limit; each thread gets 256 MiB of address space on "
     "top); a broken file that makes a library allocate without end fails instead of "
     "exhausting the machine")
    ("time-budget", po::value<double>(&time_budget)->default_value(0, "none"),
     "seconds per top-level input; past it the rest of that input is skipped");
}

records::ReadOptions InputSettings::read_options() const {
  records::ReadOptions r;
  r.time.year = year;
  auto off = parse_utc_offset(tz);
  if (!off) throw UsageError(fmt::format("--tz: '{}' is not a UTC offset like +08:00 or UTC", tz));
  r.time.utc_offset_minutes = *off;
  if (year && (*year < 1990 || *year > 2100))
    throw UsageError(fmt::format("--year: {} is not a plausible year", *year));
  if (!(time_budget >= 0))
    throw UsageError(fmt::format("--time-budget: {} is not a number of seconds >= 0", time_budget));
  r.recover = recover;
  r.max_line = max_line;
  r.max_evtx_bytes = max_evtx_bytes;
  return r;
}

void InputSettings::apply_memory_limit() const {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return;  // ASan and TSan reserve terabytes of shadow address space
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return;
#endif
#endif
  if (max_memory == 0) return;
  rlimit lim{};
  if (getrlimit(RLIMIT_AS, &lim) != 0) return;
  // Address space is not memory in use: each thread reserves a stack and a malloc arena
  // (up to 64 MiB each) that it may never touch, so every possible thread gets an allowance.
  const uint64_t threads = std::max<uint64_t>({1, jobs, std::thread::hardware_concurrency()});
  rlim_t want = static_cast<rlim_t>(max_memory + threads * (256ull << 20));
  if (lim.rlim_max != RLIM_INFINITY && want > lim.rlim_max) want = lim.rlim_max;
  lim.rlim_cur = want;
  if (setrlimit(RLIMIT_AS, &lim) != 0)
    std::cerr << "marsscan: cannot apply --max-memory: " << std::strerror(errno) << '\n';
}

void DatabaseSettings::add_to(po::options_description& d) {
  d.add_options()
    ("patterns", po::value<std::vector<std::string>>(&dirs)->composing(),
     "directory of extra rule files (*.yaml); a rule with a built-in id replaces it")
    ("no-builtin", po::bool_switch(&no_builtin), "do not load the built-in rules")
    ("max-regex-memory", po::value<int64_t>(&max_regex_memory)->default_value(8 << 20),
     "RE2 memory budget per regex, bytes");
}

void InputSettings::add_jobs_to(po::options_description& d, const char* help) {
  d.add_options()("jobs,j", po::value<unsigned>(&jobs)->default_value(0, "cores"), help);
}

void InputSettings::resolve_jobs() {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
}

match::LoadOptions DatabaseSettings::load_options() const {
  match::LoadOptions o;
  o.builtin = !no_builtin;
  o.dirs = dirs;
  o.max_regex_memory = max_regex_memory;
  o.check_builtin = check_builtin;
  return o;
}

void OutputSettings::add_to(po::options_description& d) {
  d.add_options()
    ("lang", po::value<std::string>(&lang), "en or zh-CN (default: from LANG)")
    ("color", po::value<std::string>(&color)->default_value("auto"), "auto, always or never")
    ("output,o", po::value<std::string>(&output), "write the report to FILE instead of stdout");
}

namespace {
bool env_says_chinese() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string_view(v).substr(0, 2) == "zh";
  }
  return false;
}
}  // namespace

report::RenderOptions OutputSettings::render_options() const {
  report::RenderOptions r;
  if (lang.empty()) {
    r.chinese = env_says_chinese();
  } else if (lang == "zh-CN" || lang == "zh" || lang == "zh-cn" || lang == "zh_CN") {
    r.chinese = true;
  } else if (lang != "en") {
    throw UsageError(fmt::format("--lang: '{}' is not one of en, zh-CN", lang));
  }
  if (color == "always") {
    r.color = true;
  } else if (color == "auto") {
    const char* term = std::getenv("TERM");
    r.color = output.empty() && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
              !(term && std::string_view(term) == "dumb");
  } else if (color != "never") {
    throw UsageError(fmt::format("--color: '{}' is not one of auto, always, never", color));
  }
  return r;
}

bool parse_command(int argc, char** argv, const po::options_description& visible, const char* name,
                   std::vector<std::string>& positionals, std::string_view examples,
                   po::variables_map& vm) {
  constexpr int kFirst = 2;  // argv[0] is marsscan, argv[1] the command
  po::options_description hidden;
  hidden.add_options()(name, po::value<std::vector<std::string>>(&positionals), name);
  po::options_description d;
  d.add(visible).add(hidden);
  po::positional_options_description pos;
  pos.add(name, -1);
  try {
    // The parser takes its first argument as the program name: hand it the command's name.
    po::store(po::command_line_parser(argc - kFirst + 1, argv + kFirst - 1)
                  .options(d)
                  .positional(pos)
                  .style(po::command_line_style::default_style &
                         ~po::command_line_style::allow_guessing)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (!vm.count("help")) return true;
  std::cout << visible << examples;
  return false;
}

bool load_database(const DatabaseSettings& s, match::PatternDb& db) {
  std::vector<match::LoadError> errors;
  db = match::load_database(s.load_options(), errors);
  for (const auto& e : errors) std::cerr << "marsscan: " << e.to_string() << '\n';
  return errors.empty();
}

}  // namespace marsscan::cli
