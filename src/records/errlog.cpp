// A hand-written errlog line parser. A regex per line would dominate the scan time of a
// multi-GB bundle, and the layout is simple enough to walk with a cursor: find the date/time
// anchor near the start of the line, look back for pid/tid, then walk forward column by
// column. Separators are any run of tabs or spaces, which covers tab-separated originals,
// doubled tabs, empty columns and copies whose tabs became spaces.
#include "records/errlog.h"

#include <algorithm>
#include <array>

#include "util/time.h"

namespace marsscan::records {

namespace {

// The anchor must start this close to the line start. Generous enough for a "Line 12345: "
// prefix or a findstr-style "Temp\CBEngineCurr.errlog:" file prefix; small enough that a
// prose line mentioning a date later on is never taken for a record.
constexpr size_t kAnchorWindow = 96;

// Byte classes by table: the walk asks them of every byte of a line's header.
enum : uint8_t { kWs = 1, kDigit = 2, kHex = 4 };
constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  t[' '] = t['\t'] = kWs;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit | kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] = t[c + 'a' - 'A'] = kHex;
  return t;
}();
bool is_ws(char c) { return kClass[static_cast<unsigned char>(c)] & kWs; }
bool is_digit(char c) { return kClass[static_cast<unsigned char>(c)] & kDigit; }
bool is_hex(char c) { return kClass[static_cast<unsigned char>(c)] & kHex; }
// A column boundary on the left of a token: line start, whitespace, or the ':' that ends a
// "Line 28:" or "file.errlog:" prefix.
bool left_boundary(std::string_view s, size_t pos) {
  return pos == 0 || is_ws(s[pos - 1]) || s[pos - 1] == ':';
}

bool num(std::string_view s, size_t pos, size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

size_t skip_ws(std::string_view s, size_t pos) {
  while (pos < s.size() && is_ws(s[pos])) ++pos;
  return pos;
}

// End of a column: the next separator or the end of the line.
bool at_column_end(std::string_view s, size_t pos) { return pos == s.size() || is_ws(s[pos]); }

struct Anchor {
  size_t begin = 0;  // first byte of the date
  size_t end = 0;    // one past the time (and AM/PM)
  unsigned month = 0, day = 0;
  uint32_t ms_of_day = 0;
};

// "MM/DD<ws>HH:MM:SS.mmm" starting at `pos`.
bool anchor_mmdd(std::string_view s, size_t pos, Anchor& a) {
  unsigned mo, d, h, mi, se, ms;
  if (!left_boundary(s, pos)) return false;
  if (!num(s, pos, 2, mo) || pos + 2 >= s.size() || s[pos + 2] != '/' || !num(s, pos + 3, 2, d))
    return false;
  size_t p = pos + 5;
  if (p >= s.size() || !is_ws(s[p])) return false;
  p = skip_ws(s, p);
  if (!num(s, p, 2, h) || p + 2 >= s.size() || s[p + 2] != ':' || !num(s, p + 3, 2, mi) ||
      p + 5 >= s.size() || s[p + 5] != ':' || !num(s, p + 6, 2, se) || p + 8 >= s.size() ||
      s[p + 8] != '.' || !num(s, p + 9, 3, ms))
    return false;
  p += 12;
  if (!at_column_end(s, p)) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return false;
  a = {pos, p, mo, d, ((h * 60 + mi) * 60 + se) * 1000 + ms};
  return true;
}

// The DPM RA excerpt of mars-formats.md §1.4 was reformatted by a tool to
// "D-Mon<ws>H:MM:SS<ws>AM|PM". `dash` is the position of the '-'.
bool anchor_dmon(std::string_view s, size_t dash, Anchor& a) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  size_t pos = dash;
  while (pos > 0 && dash - pos < 2 && is_digit(s[pos - 1])) --pos;
  unsigned d, mo = 0, h, mi, se;
  if (pos == dash || !left_boundary(s, pos) || !num(s, pos, dash - pos, d)) return false;
  if (dash + 4 > s.size()) return false;
  for (unsigned i = 0; i < 12; ++i)
    if (s.compare(dash + 1, 3, kMonths[i]) == 0) mo = i + 1;
  size_t p = dash + 4;
  if (mo == 0 || p >= s.size() || !is_ws(s[p])) return false;
  p = skip_ws(s, p);
  size_t hdigits = (p + 1 < s.size() && is_digit(s[p + 1])) ? 2 : 1;
  if (!num(s, p, hdigits, h)) return false;
  p += hdigits;
  if (p >= s.size() || s[p] != ':' || !num(s, p + 1, 2, mi) || p + 3 >= s.size() ||
      s[p + 3] != ':' || !num(s, p + 4, 2, se))
    return false;
  p += 6;
  if (p >= s.size() || !is_ws(s[p])) return false;
  p = skip_ws(s, p);
  if (p + 2 > s.size() || (s[p + 1] != 'M') || (s[p] != 'A' && s[p] != 'P')) return false;
  bool pm = s[p] == 'P';
  p += 2;
  if (!at_column_end(s, p)) return false;
  if (d < 1 || d > 31 || h < 1 || h > 12 || mi > 59 || se > 59) return false;
  h = (h % 12) + (pm ? 12 : 0);
  a = {pos, p, mo, d, ((h * 60 + mi) * 60 + se) * 1000};
  return true;
}

