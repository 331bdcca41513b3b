// The job story and the timeline in the text, JSON, Markdown and HTML reports.
#include <catch2/catch.hpp>

#include <simdjson.h>

#include <sstream>

#include "report/render.h"
#include "report_fixture.h"

using namespace fixture;

namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

template <class Fn>
std::string render(const analysis::Report& r, bool zh, bool timeline, Fn fn) {
  report::RenderOptions o;
  o.chinese = zh;
  o.timeline = timeline;
  std::ostringstream s;
  fn(r, o, s);
  return s.str();
}

}  // namespace

TEST_CASE("story text: what ran, where it failed, why, what to do") {
  Built b;
  build_report(b);
  const std::string t = render(b.report, false, false, report::render_text);
  CHECK(has(t, "Jobs (failed first):\n  " + std::string(kGuid)));
  CHECK(has(t, "    duration: 3 min 0 s\n"));
  CHECK(has(t, "    phases: Prebackup (2019-08-05T10:13:20.000Z), Data transfer (2019-08-05T10:14:20.000Z)\n"));
  CHECK(has(t, "    failed in phase: Data transfer\n"));
  CHECK(has(t, "      at: bundle.zip!Temp/CBEngineCurr.errlog:13  2019-08-05T10:16:20.000Z\n"));
  // Each finding inside the job with its top cause and first action.
  CHECK(has(t, "      [error] MARS-34513 Invalid vault credentials provided (1)\n"
               "        why: The credentials file expired. (credentials-expired, evidenced)\n"
               "        do: Download fresh vault credentials.\n"));
  CHECK(has(t, "      [error] MARS-407 Proxy authentication required (1)\n"
               "        why: Proxy credentials missing. (proxy-credentials-missing, possible)\n"
               "        do: Set the proxy user.\n"));
  CHECK_FALSE(has(t, "Timeline:"));  // only on request

  const std::string z = render(b.report, true, false, report::render_text);
  CHECK(has(z, "持续时间：3 分 0 秒"));
  CHECK(has(z, "失败阶段：Data transfer"));
  CHECK(has(z, "失败原因：0x80070005 (E_ACCESSDENIED: 拒绝访问。): Failed: Hr: = [0x80070005]"));
  CHECK(has(z, "原因：凭据文件已过期。"));
  CHECK(has(z, "操作：重新下载保管库凭据。"));
}

TEST_CASE("story text: failed jobs first, the documented state meaning, joined events") {
  Built b;
  build_report(b);
  analysis::Job ok;
  ok.id = "OK-JOB";
  ok.outcome = "succeeded";
  ok.last_state = "7";
  ok.state_stage = "VERIFYING_BACKUP";
  ok.state_meaning = T("backup has been verified", "备份已验证");
  analysis::Occurrence ev;
  ev.source = "CloudBackup.xml";
  ev.line = 3;
  ev.is_event = true;
  ev.time = kT0;
  ev.text = "The backup operation has completed.";
  ok.events = {ev};
  b.report.jobs.insert(b.report.jobs.begin(), ok);  // succeeded listed first by whoever built it
  const std::string t = render(b.report, false, false, report::render_text);
  CHECK(t.find(kGuid) < t.find("OK-JOB"));
  CHECK(has(t, ": 7 VERIFYING_BACKUP (backup has been verified)\n"));
  CHECK(has(t, "    events:\n      CloudBackup.xml:#3: 2019-08-05T10:13:20.000Z The backup operation has completed.\n"));
  const std::string z = render(b.report, true, false, report::render_text);
  CHECK(has(z, "7 VERIFYING_BACKUP（备份已验证）"));
}

TEST_CASE("timeline text: time order, untimed entries last, only with the option") {
  Built b;
  build_report(b);
  const std::string t = render(b.report, false, true, report::render_text);
  const size_t head = t.find("\nTimeline:\n");
  REQUIRE(head != std::string::npos);
  const std::string tl = t.substr(head);
  const size_t start = tl.find("2019-08-05T10:13:20.000Z  job start " + std::string(kGuid));
  const size_t finding = tl.find("2019-08-05T10:16:20.000Z  [error] MARS-34513  bundle.zip!Temp/CBEngineCurr.errlog:13");
  const size_t failure = tl.find("2019-08-05T10:16:20.000Z  job failed " + std::string(kGuid));
  const size_t proxy = tl.find("2019-08-05T10:17:20.000Z  [error] MARS-407");
  const size_t untimed = tl.find("(no time)  [warning] MARS-FILE-0x80070005  bundle.zip!LastBackupFailedFiles.txt:1");
  REQUIRE(start != std::string::npos);
  REQUIRE(finding != std::string::npos);
  REQUIRE(failure != std::string::npos);
  REQUIRE(proxy != std::string::npos);
  REQUIRE(untimed != std::string::npos);
  CHECK(start < finding);
  CHECK(finding < failure);
  CHECK(failure < proxy);
  CHECK(proxy < untimed);
  CHECK(has(render(b.report, true, true, report::render_text), "时间线："));
}

