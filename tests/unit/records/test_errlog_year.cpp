// Year inference and time zones for errlog timestamps, and make_line_record.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "records/errlog.h"
#include "util/time.h"

using namespace marsscan;
using namespace marsscan::records;

namespace {
uint32_t hms(unsigned h, unsigned m, unsigned s, unsigned ms = 0) {
  return ((h * 60 + m) * 60 + s) * 1000 + ms;
}
std::string iso(std::optional<TimeMs> t) { return t ? format_iso8601(*t) : "none"; }
int64_t epoch_s(const char* s) { return *parse_iso8601(s) / 1000; }
}  // namespace

TEST_CASE("year: --year is the first timestamp's year, December -> January rolls over") {
  YearResolver y(TimeContext{2019, std::nullopt, 0});
  CHECK(iso(y.resolve(12, 30, hms(23, 59, 59, 999))) == "2019-12-30T23:59:59.999Z");
  CHECK(iso(y.resolve(12, 31, hms(10, 0, 0))) == "2019-12-31T10:00:00.000Z");
  CHECK(iso(y.resolve(1, 1, hms(0, 0, 1))) == "2020-01-01T00:00:01.000Z");
  CHECK(iso(y.resolve(1, 2, hms(8, 0, 0))) == "2020-01-02T08:00:00.000Z");
  CHECK(iso(y.resolve(3, 1, 0)) == "2020-03-01T00:00:00.000Z");
}

TEST_CASE("year: --year survives lines slightly out of order") {
  // Concatenated or interleaved copies step back a few days or a month; that is not a year.
  YearResolver y(TimeContext{2019, std::nullopt, 0});
  CHECK(iso(y.resolve(6, 7, hms(14, 59, 26))) == "2019-06-07T14:59:26.000Z");
  CHECK(iso(y.resolve(6, 7, hms(7, 27, 46))) == "2019-06-07T07:27:46.000Z");
  CHECK(iso(y.resolve(5, 30, 0)) == "2019-05-30T00:00:00.000Z");
  CHECK(iso(y.resolve(6, 8, 0)) == "2019-06-08T00:00:00.000Z");
}

TEST_CASE("year: mtime only, a December log in a January archive is last year's") {
  TimeContext ctx;
  ctx.mtime = epoch_s("2020-01-05T10:00:00Z");
  YearResolver y(ctx);
  CHECK(iso(y.resolve(12, 30, hms(22, 0, 0))) == "2019-12-30T22:00:00.000Z");
  CHECK(iso(y.resolve(1, 4, hms(9, 0, 0))) == "2020-01-04T09:00:00.000Z");
  // Within a day after the mtime: clock slack, still this year.
  CHECK(iso(y.resolve(1, 6, hms(9, 0, 0))) == "2020-01-06T09:00:00.000Z");
  // More than a day after the mtime: cannot be in a file last written before it.
  CHECK(iso(y.resolve(1, 7, hms(0, 0, 0))) == "2019-01-07T00:00:00.000Z");
  CHECK(iso(y.resolve(6, 1, 0)) == "2019-06-01T00:00:00.000Z");
}

TEST_CASE("year: --year wins over mtime") {
  TimeContext ctx{2018, epoch_s("2020-01-05T10:00:00Z"), 0};
  YearResolver y(ctx);
  CHECK(iso(y.resolve(6, 1, 0)) == "2018-06-01T00:00:00.000Z");
}

TEST_CASE("year: neither --year nor mtime gives no time") {
  YearResolver y(TimeContext{});
  CHECK_FALSE(y.resolve(6, 7, hms(1, 23, 25, 640)).has_value());
}

TEST_CASE("tz: agent local time converted to UTC") {
  YearResolver east(TimeContext{2019, std::nullopt, 480});  // UTC+8, e.g. China
  CHECK(iso(east.resolve(6, 7, hms(1, 23, 25, 640))) == "2019-06-06T17:23:25.640Z");
  YearResolver west(TimeContext{2019, std::nullopt, -330});
  CHECK(iso(west.resolve(12, 31, hms(20, 0, 0))) == "2020-01-01T01:30:00.000Z");
  // With mtime the year decision is made in local time too.
  TimeContext ctx;
  ctx.mtime = epoch_s("2020-06-10T00:00:00Z");  // 08:00 local at UTC+8
  ctx.utc_offset_minutes = 480;
  YearResolver m(ctx);
  CHECK(iso(m.resolve(6, 10, hms(7, 0, 0))) == "2020-06-09T23:00:00.000Z");
}