bool find_anchor(std::string_view s, size_t from, size_t limit, Anchor& a) {
  limit = std::min(limit, s.size());
  for (size_t i = from; i < limit; ++i) {
    char c = s[i];
    if (c == '/' && i >= 2 && anchor_mmdd(s, i - 2, a)) return true;
    if (c == '-' && i >= 1 && anchor_dmon(s, i, a)) return true;
  }
  return false;
}

// A 4-hex-digit column that ends just before the separator run preceding `pos`; returns its
// start, or npos.
size_t hex4_before(std::string_view s, size_t pos) {
  size_t end = pos;
  while (end > 0 && is_ws(s[end - 1])) --end;
  if (end == pos || end < 4) return std::string_view::npos;
  size_t start = end - 4;
  for (size_t i = start; i < end; ++i)
    if (!is_hex(s[i])) return std::string_view::npos;
  if (!left_boundary(s, start)) return std::string_view::npos;
  return start;
}

bool is_guid(std::string_view s, size_t pos) {
  if (pos + 36 > s.size()) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = s[pos + i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!is_hex(c)) {
      return false;
    }
  }
  return true;
}

std::string_view level_at(std::string_view s, size_t pos) {
  static constexpr std::string_view kLevels[] = {"NORMAL", "WARNING", "FATAL",
                                                 "ERROR",  "INFO",    "VERBOSE"};
  if (pos >= s.size()) return {};
  for (auto lv : kLevels)
    if (s[pos] == lv[0] && s.substr(pos, lv.size()) == lv && at_column_end(s, pos + lv.size()))
      return s.substr(pos, lv.size());
  return {};
}

// Everything after the anchor: [component] file(line) [ptr] [task] LEVEL message.
// Returns the position of the message, or npos.
size_t parse_tail(std::string_view s, size_t p, ErrlogFields& out) {
  p = skip_ws(s, p);
  // The 1-3 digit column (absent in the DPM RA reformatted excerpt).
  size_t q = p;
  while (q < s.size() && q - p < 4 && is_digit(s[q])) ++q;
  if (q > p && q - p <= 3 && q < s.size() && is_ws(s[q])) {
    out.component = s.substr(p, q - p);
    p = skip_ws(s, q);
  } else {
    out.component = {};
  }
  // file(line): a name with a dot, no separators or parentheses.
  size_t open = p;
  bool dot = false;
  while (open < s.size() && s[open] != '(' && s[open] != ')' && !is_ws(s[open])) {
    dot |= s[open] == '.';
    ++open;
  }
  if (open == p || !dot || s[open - 1] == '.' || open >= s.size() || s[open] != '(') return std::string_view::npos;
  size_t close = open + 1;
  uint32_t ln = 0;
  while (close < s.size() && is_digit(s[close]) && close - open <= 9)
    ln = ln * 10 + static_cast<uint32_t>(s[close++] - '0');
  if (close == open + 1 || close >= s.size() || s[close] != ')' || !at_column_end(s, close + 1))
    return std::string_view::npos;
  out.src_file = s.substr(p, open - p);
  out.src_line = ln;
  p = skip_ws(s, close + 1);
  // [pointer]: 8-16 hex digits, possibly empty brackets.
  out.ptr = {};
  if (p < s.size() && s[p] == '[') {
    size_t e = p + 1;
    while (e < s.size() && is_hex(s[e]) && e - p <= 16) ++e;
    if (e >= s.size() || s[e] != ']' || !at_column_end(s, e + 1)) return std::string_view::npos;
    out.ptr = s.substr(p + 1, e - p - 1);
    p = skip_ws(s, e + 1);
  }
  out.task = {};
  if (is_guid(s, p) && at_column_end(s, p + 36)) {
    out.task = s.substr(p, 36);
    p = skip_ws(s, p + 36);
  }
  out.level = level_at(s, p);
  if (out.level.empty()) return std::string_view::npos;
  return skip_ws(s, p + out.level.size());
}

}  // namespace

