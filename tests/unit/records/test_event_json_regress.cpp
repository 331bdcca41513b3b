// Regressions found by tests/fuzz/fuzz_event_json: every range-for over a JSON array or
// object that came out of a simdjson_result (EventData keys, Data arrays, #text arrays,
// UserData arrays, array values, PowerShell Properties). They iterated a destroyed
// temporary (ASan: stack-use-after-scope); under the sanitizer build this test fails then.
#include <catch2/catch.hpp>

#include "test_event_support.h"

using namespace evtest;
using marsscan::records::parse_event_json;

TEST_CASE("event json regress: arrays and objects inside an event are iterated safely", "[events][json][fuzz]") {
  const std::string text =
      "{\"Event\":{\"System\":{\"EventID\":18},\"EventData\":{\"Message\":\"m\",\"Data\":[\"a\",\"b\"],"
      "\"Other\":[\"x\",\"y\"]}}}\n"
      "{\"Event\":{\"System\":{\"EventID\":19},\"EventData\":{\"Data\":{\"#text\":[\"t1\",\"t2\"]}},"
      "\"UserData\":{\"List\":[{\"Code\":1},{\"Code\":2}]}}}\n"
      "[{\"Id\":20,\"ProviderName\":\"CloudBackup\",\"Message\":\"p\",\"Properties\":[{\"Value\":\"v1\"},{\"Value\":7}]}]\n";
  Result r = run(parse_event_json, text, 7, 30);
  INFO(r.all_errors());
  REQUIRE(r.events.size() == 3);
  const auto& d0 = r.events[0].data;
  REQUIRE(d0.size() == 4);
  CHECK(d0[0].name == "Message");
  CHECK(d0[1].value == "a");
  CHECK(d0[2].value == "b");
  CHECK(d0[3].name == "Other");
  CHECK(d0[3].value == "x, y");
  const auto& d1 = r.events[1].data;
  REQUIRE(d1.size() == 4);
  CHECK(d1[0].value == "t1");
  CHECK(d1[1].value == "t2");
  CHECK(d1[2].name == "Code");
  CHECK(d1[3].value == "2");
  CHECK(r.events[2].event_id == 20);
  REQUIRE(r.events[2].data.size() == 2);
  CHECK(r.events[2].data[1].value == "7");
}
