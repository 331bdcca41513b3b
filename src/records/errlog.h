// Parsing of MARS *.errlog lines (mars-formats.md §1.3-1.5) and the year they lack.
#pragma once
#include <optional>
#include <string_view>

#include "records/record.h"

namespace marsscan::records {

// Parses one line (no trailing newline). Accepts tabs or runs of spaces between columns,
// missing pid/tid columns, an empty pointer column and doubled tabs. On failure returns
// false and leaves `out` unspecified; such a line is still a Text record.
bool parse_errlog_line(std::string_view line, ErrlogFields& out);

// errlog timestamps have no year and no zone. One resolver per leaf, fed lines in order.
struct TimeContext {
  std::optional<int> year;          // --year: the year of the leaf's first timestamp
  std::optional<int64_t> mtime;     // the leaf's modification time, seconds
  int utc_offset_minutes = 0;       // --tz: the zone the agent wrote its times in
};

class YearResolver {
 public:
  explicit YearResolver(TimeContext ctx);
  // UTC time of a month/day/ms-of-day. With --year, a month that goes backwards
  // (December -> January) moves to the next year. With only an mtime, a date later
  // than the mtime (by more than a day) belongs to the year before. With neither: nullopt.
  std::optional<TimeMs> resolve(unsigned month, unsigned day, uint32_t ms_of_day);
 private:
  TimeContext ctx_;
  int year_ = 0;
  unsigned last_month_ = 0;
  // With an mtime: it in the agent's local time, and its year (worked out once per leaf).
  TimeMs mtime_local_ = 0;
  int mtime_year_ = 0;
};

// Builds the record for one line: Errlog when it parses, Text otherwise.
Record make_line_record(std::string_view source, uint64_t line_no, std::string_view line,
                        YearResolver& years);
// Sets the time of a record that make_line_record built with another resolver (a block
// worker parses lines ahead; the leaf's own resolver must see them in order).
void resolve_time(Record& r, YearResolver& years);

}  // namespace marsscan::records
