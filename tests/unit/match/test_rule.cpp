#include <catch2/catch.hpp>

#include "helpers.h"

using namespace marsscan::match;
using marsscan::match::test::load_yaml;

namespace {

const char* kRules = R"Y(
rules:
  - id: MARS-34513
    severity: error
    title: { en: Invalid vault credentials provided }
    codes: ["34513"]
    source: D1
    triggers: [ { regex: 'ID\s*:\s*34513\b' } ]
    samples: ["(ID: 34513)"]
    near_misses: ["Uploading 34513 RO entries"]
  - id: MARS-0x1FC07
    severity: critical
    title: { en: Activation failed }
    codes: ["0x1FC07"]
    source: D1
    triggers: [ { regex: '(?i)0x1FC07\b' } ]
    samples: ["[0x1FC07]"]
    near_misses: ["0x1FC070"]
  - id: MARS-SalLowDiskSpace
    severity: warning
    title: { en: Low disk space }
    codes: [SalLowDiskSpace]
    source: D11
    triggers: [ { regex: 'SalLowDiskSpace' } ]
    samples: ["SalLowDiskSpace"]
    near_misses: ["low disk"]
  - id: MARS-403
    severity: note
    title: { en: Download failed }
    codes: ["403"]
    source: D1
    triggers: [ { regex: 'ID\s*:\s*403\b' } ]
    samples: ["(ID: 403)"]
    near_misses: ['D:\Data\403\']
codes:
  - { code: 0x80070005, name: E_ACCESSDENIED, text: { en: Access is denied. } }
  - { code: 0x80070002, name: ERROR_FILE_NOT_FOUND }
  - { code: -2147024784, name: ERROR_DISK_FULL }
  - { code: 5, name: ERROR_ACCESS_DENIED }
)Y";

}  // namespace

TEST_CASE("severity names round-trip and reject unknown words") {
  for (Severity s : {Severity::Note, Severity::Warning, Severity::Error, Severity::Critical})
    CHECK(parse_severity(severity_name(s)) == s);
  CHECK(std::string(severity_name(Severity::Critical)) == "critical");
  CHECK(parse_severity("Warning") == Severity::Warning);
  CHECK_FALSE(parse_severity("fatal"));
  CHECK_FALSE(parse_severity(""));
}

TEST_CASE("lookup finds a rule by id, code and hex spelling") {
  auto l = load_yaml(kRules);
  REQUIRE(l.errors.empty());
  const PatternDb& db = l.db;
  auto id = [&](const char* key) {
    const Rule* r = db.lookup(key);
    return r ? r->id : std::string("(none)");
  };
  CHECK(id("34513") == "MARS-34513");
  CHECK(id("MARS-34513") == "MARS-34513");
  CHECK(id("mars-34513") == "MARS-34513");
  CHECK(id(" 34513 ") == "MARS-34513");
  CHECK(id("0x1FC07") == "MARS-0x1FC07");
  CHECK(id("0x1fc07") == "MARS-0x1FC07");
  CHECK(id("1fc07") == "MARS-0x1FC07");
  CHECK(id("1FC07") == "MARS-0x1FC07");
  CHECK(id("[0x1FC07]") == "MARS-0x1FC07");
  CHECK(id("SalLowDiskSpace") == "MARS-SalLowDiskSpace");
  CHECK(id("sallowdiskspace") == "MARS-SalLowDiskSpace");
  CHECK(id("403") == "MARS-403");
  // A decimal code is not a hex one, and nothing near a code matches it.
  CHECK(id("0x34513") == "(none)");
  CHECK(id("0x403") == "(none)");
  CHECK(id("1FC070") == "(none)");
  CHECK(id("3451") == "(none)");
  CHECK(id("") == "(none)");

  CHECK(db.rule_index("mars-403") == 3);
  CHECK(db.rule_index("MARS-404") == -1);
  REQUIRE(db.find_rule("MARS-0X1FC07"));
  CHECK(db.find_rule("MARS-0X1FC07")->severity == Severity::Critical);
  CHECK(db.find_rule("34513") == nullptr);  // find_rule is by id only
}

TEST_CASE("codes are sorted and found by binary search") {
  auto l = load_yaml(kRules);
  REQUIRE(l.errors.empty());
  const PatternDb& db = l.db;
  REQUIRE(db.codes.size() == 4);
  CHECK(std::is_sorted(db.codes.begin(), db.codes.end(),
                       [](const CodeInfo& a, const CodeInfo& b) { return a.code < b.code; }));
  REQUIRE(db.find_code(0x80070005));
  CHECK(db.find_code(0x80070005)->name == "E_ACCESSDENIED");
  CHECK(db.find_code(0x80070005)->text.en == "Access is denied.");
  REQUIRE(db.find_code(0x80070070));  // written as a negative decimal HRESULT
  CHECK(db.find_code(0x80070070)->name == "ERROR_DISK_FULL");
  REQUIRE(db.find_code(5));
  CHECK(db.find_code(5)->name == "ERROR_ACCESS_DENIED");
  CHECK(db.find_code(0x80070003) == nullptr);
  CHECK(db.find_code(0) == nullptr);
  CHECK(db.find_code(0xFFFFFFFF) == nullptr);
}

TEST_CASE("Text::in falls back to English without a translation") {
  Text t{"Access is denied.", ""};
  CHECK(t.in(true) == "Access is denied.");
  t.zh = "拒绝访问。";
  CHECK(t.in(true) == "拒绝访问。");
  CHECK(t.in(false) == "Access is denied.");
}
