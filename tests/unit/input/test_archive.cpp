#include <catch2/catch.hpp>

#include "helpers.h"
#include "input/archive.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

namespace {
// Text that deflate cannot shrink much, so compressed data is long enough to damage.
std::string noisy_text(size_t bytes, unsigned seed) {
  std::string s;
  uint32_t x = seed;
  while (s.size() < bytes) {
    x = x * 1103515245u + 12345u;
    s += "06/07 01:23:25.640 ";
    for (int i = 0; i < 40; ++i) s += static_cast<char>('!' + ((x >> (i % 24)) * 7 + i) % 90);
    s += "\n";
  }
  return s;
}

size_t le16(const std::string& s, size_t at) {
  return static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8;
}
}  // namespace

TEST_CASE("archives are recognised by content") {
  using namespace std::string_view_literals;
  CHECK(detect_archive("PK\x03\x04rest"sv) == ArchiveKind::Zip);
  CHECK(detect_archive("PK\x05\x06"sv) == ArchiveKind::Zip);
  CHECK(detect_archive("7z\xBC\xAF\x27\x1C"sv) == ArchiveKind::SevenZip);
  CHECK(detect_archive("MSCF\0\0\0\0"sv) == ArchiveKind::Cab);
  CHECK(detect_archive("\x1F\x8B\x08"sv) == ArchiveKind::Gzip);
  CHECK(detect_archive("BZh9"sv) == ArchiveKind::Bzip2);
  CHECK(detect_archive("\xFD\x37\x7A\x58\x5A\x00"sv) == ArchiveKind::Xz);
  CHECK(detect_archive(std::string(257, '\0') + "ustar") == ArchiveKind::Tar);
  CHECK(detect_archive("BZh is how it starts\n"sv) == ArchiveKind::None);
  CHECK(detect_archive("06/07 01:23:25.640 text\n"sv) == ArchiveKind::None);
  CHECK(detect_archive(""sv) == ArchiveKind::None);
}

TEST_CASE("archive: zip nested in zip, members named with '!'") {
  TempDir d;
  write_file(d / "w/Temp/x.errlog", "inner line\n");
  write_file(d / "w/readme.txt", "outer\n");
  sh(d / "w", "zip -q -r b.zip Temp && zip -q -r ../a.zip b.zip readme.txt");
  Collector c;
  walk(d / "a.zip", WalkOptions{}, c);
  CHECK(c.error_text().empty());
  const std::string a = d / "a.zip";
  CHECK(c.names() == std::vector<std::string>{a + "!b.zip!Temp/x.errlog", a + "!readme.txt"});
  REQUIRE(c.find(a + "!b.zip!Temp/x.errlog"));
  CHECK(c.find(a + "!b.zip!Temp/x.errlog")->content == "inner line\n");
  CHECK(c.find(a + "!b.zip!Temp/x.errlog")->top == a);
  CHECK(c.find(a + "!b.zip!Temp/x.errlog")->mtime.has_value());
  CHECK(c.find(a + "!readme.txt")->content == "outer\n");
  CHECK(c.find(a + "!readme.txt")->size == 6u);
}

TEST_CASE("archive: tar, tar.gz, 7z and cab") {
  TempDir d;
  write_file(d / "w/Temp/x.errlog", "tarred\n");
  write_file(d / "w/Temp/y.errlog", "second\n");
  sh(d / "w", "touch -d @1600000000 Temp/x.errlog && tar cf ../t.tar Temp && tar czf ../t.tar.gz Temp"
              " && 7z a -bd ../s.7z Temp && gcab -c -z ../c.cab Temp/x.errlog Temp/y.errlog");
  for (const std::string name : {"t.tar", "t.tar.gz", "s.7z"}) {
    Collector c;
    walk(d / name, WalkOptions{}, c);
    INFO(name << "\n" << c.error_text());
    CHECK(c.errors.empty());
    CHECK(c.names() == std::vector<std::string>{d / name + "!Temp/x.errlog", d / name + "!Temp/y.errlog"});
    REQUIRE(c.leaves.size() == 2);
    CHECK(c.leaves[0].content == "tarred\n");
    CHECK(c.leaves[1].content == "second\n");
    CHECK(c.leaves[0].mtime == int64_t(1600000000));
  }
  Collector cab;
  walk(d / "c.cab", WalkOptions{}, cab);
  CHECK(cab.error_text().empty());
  CHECK(cab.names() == std::vector<std::string>{d / "c.cab!Temp/x.errlog", d / "c.cab!Temp/y.errlog"});
  REQUIRE(cab.leaves.size() == 2);
  CHECK(cab.leaves[1].content == "second\n");
}

