#include "report/sarif_util.h"

#include <cctype>
#include <cstdint>

namespace marsscan::report {

namespace {

bool unreserved_or_kept(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':                // unreserved
    case '!': case '$': case '&': case '\'': case '(':     // sub-delims: legal in a path
    case ')': case '*': case '+': case ',': case ';': case '=':
    case '@': case '/':
      return true;
    default:
      return false;
  }
}

void percent_encode(std::string& out, std::string_view path, bool keep_colon) {
  static const char* hex = "0123456789ABCDEF";
  for (char ch : path) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (unreserved_or_kept(c) || (keep_colon && c == ':')) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}

}  // namespace

std::string artifact_uri(std::string_view source) {
  std::string path(source);
  for (char& c : path)
    if (c == '\\') c = '/';
  std::string out;
  const bool drive = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) &&
                     path[1] == ':' && path[2] == '/';
  if (path.rfind("//", 0) == 0) {          // UNC \\server\share\x -> file://server/share/x
    out = "file:";
    percent_encode(out, path, false);
  } else if (drive) {
    out = "file:///";
    out += path.substr(0, 2);              // the drive's colon is part of a file URI path
    percent_encode(out, std::string_view(path).substr(2), false);
  } else if (!path.empty() && path[0] == '/') {
    out = "file://";
    percent_encode(out, path, false);
  } else {
    percent_encode(out, path, false);
  }
  return out;
}

std::string pascal_case_name(std::string_view title, std::string_view id) {
  auto build = [](std::string_view s) {
    std::string out;
    bool start = true;
    for (char ch : s) {
      const unsigned char c = static_cast<unsigned char>(ch);
      if (c < 0x80 && std::isalnum(c)) {
        out += start ? static_cast<char>(std::toupper(c)) : ch;
        start = false;
      } else {
        start = true;  // any separator, and non-ASCII text, starts a new word
      }
    }
    return out;
  };
  std::string name = build(title);
  if (name.empty()) name = build(id);
  // A name should not start with a digit ("403 ..."): prefix the id's stem.
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) name = "Mars" + name;
  return name;
}

std::string finding_fingerprint(const analysis::Finding& f) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ull;
    }
    h ^= 0xFF;  // field separator: ("ab","c") and ("a","bc") differ
    h *= 0x100000001b3ull;
  };
  mix(f.rule ? std::string_view(f.rule->id) : std::string_view());
  mix(f.input);
  if (!f.occurrences.empty()) {
    mix(f.occurrences.front().source);
    mix(f.occurrences.front().text);
  }
  static const char* hex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = hex[h & 15];
  return out;
}

}  // namespace marsscan::report
