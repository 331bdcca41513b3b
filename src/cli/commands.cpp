#include "cli/commands.h"

#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <string_view>

#include "cli/options.h"

namespace marsscan::cli {

namespace {

const char kUsage[] = R"(marsscan - offline analyzer for Microsoft Azure Recovery Services (MARS) agent logs

usage: marsscan <command> [options] [INPUT...]

commands:
  report    analyse log files, folders and archives; print the causal report
  explain   show a documented error, its causes and recommended actions
  patterns  list, check or export the pattern database
  grep      search like grep, with the pattern database or ad-hoc regexes
  records   print the normalized records (errlog lines and events) as NDJSON

INPUT is a file, a directory (searched recursively), an archive, or - for standard input.
Run 'marsscan <command> --help' for the options of a command.

examples:
  marsscan report customer-logs.zip
  marsscan report --lang zh-CN --format json -o report.json Temp/
  marsscan explain 34513
)";

struct Command {
  std::string_view name;
  int (*fn)(int, char**);
};
constexpr Command kCommands[] = {
    {"report", report_command},
    {"explain", explain_command},
    {"patterns", patterns_command},
    {"records", records_command},
    {"grep", grep_command},
};

// Every command's errors end the same way: the message, a hint for usage errors, status 2.
int run_command(const Command& c, int argc, char** argv) {
  try {
    return c.fn(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "marsscan " << c.name << ": " << e.what() << "\nTry 'marsscan " << c.name
              << " --help'.\n";
  } catch (const std::exception& e) {
    std::cerr << "marsscan " << c.name << ": " << e.what() << '\n';
  }
  return 2;
}

}  // namespace

int run(int argc, char** argv) {
  // A closed pipe (marsscan ... | head) ends output quietly; writes report the failure instead.
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::cout << "marsscan " << MARSSCAN_VERSION << '\n';
    return 0;
  }
  for (const auto& c : kCommands)
    if (c.name == cmd) return run_command(c, argc, argv);
  std::cerr << "marsscan: unknown command '" << cmd << "'\n\n" << kUsage;
  return 2;
}

}  // namespace marsscan::cli