TEST_CASE("make_line_record: Errlog with resolved time, else Text, CR/LF trimmed") {
  YearResolver y(TimeContext{2019, std::nullopt, 0});
  std::string line =
      "0AB0\t0974\t06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t"
      "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tBackup Progress: Prebackup started.";
  std::string with_eol = line + "\r\n";
  Record r = make_line_record("Temp/CBEngineCurr.errlog", 42, with_eol, y);
  CHECK(r.kind == RecordKind::Errlog);
  CHECK(r.source == "Temp/CBEngineCurr.errlog");
  CHECK(r.line == 42);
  CHECK(r.text == line);
  CHECK(iso(r.time) == "2019-06-07T01:23:25.640Z");
  CHECK(r.errlog.task == "F3E32129-DC79-4A28-9ACC-3F30CB5810B6");
  CHECK(r.errlog.message == "Backup Progress: Prebackup started.");
  CHECK(r.event == nullptr);

  Record t = make_line_record("notes.txt", 3, "The backup failed on 06/07 again\r\n", y);
  CHECK(t.kind == RecordKind::Text);
  CHECK(t.text == "The backup failed on 06/07 again");
  CHECK(t.line == 3);
  CHECK_FALSE(t.time.has_value());
  CHECK(t.errlog.level.empty());

  YearResolver none(TimeContext{});
  Record u = make_line_record("x.errlog", 1, line, none);
  CHECK(u.kind == RecordKind::Errlog);
  CHECK_FALSE(u.time.has_value());
}

TEST_CASE("resolve_time: records parsed ahead get the times of parsing them in order") {
  // Block workers parse with a resolver of their own; the leaf's resolver then sees the
  // records in line order and must give what make_line_record would have given.
  const std::vector<std::string> lines = {
      "0AB0\t0974\t12/31\t23:59:58.000\t18\tx.cpp(1)\t[0000009593BD04CF]\t52E6B438-F2A7-269E-6513-0C5CA6A3A450\tNORMAL\tlast of the year",
      "not an errlog line",
      "0AB0\t0974\t01/01\t00:00:02.500\t18\tx.cpp(2)\t[0000009593BD04CF]\t52E6B438-F2A7-269E-6513-0C5CA6A3A450\tWARNING\tfirst of the next",
      "0AB0\t0974\t01/03\t07:00:00.000\t18\tx.cpp(3)\t[0000009593BD04CF]\t52E6B438-F2A7-269E-6513-0C5CA6A3A450\tNORMAL\tlater"};
  YearResolver direct(TimeContext{2023, std::nullopt, 60}), ordered(TimeContext{2023, std::nullopt, 60});
  YearResolver ahead(TimeContext{});
  std::vector<Record> parsed;
  for (size_t i = 0; i < lines.size(); ++i) parsed.push_back(make_line_record("x", i + 1, lines[i], ahead));
  CHECK_FALSE(parsed[0].time);  // the worker's resolver knows no year
  for (size_t i = 0; i < lines.size(); ++i) {
    Record want = make_line_record("x", i + 1, lines[i], direct);
    resolve_time(parsed[i], ordered);
    CHECK(iso(parsed[i].time) == iso(want.time));
    CHECK(parsed[i].kind == want.kind);
  }
  CHECK(parsed[0].kind == RecordKind::Errlog);
  CHECK(parsed[1].kind == RecordKind::Text);
  CHECK(iso(parsed[0].time) == "2023-12-31T22:59:58.000Z");
  CHECK(iso(parsed[2].time) == "2023-12-31T23:00:02.500Z");  // 2024-01-01 at UTC+1
  CHECK_FALSE(parsed[1].time);
}
