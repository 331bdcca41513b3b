#include <catch2/catch.hpp>

#include "records/event_normalize.h"
#include "records/events.h"
#include "test_event_support.h"

using namespace evtest;
using marsscan::format_iso8601;
using marsscan::records::parse_event_xml;

namespace {

void check_cloudbackup_first(const Event& e, const std::string& format) {
  CHECK(e.format == format);
  REQUIRE(e.time);
  CHECK(format_iso8601(*e.time) == "2024-05-01T02:30:00.123Z");
  CHECK(e.provider == "CloudBackup");
  CHECK(e.channel == "CloudBackup/Operational");
  CHECK(e.event_id == 1);
  CHECK_FALSE(e.qualifiers);
  CHECK(e.level == 4);
  CHECK(e.computer == "MARS-TEST-01");
  CHECK(e.record_id == 5000);
  REQUIRE(e.data.size() == 1);
  CHECK(e.data[0].name == "Message");
  CHECK(e.data[0].value == "The backup operation has started.");
}

void same_events(const Result& a, const Result& b) {
  REQUIRE(a.events.size() == b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    const Event &x = a.events[i], &y = b.events[i];
    CHECK(x.time == y.time);
    CHECK(x.provider == y.provider);
    CHECK(x.channel == y.channel);
    CHECK(x.event_id == y.event_id);
    CHECK(x.qualifiers == y.qualifiers);
    CHECK(x.level == y.level);
    CHECK(x.record_id == y.record_id);
    CHECK(x.message == y.message);
    REQUIRE(x.data.size() == y.data.size());
    for (size_t k = 0; k < x.data.size(); ++k) {
      CHECK(x.data[k].name == y.data[k].name);
      CHECK(x.data[k].value == y.data[k].value);
    }
  }
}

}  // namespace

TEST_CASE("event xml: wevtutil fragment stream, single quotes, self-closing tags", "[events][xml]") {
  Result r = run(parse_event_xml, fixture("cloudbackup-wevtutil.xml"));
  INFO(r.all_errors());
  CHECK(r.errors.empty());
  REQUIRE(ids(r) == kCloudBackupIds);
  check_cloudbackup_first(r.events[0], "xml");
  const Event& e11 = r.events[5];
  CHECK(e11.level == 2);
  CHECK(e11.record_id == 5005);
  CHECK(format_iso8601(*e11.time) == "2024-05-02T03:10:00.600Z");
  CHECK(data_value(e11, "Message").find("(ID: 100050)") != std::string::npos);
  CHECK(e11.message.empty());  // plain /f:xml has no rendered message
  CHECK(e11.text().find("(ID: 100050)") != std::string::npos);
}

TEST_CASE("event xml: /e:root wrapped, <Events> with declaration, encodings agree", "[events][xml]") {
  Result base = run(parse_event_xml, fixture("cloudbackup-wevtutil.xml"));
  for (const char* name : {"cloudbackup-wevtutil-root.xml", "cloudbackup-eventviewer.xml",
                           "cloudbackup-wevtutil-utf8bom.xml", "cloudbackup-wevtutil-utf16le.xml",
                           "cloudbackup-wevtutil-root-utf16le.xml"}) {
    INFO(name);
    Result r = run(parse_event_xml, fixture(name));
    INFO(r.all_errors());
    CHECK(r.errors.empty());
    same_events(base, r);
  }
}

TEST_CASE("event xml: any chunking of the input gives the same events", "[events][xml]") {
  std::string text = fixture("cloudbackup-wevtutil-root.xml");
  Result base = run(parse_event_xml, text);
  for (size_t chunk : {1, 2, 5, 13, 1000}) {
    INFO("chunk " << chunk);
    Result r = run(parse_event_xml, text, chunk, chunk * 3);
    CHECK(r.errors.empty());
    same_events(base, r);
  }
}

