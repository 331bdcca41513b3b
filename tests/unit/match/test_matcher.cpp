#include <catch2/catch.hpp>

#include <random>
#include <thread>

#include <re2/re2.h>

#include "helpers.h"
#include "match/check.h"
#include "match/prefilter.h"

using namespace marsscan;
using namespace marsscan::match;
using test::Hit;
using test::load_yaml;
using test::scan_text;

namespace {

// A rule per regex (rule i has trigger pattern i), plus optional extra YAML per trigger.
std::string rules_for(const std::vector<std::string>& regexes,
                      const std::vector<std::string>& sources = {}) {
  std::string y = "rules:\n";
  for (size_t i = 0; i < regexes.size(); ++i) {
    y += "  - id: R" + std::to_string(i) +
         "\n    severity: error\n    title: { en: t }\n    source: s\n"
         "    triggers:\n      - regex: '" + regexes[i] + "'\n";
    if (i < sources.size() && !sources[i].empty()) y += "        source: '" + sources[i] + "'\n";
    y += "    samples: [x]\n    near_misses: [y]\n";
  }
  return y;
}

PatternDb db_for(const std::vector<std::string>& regexes,
                 const std::vector<std::string>& sources = {}) {
  auto l = load_yaml(rules_for(regexes, sources));
  for (const auto& e : l.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(l.errors.empty());
  return std::move(l.db);
}

// Ground truth: each regex's RE2 on each line (trailing CRs cut), independent of the matcher.
std::vector<Hit> brute_force(const PatternDb& db, const std::string& text, uint64_t first = 1) {
  std::vector<Hit> out;
  uint64_t no = first;
  for (size_t pos = 0; pos < text.size(); ++no) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<int> pats;
    for (size_t p = 0; p < db.patterns.size(); ++p)
      if (RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *db.patterns[p].re.get()))
        pats.push_back(static_cast<int>(p));
    if (!pats.empty()) {
      records::Record r;
      out.push_back({no, std::string(line), records::RecordKind::Text, pats});
    }
    pos = end + 1;
  }
  return out;
}

std::vector<Hit> without_kind(std::vector<Hit> v) {
  for (auto& h : v) h.kind = records::RecordKind::Text;
  return v;
}

const std::vector<std::string> kRegexes = {
    R"(\(\s*ID\s*[:：]\s*34513\s*\))",
    R"((?i)\b0x1FC07\b)",
    R"((?:Error|错误)\s*34506\b)",
    R"(\(407\)\s*(?:Proxy Authentication Required|需要代理身份验证))",
    R"(Failed: Hr: = \[0x(?P<hr>[0-9a-fA-F]{8})\])",
    R"(Backup Progress:\s*(?P<phase>[A-Za-z ]+?) (?:started|fin(?:ished|sihed))\.?$)",
    R"(^\s*$)",                              // empty lines: matches the empty string
    R"((?U)Import job .+ not found)",        // Vectorscan rejects (?U); the sieve takes it
    R"(激活未成功完成.{0,40}0x1FC07)",
    R"([^/!]{3}\.txt$)",
    R"(^\d{2}/\d{2}\s+\d{2}:\d{2}:\d{2}\.\d{3}\b.*\bFATAL\b)",
    R"(\bE_ACCESSDENIED\b|0x80070005)",
    R"(\QHr: = [0x\E)",
    R"(done\z)",
    R"(\Aready)",
};

