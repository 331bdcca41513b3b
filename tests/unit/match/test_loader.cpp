#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>
#include <fstream>
#include <unistd.h>

#include "helpers.h"

using namespace marsscan::match;
using marsscan::match::test::load_yaml;

namespace {

// A valid rule; `extra` lines are appended inside it (indented by 4).
std::string rule(const std::string& id, const std::string& extra = "",
                 const std::string& regex = "ID:\\s*34513",
                 const std::string& severity = "error") {
  return "  - id: " + id +
         "\n"
         "    severity: " + severity + "\n"
         "    title: { en: Title, zh-CN: 标题 }\n"
         "    source: D1\n"
         "    triggers:\n"
         "      - regex: '" + regex + "'\n"
         "    samples: ['x ID: 34513']\n"
         "    near_misses: ['Uploading 34513 RO entries']\n" + extra;
}

// The errors of one file, each as "file:line: RULE: message".
std::vector<std::string> errors_of(const std::string& yaml, int64_t max_mem = 8 << 20) {
  PatternLoader loader(LoadOptions{false, {}, max_mem});
  loader.add_file("p/t.yaml", yaml);
  loader.finish();
  std::vector<std::string> out;
  for (const auto& e : loader.errors()) out.push_back(e.to_string());
  return out;
}

std::string only_error(const std::string& yaml, int64_t max_mem = 8 << 20) {
  auto e = errors_of(yaml, max_mem);
  INFO(yaml);
  for (const auto& s : e) UNSCOPED_INFO(s);
  REQUIRE(e.size() == 1);
  return e[0];
}

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

}  // namespace

TEST_CASE("a valid rule loads without errors") {
  auto l = load_yaml("rules:\n" + rule("MARS-1"));
  REQUIRE(l.errors.empty());
  REQUIRE(l.db.rules.size() == 1);
  const Rule& r = l.db.rules[0];
  CHECK(r.id == "MARS-1");
  CHECK(r.title.zh == "标题");
  CHECK(r.confidence == "high");
  CHECK(r.origin.file == "t.yaml");
  CHECK(r.origin.line == 2);
  REQUIRE(r.triggers.size() == 1);
  const Pattern& p = l.db.patterns[static_cast<size_t>(r.triggers[0])];
  CHECK(p.regex == "ID:\\s*34513");
  CHECK(p.origin.line == 7);
  CHECK(p.owner.kind == PatternOwner::Trigger);
  CHECK(p.owner.rule == 0);
  REQUIRE(p.re.get());
}

TEST_CASE("loader: YAML syntax error names the file and line") {
  auto e = only_error("rules:\n  - id: MARS-1\n    title: [unclosed\n");
  CHECK_THAT(e, StartsWith("p/t.yaml:"));
  CHECK_THAT(e, Contains("YAML syntax error"));
  auto e2 = only_error("rules:\n  - id: a\n  bad: : :\n   - x\n");
  CHECK_THAT(e2, StartsWith("p/t.yaml:"));
  CHECK_THAT(e2, Contains("YAML syntax error"));
}

TEST_CASE("loader: unknown keys anywhere are errors at their line") {
  CHECK(only_error("rule:\n" + rule("MARS-1")) ==
        "p/t.yaml:1: unknown key 'rule' (expected one of: rules, markers, codes)");
  // In a nested text mapping (line 4 of the file).
  CHECK_THAT(only_error("rules:\n" + rule("MARS-1", "    summary: { en: s, zh: x }\n")),
             StartsWith("p/t.yaml:10: MARS-1: unknown key 'zh'"));
  // A misspelt rule key also leaves a required field missing.
  auto e = errors_of("rules:\n" + rule("MARS-2", "    trigers: []\n"));
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], StartsWith("p/t.yaml:10: MARS-2: unknown key 'trigers'"));
  // Inside a trigger and inside an event condition.
  CHECK_THAT(only_error("rules:\n" + rule("MARS-3", "", "x' \n        sorce: 'y")),
             StartsWith("p/t.yaml:8: MARS-3: unknown key 'sorce'"));
  CHECK_THAT(only_error("rules:\n" + rule("MARS-4",
                                          "    event_samples: [ { id: 1 } ]\n"
                                          "    causes:\n"
                                          "      - id: c\n"
                                          "        text: { en: t }\n"
                                          "        evidence:\n"
                                          "          - event: { ids: [1], chanel: x }\n")),
             StartsWith("p/t.yaml:15: MARS-4: unknown key 'chanel'"));
  CHECK_THAT(only_error("rules:\n" + rule("MARS-5", "    severity: warning\n")),
             Contains("MARS-5: duplicate key 'severity'"));
}

