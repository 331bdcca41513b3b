// Archives read with libarchive, member by member, as streams; nothing is extracted to disk.
// Top-level archive files are opened by path (seekable). Nested zip/7z/cab members and
// standard input are read into memory first (their index needs seeking), bounded by
// kMaxInMemory; streamable formats (tar, gzip, bzip2, xz, zstd) are read straight through.
// The members of a top-level zip can also be opened again, each on its own (Leaf::reopen):
// inflating is most of the cost of reading a zipped bundle, and this lets several threads
// inflate its members at once.
#include "input/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "input/file_reader.h"
#include "input/walk_state.h"

namespace marsscan::input {
namespace {

constexpr uint64_t kMaxInMemory = 2ull << 30;
constexpr size_t kStreamBlock = 64u << 10;

bool starts(std::string_view s, std::string_view prefix, size_t at = 0) {
  return s.size() >= at + prefix.size() && s.substr(at, prefix.size()) == prefix;
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

std::string la_error(archive* a, const char* fallback) {
  const char* s = archive_error_string(a);
  return s && *s ? s : fallback;
}

// The name a single compressed file's content gets: "x.errlog.gz" -> "x.errlog".
std::string raw_member_name(const std::string& archive_name) {
  const size_t bang = archive_name.rfind('!');
  std::string base = archive_name.substr(bang == std::string::npos ? 0 : bang + 1);
  if (const size_t slash = base.find_last_of("/\\"); slash != std::string::npos)
    base = base.substr(slash + 1);
  std::string lower = base;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* ext : {".gz", ".gzip", ".bz2", ".xz", ".zst", ".lzma", ".z"}) {
    const size_t n = std::strlen(ext);
    if (lower.size() > n && lower.compare(lower.size() - n, n, ext) == 0)
      return base.substr(0, base.size() - n);
  }
  return base;
}

// Feeds libarchive from a ByteReader (a member of the enclosing archive or stdin). While
// `keeping`, it also keeps what it hands out (up to kMaxKept), so that a compressed stream
// can be opened a second time from byte 0 with replay().
struct StreamSource {
  static constexpr size_t kMaxKept = 4u << 20;
  explicit StreamSource(ByteReader* r) : reader(r) {}
  ByteReader* reader;
  std::string buf = std::string(kStreamBlock, '\0');
  std::string kept;
  bool keeping = false;
  bool overflow = false;      // kept more than kMaxKept: cannot be replayed
  bool replaying = false;
  size_t replay_pos = 0;

