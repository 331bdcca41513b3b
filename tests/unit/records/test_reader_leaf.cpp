// read_leaf over in-memory leaves: text decoding, record counts, times, sources, limits,
// I/O errors, and the UTF-8 adapter the event parsers read through.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "records/reader.h"
#include "records/reader_utf8.h"
#include "util/time.h"

using namespace marsscan;
using namespace marsscan::records;

namespace {

// Hands out `data` in small, uneven pieces; throws InputError after `fail_after` bytes.
class MemReader : public input::ByteReader {
 public:
  explicit MemReader(std::string data, size_t piece = 7, size_t fail_after = SIZE_MAX)
      : data_(std::move(data)), piece_(piece), fail_after_(fail_after) {}
  size_t read(char* buf, size_t n) override {
    if (pos_ >= fail_after_) throw input::InputError{"", "Input/output error"};
    size_t k = std::min({n, piece_, data_.size() - pos_, fail_after_ - pos_});
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t piece_, fail_after_, pos_ = 0;
};

std::string utf16le(std::string_view ascii, bool bom) {
  std::string out = bom ? "\xFF\xFE" : "";
  for (char c : ascii) out += c, out += '\0';
  return out;
}

struct Seen {
  RecordKind kind;
  std::string source;
  uint64_t line;
  std::string text;
  std::optional<TimeMs> time;
  std::string task;
};

class CollectSink : public RecordSink {
 public:
  std::vector<Seen> records;
  std::vector<input::InputError> errors;
  int blocks = 0;
  void on_text(std::string_view source, const input::TextBlock& block,
               YearResolver& years) override {
    ++blocks;
    std::string_view data = block.data;
    uint64_t n = block.first_line;
    while (!data.empty()) {
      size_t nl = data.find('\n');
      std::string_view line = data.substr(0, nl);
      data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
      Record r = make_line_record(source, n++, line, years);
      records.push_back({r.kind, std::string(r.source), r.line, std::string(r.text), r.time,
                         std::string(r.errlog.task)});
    }
  }
  void on_event(const Record& r) override {
    REQUIRE(r.event != nullptr);
    records.push_back({r.kind, std::string(r.source), r.line, std::string(r.text), r.time,
                       r.event->provider});
  }
  void on_error(const input::InputError& e) override { errors.push_back(e); }
};

const char* kLines[] = {
    "0AB0\t0974\t12/31\t23:59:58.100\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t"
    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tBackup Progress: Prebackup started.",
    "Some unparsed banner line",
    "0AB0\t0974\t01/01\t00:00:02.250\t71\tbackupasync.cpp(1184)\t[000000001A12E3F0]\t"
    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tWARNING\tFailed: Hr: = [0x80780054] x",
};

std::string errlog_text() {
  std::string s;
  for (const char* l : kLines) s += std::string(l) + "\r\n";
  return s;
}

}  // namespace

TEST_CASE("read_leaf: UTF-16LE errlog with BOM, year from mtime across New Year") {
  std::string raw = utf16le(errlog_text(), true);
  MemReader reader(raw);
  input::Leaf leaf;
  leaf.name = "bundle.zip!Temp/CBEngineCurr.errlog";
  leaf.mtime = *parse_iso8601("2020-01-01T08:00:00Z") / 1000;
  leaf.reader = &reader;
  CollectSink sink;
  ReadStats st = read_leaf(leaf, ReadOptions{}, sink);

  CHECK(st.format == Format::Text);
  CHECK(st.bytes == raw.size());
  CHECK(st.records == 3);
  CHECK(sink.errors.empty());
  REQUIRE(sink.records.size() == 3);
  for (const auto& r : sink.records) CHECK(r.source == leaf.name);
  CHECK(sink.records[0].kind == RecordKind::Errlog);
  CHECK(sink.records[0].line == 1);
  CHECK(sink.records[0].text == kLines[0]);
  CHECK(sink.records[0].task == "F3E32129-DC79-4A28-9ACC-3F30CB5810B6");
  REQUIRE(sink.records[0].time);
  CHECK(format_iso8601(*sink.records[0].time) == "2019-12-31T23:59:58.100Z");
  CHECK(sink.records[1].kind == RecordKind::Text);
  CHECK(sink.records[1].text == "Some unparsed banner line");
  CHECK_FALSE(sink.records[1].time);
  CHECK(sink.records[2].kind == RecordKind::Errlog);
  CHECK(sink.records[2].line == 3);
  REQUIRE(sink.records[2].time);
  CHECK(format_iso8601(*sink.records[2].time) == "2020-01-01T00:00:02.250Z");
}

TEST_CASE("read_leaf: --year and --tz apply to text leaves, UTF-16LE without BOM") {
  std::string raw = utf16le(errlog_text(), false);
  MemReader reader(raw, 4096);
  input::Leaf leaf;
  leaf.name = "CBEngineCurr.errlog";
  leaf.reader = &reader;
  ReadOptions opt;
  opt.time.year = 2023;
  opt.time.utc_offset_minutes = 480;
  CollectSink sink;
  ReadStats st = read_leaf(leaf, opt, sink);
  CHECK(st.format == Format::Text);
  CHECK(st.records == 3);
  REQUIRE(sink.records.size() == 3);
  REQUIRE(sink.records[0].time);
  CHECK(format_iso8601(*sink.records[0].time) == "2023-12-31T15:59:58.100Z");
  REQUIRE(sink.records[2].time);
  CHECK(format_iso8601(*sink.records[2].time) == "2023-12-31T16:00:02.250Z");  // 2024-01-01 local
}

TEST_CASE("read_leaf: no year source leaves errlog times unknown") {
  MemReader reader(errlog_text());
  input::Leaf leaf{"x.errlog", "x.errlog", std::nullopt, std::nullopt, &reader};
  CollectSink sink;
  ReadStats st = read_leaf(leaf, ReadOptions{}, sink);
  CHECK(st.records == 3);
  REQUIRE(sink.records.size() == 3);
  CHECK(sink.records[0].kind == RecordKind::Errlog);
  CHECK_FALSE(sink.records[0].time);
}

TEST_CASE("read_leaf: an I/O error mid-leaf is reported with the leaf name, never thrown") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += std::string(kLines[0]) + "\r\n";
  MemReader reader(text, 4096, 100000);  // past the 64 KiB head
  input::Leaf leaf;
  leaf.name = "a.zip!Temp/CBEngineCurr.errlog";
  leaf.reader = &reader;
  CollectSink sink;
  ReadStats st;
  REQUIRE_NOTHROW(st = read_leaf(leaf, ReadOptions{}, sink));
  REQUIRE(sink.errors.size() == 1);
  CHECK(sink.errors[0].source == leaf.name);
  CHECK(sink.errors[0].message.find("Input/output error") != std::string::npos);
  CHECK(st.bytes == 100000);
  CHECK(sink.records.size() == st.records);
  CHECK(st.records > 0);

