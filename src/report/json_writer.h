// A small streaming JSON writer shared by every JSON-based format (json, ndjson, sarif, html
// data). Output is deterministic: keys are written in call order, numbers in plain decimal,
// strings escaped the same way every time. Strings are taken as UTF-8; invalid bytes become
// U+FFFD so a corrupt log line can never produce invalid JSON.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace marsscan::report {

// Appends `s` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view s);
std::string json_string(std::string_view s);
// Replaces invalid UTF-8 (bad lead/continuation bytes, overlongs, surrogates, > U+10FFFF)
// with U+FFFD, one per maximal invalid subpart.
std::string sanitize_utf8(std::string_view s);

class JsonWriter {
 public:
  // indent 0: one line, no spaces (ndjson); > 0: pretty-printed with that many spaces.
  explicit JsonWriter(std::ostream& out, int indent = 2);
  ~JsonWriter();  // flushes; does not close open containers

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Inside an object, every value is preceded by key().
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int v) { return value(static_cast<int64_t>(v)); }
  JsonWriter& value(unsigned v) { return value(static_cast<uint64_t>(v)); }
  JsonWriter& value(int64_t v);
  JsonWriter& value(uint64_t v);
  JsonWriter& null();
  // Writes a string, or null when absent.
  JsonWriter& value(const std::optional<std::string>& s);
  JsonWriter& string_array(const std::vector<std::string>& items);

  // Shorthand: key(k).value(v).
  template <class T> JsonWriter& field(std::string_view k, const T& v) { key(k); return value(v); }

  // Ends the document: a newline after the top-level value, flushes the buffer.
  void finish();

 private:
  void before_value();
  void newline();
  void flush_if_large();
  std::ostream& out_;
  int indent_;
  std::string buf_;
  struct Level { bool object; size_t count; };
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace marsscan::report
