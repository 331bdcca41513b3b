// A compressed stream whose payload starts with a zero block: libarchive takes it for an
// empty tarball, so it is read again as one compressed file, from disk or from a stream,
// and the bomb limits still apply to it.
#include <catch2/catch.hpp>

#include "helpers.h"
#include "input/archive.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

TEST_CASE("archive: a gzip, bzip2 or xz of zeros is one raw member, not an empty tarball") {
  TempDir d;
  // 600 zero bytes (more than tar's 512-byte end marker), then text that must not vanish.
  const std::string payload = std::string(600, '\0') + "Error (ID: 34513)\n";
  write_file(d / "z.errlog", payload);
  sh(d.path(), "gzip -k z.errlog && bzip2 -k z.errlog && xz -k z.errlog");
  for (const std::string ext : {".gz", ".bz2", ".xz"}) {
    const std::string path = d / ("z.errlog" + ext);
    Collector c;
    walk(path, WalkOptions{}, c);
    INFO(ext << "\n" << c.error_text());
    CHECK(c.errors.empty());
    REQUIRE(c.leaves.size() == 1);
    CHECK(c.leaves[0].name == path + "!z.errlog");
    CHECK(c.leaves[0].content == payload);
  }
}

TEST_CASE("archive: a zero-filled gzip inside a zip (a stream) is replayed as raw") {
  TempDir d;
  sh(d.path(), "head -c 100000 /dev/zero > zeros.log && gzip zeros.log && zip -q z.zip zeros.log.gz");
  Collector c;
  walk(d / "z.zip", WalkOptions{}, c);
  INFO(c.error_text());
  CHECK(c.errors.empty());
  REQUIRE(c.leaves.size() == 1);
  CHECK(c.leaves[0].name == d / "z.zip!zeros.log.gz!zeros.log");
  CHECK(c.leaves[0].content == std::string(100000, '\0'));
}

TEST_CASE("archive: a real tar.gz and an empty tarball keep their meaning") {
  TempDir d;
  write_file(d / "w/a.errlog", "alpha\n");
  sh(d / "w", "tar czf ../t.tar.gz a.errlog && tar czf ../empty.tar.gz --files-from /dev/null");
  Collector c;
  walk(d / "t.tar.gz", WalkOptions{}, c);
  CHECK(c.errors.empty());
  CHECK(c.names() == std::vector<std::string>{d / "t.tar.gz!a.errlog"});
  // An empty tarball is zeros: it now comes out as one all-zero leaf, visible downstream.
  Collector e;
  walk(d / "empty.tar.gz", WalkOptions{}, e);
  CHECK(e.errors.empty());
  REQUIRE(e.leaves.size() == 1);
  CHECK(e.leaves[0].name == d / "empty.tar.gz!empty.tar");
  CHECK(e.leaves[0].content == std::string(e.leaves[0].content.size(), '\0'));
  CHECK(e.leaves[0].content.size() >= 1024);
}

TEST_CASE("archive: a gzip bomb of zeros ends with the ratio or total-bytes limit") {
  TempDir d;
  sh(d.path(), "head -c 67108864 /dev/zero | gzip -9 > bomb.errlog.gz"
               " && zip -q -0 outer.zip bomb.errlog.gz");
  WalkOptions ratio;
  ratio.ratio_floor = 1u << 20;
  ratio.max_ratio = 100;
  WalkOptions total;
  total.max_total_bytes = 4u << 20;
  for (const std::string top : {"bomb.errlog.gz", "outer.zip"}) {
    const std::string member = d / top + (top == "outer.zip" ? "!bomb.errlog.gz" : "") + "!bomb.errlog";
    Collector r;
    walk(d / top, ratio, r);
    INFO(top << "\n" << r.error_text());
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].source == member);
    CHECK(r.errors[0].message.find("--max-ratio") != std::string::npos);
    REQUIRE(r.find(member));
    CHECK(r.find(member)->content.size() < (4u << 20));
    Collector t;
    walk(d / top, total, t);
    REQUIRE(t.errors.size() == 1);
    CHECK(t.errors[0].source == member);
    CHECK(t.errors[0].message.find("--max-total-bytes") != std::string::npos);
    CHECK(t.find(member)->content.size() <= (4u << 20) + (1u << 20));
  }
}