TEST_CASE("loader: missing required fields") {
  CHECK(only_error("rules:\n  - id: MARS-1\n    severity: error\n    title: { en: T }\n"
                   "    triggers: [ { regex: x } ]\n    samples: [x]\n    near_misses: [y]\n") ==
        "p/t.yaml:2: MARS-1: missing required field 'source'");
  CHECK(only_error("rules:\n  - severity: error\n    title: { en: T }\n    source: s\n"
                   "    triggers: [ { regex: x } ]\n    samples: [x]\n    near_misses: [y]\n") ==
        "p/t.yaml:2: missing required field 'id'");
  CHECK(only_error("rules:\n  - id: MARS-1\n    severity: error\n    title: { zh-CN: T }\n"
                   "    source: s\n    triggers: [ { regex: x } ]\n    samples: [x]\n"
                   "    near_misses: [y]\n") ==
        "p/t.yaml:4: MARS-1: missing required field 'en'");
  CHECK(only_error("rules:\n  - id: MARS-1\n    severity: error\n    title: { en: T }\n"
                   "    source: s\n    triggers: [ { regex: x } ]\n    near_misses: [y]\n") ==
        "p/t.yaml:2: MARS-1: missing required field 'samples'");
  CHECK_THAT(only_error("rules:\n  - id: MARS-1\n    severity: error\n    title: { en: T }\n"
                        "    source: s\n    samples: [x]\n    near_misses: [y]\n"),
             Contains("MARS-1: missing required field 'triggers'"));
  // Event triggers need event samples.
  CHECK(only_error("rules:\n  - id: MARS-1\n    severity: error\n    title: { en: T }\n"
                   "    source: s\n    triggers: [ { event: { ids: [18] } } ]\n") ==
        "p/t.yaml:2: MARS-1: missing required field 'event_samples'");
  CHECK_THAT(only_error("rules:\n" + rule("MARS-1", "    causes: [ { text: { en: t } } ]\n")),
             Contains("MARS-1: missing required field 'id'"));
}

TEST_CASE("loader: wrong types") {
  CHECK(only_error("rules:\n" + rule("MARS-1", "    codes: 34513\n")) ==
        "p/t.yaml:10: MARS-1: 'codes' must be a list");
  CHECK(only_error("rules:\n" + rule("MARS-1", "    summary: just text\n")) ==
        "p/t.yaml:10: MARS-1: 'summary' (a text with en and zh-CN) must be a mapping");
  CHECK(only_error("rules:\n" + rule("MARS-1", "    event_samples: [ { id: eighteen } ]\n")) ==
        "p/t.yaml:10: MARS-1: 'id' must be an integer from 0 to 4294967295");
  CHECK(only_error("rules: {}\n") == "p/t.yaml:1: 'rules' must be a list");
  CHECK_THAT(only_error("- just a list\n"), Contains("must be a mapping"));
}

TEST_CASE("loader: invalid severity and confidence") {
  CHECK(only_error("rules:\n" + rule("MARS-1", "", "x", "fatal")) ==
        "p/t.yaml:3: MARS-1: invalid severity 'fatal' (expected note, warning, error or critical)");
  CHECK(only_error("rules:\n" + rule("MARS-1", "    confidence: sure\n")) ==
        "p/t.yaml:10: MARS-1: invalid confidence 'sure' (expected high, medium or low)");
  auto ok = load_yaml("rules:\n" + rule("MARS-1", "    confidence: low\n"));
  REQUIRE(ok.errors.empty());
  CHECK(ok.db.rules[0].confidence == "low");
}

