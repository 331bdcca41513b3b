#include <fmt/format.h>

#include "input/archive.h"
#include "input/file_reader.h"
#include "input/walk_state.h"

namespace marsscan::input {

void visit_stream(WalkState& state, const StreamInfo& info, ByteReader& reader) {
  ReplayReader replay(reader);
  ArchiveKind kind;
  try {
    kind = detect_archive(replay.peek(kArchivePeek));
  } catch (const InputError& e) {
    state.error(info.name, e.message);
    return;
  }
  if (kind != ArchiveKind::None) {
    if (info.depth >= state.options.max_depth) {
      state.error(info.name, fmt::format("{} archive nested deeper than {} levels skipped "
                                         "(--max-depth)", archive_kind_name(kind),
                                         state.options.max_depth));
      return;
    }
    read_archive(state, info, kind, replay);
    return;
  }
  Leaf leaf{info.name, state.top, info.mtime, info.size, &replay, info.reopen, info.rest_size};
  try {
    state.visitor.on_leaf(leaf);
  } catch (const InputError& e) {  // a read error the visitor did not handle itself
    state.error(e.source.empty() ? info.name : e.source, e.message);
  }
}

}  // namespace marsscan::input
