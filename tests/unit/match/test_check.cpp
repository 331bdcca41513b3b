#include <catch2/catch.hpp>

#include "helpers.h"
#include "match/builtin.h"
#include "match/check.h"

using namespace marsscan::match;
using test::load_yaml;

TEST_CASE("check_samples reports every kind of sample failure") {
  auto l = load_yaml(R"Y(rules:
  - id: MARS-34513
    severity: error
    title: { en: t }
    source: s
    triggers:
      - regex: '\(\s*ID\s*[:：]\s*34513\s*\)'
      - event: { provider: CloudBackup, ids: [18] }
    causes:
      - id: proxy-blocking
        text: { en: proxy }
        evidence: [ { regex: '\(407\) Proxy Authentication Required' } ]
        samples:
          - "The remote server returned an error: (407) Proxy Authentication Required."
          - "proxy said no"
    samples:
      - "0AB0\t0974\t08/04\t13:16:29.206\t18\tx.cpp(1)\t[00]\t1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\tFATAL\tInvalid vault credentials provided (ID: 34513)"
      - "提供的保管库凭据无效 (ID：34513)"
      - "Error 34513"
    near_misses:
      - "Uploading 34513 RO entries"
      - "(ID:34513) said twice (ID: 34513)"
    event_samples:
      - { provider: CloudBackup, id: 18, level: 2 }
      - { provider: CloudBackup, id: 19 }
    event_near_misses:
      - { provider: CloudBackup, id: 3 }
      - { provider: Other, id: 18, message: "(ID: 34513)" }
)Y");
  for (const auto& e : l.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(l.errors.empty());
  auto failures = check_samples(l.db);
  std::vector<std::string> got;
  for (const auto& f : failures) got.push_back(f.message + " | " + f.sample);
  CHECK(got == std::vector<std::string>{
                   "did not match | Error 34513",
                   "near-miss matched | (ID:34513) said twice (ID: 34513)",
                   "cause proxy-blocking evidence sample did not match | proxy said no",
                   "event sample did not match | id=19 provider=CloudBackup",
                   "event near-miss matched | id=18 provider=Other message=(ID: 34513)",
               });
  REQUIRE(!failures.empty());
  CHECK(failures[0].rule == "MARS-34513");
  CHECK(failures[0].to_string() == "t.yaml:2: MARS-34513: did not match: Error 34513");
}

// Samples may fire through a source-filtered trigger; near-misses are checked in the main
// errlog, where that trigger does not apply.
TEST_CASE("check_samples passes a database whose samples all hold") {
  auto l = load_yaml(R"Y(rules:
  - id: MARS-407
    severity: error
    title: { en: t }
    source: s
    triggers:
      - regex: '\(407\)\s*(?:Proxy Authentication Required|需要代理身份验证)'
      - regex: '0x80070005'
        source: 'LastBackupFailedFiles'
    samples: ["(407) Proxy Authentication Required", "(407) 需要代理身份验证", "C:\\a.txt 0x80070005"]
    near_misses: ["4070 KB/s", "Failed: Hr: = [0x80070005] Initialize Storage failed"]
)Y");
  REQUIRE(l.errors.empty());
  auto failures = check_samples(l.db);
  for (const auto& f : failures) UNSCOPED_INFO(f.to_string());
  CHECK(failures.empty());
}

TEST_CASE("the built-in database loads cleanly and passes all its samples") {
  std::vector<LoadError> errors;
  PatternDb db = load_database(LoadOptions{}, errors);
  for (const auto& e : errors) UNSCOPED_INFO(e.to_string());
  CHECK(errors.empty());
  CHECK(db.files.size() == builtin_pattern_files().size());
  REQUIRE(db.rules.size() >= 1);
  size_t samples = 0;
  for (const Rule& r : db.rules) samples += r.samples.size() + r.event_samples.size();
  CHECK(samples >= db.rules.size());
  auto failures = check_samples(db);
  for (const auto& f : failures) UNSCOPED_INFO(f.to_string());
  CHECK(failures.empty());
  for (const auto& w : check_warnings(db)) WARN(w.to_string());
}
