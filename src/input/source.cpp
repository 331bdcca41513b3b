// walk(): the file system side. A directory is walked recursively in name order; each
// regular file (and '-' or a FIFO named on the command line) goes to visit_stream.
#include "input/source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

#include "input/file_reader.h"
#include "input/walk_state.h"

namespace marsscan::input {
namespace {

using FileId = std::pair<dev_t, ino_t>;

struct DirWalk {
  WalkState& state;
  std::string root_real;      // the given directory, resolved, for the symlink boundary
  std::set<FileId> visited;   // directories entered: a link back to one is a loop
};

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

std::string join(const std::string& dir, const std::string& name) {
  return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

void read_file(WalkState& state, const std::string& path, bool explicit_arg) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    state.error(path, errno_text(errno));
    return;
  }
  FdReader reader(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    state.error(path, errno_text(errno));
    return;
  }
  StreamInfo info;
  info.name = path;
  info.mtime = static_cast<int64_t>(st.st_mtime);
  if (S_ISREG(st.st_mode)) {
    info.size = static_cast<uint64_t>(st.st_size);
    info.path = path.c_str();
  } else if (!explicit_arg) {
    state.error(path, "not a regular file");
    return;
  }
  visit_stream(state, info, reader);
}

void walk_dir(DirWalk& w, const std::string& dir, const struct stat& dst);

// One directory entry, after lstat.
void walk_entry(DirWalk& w, const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    w.state.error(path, errno_text(errno));
    return;
  }
  if (S_ISLNK(st.st_mode)) {
    if (::stat(path.c_str(), &st) != 0) {
      w.state.error(path, "broken symbolic link: " + errno_text(errno));
      return;
    }
    const std::string target = real_path(path);
    const bool inside = !target.empty() && (target == w.root_real ||
                        target.compare(0, w.root_real.size() + 1, w.root_real + "/") == 0);
    if (!inside && !w.state.options.follow_symlinks) {
      w.state.error(path, "symbolic link leads outside " + w.root_real +
                              "; not followed (--follow-symlinks)");
      return;
    }
  }
  if (S_ISDIR(st.st_mode)) {
    walk_dir(w, path, st);
  } else if (S_ISREG(st.st_mode)) {
    read_file(w.state, path, false);
  } else {
    w.state.error(path, "not a regular file");
  }
}

void walk_dir(DirWalk& w, const std::string& dir, const struct stat& dst) {
  if (!w.visited.insert({dst.st_dev, dst.st_ino}).second) {
    w.state.error(dir, "symbolic link loop: directory already visited; not followed");
    return;
  }
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    w.state.error(dir, errno_text(errno));
    return;
  }
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view n = e->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  const int err = errno;
  ::closedir(d);
  if (err != 0) w.state.error(dir, "reading the directory failed: " + errno_text(err));
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) walk_entry(w, join(dir, n));
}

}  // namespace

void walk(const std::string& input, const WalkOptions& options, LeafVisitor& visitor) {
  WalkState state{options, visitor, input};
  if (input == "-") {
    FdReader in(STDIN_FILENO);
    StreamInfo info;
    info.name = "-";
    visit_stream(state, info, in);
    return;
  }
  struct stat st {};
  if (::stat(input.c_str(), &st) != 0) {
    state.error(input, errno_text(errno));
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    DirWalk w{state, real_path(input), {}};
    walk_dir(w, input, st);
  } else {
    // Named explicitly: a FIFO such as <(zcat x.gz) is read like a file.
    read_file(state, input, true);
  }
}

}  // namespace marsscan::input