// Lines built from fragments that hit, nearly hit or miss the patterns above.
std::string corpus(unsigned seed, size_t lines) {
  static const std::vector<std::string> frags = {
      "(ID: 34513)", "(ID:34513)", "ID：34513", "( ID ： 34513 )", "Uploading 34513 RO entries",
      "0x1FC07", "0x1fc07", "0x1FC070", "x0x1FC07", "[0x1FC07]", "Error 34506.", "错误 34506",
      "Error 345067", "(407) Proxy Authentication Required", "(407) 需要代理身份验证", "4070 KB/s",
      "Failed: Hr: = [0x80070005]", "Failed: Hr: = [0x8007000]", "Backup Progress: Prebackup started.",
      "Backup Progress: Integrity Check finsihed.", "Backup Progress: Succeeded", "Import job x not found",
      "Import job not found", "激活未成功完成，内部服务错误 [0x1FC07]", "激活未成功完成", "LastBackupFailedFiles1.txt",
      "a/b.txt", "06/07 01:23:25.640 71 x.cpp(1) FATAL boom", "06/07 1:23:25.640 FATAL", "E_ACCESSDENIED",
      "NOE_ACCESSDENIEDX", "done", "done.", "ready", " ready", "D:\\Data\\403\\", "é", "\t", " ", "",
      "\xe4\xb8\xad", "Hr: = [0x"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, frags.size() - 1), count(0, 4), endings(0, 9);
  std::string out;
  for (size_t i = 0; i < lines; ++i) {
    size_t n = count(rng);
    for (size_t k = 0; k < n; ++k) {
      if (k) out += (rng() & 1) ? " " : "";
      out += frags[pick(rng)];
    }
    size_t e = endings(rng);
    out += e == 0 ? "\r\n" : e == 1 ? "\r\r\n" : "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("matcher: prefilter on and off give identical results on a generated corpus") {
  PatternDb db = db_for(kRegexes);
  Matcher with(db), without(db, MatcherOptions{false, {}, {}, false});
  // ^\s*$ matches the empty string. (?U), which Vectorscan rejects, is searched for by its
  // literal "import" in the sieve; `.txt$` and `\Q...\E` have no literal of 5 bytes and go
  // through Vectorscan: both prefilters are at work.
  std::vector<int> unfiltered;
  for (const auto& u : with.unfiltered()) unfiltered.push_back(u.pattern);
  CHECK(unfiltered == std::vector<int>{6});
  CHECK(without.unfiltered().empty());
  for (unsigned seed : {1u, 2u, 3u}) {
    std::string text = corpus(seed, 5000);
    auto a = scan_text(with, text, "x.errlog", 100);
    auto b = scan_text(without, text, "x.errlog", 100);
    auto truth = brute_force(db, text, 100);
    REQUIRE(a.size() > 1000);
    CHECK(a == b);
    CHECK(without_kind(a) == truth);
    // Every pattern fires somewhere, and some lines match several.
    std::vector<int> fired(db.patterns.size());
    size_t multi = 0;
    for (const auto& h : a) {
      for (int p : h.patterns) fired[static_cast<size_t>(p)] = 1;
      multi += h.patterns.size() > 1;
    }
    CHECK(std::count(fired.begin(), fired.end(), 1) == static_cast<long>(db.patterns.size()));
    CHECK(multi > 100);
  }
}

TEST_CASE("matcher: match() of multi-line texts, prefilter on and off, against RE2 on the whole text") {
  // Event messages span lines: a regex may need atoms from two of them, or a line end itself.
  std::vector<std::string> regexes(kRegexes.begin(), kRegexes.end());
  regexes.push_back(R"((?s)inconsistency.*was detected)");
  regexes.push_back(R"(Recovery Services Agent\s+34513)");
  PatternDb db = db_for(regexes);
  Matcher with(db), without(db, MatcherOptions{false, {}, {}, false});
  std::vector<std::string> texts = {"critical inconsistency\nwas detected", "Recovery Services Agent\r\n34513",
                                    "Recovery Services Agent 34513", "Agent\n34513", "inconsistency only"};
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string c = corpus(static_cast<unsigned>(i), 1 + rng() % 6);
    if (!c.empty() && c.back() == '\n') c.pop_back();
    texts.push_back(c);
  }
  size_t matched = 0;
  for (const auto& text : texts) {
    records::Record r;
    r.kind = records::RecordKind::Event;
    r.source = "x.evtx";
    r.text = text;
    std::vector<int> a, b, truth;
    with.match(r, [&](const Match& m) { a.assign(m.patterns.begin(), m.patterns.end()); });
    without.match(r, [&](const Match& m) { b.assign(m.patterns.begin(), m.patterns.end()); });
    for (size_t p = 0; p < db.patterns.size(); ++p)
      if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *db.patterns[p].re.get()))
        truth.push_back(static_cast<int>(p));
    INFO(text);
    CHECK(a == truth);
    CHECK(b == truth);
    matched += !truth.empty();
  }
  CHECK(matched > 200);
  const int inconsistency = static_cast<int>(regexes.size()) - 2;
  records::Record r;
  r.text = texts[0];
  std::vector<int> got;
  with.match(r, [&](const Match& m) { got.assign(m.patterns.begin(), m.patterns.end()); });
  CHECK(got == std::vector<int>{inconsistency});
  r.text = texts[1];
  with.match(r, [&](const Match& m) { got.assign(m.patterns.begin(), m.patterns.end()); });
  CHECK(got == std::vector<int>{inconsistency + 1});
}

