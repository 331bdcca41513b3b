// Text in a legacy Windows code page: copies of logs and notes re-saved as "ANSI" by Notepad on
// a Chinese (GB18030/GBK) or Western (windows-1252) system. TextReader decodes the lines of a
// leaf that are not UTF-8 with it when they read as one of these (mars-formats.md §1.2).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace marsscan::input {

enum class Legacy { none, gb18030, windows1252 };

// The code page `text` (bytes that are not valid UTF-8) is written in, or none when it reads
// as neither: GB18030 when every byte >= 0x80 starts a well-formed GB18030 character, and
// windows-1252 when no run of such bytes is longer than two (accented letters and
// punctuation stand between ASCII) and each has a character. When both fit, runs of odd
// length (a lone accented letter) say windows-1252, else GB18030 ("ID：403", "中文").
Legacy guess_legacy(std::string_view text);

// The code page of UTF-8 leaf text read so far (`text`, whole lines or a head), or none when it
// is UTF-8, damaged UTF-8 or binary: when it has NUL bytes, or no more invalid UTF-8 sequences
// than valid multi-byte ones (counting `multibyte_before` seen earlier in the leaf). Only the
// lines that are not UTF-8 are guessed from. `may_be_cut`: text is the head of a stream, whose
// last bytes may be part of a character; what follows its last byte below 0x30 (legacy_cut)
// does not count.
Legacy detect_legacy(std::string_view text, uint64_t multibyte_before = 0, bool may_be_cut = false);

// Where a stream in `cp` may be cut without splitting a character: after the last byte of
// `text` below 0x30 (which GB18030 uses only as a character of its own), 0 when there is none;
// text.size() for windows-1252.
size_t legacy_cut(Legacy cp, std::string_view text);

// Appends the UTF-8 form of `in` to `out`. Bytes below 0x80 stay as they are, so lines stay
// lines; a byte that starts no character becomes U+FFFD. GB18030 goes through glibc's iconv.
class LegacyDecoder {
 public:
  // Null when the C library cannot convert from `cp` (no gconv module).
  static std::unique_ptr<LegacyDecoder> open(Legacy cp);
  ~LegacyDecoder();
  LegacyDecoder(const LegacyDecoder&) = delete;
  LegacyDecoder& operator=(const LegacyDecoder&) = delete;

  Legacy code_page() const { return cp_; }
  void decode(std::string_view in, std::string& out);
  // The same for each line of `text` that is not valid UTF-8; the other lines are appended as
  // they are.
  void decode_lines(std::string_view text, std::string& out);

 private:
  explicit LegacyDecoder(Legacy cp) : cp_(cp) {}
  Legacy cp_;
  void* iconv_ = nullptr;  // iconv_t, for GB18030
};

}  // namespace marsscan::input