  // Stops keeping. The block handed out last stays valid until the next read, as libarchive
  // requires; `kept` is only released in read().
  void forget() { keeping = false; }
  bool replay() {
    if (overflow) return false;
    keeping = false;
    replaying = true;
    replay_pos = 0;
    return true;
  }
  static la_ssize_t read(archive* a, void* self, const void** out) {
    auto* s = static_cast<StreamSource*>(self);
    try {
      if (s->replaying && s->replay_pos < s->kept.size()) {
        const size_t n = std::min(kStreamBlock, s->kept.size() - s->replay_pos);
        *out = s->kept.data() + s->replay_pos;
        s->replay_pos += n;
        return static_cast<la_ssize_t>(n);
      }
      if (!s->keeping && !s->kept.empty()) std::string().swap(s->kept);  // no longer handed out
      *out = s->buf.data();
      const size_t n = s->reader->read(s->buf.data(), s->buf.size());
      if (s->keeping) {
        if (s->kept.size() + n > kMaxKept) {
          s->keeping = false;
          s->overflow = true;
        } else {
          s->kept.append(s->buf.data(), n);
        }
      }
      return static_cast<la_ssize_t>(n);
    } catch (const InputError& e) {  // no exception may cross libarchive's C frames
      archive_set_error(a, EIO, "%s", e.message.c_str());
      return -1;
    }
  }
};

// --max-ratio, for a member that gave `bytes` out of `packed` compressed bytes so far.
bool ratio_exceeded(uint64_t bytes, int64_t packed, const WalkOptions& o) {
  return bytes > o.ratio_floor && bytes / static_cast<uint64_t>(std::max<int64_t>(packed, 1)) > o.max_ratio;
}

std::string ratio_message(const WalkOptions& o) {
  return fmt::format("compression ratio above {}:1 past {} bytes (--max-ratio); member "
                     "skipped as a likely decompression bomb", o.max_ratio, o.ratio_floor);
}

std::string entry_path(archive_entry* entry) {
  const char* path = archive_entry_pathname_utf8(entry);
  if (!path) path = archive_entry_pathname(entry);
  return path ? path : "";
}

// A zip file on disk opened again for members read on other threads. A handle is left at the
// member it read and only moves forward, so that readers taking the members in archive order
// go over the headers once per handle rather than once per member.
class ZipHandles {
 public:
  explicit ZipHandles(std::string path) : path_(std::move(path)) {}
  struct Handle {
    ArchivePtr a;
    uint64_t next = 0;  // the ordinal of the header archive_read_next_header reads next
  };
  // A handle at the data of the member with header ordinal `ordinal` (as read_members counts)
  // and path `path`. Throws InputError.
  std::unique_ptr<Handle> open(uint64_t ordinal, const std::string& path) {
    std::unique_ptr<Handle> h;
    {
      std::lock_guard lock(mutex_);
      auto best = idle_.end();
      for (auto it = idle_.begin(); it != idle_.end(); ++it)
        if ((*it)->next <= ordinal && (best == idle_.end() || (*it)->next > (*best)->next)) best = it;
      if (best != idle_.end()) {
        h = std::move(*best);
        idle_.erase(best);
      }
    }
    if (!h) {
      h = std::make_unique<Handle>();
      h->a.reset(archive_read_new());
      if (!h->a) throw InputError{"", "out of memory opening the zip again"};
      archive_read_support_format_zip(h->a.get());
      if (archive_read_open_filename(h->a.get(), path_.c_str(), kStreamBlock) != ARCHIVE_OK)
        throw InputError{"", "cannot open the zip again: " + la_error(h->a.get(), "unknown error")};
    }
    archive_entry* entry = nullptr;
    for (;;) {
      const int r = archive_read_next_header(h->a.get(), &entry);
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        throw InputError{"", "member not found when the zip was opened again: " +
                                 la_error(h->a.get(), "no such header")};
      if (h->next++ == ordinal) break;
    }
    if (entry_path(entry) != path)
      throw InputError{"", "the zip changed while it was read: another member at this place"};
    return h;
  }
  // The declared sizes of the regular members after header `ordinal`, summed. The headers are
  // listed once, on the first call (a pass over them, no data read).
  uint64_t size_after(uint64_t ordinal) {
    std::lock_guard lock(mutex_);
    if (!listed_) {
      listed_ = true;
      ArchivePtr a(archive_read_new());
      if (a) {
        archive_read_support_format_zip(a.get());
        archive_entry* entry = nullptr;
        if (archive_read_open_filename(a.get(), path_.c_str(), kStreamBlock) == ARCHIVE_OK)
          for (int r; (r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN;) {
            const bool sized = archive_entry_filetype(entry) == AE_IFREG && archive_entry_size_is_set(entry);
            sizes_.push_back(sized ? static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0))
                                   : 0);
          }
      }
      for (size_t i = sizes_.size(); i-- > 1;) sizes_[i - 1] += sizes_[i];  // suffix sums
      sizes_.push_back(0);
    }
    return ordinal + 1 < sizes_.size() ? sizes_[ordinal + 1] : 0;
  }
  void give_back(std::unique_ptr<Handle> h) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(h));
  }

 private:
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
  bool listed_ = false;
  std::vector<uint64_t> sizes_;  // by header ordinal: that member's and the later ones', then 0
};

// A member of a zip on disk read through a handle of its own (Leaf::reopen). Opens it at the
// first read, on the thread that reads.
class ReopenedMember final : public ByteReader {
 public:
  ReopenedMember(std::shared_ptr<ZipHandles> zip, uint64_t ordinal, std::string path,
                 const WalkOptions& options)
      : zip_(std::move(zip)), ordinal_(ordinal), path_(std::move(path)), options_(options) {}
  ~ReopenedMember() override {
    if (h_ && !failed_) zip_->give_back(std::move(h_));  // moving on skips the rest of the data
  }
  size_t read(char* buf, size_t n) override {
    if (done_) return 0;
    if (!h_) {
      try {
        h_ = zip_->open(ordinal_, path_);
      } catch (const InputError&) {
        done_ = failed_ = true;
        throw;
      }
      start_ = archive_filter_bytes(h_->a.get(), -1);
    }
    const la_ssize_t r = archive_read_data(h_->a.get(), buf, n);
    if (r <= 0) {
      done_ = true;
      if (r == 0) return 0;
      failed_ = true;
      throw InputError{"", la_error(h_->a.get(), "unreadable archive member")};
    }
    bytes_ += static_cast<uint64_t>(r);
    if (ratio_exceeded(bytes_, archive_filter_bytes(h_->a.get(), -1) - start_, options_)) {
      done_ = failed_ = true;
      throw InputError{"", ratio_message(options_)};
    }
    return static_cast<size_t>(r);
  }

