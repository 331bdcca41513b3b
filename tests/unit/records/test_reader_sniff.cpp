// sniff_format on the first bytes of each export shape (mars-formats.md §4), in UTF-8 and
// UTF-16, and on text that only mentions them.
#include <catch2/catch.hpp>

#include <string>

#include "records/reader.h"

using namespace marsscan::records;
using namespace std::literals;

namespace {
// UTF-8 (BMP only) -> UTF-16LE/BE bytes, enough for test samples.
std::string utf16(std::string_view s, bool bom, bool big_endian = false) {
  std::string out;
  auto put = [&](unsigned u) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    if (big_endian) out += hi, out += lo;
    else out += lo, out += hi;
  };
  if (bom) put(0xFEFF);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    unsigned u;
    if (c < 0x80) u = c, i += 1;
    else if (c < 0xE0) u = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F), i += 2;
    else u = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F), i += 3;
    put(u);
  }
  return out;
}

const std::string kErrlog =
    "0AB0\t0974\t08/04\t13:16:29.206\t18\tmtffile.cpp(1372)\t[0000000053582120]\t"
    "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\tWARNING\tFailed: Hr: = [0x8000ffff] BackupRead "
    "failed\r\n";

const std::string kXmlFragment =
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider "
    "Name='CloudBackup'/><EventID>11</EventID><Level>2</Level><TimeCreated "
    "SystemTime='2024-03-01T10:00:00.1234567Z'/></System><EventData><Data>x</Data></EventData>"
    "</Event>\r\n";

const std::string kEventViewerCsv =
    "Level,Date and Time,Source,Event ID,Task Category\r\n"
    "Information,10/7/2016 06:38:24 PM,Microsoft-Windows-Security-Auditing,4658,File System\r\n";

const std::string kConvertToJson =
    "[\r\n    {\r\n        \"Id\":  13,\r\n        \"Version\":  0,\r\n        \"Qualifiers\":  "
    "null,\r\n        \"Level\":  4,\r\n";
}  // namespace

TEST_CASE("sniff: EVTX magics") {
  CHECK(sniff_format("ElfFile\0\0\0\0\0\0\0\0\0"sv) == Format::Evtx);
  CHECK(sniff_format("ElfChnk\0\x01\0\0\0"sv) == Format::Evtx);
  CHECK(sniff_format("ElfFile is a word") == Format::Text);
}

