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
