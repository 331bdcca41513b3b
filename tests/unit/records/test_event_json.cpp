#include <catch2/catch.hpp>

#include "records/events.h"
#include "test_event_support.h"

using namespace evtest;
using marsscan::format_iso8601;
using marsscan::records::parse_event_json;

namespace {
std::string iso(const std::optional<marsscan::TimeMs>& t) { return t ? format_iso8601(*t) : "none"; }
}  // namespace

TEST_CASE("event json: ConvertTo-Json array (PS 5.1)", "[events][json]") {
  Result r = run(parse_event_json, fixture("cloudbackup-convertto.json"), 17);
  INFO(r.all_errors());
  CHECK(r.errors.empty());
  REQUIRE(ids(r) == kCloudBackupIds);
  const Event& e = r.events[5];
  CHECK(e.format == "json");
  CHECK(iso(e.time) == "2024-05-02T03:10:00.600Z");  // "\/Date(ms)\/"
  CHECK(e.provider == "CloudBackup");
  CHECK(e.channel == "CloudBackup/Operational");
  CHECK(e.event_id == 11);
  CHECK_FALSE(e.qualifiers);  // "Qualifiers": null
  CHECK(e.level == 2);
  CHECK(e.level_name == "Error");
  CHECK(e.computer == "MARS-TEST-01");
  CHECK(e.record_id == 5005);
  CHECK(e.message.find("completed with errors.\r\nError: ") != std::string::npos);
  CHECK(e.message.find("(ID: 100050)") != std::string::npos);
  CHECK(e.data.empty());  // Properties are type names at the default depth

  Result sxs = run(parse_event_json, fixture("application-convertto.json"));
  CHECK(sxs.errors.empty());
  REQUIRE(sxs.events.size() == 1);
  CHECK(sxs.events[0].qualifiers == 49409u);
  CHECK(sxs.events[0].message.find("for \"F:\\e703768b6b4e0b79707d1228d22c236d\\CBPSetup.exe\".") !=
        std::string::npos);
}

TEST_CASE("event json: single object, Select-Object projection with ISO times", "[events][json]") {
  Result one = run(parse_event_json, fixture("cloudbackup-single.json"));
  CHECK(one.errors.empty());
  REQUIRE(ids(one) == std::vector<uint32_t>{18});
  CHECK(one.events[0].record_id == 5008);

  Result sel = run(parse_event_json, fixture("cloudbackup-select.json"));
  CHECK(sel.errors.empty());
  REQUIRE(ids(sel) == kCloudBackupIds);
  const Event& e = sel.events[0];
  CHECK(iso(e.time) == "2024-05-01T02:30:00.123Z");  // "2024-05-01T02:30:00.1234560Z"
  CHECK(e.provider == "CloudBackup");
  CHECK(e.channel.empty());
  CHECK(e.level == 4);
  CHECK(e.level_name == "Information");
  CHECK(e.record_id == 0);
  CHECK(e.message == "The backup operation has started.");
}

TEST_CASE("event json: evtx_dump -o json with Record lines, and -o jsonl", "[events][json]") {
  for (const char* name : {"cloudbackup-evtxdump.json", "cloudbackup-evtxdump.jsonl",
                           "cloudbackup-evtxdump-sep.jsonl", "cloudbackup-evtxdump-utf16le.json",
                           "cloudbackup-evtxdump-utf8bom.jsonl"}) {
    INFO(name);
    Result r = run(parse_event_json, fixture(name), 29);
    INFO(r.all_errors());
    CHECK(r.errors.empty());
    REQUIRE(ids(r) == kCloudBackupIds);
    const Event& e = r.events[0];
    CHECK(iso(e.time) == "2024-05-01T02:30:00.123Z");
    CHECK(e.provider == "CloudBackup");
    CHECK(e.channel == "CloudBackup/Operational");
    CHECK(e.level == 4);
    CHECK_FALSE(e.qualifiers);
    CHECK(e.computer == "MARS-TEST-01");
    CHECK(e.record_id == 5000);
    CHECK(e.message.empty());
    REQUIRE(e.data.size() == 1);
    CHECK(e.data[0].name == "Message");
    CHECK(e.data[0].value == "The backup operation has started.");
    CHECK(r.events[8].level == 2);
    CHECK(data_value(r.events[8], "Message").find("(ID: 34513)") != std::string::npos);
  }
}

