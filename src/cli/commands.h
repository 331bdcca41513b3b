// Sub-command dispatch. Each command lives in its own file and returns the process exit code:
// 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input errors.
#pragma once

namespace marsscan::cli {

int run(int argc, char** argv);

}  // namespace marsscan::cli
