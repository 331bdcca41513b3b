// Chunked pull of a UTF-8 event export: the sniffed `head` first, then the reader, with a
// leading UTF-8 BOM dropped. The XML, CSV and JSON parsers keep only a sliding window of
// the input, so memory stays bounded by the largest single event, not the file.
#pragma once
#include <string>

#include "input/source.h"

namespace marsscan::records {

class EventInput {
 public:
  EventInput(input::ByteReader& reader, std::string head);
  // Appends the next chunk to `buf`; false (and nothing appended) at the end of the input.
  // InputError from the reader propagates.
  bool append_to(std::string& buf);

 private:
  input::ByteReader& reader_;
  std::string head_;
  bool head_done_ = false, eof_ = false, bom_checked_ = false;
};

// Drops buf[0, pos) once the consumed prefix is large enough to be worth moving.
void compact(std::string& buf, size_t& pos);

}  // namespace marsscan::records
