// Leaf::reopen: the members of a zip on disk read again, each on its own, on any thread and
// after the walk (what lets grep -j inflate several members at once).
#include <catch2/catch.hpp>

#include <memory>
#include <thread>

#include "helpers.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

namespace {

std::string read_all(ByteReader& r) {
  std::string s;
  char buf[4096];
  for (size_t n; (n = r.read(buf, sizeof buf)) > 0;) s.append(buf, n);
  return s;
}

// Takes every leaf's second reader when it has one, and reads the others at once.
class Reopener : public LeafVisitor {
 public:
  struct Seen {
    std::string name;
    std::unique_ptr<ByteReader> own;  // null: read through the walk into `content`
    std::string content;
    std::optional<uint64_t> rest;
    bool offered = false;
  };
  std::vector<Seen> leaves;
  std::vector<InputError> errors;
  void on_leaf(Leaf& leaf) override {
    Seen& s = leaves.emplace_back(
        Seen{leaf.name, nullptr, "", {}, static_cast<bool>(leaf.reopen)});
    if (leaf.rest_size) s.rest = leaf.rest_size();
    if (leaf.reopen) s.own = leaf.reopen();
    if (!s.own) s.content = read_all(*leaf.reader);  // a read error goes to walk(), after this
  }
  void on_error(const InputError& e) override { errors.push_back(e); }
};

// Text that deflate cannot shrink much.
std::string noisy(size_t bytes, unsigned seed) {
  std::string s;
  uint32_t x = seed;
  while (s.size() < bytes) {
    x = x * 1103515245u + 12345u;
    s += std::to_string(x) + " line of member " + std::to_string(seed) + "\n";
  }
  return s.substr(0, bytes);
}

}  // namespace

TEST_CASE("reopen: a zip's members read again on their own threads, after the walk") {
  TempDir d;
  const std::vector<std::pair<std::string, size_t>> members = {
      {"Temp/a.errlog", 300000}, {"Temp/b.errlog", 5}, {"Temp/c.errlog", 0}, {"notes.txt", 120000}};
  for (size_t i = 0; i < members.size(); ++i)
    write_file(d / ("w/" + members[i].first), noisy(members[i].second, static_cast<unsigned>(i)));
  write_file(d / "w/inner/x.errlog", "inside the inner zip\n");
  sh(d / "w", "cd inner && zip -q ../inner.zip x.errlog");
  // A directory entry and a nested zip between the members.
  sh(d / "w", "zip -q ../m.zip Temp/a.errlog Temp/b.errlog Temp/ inner.zip Temp/c.errlog notes.txt");
  const std::string z = d / "m.zip";

  Reopener r;
  walk(z, WalkOptions{}, r);
  CHECK(r.errors.empty());
  REQUIRE(r.leaves.size() == 5);
  // Read in reverse order, all at once.
  std::vector<std::string> got(r.leaves.size());
  std::vector<std::thread> threads;
  for (size_t i = r.leaves.size(); i-- > 0;)
    if (r.leaves[i].own)
      threads.emplace_back([&, i] { got[i] = read_all(*r.leaves[i].own); });
  for (auto& t : threads) t.join();

  auto expect = [&](size_t leaf, const std::string& name, size_t member, uint64_t rest) {
    INFO(name);
    CHECK(r.leaves[leaf].name == z + "!" + name);
    REQUIRE(r.leaves[leaf].own);
    CHECK(got[leaf] == noisy(members[member].second, static_cast<unsigned>(member)));
    CHECK(r.leaves[leaf].rest == rest);
  };
  expect(0, "Temp/a.errlog", 0, 5 + 0 + 120000 + read_file(d / "w/inner.zip").size());
  expect(1, "Temp/b.errlog", 1, 0 + 120000 + read_file(d / "w/inner.zip").size());
  // The nested zip's member is read from memory: it has no second reader.
  CHECK(r.leaves[2].name == z + "!inner.zip!x.errlog");
  CHECK_FALSE(r.leaves[2].offered);
  CHECK(r.leaves[2].content == "inside the inner zip\n");
  expect(3, "Temp/c.errlog", 2, 120000);
  expect(4, "notes.txt", 3, 0);
}