 private:
  std::shared_ptr<ZipHandles> zip_;
  uint64_t ordinal_;
  std::string path_;
  WalkOptions options_;
  std::unique_ptr<ZipHandles::Handle> h_;
  int64_t start_ = 0;
  uint64_t bytes_ = 0;
  bool done_ = false, failed_ = false;
};

// One open archive and what its members' readers need to enforce the limits.
struct Session {
  WalkState& state;
  archive* a;
  std::string name;
  bool streaming;        // skipping a member means decompressing it
  bool stop = false;     // the rest of the archive is to be skipped
  StreamSource* source = nullptr;  // set when the archive is read through a StreamSource
  bool empty_tar = false;          // the first header was already the end of a tar
  std::shared_ptr<ZipHandles> zip = nullptr;  // set for a zip file on disk: members reopen
  uint64_t headers = 0;                       // headers read so far (ZipHandles::open's ordinal)
};

// Reads the current member, counting its bytes against --max-total-bytes and --max-ratio.
class MemberReader : public ByteReader {
 public:
  MemberReader(Session& s) : s_(s), start_(archive_filter_bytes(s.a, -1)) {}
  size_t read(char* buf, size_t n) override {
    if (done_) return 0;
    const la_ssize_t r = archive_read_data(s_.a, buf, n);
    if (r == 0) {
      done_ = true;
      return 0;
    }
    if (r < 0) {
      done_ = true;
      failed_ = true;
      std::string message = la_error(s_.a, "unreadable archive member");
      // After a fatal data error libarchive 3.6's cab reader crashes when asked for the next
      // header (found by fuzz_archive); zip seeks to it through its directory and goes on.
      if (r == ARCHIVE_FATAL && archive_format(s_.a) == ARCHIVE_FORMAT_CAB) {
        s_.stop = true;
        message += fmt::format("; the rest of {} is lost", s_.name);
      }
      throw InputError{"", std::move(message)};
    }
    bytes_ += static_cast<uint64_t>(r);
    s_.state.total_bytes += static_cast<uint64_t>(r);
    const WalkOptions& o = s_.state.options;
    if (s_.state.total_bytes > o.max_total_bytes) {
      s_.state.total_exceeded = true;
      fail(fmt::format("decompressed data of '{}' exceeds {} bytes (--max-total-bytes); the rest "
                       "of this input is skipped", s_.state.top, o.max_total_bytes), false);
    }
    if (ratio_exceeded(bytes_, archive_filter_bytes(s_.a, -1) - start_, o)) fail(ratio_message(o));
    return static_cast<size_t>(r);
  }
  // Reads what the consumer left, so the limits also bound a streaming archive's skip.
  void drain() {
    char sink[kStreamBlock];
    while (read(sink, sizeof sink) > 0) {}
  }
  bool failed() const { return failed_; }
  uint64_t bytes() const { return bytes_; }

 private:
  [[noreturn]] void fail(std::string message, bool say_rest = true) {
    done_ = true;
    failed_ = true;
    if (s_.streaming) {  // skipping the rest of it would decompress it all the same
      s_.stop = true;
      if (say_rest) message += fmt::format("; the rest of {} is skipped", s_.name);
    }
    throw InputError{"", std::move(message)};
  }
  Session& s_;
  int64_t start_;
  uint64_t bytes_ = 0;
  bool done_ = false;
  bool failed_ = false;
};

bool is_compressed_stream(ArchiveKind kind) {
  return kind == ArchiveKind::Gzip || kind == ArchiveKind::Bzip2 || kind == ArchiveKind::Xz ||
         kind == ArchiveKind::Zstd;
}