TEST_CASE("story json: job fields and timeline[] (only with the option)") {
  Built b;
  build_report(b);
  const std::string without = render(b.report, false, false, report::render_json);
  CHECK_FALSE(has(without, "\"timeline\""));
  const std::string js = render(b.report, false, true, report::render_json);
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(js);
  simdjson::dom::object j = doc["jobs"].at(0);
  CHECK(std::string_view(j["failed_phase"]) == "Data transfer");
  CHECK(uint64_t(j["duration_ms"]) == 3 * 60 * 1000);
  CHECK(std::string_view(j["failure_decoded"].at(0)) == "0x80070005 (E_ACCESSDENIED: Access is denied.)");
  CHECK(std::string_view(j["failure_message"]) == "Failed: Hr: = [0x80070005] Invalid vault credentials (ID: 34513)");
  CHECK(uint64_t(j["failed_at"]["line"]) == 13);
  CHECK(uint64_t(j["started_at"]["line"]) == 10);
  CHECK(j["ended_at"].is_null());
  CHECK(j["state"].is_null());
  simdjson::dom::array story = j["story"];
  REQUIRE(story.size() == 2);
  CHECK(std::string_view(story.at(0)["rule"]) == "MARS-34513");
  CHECK(std::string_view(story.at(0)["top_cause"]["id"]) == "credentials-expired");
  CHECK(std::string_view(story.at(0)["top_cause"]["status"]) == "evidenced");
  CHECK(std::string_view(story.at(0)["first_action"]) == "Download fresh vault credentials.");
  simdjson::dom::array tl = doc["timeline"];
  REQUIRE(tl.size() == 11);  // start, finding + failure at :13, MARS-407, 7 untimed failed files
  CHECK(std::string_view(tl.at(0)["kind"]) == "job-start");
  CHECK(std::string_view(tl.at(0)["job"]) == kGuid);
  CHECK(tl.at(0)["rule"].is_null());
  CHECK(std::string_view(tl.at(1)["kind"]) == "finding");
  CHECK(std::string_view(tl.at(1)["rule"]) == "MARS-34513");
  CHECK(std::string_view(tl.at(1)["severity"]) == "error");
  CHECK(std::string_view(tl.at(2)["kind"]) == "job-failure");
  CHECK(std::string_view(tl.at(2)["time"]) == "2019-08-05T10:16:20.000Z");
  CHECK(std::string_view(tl.at(3)["rule"]) == "MARS-407");
  CHECK(tl.at(10)["time"].is_null());
  CHECK(uint64_t(tl.at(10)["line"]) == 7);
  CHECK(!bool(tl.at(10)["event"]));
  // zh-CN: decoded codes in Chinese.
  const std::string zj = render(b.report, true, true, report::render_json);
  CHECK(has(zj, "0x80070005 (E_ACCESSDENIED: 拒绝访问。)"));
}

TEST_CASE("story markdown and html: failed phase, why/do, timeline section") {
  Built b;
  build_report(b);
  const std::string m = render(b.report, false, true, report::render_markdown);
  CHECK(has(m, "| **failed** | `" + std::string(kGuid) + "` | backup |"));
  CHECK(has(m, "| Data transfer |"));
  CHECK(has(m, "  - **MARS-34513** Invalid vault credentials provided — why: The credentials file expired. — do: "
               "Download fresh vault credentials.\n"));
  CHECK(has(m, "### Timeline\n"));
  CHECK(m.find("job start") < m.find("job failed"));
  CHECK_FALSE(has(render(b.report, false, false, report::render_markdown), "### Timeline"));

  const std::string h = render(b.report, false, true, report::render_html);
  CHECK(has(h, "<table class=\"timeline-table\">"));
  CHECK(h.find("<svg class=\"timeline\"") < h.find("<table class=\"timeline-table\">"));
  CHECK(has(h, "<tr class=\"story\">"));
  CHECK(has(h, "<td>Data transfer"));
  CHECK_FALSE(has(render(b.report, false, false, report::render_html), "timeline-table"));
}
