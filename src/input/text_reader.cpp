// TextReader: raw chunks in, UTF-8 blocks of whole lines out. The hot path per block is one
// read, one decode (or none for UTF-8), one or two memrchr and one counting pass; nothing per
// line.
#include <algorithm>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "input/legacy.h"
#include "input/text.h"
#include "input/utf16.h"
#include "input/utf8_check.h"
#include "util/bytes.h"

namespace marsscan::input {
namespace {

constexpr size_t kChunk = kTextChunk;
constexpr size_t kSniffBytes = 4096;  // enough to tell UTF-16 from UTF-8
// Reads land at the page position their stream offset has in the file. The kernel copies
// from the page cache with `rep movsb`, which on some CPUs (AMD Zen 3: 6x) slows down when
// the destination is 1 to 31 bytes past the source modulo a page; equal positions are fast.
constexpr size_t kPage = 4096;

// Storage for decoded text that blocks may keep past next() (TextBlock::owner): a storage comes
// back here when its last holder lets go, so that the reader reuses a few of them rather than
// allocating one per block. Shared with the holders, which may outlive the reader.
class StoragePool {
 public:
  // One pool for every reader of the process: a bundle's leaves follow one another, and fresh
  // megabytes for each leaf cost page faults on first touch and unmapping on free.
  static const std::shared_ptr<StoragePool>& shared() {
    static const std::shared_ptr<StoragePool> pool = std::make_shared<StoragePool>();
    return pool;
  }
  // A storage of at least `size` bytes.
  static std::shared_ptr<char[]> take(const std::shared_ptr<StoragePool>& pool, size_t size) {
    std::unique_ptr<char[]> bytes;
    size_t cap = 0;
    {
      std::lock_guard lock(pool->mutex_);
      for (size_t i = 0; i < pool->free_.size(); ++i)
        if (pool->free_[i].second >= size) {
          bytes = std::move(pool->free_[i].first);
          cap = pool->free_[i].second;
          pool->free_.erase(pool->free_.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
    }
    if (!bytes) bytes.reset(new char[cap = size]);
    char* raw = bytes.release();
    return std::shared_ptr<char[]>(raw, [pool, cap](char* p) {
      std::unique_ptr<char[]> back(p);
      std::lock_guard lock(pool->mutex_);
      if (pool->free_.size() < kKeep) pool->free_.emplace_back(std::move(back), cap);
    });
  }

 private:
  static constexpr size_t kKeep = 8;  // the blocks in flight on two cores; more cores allocate more
  std::mutex mutex_;
  std::vector<std::pair<std::unique_ptr<char[]>, size_t>> free_;
};

// A growable byte buffer that, unlike std::string, does not zero what it is about to overwrite.
// Blocks handed out may hold on to its storage (the decoded text's): the storage is then left to
// them and the pending bytes moved to a fresh one instead of to the front.
struct Buffer {
  std::shared_ptr<StoragePool> pool = StoragePool::shared();
  std::shared_ptr<char[]> data;
  size_t cap = 0;
  size_t len = 0;
  void reserve(size_t n) {
    if (n <= cap) return;
    const size_t ncap = std::max(n, cap + cap / 2);
    auto p = StoragePool::take(pool, ncap);
    if (len) std::memcpy(p.get(), data.get(), len);
    data = std::move(p);
    cap = ncap;
  }
  // Keeps [n, len) with `room` free bytes after it; given `end_offset`, the stream offset of
  // the byte to follow, places it so that its end sits at that offset's page position (see
  // kPage). Returns the new index of what was byte n.
  size_t keep(size_t n, size_t room, std::optional<uint64_t> end_offset = std::nullopt) {
    const size_t tail = len - n;
    const size_t need = kPage + tail + room;
    char* const from = data ? data.get() + n : nullptr;
    std::shared_ptr<char[]> old;  // keeps `from` valid until the bytes have moved
    // Too small, or a block still holds these bytes: leave them to it and move to another.
    if (need > cap || data.use_count() > 1) {
      const size_t ncap = need > cap ? std::max(need, cap + cap / 2) : cap;
      old = std::exchange(data, StoragePool::take(pool, ncap));
      cap = ncap;
    }
    const uintptr_t end = reinterpret_cast<uintptr_t>(data.get()) + tail;
    const size_t lead = end_offset ? static_cast<size_t>(*end_offset - end) & (kPage - 1) : 0;
    if (tail && data.get() + lead != from) std::memmove(data.get() + lead, from, tail);
    len = lead + tail;
    return lead;
  }
};

}  // namespace

struct TextReader::Impl {
  ByteReader& reader;
  std::string head;       // bytes given by the caller, consumed before reader
  size_t head_pos = 0;
  size_t max_line;
  Encoding enc = Encoding::Utf8;
  bool eof = false;
  Buffer raw;             // UTF-16 only: undecoded bytes (a leftover of up to 3, then a chunk)
  size_t raw_pos = 0;     // start of the undecoded bytes in raw
  Buffer text;            // UTF-8: [consumed | pending lines | partial tail]
  size_t pos = 0;         // start of the pending bytes in text
  uint64_t line_no = 1;
  uint64_t bytes = 0;
  uint64_t splits = 0;
  bool in_long_line = false;
  std::string piece;      // a cut piece of an over-long line, with its '\n'
  TextProblems problems;
  // UTF-8 leaves: at the first block with invalid UTF-8, whether the leaf is text in a legacy
  // code page (then `legacy` decodes each line that is not UTF-8) or damaged UTF-8.
  bool utf8_bom = false;
  bool judged = false;
  uint64_t multibyte = 0;  // valid UTF-8 sequences of 2-4 bytes so far
  std::unique_ptr<LegacyDecoder> legacy;

