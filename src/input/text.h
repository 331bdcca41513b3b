// Decoding: any supported text encoding in, UTF-8 lines out, in blocks of complete lines.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "input/legacy.h"
#include "input/source.h"

namespace marsscan::input {

enum class Encoding { Utf8, Utf16LE, Utf16BE };

// Looks at the first bytes of a stream: BOM first, then the NUL-byte pattern of UTF-16
// without BOM, else UTF-8. `bom_size` receives the number of BOM bytes to skip.
Encoding sniff_encoding(std::string_view head, size_t* bom_size);
const char* encoding_name(Encoding e);

// Appends the UTF-8 form of UTF-16 `in` to `out`. Unpaired surrogates become U+FFFD.
// Returns the number of input bytes consumed: a trailing odd byte or a high surrogate whose
// partner may be in the next chunk is left for the next call.
size_t utf16_to_utf8(std::string_view in, bool big_endian, std::string& out);

// A run of complete lines of one leaf, UTF-8, each ending in '\n' (the last line of a
// leaf gets one added). CR before LF is kept; consumers trim it.
struct TextBlock {
  std::string_view data;
  uint64_t first_line = 1;  // 1-based number of the first line in data
  uint64_t lines = 0;       // number of lines in data
  bool ascii = false;       // every byte of data is below 0x80 (false: not, or not known)
  // When set, data stays valid for as long as a copy of owner lives, past the next block:
  // a consumer that works on later (block workers) keeps it instead of copying the bytes.
  std::shared_ptr<const void> owner;
};

// Damage met while decoding a leaf. Nothing is lost for it: invalid UTF-8 and NUL bytes
// pass through as they are, unpaired UTF-16 surrogates and a dangling odd byte become
// U+FFFD. Lines are 1-based line numbers in the leaf (of the piece, for a cut line); 0 when
// the count is 0. The caller decides what to tell the user (records::read_leaf does).
struct TextProblems {
  uint64_t invalid_utf8 = 0;         // UTF-8 leaves: maximal invalid subparts
  uint64_t invalid_utf8_line = 0;
  uint64_t nul_bytes = 0;            // UTF-8 leaves: NUL bytes, i.e. binary content
  uint64_t nul_line = 0;
  uint64_t unpaired_surrogates = 0;  // UTF-16 leaves, an unpartnered high one at the end too
  uint64_t surrogate_line = 0;
  bool odd_byte = false;             // UTF-16 leaf with an odd number of bytes
  bool any() const { return invalid_utf8 || nul_bytes || unpaired_surrogates || odd_byte; }
};

// Raw bytes per read: a leaf smaller than this comes in one block (or in a few, for long lines).
inline constexpr size_t kTextChunk = 1u << 20;

// Reads a leaf's bytes as text, block by block. A line longer than max_line is cut into
// pieces of max_line bytes (each piece is still scanned; split_lines() counts the lines cut);
// in a leaf decoded from a legacy code page, max_line counts the bytes read, and a line or
// piece decodes to at most 3 * max_line bytes of UTF-8.
// Each piece comes as a block of its own with lines == 1 and the number of the line it was
// cut from, so the lines after it keep their numbers in the file. The encoding is sniffed
// on the first 4 KiB; the BOM is dropped. In a UTF-8 leaf without BOM whose first block with
// invalid UTF-8 has more bad sequences than the leaf had good ones so far, and reads as a
// legacy code page (legacy.h), every line that is not UTF-8 is decoded from that code page;
// other invalid UTF-8 passes through as it is (counted in problems(), like every other
// damage). Memory is bounded by one raw chunk (1 MiB), its decoded form and max_line, plus
// the storages of blocks a consumer keeps (TextBlock::owner).
class TextReader {
 public:
  // `head` holds bytes already read from `reader` (format sniffing); they come first.
  // Reads up to 4 KiB to sniff the encoding, so it may throw InputError like reader.read().
  TextReader(ByteReader& reader, std::string head, size_t max_line = 1u << 20);
  ~TextReader();
  // Fills `block` with the next lines; false at the end of the leaf.
  bool next(TextBlock& block);
  Encoding encoding() const;
  Legacy legacy() const;            // the code page a UTF-8 leaf turned out to be in, or none
  uint64_t bytes_read() const;      // raw bytes consumed from the leaf
  uint64_t split_lines() const;     // lines cut because they exceeded max_line
  // Damage in the blocks handed out so far; complete once next() has returned false.
  const TextProblems& problems() const;
 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marsscan::input
