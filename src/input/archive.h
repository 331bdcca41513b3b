// Archive recognition by content. Reading them is in archive.cpp (libarchive, never to disk).
#pragma once
#include <string_view>

#include "input/walk_state.h"

namespace marsscan::input {

enum class ArchiveKind { None, Zip, SevenZip, Cab, Tar, Gzip, Bzip2, Xz, Zstd };

// Bytes detect_archive needs to see ("ustar" sits at offset 257).
inline constexpr size_t kArchivePeek = 512;

ArchiveKind detect_archive(std::string_view head);
const char* archive_kind_name(ArchiveKind kind);

// Zip, 7z and cab keep their index away from the data and need a seekable source.
inline bool needs_seeking(ArchiveKind k) {
  return k == ArchiveKind::Zip || k == ArchiveKind::SevenZip || k == ArchiveKind::Cab;
}

// Visits every member of an archive of `kind` read from `reader` (or from info.path when the
// archive is a file on disk). Member problems go to the visitor's on_error; never throws.
void read_archive(WalkState& state, const StreamInfo& info, ArchiveKind kind, ByteReader& reader);

}  // namespace marsscan::input