TEST_CASE("event xml: RenderedXml gives message and level name, en-US and zh-CN", "[events][xml]") {
  Result en = run(parse_event_xml, fixture("cloudbackup-rendered.xml"));
  CHECK(en.errors.empty());
  REQUIRE(ids(en) == kCloudBackupIds);
  CHECK(en.events[0].message == "The backup operation has started.");
  CHECK(en.events[0].level_name == "Information");
  CHECK(en.events[3].level_name == "Warning");
  CHECK(en.events[5].message.find("completed with errors.\nError: The Microsoft Azure") != std::string::npos);

  Result zh = run(parse_event_xml, fixture("cloudbackup-zh-CN-rendered.xml"));
  CHECK(zh.errors.empty());
  REQUIRE(ids(zh) == kCloudBackupIds);
  CHECK(zh.events[0].message == "备份操作已启动。");
  CHECK(zh.events[0].level_name == "信息");
  CHECK(zh.events[5].level_name == "错误");
  CHECK(zh.events[5].message.find("无法连接到 Microsoft Azure 备份。 (ID:100050)") != std::string::npos);
  CHECK(zh.events[8].message.find("(ID:34513)") != std::string::npos);
}

TEST_CASE("event xml: classic SideBySide event with Qualifiers and unnamed Data", "[events][xml]") {
  Result r = run(parse_event_xml, fixture("application-wevtutil.xml"));
  CHECK(r.errors.empty());
  REQUIRE(r.events.size() == 1);
  const Event& e = r.events[0];
  CHECK(e.provider == "SideBySide");
  CHECK(e.channel == "Application");
  CHECK(e.event_id == 33);
  REQUIRE(e.qualifiers);
  CHECK(*e.qualifiers == 49409);
  CHECK(e.level == 2);
  CHECK(e.record_id == 9001);
  REQUIRE(e.data.size() == 3);
  CHECK(e.data[0].name.empty());
  CHECK(e.data[0].value.find("Microsoft.VC90.CRT,processorArchitecture=\"amd64\"") == 0);
  CHECK(e.data[1].value == "F:\\e703768b6b4e0b79707d1228d22c236d\\CBPSetup.exe");
  CHECK(e.data[2].value.empty());
}

TEST_CASE("event xml: Task Scheduler named EventData", "[events][xml]") {
  Result r = run(parse_event_xml, fixture("taskscheduler-rendered.xml"));
  CHECK(r.errors.empty());
  REQUIRE(ids(r) == std::vector<uint32_t>{101, 103, 322});
  const Event& e = r.events[0];
  CHECK(e.provider == "Microsoft-Windows-TaskScheduler");
  CHECK(e.channel == "Microsoft-Windows-TaskScheduler/Operational");
  CHECK(data_value(e, "TaskName") == "\\Microsoft\\OnlineBackup\\Microsoft-OnlineBackup");
  CHECK(data_value(e, "ResultCode") == "2147942402");
  CHECK(e.message.find("failed to start \"\\Microsoft\\OnlineBackup\\Microsoft-OnlineBackup\"") !=
        std::string::npos);
  CHECK(r.events[2].level == 4);
}