TEST_CASE("archive: single compressed files are named after the file without its suffix") {
  TempDir d;
  const std::string text = noisy_text(300000, 7);
  write_file(d / "x.errlog", text);
  sh(d.path(), "gzip -k x.errlog && bzip2 -k x.errlog && xz -k x.errlog");
  std::vector<std::string> exts = {".gz", ".bz2", ".xz"};
  if (std::system("command -v zstd >/dev/null 2>&1") == 0) {
    sh(d.path(), "zstd -q -k x.errlog");
    exts.push_back(".zst");
  }
  for (const std::string& ext : exts) {
    Collector c;
    walk(d / ("x.errlog" + ext), WalkOptions{}, c);
    INFO(ext << "\n" << c.error_text());
    CHECK(c.errors.empty());
    REQUIRE(c.leaves.size() == 1);
    CHECK(c.leaves[0].name == d / ("x.errlog" + ext) + "!x.errlog");
    CHECK(c.leaves[0].content == text);
  }
}

TEST_CASE("archive: a zip inside a gzip, and an empty zip") {
  TempDir d;
  write_file(d / "w/Temp/x.errlog", "deep\n");
  sh(d / "w", "zip -q -r ../x.zip Temp && cd .. && gzip -k x.zip");
  Collector c;
  walk(d / "x.zip.gz", WalkOptions{}, c);
  CHECK(c.error_text().empty());
  CHECK(c.names() == std::vector<std::string>{d / "x.zip.gz!x.zip!Temp/x.errlog"});
  REQUIRE(c.leaves.size() == 1);
  CHECK(c.leaves[0].content == "deep\n");

  write_file(d / "empty.zip", std::string("PK\x05\x06", 4) + std::string(18, '\0'));
  Collector e;
  walk(d / "empty.zip", WalkOptions{}, e);
  CHECK(e.leaves.empty());
  CHECK(e.error_text().empty());
}

TEST_CASE("archive: a corrupt member is an error, the good member still comes out") {
  TempDir d;
  write_file(d / "w/bad.errlog", noisy_text(100000, 1));
  write_file(d / "w/good.errlog", "good content\n");
  sh(d / "w", "zip -q ../c.zip bad.errlog good.errlog");
  std::string zip = read_file(d / "c.zip");
  // Damage the deflate data of bad.errlog (the first local header).
  REQUIRE(zip.compare(0, 4, "PK\x03\x04") == 0);
  REQUIRE(zip.compare(30, 10, "bad.errlog") == 0);
  const size_t data = 30 + le16(zip, 26) + le16(zip, 28);
  for (size_t i = data + 100; i < data + 400; ++i) zip[i] = static_cast<char>(0xA5 ^ i);
  write_file(d / "c.zip", zip);

  Collector c;
  walk(d / "c.zip", WalkOptions{}, c);
  const std::string z = d / "c.zip";
  REQUIRE(c.errors.size() >= 1);
  CHECK(c.errors[0].source == z + "!bad.errlog");
  CHECK_FALSE(c.errors[0].message.empty());
  REQUIRE(c.find(z + "!good.errlog"));
  CHECK(c.find(z + "!good.errlog")->content == "good content\n");
}

TEST_CASE("archive: an encrypted member is skipped with an error, others are read") {
  TempDir d;
  write_file(d / "w/Temp/x.errlog", "secret\n");
  write_file(d / "w/plain.errlog", "plain\n");
  sh(d / "w", "zip -q -P secret ../bundle.zip Temp/x.errlog && zip -q ../bundle.zip plain.errlog");
  Collector c;
  walk(d / "bundle.zip", WalkOptions{}, c);
  const std::string z = d / "bundle.zip";
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == z + "!Temp/x.errlog");
  CHECK(c.errors[0].message == "encrypted member skipped (no passphrase)");
  CHECK(c.names() == std::vector<std::string>{z + "!plain.errlog"});
  CHECK(c.leaves[0].content == "plain\n");
}

TEST_CASE("archive: truncated gzip and truncated zip are errors naming the source") {
  TempDir d;
  const std::string text = noisy_text(400000, 3);
  write_file(d / "t.errlog", text);
  write_file(d / "w/a.errlog", text);
  sh(d.path(), "gzip t.errlog && cd w && zip -q ../t.zip a.errlog");
  const std::string gz = read_file(d / "t.errlog.gz");
  write_file(d / "t.errlog.gz", gz.substr(0, gz.size() / 2));
  Collector c;
  walk(d / "t.errlog.gz", WalkOptions{}, c);
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == d / "t.errlog.gz!t.errlog");
  CHECK(c.errors[0].message.find("runcated") != std::string::npos);
  REQUIRE(c.leaves.size() == 1);  // what came before the cut was delivered
  CHECK(c.leaves[0].content.size() < text.size());
  CHECK(text.compare(0, c.leaves[0].content.size(), c.leaves[0].content) == 0);

  const std::string zip = read_file(d / "t.zip");
  write_file(d / "t.zip", zip.substr(0, zip.size() / 2));
  Collector z;
  walk(d / "t.zip", WalkOptions{}, z);
  INFO(z.error_text());
  REQUIRE_FALSE(z.errors.empty());
  CHECK(z.errors[0].source.rfind(d / "t.zip", 0) == 0);
  // libarchive gave up on the archive: the error says the rest is lost.
  CHECK(z.errors.back().source == d / "t.zip");
  CHECK(z.errors.back().message.find("the rest of the archive is lost") != std::string::npos);
}