namespace {
// Where a second record starts inside the message of a space-collapsed line (D3), or npos.
// Only a full record header (date, time, [component], file(line), ..., level) counts, so a
// date quoted in a message does not cut it.
size_t next_record_start(std::string_view s, size_t from) {
  for (size_t i = s.find('/', from); i != std::string_view::npos; i = s.find('/', i + 1)) {
    Anchor a;
    ErrlogFields tmp;
    if (i < from + 2 || !anchor_mmdd(s, i - 2, a) || !is_ws(s[a.begin - 1])) continue;
    if (parse_tail(s, a.end, tmp) == std::string_view::npos) continue;
    size_t start = a.begin;
    if (size_t c2 = hex4_before(s, start); c2 != std::string_view::npos && c2 > from) {
      start = c2;
      if (size_t c1 = hex4_before(s, c2); c1 != std::string_view::npos && c1 > from) start = c1;
    }
    return start;
  }
  return std::string_view::npos;
}
}  // namespace

bool parse_errlog_line(std::string_view line, ErrlogFields& out) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  Anchor a;
  if (!find_anchor(line, 0, kAnchorWindow, a)) return false;
  size_t msg = parse_tail(line, a.end, out);
  if (msg == std::string_view::npos) return false;

  out.month = a.month;
  out.day = a.day;
  out.ms_of_day = a.ms_of_day;
  out.pid = out.tid = {};
  if (size_t c2 = hex4_before(line, a.begin); c2 != std::string_view::npos) {
    if (size_t c1 = hex4_before(line, c2); c1 != std::string_view::npos) {
      out.pid = line.substr(c1, 4);
      out.tid = line.substr(c2, 4);
    } else {
      out.pid = line.substr(c2, 4);  // a lone id column (DPM RA excerpt): kept as pid
    }
  }

  size_t end = line.size();
  // Only space-separated copies collapse records together; a real tab-separated line is
  // one record, and scanning its message for headers would be wasted work.
  if (line.find('\t') == std::string_view::npos) {
    if (size_t next = next_record_start(line, msg); next != std::string_view::npos) end = next;
  }
  while (end > msg && is_ws(line[end - 1])) --end;
  out.message = line.substr(msg, end - msg);
  return true;
}

// ---- years ----

YearResolver::YearResolver(TimeContext ctx) : ctx_(ctx) {
  if (ctx_.year) year_ = *ctx_.year;
  if (ctx_.mtime) {
    mtime_local_ = *ctx_.mtime * 1000 + int64_t{ctx_.utc_offset_minutes} * 60000;
    mtime_year_ = civil_from_time(mtime_local_).year;
  }
}

std::optional<TimeMs> YearResolver::resolve(unsigned month, unsigned day, uint32_t ms_of_day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const int64_t offset_ms = int64_t{ctx_.utc_offset_minutes} * 60000;
  int year;
  if (ctx_.year) {
    // A log runs forward; a month that falls back by half a year or more is the next year
    // (12 -> 1). A smaller step back is lines out of order, not eleven months gone by.
    if (last_month_ != 0 && month + 6 <= last_month_) ++year_;
    last_month_ = month;
    year = year_;
  } else if (ctx_.mtime) {
    // The file was last written at mtime, so no line is later than that. Compare in the
    // agent's local time, with a day of slack for clock and zone uncertainty.
    year = mtime_year_;
    TimeMs local = days_from_civil(year, month, day) * 86400000 + ms_of_day;
    if (local > mtime_local_ + 86400000) --year;
  } else {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * 86400000 + ms_of_day - offset_ms;
}

Record make_line_record(std::string_view source, uint64_t line_no, std::string_view line,
                        YearResolver& years) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  Record r;
  r.source = source;
  r.line = line_no;
  r.text = line;
  if (parse_errlog_line(line, r.errlog)) {
    r.kind = RecordKind::Errlog;
    resolve_time(r, years);
  } else {
    r.errlog = {};
  }
  return r;
}

void resolve_time(Record& r, YearResolver& years) {
  r.time = r.kind == RecordKind::Errlog ? years.resolve(r.errlog.month, r.errlog.day, r.errlog.ms_of_day)
                                        : std::nullopt;
}

}  // namespace marsscan::records