  // Failing while the head is read.
  MemReader early(text, 10, 50);
  leaf.reader = &early;
  CollectSink sink2;
  REQUIRE_NOTHROW(read_leaf(leaf, ReadOptions{}, sink2));
  REQUIRE(sink2.errors.size() == 1);
  CHECK(sink2.errors[0].source == leaf.name);
  CHECK(sink2.records.empty());
}

TEST_CASE("read_leaf: EVTX beyond --max-evtx-bytes is refused with a clear error") {
  std::string evtx = std::string("ElfFile\0", 8) + std::string(200000, '\x01');
  ReadOptions opt;
  opt.max_evtx_bytes = 4096;

  SECTION("size unknown in advance") {
    MemReader reader(evtx, 1000);
    input::Leaf leaf;
    leaf.name = "logs/CloudBackup.evtx";
    leaf.reader = &reader;
    CollectSink sink;
    ReadStats st = read_leaf(leaf, opt, sink);
    CHECK(st.format == Format::Evtx);
    CHECK(st.records == 0);
    CHECK(sink.records.empty());
    REQUIRE(sink.errors.size() == 1);
    CHECK(sink.errors[0].source == "logs/CloudBackup.evtx");
    CHECK(sink.errors[0].message.find("--max-evtx-bytes") != std::string::npos);
    CHECK(st.bytes <= 64 * 1024 + 1);  // the sniffing head, no more
  }
  SECTION("size known from the archive") {
    MemReader reader(evtx, 1000);
    input::Leaf leaf;
    leaf.name = "b.zip!CloudBackup.evtx";
    leaf.size = evtx.size();
    leaf.reader = &reader;
    CollectSink sink;
    ReadStats st = read_leaf(leaf, opt, sink);
    REQUIRE(sink.errors.size() == 1);
    CHECK(sink.errors[0].message.find("--max-evtx-bytes") != std::string::npos);
    CHECK(sink.errors[0].message.find("200008") != std::string::npos);
    CHECK(st.bytes < evtx.size());
  }
}

TEST_CASE("read_leaf: a missing reader is an error, not a crash") {
  input::Leaf leaf;
  leaf.name = "ghost.errlog";
  CollectSink sink;
  ReadStats st = read_leaf(leaf, ReadOptions{}, sink);
  CHECK(st.records == 0);
  REQUIRE(sink.errors.size() == 1);
  CHECK(sink.errors[0].source == "ghost.errlog");
}

