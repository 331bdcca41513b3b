#include <catch2/catch.hpp>

#include "records/event_time.h"
#include "records/events.h"
#include "test_event_support.h"

using namespace evtest;
using marsscan::format_iso8601;
using marsscan::records::parse_event_csv;

namespace {
std::string iso(const std::optional<marsscan::TimeMs>& t) { return t ? format_iso8601(*t) : "none"; }
}  // namespace

TEST_CASE("event csv: Event Viewer export with the unnamed description field", "[events][csv]") {
  Result r = run(parse_event_csv, fixture("cloudbackup-eventviewer.csv"), 11);
  INFO(r.all_errors());
  CHECK(r.errors.empty());
  REQUIRE(ids(r) == kCloudBackupIds);
  const Event& e = r.events[0];
  CHECK(e.format == "csv");
  CHECK(iso(e.time) == "2024-05-01T02:30:00.000Z");  // locale time, no zone: taken as UTC
  CHECK(e.provider == "CloudBackup");
  CHECK(e.channel.empty());  // Event Viewer CSV does not name the log
  CHECK(e.event_id == 1);
  CHECK_FALSE(e.qualifiers);
  CHECK(e.level == 4);
  CHECK(e.level_name == "Information");
  CHECK(e.record_id == 0);
  CHECK(e.message == "The backup operation has started.");
  CHECK(e.data.empty());
  CHECK(iso(r.events[2].time) == "2024-05-01T14:30:00.000Z");  // 2:30:00 PM
  const Event& e11 = r.events[5];
  CHECK(e11.level == 2);
  CHECK(e11.level_name == "Error");
  // a quoted multi-line description, CRLF inside the quotes
  CHECK(e11.message.find("The backup operation has completed with errors.\nError: The Microsoft Azure Recovery") == 0);
  CHECK(e11.message.find("(ID: 100050)") != std::string::npos);
}

TEST_CASE("event csv: PowerShell Export-Csv with #TYPE line, columns by name", "[events][csv]") {
  Result r = run(parse_event_csv, fixture("cloudbackup-export.csv"));
  INFO(r.all_errors());
  CHECK(r.errors.empty());
  REQUIRE(ids(r) == kCloudBackupIds);
  const Event& e = r.events[8];
  CHECK(e.provider == "CloudBackup");
  CHECK(e.channel == "CloudBackup/Operational");
  CHECK(e.event_id == 18);
  CHECK(e.level == 2);
  CHECK(e.level_name == "Error");
  CHECK(e.computer == "MARS-TEST-01");
  CHECK(e.record_id == 5008);
  CHECK(iso(e.time) == "2024-05-02T14:30:00.000Z");
  CHECK(e.message.find("(ID: 34513)") != std::string::npos);

  Result sxs = run(parse_event_csv, fixture("application-export.csv"));
  CHECK(sxs.errors.empty());
  REQUIRE(sxs.events.size() == 1);
  CHECK(sxs.events[0].qualifiers == 49409u);
  CHECK(sxs.events[0].channel == "Application");
  // "" escapes inside a quoted field
  CHECK(sxs.events[0].message.find("for \"F:\\e703768b6b4e0b79707d1228d22c236d\\CBPSetup.exe\".") !=
        std::string::npos);
}

TEST_CASE("event csv: renamed PowerShell columns, 24-hour times, encodings agree", "[events][csv]") {
  Result r = run(parse_event_csv, fixture("cloudbackup-renamed.csv"));
  CHECK(r.errors.empty());
  REQUIRE(ids(r) == kCloudBackupIds);
  CHECK(iso(r.events[3].time) == "2024-05-01T20:30:00.000Z");
  CHECK(r.events[3].level == 3);
  CHECK(r.events[3].message == "The backup operation has completed with warnings.");
  for (const char* name : {"cloudbackup-eventviewer-utf8bom.csv", "cloudbackup-eventviewer-utf16le.csv",
                           "cloudbackup-export-utf16le.csv"}) {
    INFO(name);
    Result v = run(parse_event_csv, fixture(name));
    CHECK(v.errors.empty());
    REQUIRE(ids(v) == kCloudBackupIds);
    CHECK(v.events[5].message.find("(ID: 100050)") != std::string::npos);
    CHECK(iso(v.events[2].time) == "2024-05-01T14:30:00.000Z");
  }
}

