#include "input/legacy.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>

#include "input/utf16.h"
#include "input/utf8_check.h"

namespace marsscan::input {

namespace {

// windows-1252's 0x80-0x9F as the WHATWG Encoding Standard maps them: the five bytes
// without a character (0x81, 0x8D, 0x8F, 0x90, 0x9D) keep their C1 code points.
constexpr uint16_t kC1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

bool unmapped_1252(unsigned char c) { return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D; }

void put_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The length of the well-formed GB18030 character at p (a byte >= 0x80), 0 when there is none.
size_t gb18030_length(const unsigned char* p, const unsigned char* end) {
  auto lead = [](unsigned char c) { return c >= 0x81 && c <= 0xFE; };
  auto digit = [](unsigned char c) { return c >= 0x30 && c <= 0x39; };
  if (!lead(p[0]) || end - p < 2) return 0;
  if (p[1] >= 0x40 && p[1] <= 0xFE && p[1] != 0x7F) return 2;
  if (end - p >= 4 && digit(p[1]) && lead(p[2]) && digit(p[3])) return 4;
  return 0;
}

// Calls fn(line, whether it is valid UTF-8) for each line of `text`, its '\n' included.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1);
    text.remove_prefix(line.size());
    fn(line, detail::scan_utf8(line).invalid == 0);
  }
}

}  // namespace

Legacy guess_legacy(std::string_view text) {
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = begin + text.size();
  bool any = false, cp1252 = true, odd_run = false;
  for (const unsigned char* q = begin; q < end;) {
    if (*q < 0x80) {
      ++q;
      continue;
    }
    const unsigned char* const run = q;
    for (; q < end && *q >= 0x80; ++q) cp1252 = cp1252 && !unmapped_1252(*q);
    any = true;
    cp1252 = cp1252 && q - run <= 2;
    odd_run = odd_run || (q - run) % 2;
  }
  if (!any) return Legacy::none;
  bool gb = true;  // a GB18030 character's second (and fourth) byte may be ASCII
  for (const unsigned char* q = begin; gb && q < end;) {
    const size_t n = *q < 0x80 ? 1 : gb18030_length(q, end);
    gb = n > 0;
    q += n;
  }
  if (gb && cp1252) return odd_run ? Legacy::windows1252 : Legacy::gb18030;
  return gb ? Legacy::gb18030 : cp1252 ? Legacy::windows1252 : Legacy::none;
}

Legacy detect_legacy(std::string_view text, uint64_t multibyte_before, bool may_be_cut) {
  if (may_be_cut)
    if (const size_t cut = legacy_cut(Legacy::gb18030, text)) text = text.substr(0, cut);
  const detail::Utf8Scan scan = detail::scan_utf8(text);
  if (scan.invalid == 0 || scan.nuls > 0 || scan.invalid <= scan.multibyte + multibyte_before)
    return Legacy::none;
  std::string bad;
  for_each_line(text, [&](std::string_view line, bool utf8) {
    if (!utf8) bad += line;
  });
  return guess_legacy(bad);
}

size_t legacy_cut(Legacy cp, std::string_view text) {
  if (cp != Legacy::gb18030) return text.size();
  for (size_t i = text.size(); i > 0; --i)
    if (static_cast<unsigned char>(text[i - 1]) < 0x30) return i;
  return 0;
}

std::unique_ptr<LegacyDecoder> LegacyDecoder::open(Legacy cp) {
  if (cp == Legacy::none) return nullptr;
  std::unique_ptr<LegacyDecoder> d(new LegacyDecoder(cp));
  if (cp == Legacy::gb18030) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return nullptr;
    d->iconv_ = cd;
  }
  return d;
}

LegacyDecoder::~LegacyDecoder() {
  if (iconv_) iconv_close(static_cast<iconv_t>(iconv_));
}

void LegacyDecoder::decode(std::string_view in, std::string& out) {
  if (cp_ == Legacy::windows1252) {
    out.reserve(out.size() + in.size() + in.size() / 2);
    for (const char ch : in) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x80) out.push_back(ch);
      else put_utf8(c < 0xA0 ? kC1[c - 0x80] : c, out);
    }
    return;
  }
  // GB18030: at most 4 UTF-8 bytes per 4 input bytes, 3 per 2; a byte iconv refuses is U+FFFD.
  const auto cd = static_cast<iconv_t>(iconv_);
  size_t at = out.size();
  out.resize(at + in.size() + in.size() / 2 + 16);
  char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write there
  size_t left = in.size();
  while (left > 0) {
    char* dst = out.data() + at;
    size_t room = out.size() - at;
    const size_t r = iconv(cd, &src, &left, &dst, &room);
    at = static_cast<size_t>(dst - out.data());
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG || room < 3) {
      out.resize(out.size() + left + 16);
      continue;
    }
    out.replace(at, 3, detail::kReplacement, 3);  // EILSEQ, or EINVAL at the end: skip one byte
    at += 3;
    ++src;
    --left;
  }
  out.resize(at);
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // back to the initial state for the next call
}

void LegacyDecoder::decode_lines(std::string_view text, std::string& out) {
  for_each_line(text, [&](std::string_view line, bool utf8) {
    if (utf8) out.append(line);
    else decode(line, out);
  });
}

}  // namespace marsscan::input