TEST_CASE("archive: a deflate bomb is stopped by --max-ratio past the floor") {
  TempDir d;
  sh(d.path(), "head -c 33554432 /dev/zero > zeros.errlog && zip -q bomb.zip zeros.errlog"
               " && tar czf bomb.tar.gz zeros.errlog && echo ok > ok.errlog && zip -q bomb.zip ok.errlog");
  WalkOptions o;
  o.ratio_floor = 1u << 20;
  o.max_ratio = 100;
  for (const std::string name : {"bomb.zip", "bomb.tar.gz"}) {
    Collector c;
    walk(d / name, o, c);
    INFO(name << "\n" << c.error_text());
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0].source == d / name + "!zeros.errlog");
    CHECK(c.errors[0].message.find("--max-ratio") != std::string::npos);
    REQUIRE(c.find(d / name + "!zeros.errlog"));
    CHECK(c.find(d / name + "!zeros.errlog")->content.size() < (4u << 20));
  }
  // The zip is seekable: the member after the bomb is still read.
  Collector z;
  walk(d / "bomb.zip", o, z);
  REQUIRE(z.find(d / "bomb.zip!ok.errlog"));
  CHECK(z.find(d / "bomb.zip!ok.errlog")->content == "ok\n");
  // With the default limits the same file is just big.
  Collector all;
  walk(d / "bomb.zip", WalkOptions{}, all);
  CHECK(all.errors.empty());
  CHECK(all.find(d / "bomb.zip!zeros.errlog")->content.size() == 33554432u);
}

TEST_CASE("archive: --max-total-bytes and --max-members end the input with an error") {
  TempDir d;
  write_file(d / "w/1.errlog", noisy_text(60000, 1));
  write_file(d / "w/2.errlog", noisy_text(60000, 2));
  write_file(d / "w/3.errlog", "three\n");
  write_file(d / "w/4.errlog", "four\n");
  sh(d / "w", "zip -q ../m.zip 1.errlog 2.errlog 3.errlog 4.errlog");
  const std::string z = d / "m.zip";
  WalkOptions total;
  total.max_total_bytes = 100000;
  Collector t;
  walk(z, total, t);
  INFO(t.error_text());
  REQUIRE(t.find(z + "!1.errlog"));
  CHECK(t.find(z + "!1.errlog")->content == noisy_text(60000, 1));  // under the limit: whole
  REQUIRE_FALSE(t.errors.empty());
  CHECK(t.errors[0].source == z + "!2.errlog");
  CHECK(t.errors[0].message.find("--max-total-bytes") != std::string::npos);
  CHECK_FALSE(t.find(z + "!3.errlog"));

  WalkOptions members;
  members.max_members = 2;
  Collector m;
  walk(z, members, m);
  CHECK(m.names() == std::vector<std::string>{z + "!1.errlog", z + "!2.errlog"});
  REQUIRE(m.errors.size() == 1);
  CHECK(m.errors[0].source == z + "!3.errlog");
  CHECK(m.errors[0].message.find("--max-members") != std::string::npos);
}

TEST_CASE("archive: nesting deeper than --max-depth is an error naming the member") {
  TempDir d;
  write_file(d / "w/Temp/x.errlog", "bottom\n");
  sh(d / "w", "zip -q -r c.zip Temp && zip -q b.zip c.zip && zip -q ../a.zip b.zip");
  const std::string a = d / "a.zip";
  Collector deep;
  walk(a, WalkOptions{}, deep);
  CHECK(deep.errors.empty());
  CHECK(deep.names() == std::vector<std::string>{a + "!b.zip!c.zip!Temp/x.errlog"});

  WalkOptions o;
  o.max_depth = 2;
  Collector c;
  walk(a, o, c);
  CHECK(c.leaves.empty());
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == a + "!b.zip!c.zip");
  CHECK(c.errors[0].message.find("--max-depth") != std::string::npos);
}

TEST_CASE("archive: a directory mixes archives and files, readers replay the peeked head") {
  TempDir d;
  write_file(d / "case/w/Temp/x.errlog", "zipped\n");
  const std::string text = noisy_text(5000, 9);  // longer than the peek
  write_file(d / "case/plain.errlog", text);
  sh(d / "case/w", "zip -q -r ../bundle.zip Temp && cd .. && rm -r w");
  Collector c;
  walk(d / "case", WalkOptions{}, c);
  CHECK(c.error_text().empty());
  CHECK(c.names() == std::vector<std::string>{d / "case/bundle.zip!Temp/x.errlog", d / "case/plain.errlog"});
  REQUIRE(c.leaves.size() == 2);
  CHECK(c.leaves[0].top == d / "case");
  CHECK(c.leaves[1].content == text);
}
