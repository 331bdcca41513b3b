#include <catch2/catch.hpp>

#include <sstream>

#include "report/json_writer.h"

using namespace marsscan::report;

TEST_CASE("json_string escapes quotes, backslashes and control characters") {
  CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_string("l1\nl2\r\t") == "\"l1\\nl2\\r\\t\"");
  CHECK(json_string(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
  CHECK(json_string("\xE2\x80\xA8") == "\"\\u2028\"");
}

TEST_CASE("json_string keeps valid UTF-8 and replaces invalid bytes with U+FFFD") {
  CHECK(json_string("提供的保管库凭据无效") == "\"提供的保管库凭据无效\"");
  // lone continuation byte, truncated sequence, overlong, surrogate, > U+10FFFF
  CHECK(sanitize_utf8("a\x80z") == "a\xEF\xBF\xBDz");
  CHECK(sanitize_utf8("a\xE2\x82z") == "a\xEF\xBF\xBDz");            // one maximal subpart
  CHECK(sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");    // overlong: two bytes invalid
  CHECK(sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize_utf8("\xF4\x90\x80\x80").find('\xF4') == std::string::npos);
  CHECK(sanitize_utf8("end\xE6\x8F") == "end\xEF\xBF\xBD");          // truncated at the end
  CHECK(json_string("\xFF") == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("json_string equals escaping the sanitized text byte by byte, on random text") {
  // The writer copies runs of plain ASCII at once; this reference takes every byte alone.
  auto reference = [](std::string_view raw) {
    std::string clean = sanitize_utf8(raw), out = "\"";
    static const char* hex = "0123456789abcdef";
    for (size_t i = 0; i < clean.size(); ++i) {
      const auto c = static_cast<unsigned char>(clean[i]);
      if (clean.compare(i, 3, "\xE2\x80\xA8") == 0) { out += "\\u2028"; i += 2; continue; }
      if (clean.compare(i, 3, "\xE2\x80\xA9") == 0) { out += "\\u2029"; i += 2; continue; }
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
          } else {
            out += static_cast<char>(c);
          }
      }
    }
    return out + "\"";
  };
  const std::string pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\x01", "\x7f", "\x80", "\xC3\xA9",
                                "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x82", "\xF0\x9F\x98\x80", "\xFF",
                                "plain text run ", "提供"};
  uint32_t seed = 12345;
  for (int n = 0; n < 2000; ++n) {
    std::string raw;
    for (int k = n % 24; k > 0; --k) {
      seed = seed * 1664525u + 1013904223u;
      raw += pieces[(seed >> 16) % std::size(pieces)];
    }
    INFO("case " << n);
    CHECK(json_string(raw) == reference(raw));
  }
}

TEST_CASE("JsonWriter writes nested documents compact and pretty") {
  std::ostringstream compact;
  {
    JsonWriter w(compact, 0);
    w.begin_object().field("a", 1).key("b").begin_array().value("x").null().value(true).end_array();
    w.key("e").begin_object().end_object().key("f").begin_array().end_array();
    w.field("n", uint64_t{18446744073709551615ull}).field("m", int64_t{-5}).end_object();
    w.finish();
  }
  CHECK(compact.str() ==
        "{\"a\":1,\"b\":[\"x\",null,true],\"e\":{},\"f\":[],\"n\":18446744073709551615,\"m\":-5}\n");

  std::ostringstream pretty;
  {
    JsonWriter w(pretty, 2);
    w.begin_object().field("a", "v").key("l").string_array({"p", "q"}).end_object();
    w.finish();
  }
  CHECK(pretty.str() == "{\n  \"a\": \"v\",\n  \"l\": [\n    \"p\",\n    \"q\"\n  ]\n}\n");
}