TEST_CASE("sniff: wevtutil XML shapes") {
  CHECK(sniff_format(kXmlFragment) == Format::EventXml);
  CHECK(sniff_format("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
                     "  <System>\n") == Format::EventXml);
  CHECK(sniff_format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Events>\r\n" + kXmlFragment) ==
        Format::EventXml);
  CHECK(sniff_format("\r\n\r\n  " + kXmlFragment) == Format::EventXml);  // leading blank lines
  // wevtutil /e:root wraps the fragment stream in any root element.
  CHECK(sniff_format("<root>\r\n" + kXmlFragment) == Format::EventXml);
  CHECK(sniff_format("<?xml version='1.0'?>\n<!-- exported -->\n<MyExport when=\"a>b\">\n  " +
                     kXmlFragment) == Format::EventXml);
  // The same in UTF-16, as /uni:true writes it, with and without BOM.
  CHECK(sniff_format(utf16("<root>\r\n" + kXmlFragment, true)) == Format::EventXml);
  CHECK(sniff_format(utf16(kXmlFragment, false)) == Format::EventXml);
  CHECK(sniff_format(utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>", true, true)) ==
        Format::EventXml);
}

TEST_CASE("sniff: XML that is not an event export stays Text") {
  CHECK(sniff_format("<?xml version=\"1.0\"?>\n<configuration>\n  <appSettings/>\n") ==
        Format::Text);
  CHECK(sniff_format("<html><body>MARS</body></html>") == Format::Text);
  CHECK(sniff_format("<EventLog>\n<Entry/>\n") == Format::Text);
  CHECK(sniff_format("<root/>\n<Event>") == Format::Text);
}

TEST_CASE("sniff: CSV exports") {
  CHECK(sniff_format(kEventViewerCsv) == Format::EventCsv);
  CHECK(sniff_format("\xEF\xBB\xBF" + kEventViewerCsv) == Format::EventCsv);
  CHECK(sniff_format(utf16(kEventViewerCsv, true)) == Format::EventCsv);
  // Export-Csv, Windows PowerShell 5.1 with its type line.
  CHECK(sniff_format("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
                     "\"Message\",\"Id\",\"Version\"\r\n") == Format::EventCsv);
  // Export-Csv -NoTypeInformation / PowerShell 7: quoted property names.
  CHECK(sniff_format("\"Message\",\"Id\",\"Version\",\"Qualifiers\",\"Level\",\"Task\",\"Opcode\","
                     "\"Keywords\",\"RecordId\",\"ProviderName\"\r\n\"x\",\"1\"\r\n") ==
        Format::EventCsv);
  CHECK(sniff_format("\"TimeCreated\",\"Id\",\"LevelDisplayName\",\"ProviderName\",\"Message\"\n") ==
        Format::EventCsv);
  // A script that renamed the PowerShell columns to Event Viewer's names.
  CHECK(sniff_format("\"Level\",\"Date and Time\",\"Source\",\"Event ID\",\"Task Category\","
                     "\"Message\"\n") == Format::EventCsv);
  CHECK(sniff_format(utf16("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n", false)) ==
        Format::EventCsv);
}

TEST_CASE("sniff: Event Viewer CSV in other languages, and saved as ANSI") {
  const std::string zh = "级别,日期和时间,来源,事件 ID,任务类别\r\n错误,2024/5/1 14:30:00,CloudBackup,11,无,x\r\n";
  CHECK(sniff_format(zh) == Format::EventCsv);
  CHECK(sniff_format(utf16(zh, true)) == Format::EventCsv);
  CHECK(sniff_format("Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\r\n") == Format::EventCsv);
  // The zh-CN header in GBK, as Notepad or a zh-CN Windows saves it ("ANSI").
  CHECK(sniff_format("\xBC\xB6\xB1\xF0,\xC8\xD5\xC6\xDA\xBA\xCD\xCA\xB1\xBC\xE4,\xC0\xB4\xD4\xB4,"
                     "\xCA\xC2\xBC\xFE ID,\xC8\xCE\xCE\xF1\xC0\xE0\xB1\xF0\r\n") == Format::EventCsv);
  // Without the task category, such columns are some other table.
  CHECK(sniff_format("级别,日期和时间,来源,事件 ID\r\n") == Format::Text);
}

TEST_CASE("sniff: CSV-looking text that is not an event export") {
  CHECK(sniff_format("Name,Value\r\nfoo,1\r\n") == Format::Text);
  CHECK(sniff_format("\"Id\",\"Name\"\r\n\"1\",\"x\"\r\n") == Format::Text);
  CHECK(sniff_format("Id,ProviderName,TimeCreated\r\n") == Format::Text);  // not quoted
  CHECK(sniff_format("Level, Date and Time were wrong\r\n") == Format::Text);
}

TEST_CASE("sniff: JSON exports") {
  CHECK(sniff_format(kConvertToJson) == Format::EventJson);
  CHECK(sniff_format(utf16(kConvertToJson, true)) == Format::EventJson);
  // A single event serialises as an object.
  CHECK(sniff_format("{\r\n    \"Id\":  13,\r\n    \"Version\":  0\r\n") == Format::EventJson);
  // Select-Object projection.
  CHECK(sniff_format("[\n  {\n    \"TimeCreated\": \"\\/Date(1595374458918)\\/\",\n") ==
        Format::EventJson);
  // evtx_dump -o json: "Record <id>" then the object.
  CHECK(sniff_format("Record 1\n{\n  \"Event\": {\n    \"#attributes\": {\n") == Format::EventJson);
  CHECK(sniff_format("Record 42\r\n{\r\n  \"Event\": {") == Format::EventJson);
  // evtx_dump -o jsonl.
  CHECK(sniff_format("{\"Event\":{\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/"
                     "2004/08/events/event\"},\"System\":{\"EventID\":4688}}}\n") ==
        Format::EventJson);
  CHECK(sniff_format("{\"Event_attributes\":{\"xmlns\":\"x\"},\"Event\":{}}\n") ==
        Format::EventJson);
}

TEST_CASE("sniff: bracketed or braced text that is not an event export") {
  CHECK(sniff_format("[2024-01-01 10:00:00] INFO started {\"Id\": 1}\n") == Format::Text);
  CHECK(sniff_format("{\"name\": \"marsscan\", \"version\": 1}\n") == Format::Text);
  CHECK(sniff_format("{ this is a note about \"Id\" }\n") == Format::Text);
  CHECK(sniff_format("Record 12 of the backup failed\n{\"Event\": 1}") == Format::Text);
  CHECK(sniff_format("Record\n{\"Event\": 1}") == Format::Text);
}

TEST_CASE("sniff: errlogs, notes and lists are Text") {
  CHECK(sniff_format("") == Format::Text);
  CHECK(sniff_format(kErrlog) == Format::Text);
  CHECK(sniff_format(utf16(kErrlog, true)) == Format::Text);
  CHECK(sniff_format(utf16(kErrlog, false)) == Format::Text);
  CHECK(sniff_format(utf16(kErrlog, true, true)) == Format::Text);
  CHECK(sniff_format("\xEF\xBB\xBF" + kErrlog) == Format::Text);
  CHECK(sniff_format("Files that failed to back up. Consider adding these to exclusion list of "
                     "backup policy.\r\n------\r\nD:\\data\\a.pst\r\n") == Format::Text);
  // A text log that mentions XML or JSON further down is still text.
  std::string log;
  for (int i = 0; i < 29; ++i) log += kErrlog;
  log += "Customer pasted: " + kXmlFragment + "[{\"Id\": 1}]\r\n";
  CHECK(sniff_format(log) == Format::Text);
  CHECK(sniff_format(utf16(log, true)) == Format::Text);
  CHECK(sniff_format("Support notes\n<Event xmlns='x'>\n") == Format::Text);
}

TEST_CASE("format names") {
  CHECK(std::string(format_name(Format::Text)) == "text");
  CHECK(std::string(format_name(Format::Evtx)) == "evtx");
  CHECK(std::string(format_name(Format::EventXml)) == "xml");
  CHECK(std::string(format_name(Format::EventCsv)) == "csv");
  CHECK(std::string(format_name(Format::EventJson)) == "json");
}
