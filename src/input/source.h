// The input stage: turns what the user named (files, directories, '-', archives nested in
// archives) into a sequence of leaves, each a named sequential byte stream. Nothing is ever
// extracted to disk and no leaf is held in memory whole.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "input/limits.h"

namespace marsscan::input {

// A sequential byte stream. read() returns 0 only at the end; it throws InputError when the
// underlying file or archive member is unreadable (the message names no path: the caller
// knows which leaf it is reading).
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  virtual size_t read(char* buf, size_t n) = 0;
};

// Why a leaf (or part of one) could not be read. `source` is the full location:
// "bundle.zip!Temp/CBEngineCurr.errlog".
struct InputError {
  std::string source;
  std::string message;
};

// One file to analyse, wherever it lives. `name` joins archive levels with '!':
// "a.zip!b.zip!Temp/x.errlog"; plain files keep the path as the user wrote it ("-" is stdin).
struct Leaf {
  std::string name;
  std::string top;                  // the top-level input it came from: the "case"
  std::optional<int64_t> mtime;     // seconds since the epoch (file or archive member)
  std::optional<uint64_t> size;     // when known in advance
  ByteReader* reader = nullptr;     // valid only during LeafVisitor::on_leaf
  // Set when the leaf can be read a second time on its own: a member of a zip file on disk.
  // Called during on_leaf in place of reading `reader`, it returns a reader of the leaf from
  // byte 0 that any one thread may use, also after on_leaf and walk() return. That reader
  // applies --max-ratio itself; the walk counts the leaf's declared size against
  // --max-total-bytes at once. Returns null when the leaf must be read through `reader` after
  // all (its declared size would cross that limit: reading it finds where).
  std::function<std::unique_ptr<ByteReader>()> reopen = nullptr;
  // With reopen: the declared sizes of the members after this one in its zip, summed (how
  // much work is left to share out). Called during on_leaf; the first call for a zip lists its
  // headers (a pass over them that reads no data).
  std::function<uint64_t()> rest_size = nullptr;
};

class LeafVisitor {
 public:
  virtual ~LeafVisitor() = default;
  // Called once per leaf, in a deterministic order (directory entries sorted by name,
  // archive members in archive order). Read as much of leaf.reader as needed.
  virtual void on_leaf(Leaf& leaf) = 0;
  // A leaf, member or directory that could not be read; the walk goes on.
  virtual void on_error(const InputError& error) = 0;
};

// Walks one top-level input (a path or "-") and every archive inside it, depth-first.
// Archives are recognised by content, never by name.
void walk(const std::string& input, const WalkOptions& options, LeafVisitor& visitor);

}  // namespace marsscan::input