TEST_CASE("event json: evtx_dump classic event, Qualifiers object and unnamed Data", "[events][json]") {
  Result r = run(parse_event_json, fixture("application-evtxdump.json"));
  CHECK(r.errors.empty());
  REQUIRE(r.events.size() == 1);
  const Event& e = r.events[0];
  CHECK(e.event_id == 33);
  CHECK(e.qualifiers == 49409u);
  CHECK(e.provider == "SideBySide");
  REQUIRE(e.data.size() == 3);
  CHECK(e.data[0].name.empty());
  CHECK(e.data[1].value == "F:\\e703768b6b4e0b79707d1228d22c236d\\CBPSetup.exe");

  // numbers as strings, EventData null, one unnamed Data, UserData, attributes kept apart
  std::string text =
      "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Service Control Manager\"}},"
      "\"EventID\":{\"#attributes\":{\"Qualifiers\":\"16384\"},\"#text\":\"7036\"},\"Level\":\"4\","
      "\"EventRecordID\":\"17\",\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2019-06-07T01:23:25.640Z\"}}},"
      "\"EventData\":null}}\n"
      "{\"Event\":{\"System\":{\"EventID\":6009},\"EventData\":{\"Data\":{\"#text\":\"only\"},\"Binary\":\"00\"}}}\n"
      "{\"Event\":{\"System\":{\"EventID\":1},\"UserData\":{\"LogFileCleared\":{\"#attributes\":{\"xmlns\":\"x\"},"
      "\"SubjectUserName\":\"admin\",\"Nested\":{\"Code\":5}}}}}\n";
  Result s = run(parse_event_json, text, 3);
  INFO(s.all_errors());
  CHECK(s.errors.empty());
  REQUIRE(ids(s) == std::vector<uint32_t>{7036, 6009, 1});
  CHECK(s.events[0].qualifiers == 16384u);
  CHECK(s.events[0].level == 4);
  CHECK(s.events[0].record_id == 17);
  CHECK(s.events[0].provider == "Service Control Manager");
  CHECK(iso(s.events[0].time) == "2019-06-07T01:23:25.640Z");
  CHECK(s.events[0].data.empty());
  REQUIRE(s.events[1].data.size() == 1);
  CHECK(s.events[1].data[0].name.empty());
  CHECK(s.events[1].data[0].value == "only");
  REQUIRE(s.events[2].data.size() == 2);
  CHECK(s.events[2].data[0].name == "SubjectUserName");
  CHECK(s.events[2].data[0].value == "admin");
  CHECK(s.events[2].data[1].name == "Code");
  CHECK(s.events[2].data[1].value == "5");
}

TEST_CASE("event json: escapes and zh-CN text survive", "[events][json]") {
  std::string text =
      "[{\"Id\":  18, \"Message\":  \"Miniport NIC \\u0027A\\u0027 \\u5907\\u4efd \u5931\u8d25 (ID:100050)\","
      " \"LevelDisplayName\":  \"\u9519\u8bef\", \"TimeCreated\":  \"2020-07-21T16:34:18.918+02:00\","
      " \"Properties\":  [{\"Value\": \"C:\\\\x\"}, {\"Value\": 5}]}]";
  Result r = run(parse_event_json, text, 2);
  CHECK(r.errors.empty());
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].message == "Miniport NIC 'A' 备份 失败 (ID:100050)");
  CHECK(r.events[0].level_name == "错误");
  CHECK(r.events[0].level == 2);
  CHECK(iso(r.events[0].time) == "2020-07-21T14:34:18.918Z");
  REQUIRE(r.events[0].data.size() == 2);
  CHECK(r.events[0].data[0].value == "C:\\x");
  CHECK(r.events[0].data[1].value == "5");
}

TEST_CASE("event json: a broken element is an error naming its ordinal, the rest goes on", "[events][json]") {
  Result arr = run(parse_event_json, fixture("malformed-element.json"), 64);
  CHECK(ids(arr) == std::vector<uint32_t>{1, 1, 10, 1, 11, 14, 16, 18});
  REQUIRE(arr.errors.size() == 1);
  CHECK(arr.errors[0].rfind("element 2: malformed JSON", 0) == 0);

  Result lines = run(parse_event_json, fixture("malformed-line.jsonl"), 5);
  CHECK(ids(lines) == std::vector<uint32_t>{1, 3, 10, 1, 11, 14, 16, 18});
  REQUIRE(lines.errors.size() == 1);
  CHECK(lines.errors[0].rfind("element 3: cut off", 0) == 0);

  Result tail = run(parse_event_json, "{\"Id\": 1}\n{\"Id\": 2, \"Message\": \"abc");
  CHECK(ids(tail) == std::vector<uint32_t>{1});
  REQUIRE(tail.errors.size() == 1);
  CHECK(tail.errors[0].rfind("element 2: not closed before the end", 0) == 0);

  Result junk = run(parse_event_json, "[{\"Id\": 1}, 42, {\"Foo\": 1}, {\"Id\": \"x\"}, {\"Id\": 4}]");
  CHECK(ids(junk) == std::vector<uint32_t>{1, 4});
  REQUIRE(junk.errors.size() == 3);
  CHECK(junk.errors[0].rfind("element 2: not a JSON object", 0) == 0);
  CHECK(junk.errors[1].rfind("element 3: no event property", 0) == 0);
  CHECK(junk.errors[2] == "element 4: bad Id 'x'");
}