TEST_CASE("matcher: without unfiltered patterns only candidate lines are visited, same results") {
  std::vector<std::string> regexes(kRegexes.begin(), kRegexes.end());
  regexes.erase(regexes.begin() + 6, regexes.begin() + 8);
  PatternDb db = db_for(regexes);
  Matcher with(db), without(db, MatcherOptions{false, {}, {}, false});
  CHECK(with.unfiltered().empty());
  std::string text = corpus(7, 8000);
  auto a = scan_text(with, text);
  CHECK(a == scan_text(without, text));
  CHECK(without_kind(a) == brute_force(db, text));
}

TEST_CASE("matcher: lines, CRLF, several patterns per line and errlog records") {
  PatternDb db = db_for({"alpha", "beta", "(?i)gamma$", R"(ID\s*[:：]\s*34513)", "finsihed\\.$"});
  Matcher m(db);
  std::string text =
      "nothing here\r\n"
      "alpha and beta and GAMMA\r\n"
      "gamma not at end\n"
      "\n"
      "0AB0\t0974\t08/04\t13:16:29.206\t18\tx.cpp(1)\t[00]\t1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\tFATAL\t"
      "提供的保管库凭据无效 (ID：34513)\r\n"
      "06/07\t14:59:26.969\t71\tbackupasync.cpp(1347)\t[000000001A12E3F0]\tF3E32129-DC79-4A28-9ACC-3F30CB5810B6"
      "\tNORMAL\tBackup Progress: UnInitialize Storage finsihed.\r\n"
      "beta";  // last line without a newline
  auto hits = scan_text(m, text, "CBEngineCurr.errlog", 10);
  REQUIRE(hits.size() == 4);
  CHECK(hits[0].line == 11);
  CHECK(hits[0].text == "alpha and beta and GAMMA");
  CHECK(hits[0].patterns == std::vector<int>{0, 1, 2});
  CHECK(hits[0].kind == records::RecordKind::Text);
  CHECK(hits[1].line == 14);
  CHECK(hits[1].patterns == std::vector<int>{3});
  CHECK(hits[1].kind == records::RecordKind::Errlog);
  CHECK(hits[1].text.back() == ')');
  CHECK(hits[2].line == 15);
  CHECK(hits[2].patterns == std::vector<int>{4});
  CHECK(hits[2].kind == records::RecordKind::Errlog);
  CHECK(hits[3].line == 16);
  CHECK(hits[3].text == "beta");
  CHECK(hits[3].patterns == std::vector<int>{1});
  CHECK(hits == scan_text(Matcher(db, MatcherOptions{false, {}, {}, false}), text, "CBEngineCurr.errlog", 10));
}

TEST_CASE("matcher: errlog records carry parsed fields and a resolved time") {
  PatternDb db = db_for({R"(Hr: = \[0x80780054\])"});
  Matcher m(db);
  std::string text =
      "44B4\t3968\t10/21\t21:02:21.611\t71\tbackupasync.cpp(1184)\t[000000001B73B830]\t"
      "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134\tWARNING\tFailed: Hr: = [0x80780054] Offline Backup Progress: Failed\n";
  input::TextBlock block{text, 5, 1};
  records::YearResolver years(records::TimeContext{2019, {}, 0});
  int calls = 0;
  m.scan("a.zip!Temp/CBEngineCurr.errlog", block, years, [&](const Match& match) {
    ++calls;
    const records::Record& r = *match.record;
    CHECK(r.kind == records::RecordKind::Errlog);
    CHECK(r.source == "a.zip!Temp/CBEngineCurr.errlog");
    CHECK(r.line == 5);
    CHECK(r.errlog.task == "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134");
    CHECK(r.errlog.level == "WARNING");
    REQUIRE(r.time);
    CHECK(format_iso8601(*r.time) == "2019-10-21T21:02:21.611Z");
    CHECK(match.event_patterns.empty());
  });
  CHECK(calls == 1);
}

