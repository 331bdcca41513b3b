#include <catch2/catch.hpp>

#include "util/time.h"

using namespace marsscan;

TEST_CASE("civil dates round-trip through epoch milliseconds") {
  CivilTime c{2019, 6, 7, 1, 23, 25, 640};
  TimeMs t = time_from_civil(c);
  CHECK(format_iso8601(t) == "2019-06-07T01:23:25.640Z");
  CivilTime back = civil_from_time(t);
  CHECK(back.year == 2019);
  CHECK(back.month == 6);
  CHECK(back.ms == 640);
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(format_iso8601(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("ISO 8601 parsing accepts offsets and long fractions") {
  CHECK(parse_iso8601("2018-07-28T07:24:45.754787Z") == parse_iso8601("2018-07-28T07:24:45.754Z"));
  CHECK(format_iso8601(*parse_iso8601("2026-08-03T18:34:56.1234567Z")) == "2026-08-03T18:34:56.123Z");
  CHECK(format_iso8601(*parse_iso8601("2020-07-21T16:34:18+08:00")) == "2020-07-21T08:34:18.000Z");
  CHECK_FALSE(parse_iso8601("2020-13-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601("yesterday"));
}

TEST_CASE("UTC offsets") {
  CHECK(parse_utc_offset("+08:00") == 480);
  CHECK(parse_utc_offset("-0530") == -330);
  CHECK(parse_utc_offset("UTC") == 0);
  CHECK_FALSE(parse_utc_offset("+8"));
  CHECK_FALSE(parse_utc_offset("local"));
}
