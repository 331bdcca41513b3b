// Private to the records stage: presents a leaf in any supported text encoding (UTF-8 or
// UTF-16LE/BE, with or without BOM, or a legacy code page its head reads as: input/legacy.h)
// as UTF-8 bytes, for the event export parsers, which only read UTF-8.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "input/source.h"
#include "input/text.h"

namespace marsscan::records {

class Utf8Reader : public input::ByteReader {
 public:
  // `head` holds the raw bytes already read from `src` (BOM included); they come first.
  Utf8Reader(input::ByteReader& src, std::string_view head);
  // The UTF-8 form of the head, BOM dropped. read() continues right after it. Call once.
  std::string take_head();
  size_t read(char* buf, size_t n) override;
  input::Encoding encoding() const { return enc_; }

 private:
  bool refill();
  input::ByteReader& src_;
  input::Encoding enc_;
  std::unique_ptr<input::LegacyDecoder> legacy_;  // UTF-8 without BOM whose head is in a code page
  std::string head_;
  std::string raw_;   // bytes not yet decoded (UTF-16: an odd byte or a lone high surrogate)
  std::string out_;   // decoded bytes not yet handed out
  size_t out_pos_ = 0;
  bool eof_ = false;
};

}  // namespace marsscan::records
