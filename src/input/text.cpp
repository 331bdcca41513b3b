#include "input/text.h"

#include <algorithm>

#include "input/utf16.h"

namespace marsscan::input {

Encoding sniff_encoding(std::string_view head, size_t* bom_size) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(head[i]); };
  size_t bom = 0;
  Encoding enc = Encoding::Utf8;
  if (head.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    bom = 3;
  } else if (head.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) {
    bom = 2, enc = Encoding::Utf16LE;
  } else if (head.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) {
    bom = 2, enc = Encoding::Utf16BE;
  } else {
    // No BOM: UTF-16 text that is mostly ASCII has a NUL in every other byte. The first
    // 4 KiB decide; a quarter of the pairs with a NUL on one side only is plenty.
    const size_t n = std::min<size_t>(head.size(), 4096) & ~size_t(1);
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
      even += head[i] == '\0';
      odd += head[i + 1] == '\0';
    }
    const size_t pairs = n / 2;
    if (pairs > 0 && odd * 4 >= pairs && odd > even * 2) enc = Encoding::Utf16LE;
    else if (pairs > 0 && even * 4 >= pairs && even > odd * 2) enc = Encoding::Utf16BE;
  }
  if (bom_size) *bom_size = bom;
  return enc;
}

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::Utf8: return "UTF-8";
    case Encoding::Utf16LE: return "UTF-16LE";
    case Encoding::Utf16BE: return "UTF-16BE";
  }
  return "unknown";
}

size_t utf16_to_utf8(std::string_view in, bool big_endian, std::string& out) {
  const size_t old = out.size();
  out.resize(old + detail::utf16_max_output(in.size()));
  size_t written = 0;
  const size_t used = detail::utf16_decode(reinterpret_cast<const unsigned char*>(in.data()),
                                           in.size(), big_endian, out.data() + old, &written);
  out.resize(old + written);
  return used;
}

}  // namespace marsscan::input
