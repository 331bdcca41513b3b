#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "helpers.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

TEST_CASE("walk: a directory is walked recursively in name order") {
  TempDir d;
  write_file(d / "logs/b.errlog", "bee\n");
  write_file(d / "logs/a.errlog", "ay\n");
  write_file(d / "logs/Z.errlog", "zed\n");
  write_file(d / "logs/sub/c.errlog", "sea\n");
  write_file(d / "logs/empty.log", "");
  Collector c;
  walk(d / "logs", WalkOptions{}, c);
  const std::string base = d / "logs/";
  CHECK(c.names() == std::vector<std::string>{base + "Z.errlog", base + "a.errlog", base + "b.errlog",
                                              base + "empty.log", base + "sub/c.errlog"});
  CHECK(c.errors.empty());
  REQUIRE(c.find(base + "sub/c.errlog"));
  CHECK(c.find(base + "sub/c.errlog")->content == "sea\n");
  CHECK(c.find(base + "sub/c.errlog")->top == d / "logs");
  CHECK(c.find(base + "sub/c.errlog")->size == 4u);
  struct stat st {};
  REQUIRE(::stat((base + "a.errlog").c_str(), &st) == 0);
  CHECK(c.find(base + "a.errlog")->mtime == static_cast<int64_t>(st.st_mtime));
  // An empty file is a leaf of 0 bytes, not an error.
  CHECK(c.find(base + "empty.log")->content.empty());
  CHECK(c.find(base + "empty.log")->size == 0u);
}

TEST_CASE("walk: a single file keeps the path as given, a missing path is an error") {
  TempDir d;
  write_file(d / "x.errlog", "hello\n");
  Collector c;
  walk(d / "x.errlog", WalkOptions{}, c);
  REQUIRE(c.leaves.size() == 1);
  CHECK(c.leaves[0].name == d / "x.errlog");
  CHECK(c.leaves[0].top == d / "x.errlog");
  CHECK(c.leaves[0].content == "hello\n");
  Collector m;
  walk(d / "missing", WalkOptions{}, m);
  CHECK(m.leaves.empty());
  REQUIRE(m.errors.size() == 1);
  CHECK(m.errors[0].source == d / "missing");
  CHECK(m.errors[0].message == "No such file or directory");
}

TEST_CASE("walk: a symlink loop is reported once and the walk goes on") {
  TempDir d;
  write_file(d / "root/a/x.log", "x\n");
  write_file(d / "root/b.log", "b\n");
  REQUIRE(::symlink("..", (d / "root/a/up").c_str()) == 0);
  Collector c;
  walk(d / "root", WalkOptions{}, c);
  CHECK(c.names() == std::vector<std::string>{d / "root/a/x.log", d / "root/b.log"});
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == d / "root/a/up");
  CHECK(c.errors[0].message.find("loop") != std::string::npos);
}

TEST_CASE("walk: symlinks leaving the directory are followed only when asked") {
  TempDir d;
  write_file(d / "outside/secret.log", "out\n");
  write_file(d / "root/in.log", "in\n");
  REQUIRE(::symlink((d / "outside").c_str(), (d / "root/link").c_str()) == 0);
  REQUIRE(::symlink("in.log", (d / "root/same.log").c_str()) == 0);  // stays inside: followed
  Collector c;
  walk(d / "root", WalkOptions{}, c);
  CHECK(c.names() == std::vector<std::string>{d / "root/in.log", d / "root/same.log"});
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == d / "root/link");
  CHECK(c.errors[0].message.find("--follow-symlinks") != std::string::npos);
  WalkOptions follow;
  follow.follow_symlinks = true;
  Collector f;
  walk(d / "root", follow, f);
  CHECK(f.names() == std::vector<std::string>{d / "root/in.log", d / "root/link/secret.log",
                                              d / "root/same.log"});
  CHECK(f.errors.empty());
}

TEST_CASE("walk: a FIFO inside a directory is skipped, one named explicitly is read") {
  TempDir d;
  write_file(d / "dir/a.log", "a\n");
  REQUIRE(::mkfifo((d / "dir/pipe").c_str(), 0600) == 0);
  Collector c;
  walk(d / "dir", WalkOptions{}, c);  // must not block on the FIFO
  CHECK(c.names() == std::vector<std::string>{d / "dir/a.log"});
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == d / "dir/pipe");
  CHECK(c.errors[0].message == "not a regular file");

  // As with <(zcat x.gz): the FIFO itself is the input.
  const std::string fifo = d / "dir/pipe";
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    const std::string data = "from a pipe\nline 2\n";
    if (fd >= 0) {
      (void)!::write(fd, data.data(), data.size());
      ::close(fd);
    }
  });
  Collector p;
  walk(fifo, WalkOptions{}, p);
  writer.join();
  REQUIRE(p.leaves.size() == 1);
  CHECK(p.leaves[0].name == fifo);
  CHECK(p.leaves[0].content == "from a pipe\nline 2\n");
  CHECK_FALSE(p.leaves[0].size.has_value());
  CHECK(p.errors.empty());
}

TEST_CASE("walk: unreadable files and directories are errors with the reason") {
  if (::geteuid() == 0) {
    WARN("running as root: permission checks skipped");
    return;
  }
  TempDir d;
  write_file(d / "r/locked.log", "no\n");
  write_file(d / "r/ok.log", "ok\n");
  write_file(d / "r/shut/inner.log", "no\n");
  ::chmod((d / "r/locked.log").c_str(), 0);
  ::chmod((d / "r/shut").c_str(), 0);
  Collector c;
  walk(d / "r", WalkOptions{}, c);
  CHECK(c.names() == std::vector<std::string>{d / "r/ok.log"});
  REQUIRE(c.errors.size() == 2);
  CHECK(c.errors[0].source == d / "r/locked.log");
  CHECK(c.errors[0].message == "Permission denied");
  CHECK(c.errors[1].source == d / "r/shut");
  CHECK(c.errors[1].message == "Permission denied");
}

namespace {
// Runs walk("-") with `data` on standard input.
Collector walk_stdin(const std::string& data) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe");
  const int saved = ::dup(STDIN_FILENO);
  ::dup2(fds[0], STDIN_FILENO);
  ::close(fds[0]);
  std::thread writer([&] {
    (void)!::write(fds[1], data.data(), data.size());
    ::close(fds[1]);
  });
  Collector c;
  walk("-", WalkOptions{}, c);
  writer.join();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  return c;
}
}  // namespace

TEST_CASE("walk: '-' reads standard input, archives included") {
  Collector c = walk_stdin("plain text\n");
  REQUIRE(c.leaves.size() == 1);
  CHECK(c.leaves[0].name == "-");
  CHECK(c.leaves[0].top == "-");
  CHECK(c.leaves[0].content == "plain text\n");

  TempDir d;
  write_file(d / "Temp/x.errlog", "inside a zip on stdin\n");
  sh(d.path(), "zip -q -r in.zip Temp");
  Collector z = walk_stdin(read_file(d / "in.zip"));
  CHECK(z.error_text().empty());
  REQUIRE(z.leaves.size() == 1);
  CHECK(z.leaves[0].name == "-!Temp/x.errlog");
  CHECK(z.leaves[0].content == "inside a zip on stdin\n");
}
