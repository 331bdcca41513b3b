#include "match/rule.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace marsscan::match {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// The value of a hexadecimal code written "0x1FC07", "1fc07" or "[0x1FC07]", so that any
// spelling finds the same rule. Decimal codes ("34513") are matched as text before this.
std::optional<uint64_t> hex_value(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '[' || s.front() == '(')) s = s.substr(1, s.size() - 2);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// A code spelled as hex in the database: "0x1FC07" or "1FC07", never a decimal "34513".
std::optional<uint64_t> written_hex_value(std::string_view s) {
  bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isxdigit(u) && !std::isdigit(u)) hex = true;
  }
  return hex ? hex_value(s) : std::nullopt;
}

}  // namespace

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    case Severity::Critical: return "critical";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view s) {
  s = trim(s);
  for (Severity v : {Severity::Note, Severity::Warning, Severity::Error, Severity::Critical})
    if (iequals(s, severity_name(v))) return v;
  return std::nullopt;
}

int PatternDb::rule_index(std::string_view id) const {
  id = trim(id);
  for (size_t i = 0; i < rules.size(); ++i)
    if (iequals(rules[i].id, id)) return static_cast<int>(i);
  return -1;
}

const Rule* PatternDb::find_rule(std::string_view id) const {
  int i = rule_index(id);
  return i < 0 ? nullptr : &rules[static_cast<size_t>(i)];
}

const Rule* PatternDb::lookup(std::string_view key) const {
  key = trim(key);
  if (key.empty()) return nullptr;
  if (const Rule* r = find_rule(key)) return r;
  if (const Rule* r = find_rule("MARS-" + std::string(key))) return r;
  for (const Rule& r : rules)
    for (const std::string& c : r.codes)
      if (iequals(trim(c), key)) return &r;
  // Hex spellings: "1fc07" and "0x1FC07" name the same code, and so does the rule id
  // "MARS-0x1FC07".
  if (auto v = hex_value(key)) {
    for (const Rule& r : rules) {
      for (const std::string& c : r.codes)
        if (written_hex_value(trim(c)) == v) return &r;
      std::string_view id = r.id;
      if (id.size() > 7 && iequals(id.substr(0, 7), "MARS-0x") && hex_value(id.substr(5)) == v)
        return &r;
    }
  }
  return nullptr;
}

const CodeInfo* PatternDb::find_code(uint32_t code) const {
  auto it = std::lower_bound(codes.begin(), codes.end(), code,
                             [](const CodeInfo& c, uint32_t v) { return c.code < v; });
  return it != codes.end() && it->code == code ? &*it : nullptr;
}

}  // namespace marsscan::match