TEST_CASE("loader: a regex RE2 rejects quotes RE2's error") {
  auto e = only_error("rules:\n" + rule("MARS-1", "", "ID(34513"));
  CHECK_THAT(e, StartsWith("p/t.yaml:7: MARS-1: invalid regex 'ID(34513': "));
  CHECK_THAT(e, Contains("missing )"));
  auto e2 = only_error("rules:\n" + rule("MARS-1", "", "(?<=x)34513"));
  CHECK_THAT(e2, Contains("invalid perl operator"));
  // Also in a source filter, event condition and evidence.
  CHECK_THAT(only_error("rules:\n" + rule("MARS-1", "", "x'\n        source: '[z")),
             Contains("p/t.yaml:8: MARS-1: invalid regex '[z'"));
  CHECK_THAT(only_error("rules:\n" + rule("MARS-1",
                                          "    causes:\n      - id: c\n        text: { en: t }\n"
                                          "        evidence: [ { event: { provider: 'a**' } } ]\n")),
             Contains("p/t.yaml:13: MARS-1: invalid regex 'a**'"));
}

TEST_CASE("loader: a regex over max_regex_memory names its rule") {
  std::string big = "[a-z]{1000}";
  CHECK(errors_of("rules:\n" + rule("MARS-BIG", "", big)).empty());  // fine at 8 MiB
  auto e = only_error("rules:\n" + rule("MARS-1") + rule("MARS-BIG", "", big), 1 << 12);
  CHECK_THAT(e, StartsWith("p/t.yaml:15: MARS-BIG: regex '[a-z]{1000}' exceeds"));
  CHECK_THAT(e, Contains("exceeds max_regex_memory (4096 bytes): pattern too large - compile failed"));
}

TEST_CASE("loader: duplicate rule ids in one file, duplicate cause ids") {
  auto l = load_yaml("rules:\n" + rule("MARS-1") + rule("mars-1"));
  REQUIRE(l.errors.size() == 1);
  CHECK(l.errors[0].to_string() == "t.yaml:10: mars-1: duplicate rule id (first defined at line 2)");
  CHECK(l.errors[0].line == 10);
  CHECK(l.errors[0].rule == "mars-1");
  CHECK(l.db.rules.size() == 1);

  CHECK(only_error("rules:\n" + rule("MARS-1",
                                     "    causes:\n"
                                     "      - { id: proxy, text: { en: a } }\n"
                                     "      - { id: proxy, text: { en: b } }\n")) ==
        "p/t.yaml:12: MARS-1: duplicate cause id 'proxy' (first at line 11)");
}

TEST_CASE("loader: evidence rules must name a loaded rule, in any file") {
  std::string chain = "    causes:\n"
                      "      - id: proxy\n"
                      "        text: { en: proxy }\n"
                      "        evidence: [ { rule: mars-407 } ]\n";
  CHECK(only_error("rules:\n" + rule("MARS-1", chain)) ==
        "p/t.yaml:13: MARS-1: evidence rule 'mars-407' is not a loaded rule");
  // Defined in a later file: resolved by finish(), spelled as the rule spells itself.
  PatternLoader loader(LoadOptions{false, {}, 8 << 20});
  loader.add_file("a.yaml", "rules:\n" + rule("MARS-1", chain));
  loader.add_file("b.yaml", "rules:\n" + rule("MARS-407"));
  PatternDb db = loader.finish();
  CHECK(loader.errors().empty());
  REQUIRE(db.rules.size() == 2);
  CHECK(db.rules[0].causes[0].evidence_rules == std::vector<std::string>{"MARS-407"});
}

TEST_CASE("loader: a later file's rule replaces the one with the same id") {
  PatternLoader loader(LoadOptions{false, {}, 8 << 20});
  loader.add_file("builtin.yaml", "rules:\n" + rule("MARS-1", "", "alpha") + rule("MARS-2", "", "beta"));
  loader.add_file("user.yaml", "rules:\n" + rule("mars-1", "", "gamma", "critical"));
  PatternDb db = loader.finish();
  for (const auto& e : loader.errors()) UNSCOPED_INFO(e.to_string());
  REQUIRE(loader.errors().empty());
  REQUIRE(db.rules.size() == 2);
  CHECK(db.rules[0].id == "mars-1");  // keeps its place
  CHECK(db.rules[0].severity == Severity::Critical);
  CHECK(db.rules[0].origin.file == "user.yaml");
  CHECK(db.rules[1].id == "MARS-2");
  REQUIRE(db.patterns.size() == 2);  // alpha is gone
  CHECK(db.patterns[static_cast<size_t>(db.rules[0].triggers[0])].regex == "gamma");
  CHECK(db.patterns[static_cast<size_t>(db.rules[1].triggers[0])].regex == "beta");
  CHECK(db.patterns[static_cast<size_t>(db.rules[1].triggers[0])].owner.rule == 1);
  CHECK(db.files == std::vector<std::string>{"builtin.yaml", "user.yaml"});

  Matcher m(db);
  auto hits = test::scan_text(m, "alpha\nbeta\ngamma\n");
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].text == "beta");
  CHECK(hits[1].text == "gamma");
}

