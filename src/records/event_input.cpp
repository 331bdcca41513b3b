#include "records/event_input.h"

namespace marsscan::records {

namespace {
constexpr size_t kChunk = 64 * 1024;
}

EventInput::EventInput(input::ByteReader& reader, std::string head)
    : reader_(reader), head_(std::move(head)) {}

bool EventInput::append_to(std::string& buf) {
  std::string chunk;
  if (!head_done_) {
    head_done_ = true;
    chunk = std::move(head_);
    head_.clear();
  }
  if (chunk.empty() && !eof_) {
    chunk.resize(kChunk);
    size_t n = reader_.read(chunk.data(), chunk.size());
    chunk.resize(n);
    if (n == 0) eof_ = true;
  }
  if (chunk.empty()) return false;
  if (!bom_checked_) {
    // The BOM may be split across the head and the first read; wait for 3 bytes.
    if (chunk.size() < 3 && !eof_) {
      std::string more;
      while (chunk.size() < 3) {
        more.resize(3);
        size_t n = reader_.read(more.data(), 3 - chunk.size());
        if (n == 0) { eof_ = true; break; }
        chunk.append(more.data(), n);
      }
    }
    bom_checked_ = true;
    if (chunk.compare(0, 3, "\xEF\xBB\xBF") == 0) chunk.erase(0, 3);
  }
  buf += chunk;
  return true;
}

void compact(std::string& buf, size_t& pos) {
  if (pos > 0 && (pos >= buf.size() || pos > 256 * 1024)) {
    buf.erase(0, pos);
    pos = 0;
  }
}

}  // namespace marsscan::records