// `raw_only`: a compressed stream read as one compressed file, never as a tarball.
void configure(archive* a, ArchiveKind kind, bool raw_only = false) {
  switch (kind) {
    case ArchiveKind::Zip: archive_read_support_format_zip(a); break;
    case ArchiveKind::SevenZip: archive_read_support_format_7zip(a); break;
    case ArchiveKind::Cab: archive_read_support_format_cab(a); break;
    case ArchiveKind::Tar: archive_read_support_format_tar(a); break;
    default:  // a compressed stream: a tarball, or one compressed file (raw)
      archive_read_support_filter_all(a);
      if (!raw_only) archive_read_support_format_tar(a);
      archive_read_support_format_raw(a);
      break;
  }
}

void read_members(Session& s, const StreamInfo& info) {
  WalkState& st = s.state;
  archive_entry* entry = nullptr;
  for (bool first = true;; first = false) {
    const int r = archive_read_next_header(s.a, &entry);
    // libarchive takes any stream that starts with a zero block for an empty tarball (tar's
    // end marker), so a gzip of zeros would read as nothing at all; the caller rereads it raw.
    if (r == ARCHIVE_EOF && first &&
        (archive_format(s.a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR)
      s.empty_tar = true;
    if (s.source) s.source->forget();  // the format is settled: no second opening needed
    if (r == ARCHIVE_EOF) return;
    if (r == ARCHIVE_FATAL) {
      st.error(s.name, la_error(s.a, "unreadable archive") + "; the rest of the archive is lost");
      return;
    }
    if (r == ARCHIVE_RETRY) {
      st.error(s.name, la_error(s.a, "unreadable archive header") + "; member skipped");
      s.zip.reset();  // ordinals may not match a second opening's from here on
      continue;
    }
    const uint64_t ordinal = s.headers++;
    const bool raw = archive_format(s.a) == ARCHIVE_FORMAT_RAW;
    const std::string member = raw ? raw_member_name(s.name) : entry_path(entry);
    const std::string full = s.name + "!" + member;
    const auto type = archive_entry_filetype(entry);
    // Directories, links, devices and tar hard links (which repeat an earlier member) carry
    // no text of their own.
    if (!raw && (type != AE_IFREG || archive_entry_hardlink(entry))) continue;
    if (st.total_exceeded) return;  // said once, naming the member that crossed it
    if (++st.members > st.options.max_members) {
      if (!st.members_exceeded)
        st.error(full, fmt::format("more than {} archive members in '{}' (--max-members); the "
                                   "rest of this input is skipped", st.options.max_members, st.top));
      st.members_exceeded = true;
      return;
    }
    if (archive_entry_is_encrypted(entry)) {
      st.error(full, "encrypted member skipped (no passphrase)");
      continue;
    }
    StreamInfo sub;
    sub.name = full;
    sub.depth = info.depth + 1;
    if (raw) sub.mtime = info.mtime;
    else if (archive_entry_mtime_is_set(entry)) sub.mtime = archive_entry_mtime(entry);
    if (!raw && archive_entry_size_is_set(entry)) sub.size = static_cast<uint64_t>(archive_entry_size(entry));
    MemberReader reader(s);
    if (s.zip && sub.size) {
      sub.reopen = [&s, &st, &reader, &member, ordinal,
                    size = *sub.size]() -> std::unique_ptr<ByteReader> {
        // The walk reads no more of it than the peek: its declared size stands for it.
        if (st.total_bytes - reader.bytes() + size > st.options.max_total_bytes) return nullptr;
        st.total_bytes += size - std::min(size, reader.bytes());
        return std::make_unique<ReopenedMember>(s.zip, ordinal, member, st.options);
      };
      sub.rest_size = [zip = s.zip, ordinal] { return zip->size_after(ordinal); };
    }
    visit_stream(st, sub, reader);
    if (s.stop) return;
    if (s.streaming && !reader.failed()) {
      try {
        reader.drain();
      } catch (const InputError& e) {
        st.error(full, e.message);
        if (s.stop) return;
      }
    }
  }
}

}  // namespace

ArchiveKind detect_archive(std::string_view h) {
  using namespace std::string_view_literals;
  if (starts(h, "PK\x03\x04"sv) || starts(h, "PK\x05\x06"sv) || starts(h, "PK\x07\x08"sv))
    return ArchiveKind::Zip;  // a zip, an empty zip, a spanned zip
  if (starts(h, "7z\xBC\xAF\x27\x1C"sv)) return ArchiveKind::SevenZip;
  if (starts(h, "MSCF\0\0\0\0"sv)) return ArchiveKind::Cab;
  if (starts(h, "\x1F\x8B"sv)) return ArchiveKind::Gzip;
  if (starts(h, "BZh"sv) && h.size() > 3 && h[3] >= '1' && h[3] <= '9') return ArchiveKind::Bzip2;
  if (starts(h, "\xFD\x37\x7A\x58\x5A\x00"sv)) return ArchiveKind::Xz;
  if (starts(h, "\x28\xB5\x2F\xFD"sv)) return ArchiveKind::Zstd;
  if (starts(h, "ustar"sv, 257)) return ArchiveKind::Tar;
  return ArchiveKind::None;
}

const char* archive_kind_name(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::None: return "none";
    case ArchiveKind::Zip: return "zip";
    case ArchiveKind::SevenZip: return "7z";
    case ArchiveKind::Cab: return "cab";
    case ArchiveKind::Tar: return "tar";
    case ArchiveKind::Gzip: return "gzip";
    case ArchiveKind::Bzip2: return "bzip2";
    case ArchiveKind::Xz: return "xz";
    case ArchiveKind::Zstd: return "zstd";
  }
  return "unknown";
}

