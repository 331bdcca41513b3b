#include "util/time.h"

#include <fmt/format.h>

#include <cctype>

namespace marsscan {

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilTime civil_from_time(TimeMs t) {
  int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  int64_t rem = t - days * 86400000;
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  int y = static_cast<int>(yoe + era * 400) + (m <= 2);
  CivilTime c{y, m, d, 0, 0, 0, 0};
  c.hour = static_cast<unsigned>(rem / 3600000);
  c.minute = static_cast<unsigned>(rem / 60000 % 60);
  c.second = static_cast<unsigned>(rem / 1000 % 60);
  c.ms = static_cast<unsigned>(rem % 1000);
  return c;
}

TimeMs time_from_civil(const CivilTime& c) {
  return days_from_civil(c.year, c.month, c.day) * 86400000 +
         (int64_t{c.hour} * 3600 + c.minute * 60 + c.second) * 1000 + c.ms;
}

std::string format_iso8601(TimeMs t) {
  CivilTime c = civil_from_time(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.ms);
}

namespace {
bool digits(std::string_view s, size_t pos, size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<int> parse_utc_offset(std::string_view s) {
  if (s == "Z" || s == "z" || s == "UTC" || s == "utc" || s == "GMT") return 0;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  unsigned h = 0, m = 0;
  if (!digits(s, 1, 2, h)) return std::nullopt;
  size_t p = 3;
  if (p < s.size() && s[p] == ':') ++p;
  if (p < s.size() && !digits(s, p, 2, m)) return std::nullopt;
  if (p < s.size() && p + 2 != s.size()) return std::nullopt;
  if (h > 14 || m > 59) return std::nullopt;
  int off = static_cast<int>(h * 60 + m);
  return s[0] == '-' ? -off : off;
}

std::optional<TimeMs> parse_iso8601(std::string_view s) {
  CivilTime c{};
  unsigned y = 0;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  if (!digits(s, 5, 2, c.month) || !digits(s, 8, 2, c.day) || !digits(s, 11, 2, c.hour) ||
      !digits(s, 14, 2, c.minute) || !digits(s, 17, 2, c.second))
    return std::nullopt;
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 || c.hour > 23 || c.minute > 59 ||
      c.second > 60)
    return std::nullopt;
  c.year = static_cast<int>(y);
  size_t p = 19;
  if (p < s.size() && s[p] == '.') {
    ++p;
    unsigned ms = 0, n = 0;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
      if (n < 3) ms = ms * 10 + static_cast<unsigned>(s[p] - '0');
      ++n, ++p;
    }
    if (n == 0) return std::nullopt;
    while (n < 3) ms *= 10, ++n;
    c.ms = ms;
  }
  int off = 0;
  if (p < s.size()) {
    auto o = parse_utc_offset(s.substr(p));
    if (!o) return std::nullopt;
    off = *o;
  }
  return time_from_civil(c) - int64_t{off} * 60000;
}

}  // namespace marsscan
