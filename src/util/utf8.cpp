#include "util/utf8.h"

namespace marsscan {

size_t utf8_sequence(const unsigned char* p, const unsigned char* end, size_t* bad) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) { n = 3; lo = 0xA0; }
  else if (c == 0xED) { n = 3; hi = 0x9F; }
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) { n = 4; lo = 0x90; }
  else if (c == 0xF4) { n = 4; hi = 0x8F; }
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else {
    *bad = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < n && p + k < end; ++k) {
    const unsigned char d = p[k];
    if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) break;
  }
  if (k == n) return n;
  *bad = k;
  return 0;
}

}  // namespace marsscan
