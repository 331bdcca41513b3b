// The archive reader (libarchive behind input::walk), nested archives included. Byte 0 picks
// the way in: a seekable file (an in-memory memfd named by its /proc path, as a top-level
// zip is opened) or a non-seekable stream (as standard input or a nested member is read).
// The limits are set low so the depth, ratio, total and member checks are reached.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "fuzz_support.h"
#include "input/walk_state.h"

using namespace marsscan;

namespace {

struct Drain : input::LeafVisitor {
  std::string top;
  void on_leaf(input::Leaf& leaf) override {
    FUZZ_CHECK(leaf.reader != nullptr && leaf.name.rfind(top, 0) == 0);
    char buf[16384];
    while (leaf.reader->read(buf, sizeof buf) > 0) {}
  }
  void on_error(const input::InputError& e) override {
    FUZZ_CHECK(!e.message.empty() && e.source.rfind(top, 0) == 0);
  }
};

int memfd() {
  static const int fd = memfd_create("fuzz-archive", MFD_CLOEXEC);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  input::WalkOptions options;
  options.max_depth = 1 + (bytes[0] >> 1) % 6;
  options.max_total_bytes = 8u << 20;
  options.ratio_floor = 1u << 20;
  options.max_ratio = 100;
  options.max_members = 64;
  Drain visitor;
  if (bytes[0] & 1) {
    const int fd = memfd();
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data.data(), data.size(), 0) != (ssize_t)data.size())
      return 0;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    visitor.top = path;
    input::walk(path, options, visitor);
  } else {
    visitor.top = "-";
    input::WalkState state{options, visitor, "-"};
    fuzz::MemReader reader(data, 4096);
    input::StreamInfo info;
    info.name = "-";
    input::visit_stream(state, info, reader);
  }
  return 0;
}
