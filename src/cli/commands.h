// Sub-command dispatch. Each command lives in its own file, parses its own options and
// returns the process exit code: 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 usage or input errors (what could be read is still reported).
#pragma once

namespace marsscan::cli {

int run(int argc, char** argv);

// argv[0] is the program, argv[1] the command name; options start at argv[2]. They throw
// UsageError or other exceptions for run() to report (message, status 2).
int report_command(int argc, char** argv);
int explain_command(int argc, char** argv);
int patterns_command(int argc, char** argv);
int records_command(int argc, char** argv);
int grep_command(int argc, char** argv);

}  // namespace marsscan::cli
