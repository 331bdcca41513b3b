#include "records/event_time.h"

#include <cctype>
#include <string>
#include <vector>

namespace marsscan::records {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "/Date(1595374458918)/" or "/Date(1595374458918+0200)/": the number is UTC epoch ms.
std::optional<TimeMs> parse_ms_date(std::string_view s) {
  if (s.rfind("\\/", 0) == 0) s.remove_prefix(1);
  if (s.rfind("/Date(", 0) != 0) return std::nullopt;
  s.remove_prefix(6);
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  int64_t v = 0;
  size_t n = 0;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n])) && n < 18)
    v = v * 10 + (s[n++] - '0');
  if (n == 0 || s.find(')') == std::string_view::npos) return std::nullopt;
  return neg ? -v : v;
}

struct Num {
  unsigned value;
  size_t digits;
};

// Splits "2016/10/7" or "07.10.2016" or "10-7-2016" into three numbers.
bool parse_date_part(std::string_view s, Num out[3], char& sep) {
  size_t i = 0;
  for (int k = 0; k < 3; ++k) {
    if (k > 0) {
      if (i >= s.size()) return false;
      char c = s[i];
      if (c != '/' && c != '.' && c != '-') return false;
      if (k == 1) sep = c;
      else if (c != sep) return false;
      ++i;
    }
    unsigned v = 0;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < 5)
      v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == start) return false;
    out[k] = {v, i - start};
  }
  // A trailing '.' ("7.10.2016." in some locales) is tolerated.
  return i == s.size() || (i + 1 == s.size() && s[i] == '.');
}

// "6:38:24", "18:38:24.123", "06:38" -> ms of day.
bool parse_time_part(std::string_view s, uint32_t& h, uint32_t& m, uint32_t& sec, uint32_t& ms) {
  unsigned part[3] = {0, 0, 0};
  size_t i = 0;
  int k = 0;
  for (; k < 3; ++k) {
    if (k > 0) {
      if (i >= s.size() || s[i] != ':') break;
      ++i;
    }
    size_t start = i;
    unsigned v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < 2)
      v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == start) return false;
    part[k] = v;
  }
  if (k < 2) return false;
  ms = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    unsigned n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (n < 3) ms = ms * 10 + static_cast<unsigned>(s[i] - '0');
      ++n, ++i;
    }
    while (n < 3) ms *= 10, ++n;
  }
  if (i != s.size()) return false;
  h = part[0], m = part[1], sec = part[2];
  return h < 24 && m < 60 && sec < 61;
}

enum class Half { None, Am, Pm };

Half half_of(std::string_view tok) {
  std::string t;
  for (char c : tok)
    if (c != '.') t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (t == "AM" || tok == "上午" || tok == "午前" || tok == "오전") return Half::Am;
  if (t == "PM" || tok == "下午" || tok == "午後" || tok == "오후") return Half::Pm;
  return Half::None;
}

std::optional<TimeMs> parse_locale(std::string_view s) {
  std::vector<std::string_view> toks;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && !(s[i] == ',' && i > start)) ++i;
    if (i > start) toks.push_back(s.substr(start, i - start));
  }
  if (toks.empty()) return std::nullopt;
  Num d[3];
  char sep = 0;
  if (!parse_date_part(toks[0], d, sep)) return std::nullopt;
  CivilTime c{};
  if (d[0].digits == 4) {  // Y/M/D: zh-CN, ja-JP, ISO-like
    c.year = static_cast<int>(d[0].value), c.month = d[1].value, c.day = d[2].value;
  } else if (sep == '.' || (d[0].value > 12 && d[1].value <= 12)) {  // D.M.Y: de-DE; D/M/Y
    c.day = d[0].value, c.month = d[1].value, c.year = static_cast<int>(d[2].value);
  } else {  // M/D/Y: en-US, the Event Viewer default
    c.month = d[0].value, c.day = d[1].value, c.year = static_cast<int>(d[2].value);
  }
  if (c.year < 100) c.year += 2000;
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) return std::nullopt;
  Half half = Half::None;
  bool have_time = false;
  for (size_t k = 1; k < toks.size(); ++k) {
    Half h = half_of(toks[k]);
    if (h != Half::None) {
      half = h;
      continue;
    }
    std::string_view t = toks[k];
    // "下午6:38:24" has no space between the marker and the time.
    for (std::string_view marker : {"上午", "下午"}) {
      if (t.rfind(marker, 0) == 0) {
        half = half_of(marker);
        t.remove_prefix(marker.size());
      }
    }
    if (have_time) return std::nullopt;
    uint32_t hh, mm, ss, ms;
    if (!parse_time_part(t, hh, mm, ss, ms)) return std::nullopt;
    c.hour = hh, c.minute = mm, c.second = ss, c.ms = ms;
    have_time = true;
  }
  if (half != Half::None) {
    if (!have_time || c.hour == 0 || c.hour > 12) return std::nullopt;
    if (half == Half::Am && c.hour == 12) c.hour = 0;
    if (half == Half::Pm && c.hour != 12) c.hour += 12;
  }
  return time_from_civil(c);
}

}  // namespace

std::optional<TimeMs> parse_event_time(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (auto t = parse_ms_date(s)) return t;
  if (auto t = parse_iso8601(s)) return t;
  // ISO without a zone ("2016-10-07 18:38:24" or "...T18:38:24.1234567") is taken as UTC;
  // the locale parser below handles it too, but keep the fraction.
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-') {
    std::string z(s);
    z += 'Z';
    if (auto t = parse_iso8601(z)) return t;
  }
  return parse_locale(s);
}

}  // namespace marsscan::records
