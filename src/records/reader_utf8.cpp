#include "records/reader_utf8.h"

#include <algorithm>
#include <cstring>

namespace marsscan::records {

namespace {
constexpr size_t kChunk = 64 * 1024;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}  // namespace

Utf8Reader::Utf8Reader(input::ByteReader& src, std::string_view head) : src_(src) {
  size_t bom = 0;
  enc_ = input::sniff_encoding(head, &bom);
  head.remove_prefix(std::min(bom, head.size()));
  if (enc_ == input::Encoding::Utf8 && bom == 0)
    legacy_ = input::LegacyDecoder::open(input::detect_legacy(head, 0, true));
  if (legacy_) {
    const size_t cut = input::legacy_cut(legacy_->code_page(), head);
    legacy_->decode(head.substr(0, cut), head_);
    raw_.assign(head.substr(cut));
  } else if (enc_ == input::Encoding::Utf8) {
    head_.assign(head);
  } else {
    size_t used = input::utf16_to_utf8(head, enc_ == input::Encoding::Utf16BE, head_);
    raw_.assign(head.substr(used));
  }
}

std::string Utf8Reader::take_head() { return std::move(head_); }

bool Utf8Reader::refill() {
  out_.clear();
  out_pos_ = 0;
  while (out_.empty() && !eof_) {
    size_t old = raw_.size();
    raw_.resize(old + kChunk);
    size_t got = src_.read(raw_.data() + old, kChunk);
    raw_.resize(old + got);
    if (got == 0) {
      eof_ = true;
      // A trailing odd byte, an unpaired high surrogate or a code page's cut character.
      if (legacy_) legacy_->decode(raw_, out_);
      else if (!raw_.empty()) out_ += kReplacement;
      raw_.clear();
      break;
    }
    if (legacy_) {
      size_t used = input::legacy_cut(legacy_->code_page(), raw_);
      if (used == 0 && raw_.size() < kChunk) continue;  // no place to cut yet: read on
      if (used == 0) used = raw_.size();
      legacy_->decode(std::string_view(raw_).substr(0, used), out_);
      raw_.erase(0, used);
      continue;
    }
    size_t used = input::utf16_to_utf8(raw_, enc_ == input::Encoding::Utf16BE, out_);
    raw_.erase(0, used);
  }
  return !out_.empty();
}

size_t Utf8Reader::read(char* buf, size_t n) {
  if (n == 0) return 0;
  if (enc_ == input::Encoding::Utf8 && !legacy_) return src_.read(buf, n);
  if (out_pos_ >= out_.size() && !refill()) return 0;
  size_t k = std::min(n, out_.size() - out_pos_);
  std::memcpy(buf, out_.data() + out_pos_, k);
  out_pos_ += k;
  return k;
}

}  // namespace marsscan::records