TEST_CASE("event csv: zh-CN and de-DE Event Viewer exports", "[events][csv]") {
  Result zh = run(parse_event_csv, fixture("cloudbackup-zh-CN-eventviewer.csv"), 5);
  INFO(zh.all_errors());
  CHECK(zh.errors.empty());
  REQUIRE(ids(zh) == kCloudBackupIds);
  CHECK(zh.events[5].level == 2);
  CHECK(zh.events[5].level_name == "错误");
  CHECK(zh.events[3].level == 3);
  CHECK(iso(zh.events[2].time) == "2024-05-01T14:30:00.000Z");
  CHECK(zh.events[5].message.find("无法连接到 Microsoft Azure 备份") != std::string::npos);
  CHECK(zh.events[0].provider == "CloudBackup");

  Result de = run(parse_event_csv, fixture("cloudbackup-de-DE-eventviewer.csv"));
  CHECK(de.errors.empty());
  REQUIRE(ids(de) == kCloudBackupIds);
  CHECK(de.events[8].level == 2);
  CHECK(iso(de.events[8].time) == "2024-05-02T14:30:00.000Z");
}

TEST_CASE("event csv: an unbalanced quote costs one row, later rows are read", "[events][csv]") {
  Result r = run(parse_event_csv, fixture("malformed-quote.csv"), 9);
  CHECK(ids(r) == std::vector<uint32_t>{1, 3, 1, 1, 11, 14, 16, 18});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("row 4 (line 5):", 0) == 0);
  CHECK(r.errors[0].find("quote") != std::string::npos);
  CHECK(r.events[4].message.find("(ID: 100050)") != std::string::npos);
}

TEST_CASE("event csv: a quote never closed to the end, bad ids, short rows", "[events][csv]") {
  std::string text =
      "Level,Date and Time,Source,Event ID,Task Category\r\n"
      "Error,5/2/2024 3:10:00 AM,CloudBackup,11,None,\"ok\"\r\n"
      "Error,yesterday,CloudBackup,eleven,None,\"bad id\"\r\n"
      "Error,not a date,CloudBackup,18,None,\"bad time\"\r\n"
      "Error\r\n"
      "\r\n"
      "Error,5/2/2024 3:10:00 AM,CloudBackup,11,None,\"never closed\r\nmore\r\n";
  Result r = run(parse_event_csv, text, 4);
  REQUIRE(ids(r) == std::vector<uint32_t>{11, 18});
  CHECK_FALSE(r.events[1].time);
  // the broken last row is skipped to its line end; its continuation "more" is not an event
  REQUIRE(r.errors.size() == 5);
  CHECK(r.errors[0] == "row 2 (line 3): event id 'eleven' is not a number; skipped");
  CHECK(r.errors[1] == "row 3 (line 4): unreadable Date and Time 'not a date'");
  CHECK(r.errors[2] == "row 4 (line 5): 1 fields, no event id; skipped");
  CHECK(r.errors[3].rfind("row 5 (line 7): quoted field never closed", 0) == 0);
  CHECK(r.errors[4].rfind("row 6 (line 8): 1 fields", 0) == 0);
}

TEST_CASE("event csv: a header without an event id column is refused", "[events][csv]") {
  Result r = run(parse_event_csv, "name,value\r\na,b\r\n");
  CHECK(r.events.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].find("no event id column") != std::string::npos);
}

TEST_CASE("event time: locale and ISO forms", "[events][time]") {
  using marsscan::records::parse_event_time;
  auto t = [](const char* s) { return iso(parse_event_time(s)); };
  CHECK(t("10/7/2016 06:38:24 PM") == "2016-10-07T18:38:24.000Z");
  CHECK(t("10/7/2016 12:05:00 AM") == "2016-10-07T00:05:00.000Z");
  CHECK(t("10/7/2016 12:05:00 PM") == "2016-10-07T12:05:00.000Z");
  CHECK(t("7/21/2020 16:34:18") == "2020-07-21T16:34:18.000Z");
  CHECK(t("2016/10/7 18:38:24") == "2016-10-07T18:38:24.000Z");
  CHECK(t("2016/10/7 下午 6:38:24") == "2016-10-07T18:38:24.000Z");
  CHECK(t("07.10.2016 18:38:24") == "2016-10-07T18:38:24.000Z");
  CHECK(t("21/07/2020 16:34:18") == "2020-07-21T16:34:18.000Z");  // first number > 12: D/M/Y
  CHECK(t("2016-10-07 18:38:24") == "2016-10-07T18:38:24.000Z");
  CHECK(t("2026-08-03T18:34:56.1234567Z") == "2026-08-03T18:34:56.123Z");
  CHECK(t("2020-07-21T16:34:18.918+02:00") == "2020-07-21T14:34:18.918Z");
  CHECK(t("2020-07-21T16:34:18.9181234") == "2020-07-21T16:34:18.918Z");
  CHECK(t("/Date(1595374458918)/") == "2020-07-21T23:34:18.918Z");
  CHECK(t("\\/Date(1595374458918)\\/") == "2020-07-21T23:34:18.918Z");
  CHECK(t("") == "none");
  CHECK(t("yesterday") == "none");
  CHECK(t("13/13/2020 10:00:00") == "none");
  CHECK(t("10/7/2016 25:00:00") == "none");
  CHECK(t("10/7/2016 13:00:00 PM") == "none");
}