namespace {
// `raw` through a Utf8Reader whose head is its first head_len bytes, the rest read `piece`
// bytes at a time, into a buffer of 5.
std::string through_utf8_reader(const std::string& raw, size_t head_len, size_t piece,
                                input::Encoding* enc = nullptr) {
  MemReader rest(raw.substr(head_len), piece);
  Utf8Reader r(rest, std::string_view(raw).substr(0, head_len));
  std::string got = r.take_head();
  char buf[5];
  for (size_t n; (n = r.read(buf, sizeof buf)) > 0;) got.append(buf, n);
  if (enc) *enc = r.encoding();
  return got;
}
}  // namespace

TEST_CASE("Utf8Reader: UTF-16 in any split comes out as the same UTF-8") {
  // "Ab 中 😀 z": a BMP CJK character and a surrogate pair.
  const std::string utf8 = "Ab \xE4\xB8\xAD \xF0\x9F\x98\x80 z\r\n";
  std::string le = "\xFF\xFE";
  for (unsigned u : {0x41u, 0x62u, 0x20u, 0x4E2Du, 0x20u, 0xD83Du, 0xDE00u, 0x20u, 0x7Au, 0x0Du,
                     0x0Au})
    le += static_cast<char>(u & 0xFF), le += static_cast<char>(u >> 8);
  for (size_t head_len = 0; head_len <= le.size(); ++head_len) {
    for (size_t piece : {1u, 3u, 64u}) {
      input::Encoding enc;
      const std::string got = through_utf8_reader(le, head_len, piece, &enc);
      INFO("head " << head_len << " piece " << piece);
      if (head_len >= 2) CHECK(enc == input::Encoding::Utf16LE);
      if (head_len >= 2) CHECK(got == utf8);
    }
  }
  // A UTF-8 leaf passes through, BOM dropped.
  MemReader rest(" tail");
  Utf8Reader r(rest, "\xEF\xBB\xBFhead");
  CHECK(r.encoding() == input::Encoding::Utf8);
  std::string got = r.take_head();
  char buf[16];
  for (size_t n; (n = r.read(buf, sizeof buf)) > 0;) got.append(buf, n);
  CHECK(got == "head tail");
  // A truncated surrogate pair at the very end becomes U+FFFD, not silence.
  MemReader none("");
  Utf8Reader cut(none, std::string("\xFF\xFE" "A\0\x3D\xD8", 6));
  std::string out = cut.take_head();
  for (size_t n; (n = cut.read(buf, sizeof buf)) > 0;) out.append(buf, n);
  CHECK(out == "A\xEF\xBF\xBD");
}

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("read_leaf: EVTX leaves become Event records numbered in export order") {
  std::string bytes =
      slurp(MARSSCAN_SHARED_DIR "/evtx-samples/CloudBackup%4Operational-synthetic.evtx");
  REQUIRE(bytes.size() == 69632);
  MemReader reader(bytes, 4096);
  input::Leaf leaf;
  leaf.name = "case.zip!CloudBackup%4Operational.evtx";
  leaf.reader = &reader;
  CollectSink sink;
  ReadStats st = read_leaf(leaf, ReadOptions{}, sink);
  CHECK(st.format == Format::Evtx);
  CHECK(st.bytes == bytes.size());
  CHECK(st.records == 9);  // README: 9 records
  CHECK(sink.errors.empty());
  REQUIRE(sink.records.size() == 9);
  for (size_t i = 0; i < sink.records.size(); ++i) {
    CHECK(sink.records[i].kind == RecordKind::Event);
    CHECK(sink.records[i].line == i + 1);
    CHECK(sink.records[i].source == leaf.name);
    CHECK(sink.records[i].task == "CloudBackup");  // provider, see CollectSink::on_event
    CHECK(sink.records[i].time.has_value());
    CHECK_FALSE(sink.records[i].text.empty());
  }
}