  Impl(ByteReader& r, std::string h, size_t ml) : reader(r), head(std::move(h)), max_line(std::max<size_t>(ml, 4)) {
    // Sniff on at least a few KiB when the stream has them; the bytes stay in head.
    while (head.size() < kSniffBytes) {
      const size_t old = head.size();
      head.resize(kSniffBytes);
      const size_t n = reader.read(head.data() + old, kSniffBytes - old);
      head.resize(old + n);
      if (n == 0) break;
    }
    size_t bom = 0;
    enc = sniff_encoding(head, &bom);
    utf8_bom = enc == Encoding::Utf8 && bom == 3;
    head_pos = bom;
    bytes = bom;
  }

  // The head first, then the reader: one call may take from both, so chunks stay full.
  size_t read_raw(char* dst, size_t n) {
    size_t got = 0;
    if (head_pos < head.size()) {
      got = std::min(n, head.size() - head_pos);
      std::memcpy(dst, head.data() + head_pos, got);
      head_pos += got;
      if (head_pos < head.size()) {
        bytes += got;
        return got;
      }
      std::string().swap(head);  // release the head: memory stays chunk + max_line
      head_pos = 0;
    }
    if (got < n) got += reader.read(dst + got, n - got);
    bytes += got;
    return got;
  }

  void refill() {
    if (enc == Encoding::Utf8) {  // passes through untouched, invalid sequences included
      pos = text.keep(pos, kChunk + 1, bytes);
      const size_t n = read_raw(text.data.get() + text.len, kChunk);
      text.len += n;
      eof = n == 0;
      return;
    }
    raw_pos = raw.keep(raw_pos, kChunk, bytes);
    const size_t n = read_raw(raw.data.get() + raw.len, kChunk);
    raw.len += n;
    pos = text.keep(pos, detail::utf16_max_output(raw.len - raw_pos) + 7);
    size_t written = 0;
    detail::Utf16Damage damage;
    const size_t used = detail::utf16_decode(reinterpret_cast<const unsigned char*>(raw.data.get()) + raw_pos,
                                             raw.len - raw_pos, enc == Encoding::Utf16BE,
                                             text.data.get() + text.len, &written, &damage);
    if (damage.unpaired) note_surrogates(damage.unpaired, text.len + damage.first);
    text.len += written;
    raw_pos += used;
    if (n == 0) {
      // End of stream: a high surrogate without partner (2 bytes) and a dangling odd byte
      // each become U+FFFD rather than vanish.
      const size_t left = raw.len - raw_pos;
      if (left >= 2) note_surrogates(1, text.len);
      if (left % 2) problems.odd_byte = true;
      for (size_t k = left / 2 + left % 2; k > 0; --k) {
        std::memcpy(text.data.get() + text.len, detail::kReplacement, 3);
        text.len += 3;
      }
      raw_pos = raw.len;
      eof = true;
    }
  }

  // The line of text[at], a byte not yet handed out: text[pos] starts line line_no.
  uint64_t line_of(size_t at) const {
    const char* const base = text.data.get();
    return line_no + static_cast<uint64_t>(std::count(base + pos, base + at, '\n'));
  }

  void note_surrogates(size_t count, size_t at) {
    if (problems.unpaired_surrogates == 0) problems.surrogate_line = line_of(at);
    problems.unpaired_surrogates += count;
  }

