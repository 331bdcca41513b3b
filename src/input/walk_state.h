// What one walk() carries from file to file and archive to archive: the options, the
// visitor and the running counters that the per-input limits apply to.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "input/limits.h"
#include "input/source.h"

namespace marsscan::input {

struct WalkState {
  const WalkOptions& options;
  LeafVisitor& visitor;
  std::string top;              // the input as the user named it
  uint64_t total_bytes = 0;     // decompressed bytes so far (--max-total-bytes)
  uint64_t members = 0;         // archive members so far (--max-members)
  bool total_exceeded = false;
  bool members_exceeded = false;

  void error(std::string source, std::string message) {
    visitor.on_error(InputError{std::move(source), std::move(message)});
  }
};

// One stream the walk has reached: a file, standard input or an archive member.
struct StreamInfo {
  std::string name;                  // full '!'-joined name
  std::optional<int64_t> mtime;
  std::optional<uint64_t> size;
  int depth = 0;                     // archive levels around it
  const char* path = nullptr;        // set for a regular file on disk (seekable)
  std::function<std::unique_ptr<ByteReader>()> reopen = nullptr;  // for a leaf: Leaf::reopen
  std::function<uint64_t()> rest_size = nullptr;                  // and Leaf::rest_size
};

// Peeks at the stream: an archive is opened and its members visited in turn (recursively);
// anything else goes to the visitor as a leaf that reads from byte 0. Never throws.
void visit_stream(WalkState& state, const StreamInfo& info, ByteReader& reader);

}  // namespace marsscan::input