TEST_CASE("event xml: UserData, namespace prefixes, comments, CDATA, entities", "[events][xml]") {
  std::string text =
      "<?xml version='1.0'?><e:Events xmlns:e='http://schemas.microsoft.com/win/2004/08/events/event'>"
      "<!-- <Event> inside a comment is not an event -->"
      "<e:Event><e:System><e:Provider EventSourceName='Legacy'/><e:EventID Qualifiers='16384'>6009"
      "</e:EventID><e:Level>0</e:Level><e:TimeCreated SystemTime='2019-06-07T01:23:25.6401234+08:00'/>"
      "<e:EventRecordID>42</e:EventRecordID><e:Channel>System</e:Channel></e:System>"
      "<e:UserData><Log xmlns='x'><Path>C:\\a &amp; b</Path><Inner><Code><![CDATA[0x80070005 <x>]]></Code>"
      "</Inner></Log></e:UserData></e:Event>\n"
      "<Event><System><EventID>7</EventID></System><EventData><Data Name='a'>1</Data><Binary>00FF</Binary>"
      "</EventData></Event></e:Events>";
  Result r = run(parse_event_xml, text, 3);
  INFO(r.all_errors());
  CHECK(r.errors.empty());
  REQUIRE(r.events.size() == 2);
  const Event& e = r.events[0];
  CHECK(e.provider == "Legacy");
  CHECK(e.event_id == 6009);
  CHECK(e.qualifiers == 16384u);
  CHECK(e.level == 0);
  CHECK(format_iso8601(*e.time) == "2019-06-06T17:23:25.640Z");
  CHECK(e.record_id == 42);
  REQUIRE(e.data.size() == 2);
  CHECK(e.data[0].name == "Path");
  CHECK(e.data[0].value == "C:\\a & b");
  CHECK(e.data[1].name == "Code");
  CHECK(e.data[1].value == "0x80070005 <x>");
  REQUIRE(r.events[1].data.size() == 1);  // <Binary> is not a field
  CHECK(r.events[1].data[0].name == "a");
  CHECK_FALSE(r.events[1].time);
  CHECK(r.events[1].level == -1);
}

TEST_CASE("event xml: truncated events are errors naming the ordinal, the rest goes on", "[events][xml]") {
  Result r = run(parse_event_xml, fixture("malformed-truncated.xml"), 7);
  CHECK(r.events.size() == 8);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].rfind("event 3:", 0) == 0);
  CHECK(r.errors[0].find("cut off") != std::string::npos);
  CHECK(r.errors[1].rfind("event 10:", 0) == 0);
  CHECK(r.errors[1].find("truncated") != std::string::npos);
  CHECK(ids(r) == std::vector<uint32_t>{1, 3, 10, 1, 11, 14, 16, 18});
}

TEST_CASE("event xml: a malformed event in the middle is reported and skipped", "[events][xml]") {
  std::string text =
      "<Event><System><EventID>1</EventID></System></Event>"
      "<Event><System><EventID>2</EventID><Level>4</System></Event>"  // <Level> never closed
      "<Event><System><EventID>x</EventID></System></Event>"
      "<Event><System><EventID>4</EventID></System></Event>";
  Result r = run(parse_event_xml, text);
  CHECK(ids(r) == std::vector<uint32_t>{1, 4});
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].rfind("event 2: malformed XML", 0) == 0);
  CHECK(r.errors[1].rfind("event 3: bad <EventID>", 0) == 0);
}

TEST_CASE("event xml: input without events is an error, an empty input is not", "[events][xml]") {
  Result r = run(parse_event_xml, "<html><body>not events</body></html>");
  CHECK(r.events.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "no <Event> element found");
  Result empty = run(parse_event_xml, "\r\n");
  CHECK(empty.events.empty());
  CHECK(empty.errors.empty());
  Result selfclosing = run(parse_event_xml, "<Event/><Events/>");
  CHECK(selfclosing.events.empty());
  REQUIRE(selfclosing.errors.size() == 1);
  CHECK(selfclosing.errors[0].rfind("event 1: empty", 0) == 0);
}

TEST_CASE("event levels: names in English, zh-CN and German", "[events]") {
  using marsscan::records::level_from_name;
  CHECK(level_from_name("Information") == 4);
  CHECK(level_from_name(" warning ") == 3);
  CHECK(level_from_name("Error") == 2);
  CHECK(level_from_name("Critical") == 1);
  CHECK(level_from_name("Verbose") == 5);
  CHECK(level_from_name("信息") == 4);
  CHECK(level_from_name("警告") == 3);
  CHECK(level_from_name("错误") == 2);
  CHECK(level_from_name("关键") == 1);
  CHECK(level_from_name("Fehler") == 2);
  CHECK_FALSE(level_from_name("Sometimes"));
}
