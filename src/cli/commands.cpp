#include "cli/commands.h"

#include <cstdio>

namespace marsscan::cli {

int run(int, char**) {
  std::fputs("marsscan: not yet implemented\n", stderr);
  return 2;
}

}  // namespace marsscan::cli