namespace {

// A compressed stream whose payload libarchive took for an empty tarball (it starts with a
// zero block: a gzip of zeros, an empty tarball, a zero-filled log): opened again as one
// compressed file, so its content is read (and the bomb limits apply) rather than vanish.
void reread_raw(WalkState& state, const StreamInfo& info, ArchiveKind kind, StreamSource& source) {
  ArchivePtr a(archive_read_new());
  if (!a) {
    state.error(info.name, "out of memory opening the archive");
    return;
  }
  configure(a.get(), kind, true);
  int r;
  if (info.path) {
    r = archive_read_open_filename(a.get(), info.path, kStreamBlock);
  } else if (source.replay()) {
    r = archive_read_open(a.get(), &source, nullptr, &StreamSource::read, nullptr);
  } else {
    state.error(info.name, fmt::format("{} data starts like an empty tar archive but is longer; "
                                       "it cannot be read again from a stream; skipped",
                                       archive_kind_name(kind)));
    return;
  }
  if (r != ARCHIVE_OK) {
    state.error(info.name, fmt::format("cannot open {} archive: {}", archive_kind_name(kind),
                                       la_error(a.get(), "unknown error")));
    return;
  }
  Session session{state, a.get(), info.name, true};
  read_members(session, info);
}

}  // namespace

void read_archive(WalkState& state, const StreamInfo& info, ArchiveKind kind, ByteReader& reader) {
  ArchivePtr a(archive_read_new());
  if (!a) {
    state.error(info.name, "out of memory opening the archive");
    return;
  }
  configure(a.get(), kind);
  std::string memory;  // the whole archive, when it must be seekable and is not a file
  StreamSource source{&reader};
  const bool compressed = is_compressed_stream(kind);
  source.keeping = compressed && !info.path;
  int r;
  if (info.path) {
    r = archive_read_open_filename(a.get(), info.path, kStreamBlock);
  } else if (needs_seeking(kind)) {
    try {
      char buf[kStreamBlock];
      for (size_t n; (n = reader.read(buf, sizeof buf)) > 0;) {
        if (memory.size() + n > kMaxInMemory) {
          state.error(info.name, fmt::format("{} archive larger than {} bytes cannot be opened "
                                             "from memory; skipped", archive_kind_name(kind),
                                             kMaxInMemory));
          return;
        }
        memory.append(buf, n);
      }
    } catch (const InputError& e) {
      state.error(info.name, e.message);
      return;
    }
    r = archive_read_open_memory(a.get(), memory.data(), memory.size());
  } else {
    r = archive_read_open(a.get(), &source, nullptr, &StreamSource::read, nullptr);
  }
  if (r != ARCHIVE_OK) {
    state.error(info.name, fmt::format("cannot open {} archive: {}", archive_kind_name(kind),
                                       la_error(a.get(), "unknown error")));
    return;
  }
  Session session{state, a.get(), info.name, !needs_seeking(kind)};
  if (source.keeping || source.overflow) session.source = &source;
  if (info.path && kind == ArchiveKind::Zip) session.zip = std::make_shared<ZipHandles>(info.path);
  read_members(session, info);
  if (session.empty_tar && compressed && archive_filter_bytes(a.get(), 0) > 0) {
    a.reset();  // closes the file, or leaves the source where the first opening stopped
    reread_raw(state, info, kind, source);
  }
}

}  // namespace marsscan::input