TEST_CASE("loader: the whole schema lands in the database") {
  auto l = load_yaml(R"Y(rules:
  - id: MARS-SCHED
    severity: warning
    title: { en: Scheduled backup failed, zh-CN: 计划备份失败 }
    summary: { en: Sum }
    codes: ["18", 0x12]
    source: D1
    confidence: medium
    references:
      - { document: d1, section: s, url: 'https://x' }
    triggers:
      - regex: 'Scheduled backup failed'
        source: '(?i)\.errlog$'
      - event:
          channel: '(?i)^CloudBackup'
          provider: CloudBackup
          ids: [18, 0x13]
          max_level: 2
          message: initiali[sz]ation
          data: { Message: 'x', "#1": 'y' }
    causes:
      - id: task-disabled
        text: { en: The task is disabled, zh-CN: 任务已禁用 }
        evidence:
          - regex: 'Task .* disabled'
          - event: { provider: TaskScheduler, ids: [142] }
          - rule: MARS-SCHED
        actions: [ { en: Enable it } ]
        samples: ["Task Microsoft-OnlineBackup disabled"]
      - id: wsb
        text: { en: WSB }
    actions: [ { en: General, zh-CN: 常规 } ]
    samples: ["Scheduled backup failed"]
    near_misses: ["Scheduled backup finished"]
    event_samples: [ { channel: CloudBackup, provider: CloudBackup, id: 18, level: 2, message: m, data: { Message: x } } ]
    event_near_misses: [ { id: 3, level: 4 } ]
markers:
  - id: backup-start
    kind: start
    job_type: backup
    phase: Prebackup
    regex: 'Backup Progress:\s*Prebackup started'
  - id: backup-phase
    kind: phase
    regex: 'Backup Progress:\s*(?P<phase>[A-Za-z ]+) started'
  - id: cb-event
    kind: success
    event: { provider: CloudBackup, ids: [3] }
codes:
  - { code: 0x80070005, name: E_ACCESSDENIED, text: { en: Access is denied., zh-CN: 拒绝访问。 } }
)Y");
  for (const auto& e : l.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(l.errors.empty());
  const PatternDb& db = l.db;
  REQUIRE(db.rules.size() == 1);
  const Rule& r = db.rules[0];
  CHECK(r.severity == Severity::Warning);
  CHECK(r.summary.en == "Sum");
  CHECK(r.codes == std::vector<std::string>{"18", "0x12"});
  CHECK(r.confidence == "medium");
  REQUIRE(r.references.size() == 1);
  CHECK(r.references[0].url == "https://x");
  REQUIRE(r.triggers.size() == 1);
  REQUIRE(r.event_triggers.size() == 1);
  const Pattern& t = db.patterns[static_cast<size_t>(r.triggers[0])];
  CHECK(t.source_regex == "(?i)\\.errlog$");
  REQUIRE(t.source_re.get());
  const EventCondition& c = db.event_patterns[static_cast<size_t>(r.event_triggers[0])].condition;
  CHECK(*c.channel == "(?i)^CloudBackup");
  CHECK(*c.provider == "CloudBackup");
  CHECK(c.ids == std::vector<uint32_t>{18, 0x13});
  CHECK(c.max_level == 2);
  CHECK(*c.message == "initiali[sz]ation");
  CHECK(c.data.at("Message") == "x");
  CHECK(c.data.at("#1") == "y");
  CHECK(c.origin.line == 14);
  REQUIRE(r.causes.size() == 2);
  const Cause& cause = r.causes[0];
  CHECK(cause.id == "task-disabled");
  CHECK(cause.text.zh == "任务已禁用");
  REQUIRE(cause.evidence_patterns.size() == 1);
  const Pattern& ev = db.patterns[static_cast<size_t>(cause.evidence_patterns[0])];
  CHECK(ev.owner.kind == PatternOwner::Evidence);
  CHECK(ev.owner.rule == 0);
  CHECK(ev.owner.cause == 0);
  REQUIRE(cause.evidence_events.size() == 1);
  CHECK(db.event_patterns[static_cast<size_t>(cause.evidence_events[0])].owner.kind ==
        PatternOwner::Evidence);
  CHECK(cause.evidence_rules == std::vector<std::string>{"MARS-SCHED"});
  CHECK(cause.actions.size() == 1);
  CHECK(cause.samples.size() == 1);
  CHECK(r.causes[1].evidence_patterns.empty());
  CHECK(r.actions.at(0).zh == "常规");
  CHECK(r.near_misses.size() == 1);
  REQUIRE(r.event_samples.size() == 1);
  CHECK(r.event_samples[0].id == 18);
  CHECK(r.event_samples[0].level == 2);
  CHECK(r.event_samples[0].data.at("Message") == "x");
  REQUIRE(r.event_near_misses.size() == 1);
  CHECK(r.event_near_misses[0].level == 4);

  REQUIRE(db.markers.size() == 3);
  CHECK(db.markers[0].kind == Marker::Start);
  CHECK(db.markers[0].job_type == "backup");
  CHECK(db.markers[0].phase == "Prebackup");
  REQUIRE(db.markers[0].pattern >= 0);
  const Pattern& mp = db.patterns[static_cast<size_t>(db.markers[0].pattern)];
  CHECK(mp.owner.kind == PatternOwner::Marker);
  CHECK(mp.owner.marker == 0);
  CHECK(db.markers[1].kind == Marker::Phase);
  CHECK(db.markers[2].pattern == -1);
  REQUIRE(db.markers[2].event_pattern >= 0);
  CHECK(db.event_patterns[static_cast<size_t>(db.markers[2].event_pattern)].owner.marker == 2);
  REQUIRE(db.codes.size() == 1);
  CHECK(db.codes[0].text.zh == "拒绝访问。");
}

TEST_CASE("loader: markers and codes are validated too") {
  CHECK(only_error("markers:\n  - { id: m, kind: begin, regex: x }\n") ==
        "p/t.yaml:2: m: invalid marker kind 'begin' (expected start, phase, success, failure, end or state)");
  CHECK(only_error("markers:\n  - { id: m, kind: phase, regex: 'started' }\n") ==
        "p/t.yaml:2: m: a phase marker needs 'phase' or a (?P<phase>...) group in its regex");
  CHECK(only_error("markers:\n  - { id: m, kind: end }\n") ==
        "p/t.yaml:2: m: a marker needs exactly one of 'regex' or 'event'");
  CHECK(only_error("codes:\n  - { code: 0xZZ, name: X }\n") ==
        "p/t.yaml:2: 'code' must be a 32-bit number such as 0x80070005");
  CHECK(only_error("codes:\n  - { code: 5, name: A }\n  - { code: 0x5, name: B }\n") ==
        "p/t.yaml:3: duplicate code 0x00000005 (first at line 2)");
  CHECK(only_error("rules:\n  - id: MARS-1\n    severity: error\n    title: { en: T }\n"
                   "    source: s\n    triggers: [ { regex: x, event: { ids: [1] } } ]\n"
                   "    samples: [x]\n    near_misses: [y]\n    event_samples: [ { id: 1 } ]\n") ==
        "p/t.yaml:6: MARS-1: a trigger needs exactly one of 'regex' or 'event'");
}

TEST_CASE("loader: a rule with errors is dropped, the rest of the file loads") {
  auto l = load_yaml("rules:\n" + rule("MARS-1", "", "bad(") + rule("MARS-2"));
  REQUIRE(l.errors.size() == 1);
  REQUIRE(l.db.rules.size() == 1);
  CHECK(l.db.rules[0].id == "MARS-2");
  // No follow-up error for a reference to the dropped rule.
  auto l2 = load_yaml("rules:\n" + rule("MARS-1", "", "bad(") +
                      rule("MARS-2", "    causes: [ { id: c, text: { en: t }, evidence: [ { rule: MARS-1 } ] } ]\n"));
  CHECK(l2.errors.size() == 1);
}

TEST_CASE("load_database reads directories recursively in sorted order") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("marsscan-match-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "b" / "deep");
  fs::create_directories(dir / "a");
  auto write = [&](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
  write(dir / "b" / "deep" / "z.yaml", "rules:\n" + rule("MARS-Z", "", "zeta"));
  write(dir / "a" / "one.yaml", "rules:\n" + rule("MARS-A", "", "alpha"));
  write(dir / "a" / "two.yaml", "rules:\n" + rule("MARS-A", "", "omega"));  // replaces one.yaml's
  write(dir / "a" / "notes.txt", "not a pattern file: [");
  write(dir / "c.yaml", "rules:\n" + rule("MARS-C", "", "x(") );

  std::vector<LoadError> errors;
  PatternDb db = load_database(LoadOptions{false, {dir.string()}, 8 << 20}, errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == (dir / "c.yaml").generic_string());
  CHECK(errors[0].line == 7);
  CHECK(errors[0].rule == "MARS-C");
  REQUIRE(db.files.size() == 4);
  CHECK(db.files[0] == (dir / "a" / "one.yaml").generic_string());
  CHECK(db.files[2] == (dir / "b" / "deep" / "z.yaml").generic_string());
  REQUIRE(db.rules.size() == 2);
  CHECK(db.rules[0].id == "MARS-A");
  CHECK(db.patterns[static_cast<size_t>(db.rules[0].triggers[0])].regex == "omega");
  CHECK(db.rules[1].id == "MARS-Z");

  std::vector<LoadError> missing;
  load_database(LoadOptions{false, {(dir / "nope").string()}, 8 << 20}, missing);
  REQUIRE(missing.size() == 1);
  CHECK_THAT(missing[0].to_string(), Contains("nope: not a readable directory"));
  fs::remove_all(dir);
}

TEST_CASE("LazyRegex: compiled once, on first use, for every copy and thread") {
  LazyRegex lazy("ID:\\s*345\\d\\d\\b", 8 << 20);
  LazyRegex copy = lazy;
  CHECK(lazy.pattern() == "ID:\\s*345\\d\\d\\b");
  std::vector<const RE2*> seen(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) threads.emplace_back([&, t] { seen[t] = (t % 2 ? copy : lazy).get(); });
  for (auto& t : threads) t.join();
  REQUIRE(seen[0] != nullptr);
  for (const RE2* re : seen) CHECK(re == seen[0]);
  CHECK(RE2::PartialMatch("(ID: 34513)", *lazy.get()));
  CHECK_FALSE(RE2::PartialMatch("(ID: 345130)", *lazy.get()));

  CHECK(LazyRegex("(unclosed", 8 << 20));  // has a regex...
  CHECK(LazyRegex("(unclosed", 8 << 20).get() == nullptr);  // ...that RE2 rejects
  CHECK_FALSE(LazyRegex());
  CHECK(LazyRegex().get() == nullptr);
}

TEST_CASE("built-in regexes: compiled on first use, and every one of them compiles") {
  // The trust the loader gives the built-in files rests on this test.
  std::vector<LoadError> errors;
  PatternDb lazy = load_database(LoadOptions{}, errors);
  REQUIRE(errors.empty());
  LoadOptions checked;
  checked.check_builtin = true;
  PatternDb eager = load_database(checked, errors);
  REQUIRE(errors.empty());
  REQUIRE(lazy.patterns.size() == eager.patterns.size());
  REQUIRE(lazy.patterns.size() > 100);
  for (size_t i = 0; i < lazy.patterns.size(); ++i) {
    INFO(lazy.patterns[i].regex);
    CHECK(lazy.patterns[i].regex == eager.patterns[i].regex);
    REQUIRE(lazy.patterns[i].re.get());
    if (!lazy.patterns[i].source_regex.empty()) CHECK(lazy.patterns[i].source_re.get());
  }
}

TEST_CASE("built-in regexes: a smaller regex budget than the default is checked at load") {
  std::vector<LoadError> errors;
  LoadOptions tiny;
  tiny.max_regex_memory = 1 << 10;
  load_database(tiny, errors);
  REQUIRE_FALSE(errors.empty());
  CHECK_THAT(errors[0].message, Contains("exceeds max_regex_memory"));
  CHECK_THAT(errors[0].file, StartsWith("patterns/"));
}