  // Counts the lines of a block about to be handed out and, in UTF-8 leaves, its invalid
  // sequences and NUL bytes. Blocks end on a line end (or a cut that keeps sequences whole),
  // so none is split.
  void check(TextBlock& block) {
    if (enc != Encoding::Utf8) {
      block.lines = count_newlines(block.data.data(), block.data.data() + block.data.size());
      block.ascii = false;  // not looked at
      return;
    }
    const detail::Utf8Scan scan = detail::scan_utf8(block.data);
    block.lines = scan.newlines;
    block.ascii = scan.ascii;
    auto line_at = [&](size_t off) {
      return block.first_line +
             static_cast<uint64_t>(std::count(block.data.begin(), block.data.begin() + off, '\n'));
    };
    multibyte += scan.multibyte;
    if (scan.invalid && !judged) {
      judged = true;
      // A BOM says UTF-8, NUL bytes say binary, and UTF-8 text with a few bad bytes has more
      // good sequences than bad: damage. Otherwise the bytes may read as a code page.
      if (!utf8_bom) legacy = LegacyDecoder::open(detect_legacy(block.data, multibyte - scan.multibyte));
    }
    if (legacy && !scan.ascii) {
      // A line that is UTF-8 stays as it is. A fresh storage: blocks handed out before may
      // still be held (TextBlock::owner).
      auto decoded = std::make_shared<std::string>();
      decoded->reserve(block.data.size() + block.data.size() / 2);
      legacy->decode_lines(block.data, *decoded);
      block.data = *decoded;
      block.owner = std::move(decoded);
      block.ascii = false;
    } else if (scan.invalid) {
      if (problems.invalid_utf8 == 0) problems.invalid_utf8_line = line_at(scan.first_invalid);
      problems.invalid_utf8 += scan.invalid;
    }
    if (scan.nuls) {
      if (problems.nul_bytes == 0) problems.nul_line = line_at(scan.first_nul);
      problems.nul_bytes += scan.nuls;
    }
  }

  // The end of the whole lines at s, none longer than max_line: s when there are none yet.
  // A line of at most max_line bytes ends within max_line + 1 bytes of its start, so the last
  // '\n' of that window ends only such lines: a search from the end per window, not per line.
  const char* whole_lines_end(const char* s, const char* e, bool* too_long) const {
    const char* p = s;
    *too_long = false;
    while (p < e) {
      const size_t window = std::min(static_cast<size_t>(e - p), max_line + 1);
      const void* nl = memrchr(p, '\n', window);
      if (!nl) {
        *too_long = p == s && window > max_line;
        break;
      }
      p = static_cast<const char*>(nl) + 1;
    }
    return p;
  }

  bool next(TextBlock& block) {
    block.owner.reset();  // the caller is done with the previous block
    for (;;) {
      const char* const base = text.data.get();
      if (pos < text.len) {
        const char* const s = base + pos;
        const char* const e = base + text.len;
        bool too_long = false;
        const char* const p = whole_lines_end(s, e, &too_long);
        if (p != s) {
          block.data = std::string_view(s, static_cast<size_t>(p - s));
          block.owner = text.data;
          block.first_line = line_no;
          check(block);  // counts the lines
          line_no += block.lines;
          pos += static_cast<size_t>(p - s);
          in_long_line = false;
          return true;
        }
        if (too_long) {
          emit_piece(s, block);
          check(block);
          return true;
        }
      }
      if (eof) {
        if (pos == text.len) return false;
        text.reserve(text.len + 1);  // the last line gets its '\n'
        text.data[text.len++] = '\n';
        continue;
      }
      refill();
    }
  }

  // Cuts max_line bytes off an over-long line at `s`. The piece keeps the line's number,
  // so the lines after it are numbered as in the file.
  void emit_piece(const char* s, TextBlock& block) {
    size_t cut = max_line;
    // Do not split a UTF-8 sequence when a lead byte is within reach.
    while (cut > max_line - 3 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    if ((static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) cut = max_line;
    piece.assign(s, cut);
    piece.push_back('\n');
    block.data = piece;
    block.first_line = line_no;
    pos += cut;
    if (!in_long_line) ++splits;
    in_long_line = true;
  }
};

TextReader::TextReader(ByteReader& reader, std::string head, size_t max_line)
    : impl_(std::make_unique<Impl>(reader, std::move(head), max_line)) {}
TextReader::~TextReader() = default;
bool TextReader::next(TextBlock& block) { return impl_->next(block); }
Encoding TextReader::encoding() const { return impl_->enc; }
Legacy TextReader::legacy() const { return impl_->legacy ? impl_->legacy->code_page() : Legacy::none; }
uint64_t TextReader::bytes_read() const { return impl_->bytes; }
uint64_t TextReader::split_lines() const { return impl_->splits; }
const TextProblems& TextReader::problems() const { return impl_->problems; }

}  // namespace marsscan::input
