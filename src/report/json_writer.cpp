#include "report/json_writer.h"

#include "util/utf8.h"

#include <charconv>

namespace marsscan::report {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

template <class Emit>
void walk_utf8(std::string_view s, Emit&& emit) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    size_t bad = 0;
    if (const size_t n = utf8_sequence(p + i, p + s.size(), &bad)) {
      emit(s.substr(i, n));
      i += n;
    } else {
      emit(kReplacement);
      i += bad;
    }
  }
}

}  // namespace

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk_utf8(s, [&](std::string_view cp) { out += cp; });
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  // Printable ASCII other than the quote and the backslash is copied as it is, a run at a time;
  // the rest code point by code point (escapes, U+FFFD for invalid bytes, U+2028/U+2029).
  auto plain = [](unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; };
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t bad = 0;
    const size_t n = utf8_sequence(p + i, p + s.size(), &bad);
    if (n == 0) {
      out += kReplacement;
      i += bad;
      continue;
    }
    const std::string_view cp = s.substr(i, n);
    i += n;
    if (n == 1) {
      const unsigned char c = p[i - 1];
      switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        default:
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
          continue;
      }
    }
    // U+2028/U+2029 are valid JSON but break JavaScript string literals (HTML report data).
    if (cp == "\xE2\x80\xA8") { out += "\\u2028"; continue; }
    if (cp == "\xE2\x80\xA9") { out += "\\u2029"; continue; }
    out += cp;
  }
  out += '"';
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

JsonWriter::JsonWriter(std::ostream& out, int indent) : out_(out), indent_(indent) {}

JsonWriter::~JsonWriter() {
  if (!buf_.empty()) out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
}

void JsonWriter::newline() {
  if (indent_ <= 0) return;
  buf_ += '\n';
  buf_.append(stack_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::flush_if_large() {
  if (buf_.size() >= (64u << 10)) {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  // A value directly inside an array (inside an object key() did this already).
  if (stack_.back().count++) buf_ += ',';
  newline();
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (stack_.back().count++) buf_ += ',';
  newline();
  append_json_string(buf_, k);
  buf_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  buf_ += '{';
  stack_.push_back({true, 0});
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  buf_ += '[';
  stack_.push_back({false, 0});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  const bool empty = stack_.back().count == 0;
  stack_.pop_back();
  if (!empty) newline();
  buf_ += '}';
  flush_if_large();
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  const bool empty = stack_.back().count == 0;
  stack_.pop_back();
  if (!empty) newline();
  buf_ += ']';
  flush_if_large();
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  append_json_string(buf_, s);
  flush_if_large();
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  buf_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(int64_t v) {
  before_value();
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  buf_.append(tmp, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::value(uint64_t v) {
  before_value();
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  buf_.append(tmp, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  buf_ += "null";
  return *this;
}

JsonWriter& JsonWriter::value(const std::optional<std::string>& s) {
  return s ? value(std::string_view(*s)) : null();
}

JsonWriter& JsonWriter::string_array(const std::vector<std::string>& items) {
  begin_array();
  for (const auto& s : items) value(std::string_view(s));
  return end_array();
}

void JsonWriter::finish() {
  buf_ += '\n';
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
  out_.flush();
}

}  // namespace marsscan::report