TEST_CASE("reopen: only a zip file on disk offers it") {
  TempDir d;
  write_file(d / "w/a.errlog", "plain\n");
  sh(d / "w", "tar cf ../t.tar a.errlog && gzip -k a.errlog && mv a.errlog.gz .. && cp a.errlog ..");
  for (const std::string name : {"t.tar", "a.errlog.gz", "a.errlog"}) {
    Reopener r;
    walk(d / name, WalkOptions{}, r);
    INFO(name);
    REQUIRE(r.leaves.size() == 1);
    CHECK_FALSE(r.leaves[0].offered);
    CHECK(r.leaves[0].content == "plain\n");
  }
}

TEST_CASE("reopen: the limits hold for members read on their own") {
  TempDir d;
  sh(d.path(), "head -c 8388608 /dev/zero > zeros.errlog && echo ok > ok.errlog"
               " && zip -q bomb.zip zeros.errlog ok.errlog");
  WalkOptions ratio;
  ratio.ratio_floor = 1u << 20;
  ratio.max_ratio = 100;
  Reopener b;
  walk(d / "bomb.zip", ratio, b);
  REQUIRE(b.leaves.size() == 2);
  REQUIRE(b.leaves[0].own);
  try {
    read_all(*b.leaves[0].own);
    FAIL("the bomb was read whole");
  } catch (const InputError& e) {
    CHECK(e.message.find("--max-ratio") != std::string::npos);
  }
  REQUIRE(b.leaves[1].own);
  CHECK(read_all(*b.leaves[1].own) == "ok\n");

  // --max-total-bytes: a reopened member counts at its declared size; the member that would
  // cross the limit is read through the walk, which stops it where it crosses.
  write_file(d / "w/1.errlog", noisy(60000, 1));
  write_file(d / "w/2.errlog", noisy(60000, 2));
  write_file(d / "w/3.errlog", "three\n");
  sh(d / "w", "zip -q ../m.zip 1.errlog 2.errlog 3.errlog");
  WalkOptions total;
  total.max_total_bytes = 100000;
  Reopener t;
  walk(d / "m.zip", total, t);
  REQUIRE(t.leaves.size() == 2);
  REQUIRE(t.leaves[0].own);
  CHECK(read_all(*t.leaves[0].own) == noisy(60000, 1));
  CHECK(t.leaves[1].offered);
  CHECK_FALSE(t.leaves[1].own);
  CHECK(t.leaves[1].content.size() < 60000u);
  REQUIRE(t.errors.size() == 1);
  CHECK(t.errors[0].source == d / "m.zip!2.errlog");
  CHECK(t.errors[0].message.find("--max-total-bytes") != std::string::npos);
}

TEST_CASE("reopen: a damaged member is an error of its own reader") {
  TempDir d;
  write_file(d / "w/bad.errlog", noisy(4u << 20, 3));
  write_file(d / "w/good.errlog", "good\n");
  sh(d / "w", "zip -q ../c.zip bad.errlog good.errlog");
  std::string zip = read_file(d / "c.zip");
  auto le16 = [&](size_t at) {
    return static_cast<size_t>(static_cast<unsigned char>(zip[at]) |
                               static_cast<unsigned char>(zip[at + 1]) << 8);
  };
  REQUIRE(zip.compare(30, 10, "bad.errlog") == 0);
  // Far past what the walk inflates for its peek (libarchive fills a 256 KiB buffer): the
  // damage is met by the second reader.
  const size_t data = 30 + le16(26) + le16(28), packed = le16(18) | le16(20) << 16;
  REQUIRE(packed > 3000);
  for (size_t i = data + packed * 3 / 4; i < data + packed * 3 / 4 + 300; ++i)
    zip[i] = static_cast<char>(0xA5 ^ i);
  write_file(d / "c.zip", zip);
  Reopener r;
  walk(d / "c.zip", WalkOptions{}, r);
  CHECK(r.errors.empty());
  REQUIRE(r.leaves.size() == 2);
  REQUIRE(r.leaves[0].own);
  CHECK_THROWS_AS(read_all(*r.leaves[0].own), InputError);
  REQUIRE(r.leaves[1].own);
  CHECK(read_all(*r.leaves[1].own) == "good\n");
}
