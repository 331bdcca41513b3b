// Civil time without the C library's time zone state: every time marsscan handles is
// milliseconds since the Unix epoch, UTC, so reports are the same on every machine.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marsscan {

using TimeMs = int64_t;  // milliseconds since 1970-01-01T00:00:00Z

// Days since the epoch for a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int year, unsigned month, unsigned day);
struct CivilTime { int year; unsigned month, day, hour, minute, second, ms; };
CivilTime civil_from_time(TimeMs t);
TimeMs time_from_civil(const CivilTime& c);

// "2019-06-07T01:23:25.640Z"
std::string format_iso8601(TimeMs t);
// Accepts ISO 8601 with 'Z' or +hh:mm offsets and up to 9 fractional digits.
std::optional<TimeMs> parse_iso8601(std::string_view s);
// "+08:00", "-0530", "UTC", "Z" -> offset in minutes east of UTC.
std::optional<int> parse_utc_offset(std::string_view s);

}  // namespace marsscan