TEST_CASE("matcher: a source filter limits a pattern to matching leaves") {
  PatternDb db = db_for({"0x80070005", "0x80070005"}, {R"((?i)LastBackupFailedFiles[^/!]*\.txt$)", ""});
  for (bool prefilter : {true, false}) {
    Matcher m(db, MatcherOptions{prefilter, {}, {}, false});
    std::string text = "C:\\x.doc 0x80070005\nother\n";
    auto in_list = scan_text(m, text, "bundle.zip!Temp/LastBackupFailedFiles17af1_7_21_2020.txt");
    REQUIRE(in_list.size() == 1);
    CHECK(in_list[0].patterns == std::vector<int>{0, 1});
    auto elsewhere = scan_text(m, text, "bundle.zip!Temp/CBEngineCurr.errlog");
    REQUIRE(elsewhere.size() == 1);
    CHECK(elsewhere[0].patterns == std::vector<int>{1});
    // The same source regex does not see "!" members of another leaf's name.
    CHECK(scan_text(m, text, "LastBackupFailedFiles.txt!inner.log").at(0).patterns ==
          std::vector<int>{1});
    // match() applies it to the record's source as well.
    records::Record r;
    r.source = "Temp/CBEngineCurr.errlog";
    r.text = "0x80070005";
    std::vector<int> got;
    m.match(r, [&](const Match& x) { got.assign(x.patterns.begin(), x.patterns.end()); });
    CHECK(got == std::vector<int>{1});
    Matcher ignoring(db, MatcherOptions{prefilter, {}, {}, true});
    CHECK(scan_text(ignoring, text, "CBEngineCurr.errlog").at(0).patterns == std::vector<int>{0, 1});
  }
}

TEST_CASE("matcher: event conditions over event fields") {
  auto l = load_yaml(R"Y(rules:
  - id: E
    severity: error
    title: { en: t }
    source: s
    triggers:
      - event: { channel: '(?i)^CloudBackup(/Operational)?$', provider: 'CloudBackup', ids: [18, 19], max_level: 2 }
      - event: { message: 'initialization phase' }
      - event: { ids: [7000], data: { param1: '(?i)^Microsoft iSCSI', "#1": '^3$' } }
      - regex: 'Scheduled backup failed'
    samples: ['Scheduled backup failed']
    near_misses: ['x']
    event_samples: [ { id: 18 } ]
)Y");
  for (const auto& e : l.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(l.errors.empty());
  const PatternDb& db = l.db;
  Matcher m(db);

  auto run = [&](const records::Event& e) {
    std::string text = e.text();
    records::Record r;
    r.kind = records::RecordKind::Event;
    r.source = "Application.evtx";
    r.text = text;
    r.event = &e;
    std::pair<std::vector<int>, std::vector<int>> got;
    int calls = 0;
    m.match(r, [&](const Match& x) {
      ++calls;
      CHECK(x.record == &r);
      got.first.assign(x.patterns.begin(), x.patterns.end());
      got.second.assign(x.event_patterns.begin(), x.event_patterns.end());
    });
    if (got.first.empty() && got.second.empty()) CHECK(calls == 0);
    return got;
  };
  records::Event e;
  e.provider = "CloudBackup";
  e.channel = "CloudBackup/Operational";
  e.event_id = 18;
  e.level = 2;
  e.message = "Scheduled backup failed in initialization phase";
  auto got = run(e);
  CHECK(got.first == std::vector<int>{0});       // the text trigger sees the event text
  CHECK(got.second == std::vector<int>{0, 1});
  e.level = 4;
  CHECK(run(e).second == std::vector<int>{1});  // too low a severity
  e.level = 0;
  CHECK(run(e).second == std::vector<int>{1});  // "log always" is not an error
  e.level = -1;
  CHECK(run(e).second == std::vector<int>{1});  // unknown
  e.level = 1;
  e.channel = "Application";
  CHECK(run(e).second == std::vector<int>{1});
  e.channel = "CloudBackup";
  e.event_id = 3;
  e.message = "Backup finished";
  auto none = run(e);
  CHECK(none.first.empty());
  CHECK(none.second.empty());

  records::Event scm;
  scm.provider = "Service Control Manager";
  scm.event_id = 7000;
  scm.level = 2;
  scm.data = {{"", "first"}, {"PARAM1", "Microsoft iSCSI Initiator Service"}, {"", "3"}};
  CHECK(run(scm).second == std::vector<int>{2});  // named case-insensitively, #1 = 2nd unnamed
  scm.data = {{"", "3"}, {"param1", "Microsoft iSCSI Initiator Service"}};
  CHECK(run(scm).second.empty());                 // no second unnamed field
  scm.data = {{"param1", "Microsoft iSCSI Initiator Service"}, {"", "x"}, {"", "3"}};
  CHECK(run(scm).second == std::vector<int>{2});
  scm.data = {{"param1", "iSCSI"}, {"", "x"}, {"", "3"}};
  CHECK(run(scm).second.empty());
}

TEST_CASE("matcher: enabled restricts the reported patterns") {
  PatternDb db = db_for({"alpha", "beta", "^$"});
  std::string text = "alpha beta\n\nbeta\n";
  for (bool prefilter : {true, false}) {
    Matcher only_beta(db, MatcherOptions{prefilter, {false, true}, {}, false});
    auto hits = scan_text(only_beta, text);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].patterns == std::vector<int>{1});
    CHECK(hits[1].line == 3);
    // Restricting events only turns every text pattern off.
    Matcher events_only(db, MatcherOptions{prefilter, {}, {true}, false});
    CHECK(scan_text(events_only, text).empty());
  }
}