TEST_CASE("read_leaf: a UTF-16LE wevtutil XML export reaches the XML parser as UTF-8") {
  const std::string xml =
      "<Events>\r\n"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider "
      "Name='CloudBackup'/><EventID>11</EventID><Level>2</Level><TimeCreated "
      "SystemTime='2024-03-01T10:00:00.1234567Z'/><EventRecordID>7</EventRecordID><Channel>"
      "CloudBackup/Operational</Channel><Computer>srv</Computer></System><EventData><Data "
      "Name='Message'>Backup failed: 0x80780054</Data></EventData></Event>\r\n"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider "
      "Name='CloudBackup'/><EventID>1</EventID><Level>4</Level><TimeCreated "
      "SystemTime='2024-03-01T10:05:00Z'/></System><EventData><Data Name='Message'>Backup "
      "started</Data></EventData></Event>\r\n"
      "</Events>\r\n";
  std::string raw = utf16le(xml, true);
  MemReader reader(raw, 333);
  input::Leaf leaf;
  leaf.name = "export.txt";  // the name says nothing; the content decides
  leaf.reader = &reader;
  CollectSink sink;
  ReadStats st = read_leaf(leaf, ReadOptions{}, sink);
  CHECK(st.format == Format::EventXml);
  CHECK(st.bytes == raw.size());
  CHECK(st.records == 2);
  CHECK(sink.errors.empty());
  REQUIRE(sink.records.size() == 2);
  CHECK(sink.records[0].line == 1);
  CHECK(sink.records[0].task == "CloudBackup");
  CHECK(sink.records[0].text.find("0x80780054") != std::string::npos);
  REQUIRE(sink.records[0].time);
  CHECK(format_iso8601(*sink.records[0].time) == "2024-03-01T10:00:00.123Z");
  CHECK(sink.records[1].line == 2);
  CHECK(sink.records[1].text.find("Backup started") != std::string::npos);
}

TEST_CASE("read_leaf: a zh-CN Event Viewer CSV saved as ANSI (GBK) is read as events") {
  // 级别,日期和时间,来源,事件 ID,任务类别 / 错误 ... 无法连接到 Microsoft Azure 备份。 in GBK.
  const std::string header = "\xBC\xB6\xB1\xF0,\xC8\xD5\xC6\xDA\xBA\xCD\xCA\xB1\xBC\xE4,\xC0\xB4\xD4\xB4,"
                             "\xCA\xC2\xBC\xFE ID,\xC8\xCE\xCE\xF1\xC0\xE0\xB1\xF0\r\n";
  const std::string row = "\xB4\xED\xCE\xF3,2024/5/1 14:30:00,CloudBackup,11,\xCE\xDE,\"\xCE\xDE\xB7\xA8"
                          "\xC1\xAC\xBD\xD3\xB5\xBD Microsoft Azure \xB1\xB8\xB7\xDD\xA1\xA3 (ID: 100050)\"\r\n";
  std::string raw = header;
  for (int i = 0; i < 400; ++i) raw += row;  // past the head and across many reads
  for (size_t piece : {size_t(5), size_t(4096)}) {
    MemReader reader(raw, piece);
    input::Leaf leaf;
    leaf.name = "events.csv";
    leaf.reader = &reader;
    CollectSink sink;
    ReadStats st = read_leaf(leaf, ReadOptions{}, sink);
    INFO("piece " << piece);
    CHECK(st.format == Format::EventCsv);
    CHECK(sink.errors.empty());
    REQUIRE(sink.records.size() == 400);
    CHECK(sink.records[399].task == "CloudBackup");
    CHECK(sink.records[399].text.find("无法连接到 Microsoft Azure 备份。 (ID: 100050)") != std::string::npos);
  }
}

TEST_CASE("Utf8Reader: a head in GB18030 decodes the stream, characters cut by reads kept whole") {
  const std::string gb = "<Data>\xD0\xE8\xD2\xAA\xB4\xFA\xC0\xED</Data>\n";  // 需要代理
  std::string raw;
  for (int i = 0; i < 50; ++i) raw += gb;
  for (size_t head_len : {size_t(0), size_t(40), size_t(301), raw.size()}) {
    for (size_t piece : {size_t(1), size_t(3), size_t(64)}) {
      const std::string got = through_utf8_reader(raw, head_len, piece);
      INFO("head " << head_len << " piece " << piece);
      std::string want;
      for (int i = 0; i < 50; ++i) want += "<Data>需要代理</Data>\n";
      // With no head to tell, the leaf is taken for UTF-8 and passes through.
      if (head_len > 0) CHECK(got == want);
      else CHECK(got == raw);
    }
  }
}

TEST_CASE("read_leaf: a broken EVTX under the limit is reported by the parser, not a crash") {
  std::string junk = std::string("ElfFile\0", 8) + std::string(3000, '\x7f');
  MemReader reader(junk);
  input::Leaf leaf;
  leaf.name = "broken.evtx";
  leaf.reader = &reader;
  CollectSink sink;
  ReadStats st;
  REQUIRE_NOTHROW(st = read_leaf(leaf, ReadOptions{}, sink));
  CHECK(st.format == Format::Evtx);
  CHECK(st.records == 0);
  REQUIRE_FALSE(sink.errors.empty());
  CHECK(sink.errors[0].source == "broken.evtx");
}
