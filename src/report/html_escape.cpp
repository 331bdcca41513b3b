#include "report/html_escape.h"

#include "report/json_writer.h"

namespace marsscan::report {

void append_markup(std::string& out, std::string_view raw) {
  const std::string s = sanitize_utf8(raw);
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += "&quot;"; continue;
      case '\'': out += "&#39;"; continue;
      default: break;
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    if (c == 0x7F) continue;  // allowed by XML, but a parse error in HTML; never meaningful in a log line
    // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters.
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
      i += 2;
      continue;
    }
    out += static_cast<char>(c);
  }
}

std::string escape_markup(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  append_markup(out, s);
  return out;
}

}  // namespace marsscan::report