TEST_CASE("matcher: invalid UTF-8 in a block still matches like RE2") {
  PatternDb db = db_for({"Fehler 0x80070005", "caf.", R"(\bE_FAIL\b)"});
  std::string text = "Fehler 0x80070005 \xff\xfe\n"
                     "caf\xe9 E_FAIL\n"
                     "caf\xc3\xa9\n"
                     "\xc0\xaf E_FAIL\n";
  Matcher with(db), without(db, MatcherOptions{false, {}, {}, false});
  auto a = scan_text(with, text);
  CHECK(a == scan_text(without, text));
  CHECK(without_kind(a) == brute_force(db, text));
  REQUIRE(a.size() == 4);
  CHECK(a[0].patterns == std::vector<int>{0});
}

TEST_CASE("matcher: scan is safe from several threads at once") {
  PatternDb db = db_for(kRegexes);
  Matcher m(db);
  std::string text = corpus(11, 3000);
  auto expected = scan_text(m, text);
  std::vector<std::vector<Hit>> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) results[t] = scan_text(m, text);
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r == expected);
}

TEST_CASE("prefilter expressions keep $ working before CR and leave classes alone") {
  CHECK(prefilter_expression("abc$") == "abc(?:\\r*$)");
  CHECK(prefilter_expression("[$]x") == "[$]x");
  CHECK(prefilter_expression("[]$]x$") == "[]$]x(?:\\r*$)");
  CHECK(prefilter_expression("\\$") == "\\$");
  CHECK(prefilter_expression("\\Qa$\\E$") == "\\Qa$\\E(?:\\r*$)");
  CHECK(prefilter_expression("\\Aready\\z") == "^ready(?:\\r*$)");
  CHECK(prefilter_expression("[[:alpha:]$]$") == "[[:alpha:]$](?:\\r*$)");
}

TEST_CASE("check_warnings lists patterns the prefilter cannot narrow") {
  PatternDb db = db_for({"alpha", "(?U)be.+x", "^$"});
  auto w = check_warnings(db);
  REQUIRE(w.size() == 2);
  CHECK(w[0].rule == "R1");
  CHECK_THAT(w[0].to_string(), Catch::Matchers::StartsWith("t.yaml:15: R1: regex '(?U)be.+x' is checked on every line"));
  CHECK_THAT(w[1].message, Catch::Matchers::Contains("matches the empty string"));
}

TEST_CASE("matcher: where a pattern with named groups matched, as RE2 finds it") {
  PatternDb db = db_for({R"(Progress:\s*(?P<phase>[A-Za-z ]+?)\s+started)", "started", R"(x(?P<n>\d)|y(\d))"});
  std::string text =
      "Backup Progress: Data transfer started. Progress: Other started\n"
      "no match here\n"
      "a y7 then x5 started\n";
  for (bool prefilter : {true, false}) {
    INFO("prefilter " << prefilter);
    Matcher m(db, MatcherOptions{prefilter, {}, {}, false});
    input::TextBlock block;
    block.data = text;
    block.first_line = 1;
    block.lines = 3;
    records::YearResolver years(records::TimeContext{2024, {}, 0});
    size_t seen = 0;
    m.scan("s", block, years, [&](const Match& match) {
      ++seen;
      std::string line(match.record->text);
      REQUIRE(match.where.size() == match.patterns.size());
      for (size_t i = 0; i < match.patterns.size(); ++i) {
        const RE2* re = db.patterns[static_cast<size_t>(match.patterns[i])].re.get();
        re2::StringPiece want;
        REQUIRE(re->Match(line, 0, line.size(), RE2::UNANCHORED, &want, 1));
        const Where w = match.where[i];
        if (re->NamedCapturingGroups().empty() || !prefilter) {
          // Without named groups nobody needs it; RE2::Set (no prefilter) does not say.
          if (!prefilter) continue;
          CHECK(w.begin == Where::kUnknown);
          continue;
        }
        REQUIRE(w.begin != Where::kUnknown);
        CHECK(line.substr(w.begin, w.end - w.begin) == std::string(want.data(), want.size()));
        CHECK(w.begin == static_cast<uint32_t>(want.data() - line.data()));
      }
    });
    CHECK(seen == 2);
  }
}
