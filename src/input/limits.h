// Hard limits that keep a hostile bundle from exhausting memory or time. Every limit has a
// command-line option; the defaults let a real 10 GB support bundle through.
#pragma once
#include <cstdint>

namespace marsscan::input {

struct WalkOptions {
  int max_depth = 8;                                   // archive nesting (--max-depth)
  uint64_t max_total_bytes = 64ull << 30;              // decompressed bytes per top-level input
  uint64_t max_ratio = 1000;                           // decompressed/compressed bytes per member
  uint64_t ratio_floor = 64ull << 20;                  // ratio is enforced only past this size
  uint64_t max_members = 200000;                       // archive members per top-level input
  bool follow_symlinks = false;                        // leave a given directory through a link
};

}  // namespace marsscan::input
