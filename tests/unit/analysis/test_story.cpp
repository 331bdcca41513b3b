// A job's story: the phase it failed in, CloudBackup events joined by time, event-only jobs
// failed by findings inside their span, the documented meaning of the Ds Id state, and the
// timeline's order.
#include <catch2/catch.hpp>

#include "analysis_fixture.h"

using namespace fixture;

namespace {

// A CloudBackup event (no task GUID) that `patterns` matched.
void event(Feed& feed, const std::string& source, uint64_t ordinal, int64_t time, const std::string& text,
           std::vector<int> patterns) {
  records::Record r;
  r.kind = records::RecordKind::Event;
  r.source = feed.keep(source);
  r.line = ordinal;
  r.text = feed.keep(text);
  if (time >= 0) r.time = time;
  std::vector<int> ev;
  feed.an.add(match::Match{&r, std::span<const int>(patterns), std::span<const int>(ev)});
}

const analysis::Job* job(const analysis::Report& r, const std::string& id) {
  for (const auto& j : r.jobs)
    if (j.id == id) return &j;
  return nullptr;
}

}  // namespace

TEST_CASE("story: the failed phase is the one the job was in when the failure line was logged") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  const std::string f = "CBEngineCurr.errlog";
  feed.line(f, kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line(f, kGuid, kT0 + kMin, "Backup Progress: Data transfer started.", {kMarkPhase});
  feed.line(f, kGuid, kT0 + 2 * kMin, "Failed: Hr: = [0x80070005] Unable to open", {kMarkFailure});
  // The clean-up phase starts after the failure: not where the job failed.
  feed.line(f, kGuid, kT0 + 3 * kMin, "Backup Progress: UnInitialize Storage finsihed.", {kMarkEnd});
  auto rep = an.finish();
  REQUIRE(rep.jobs.size() == 1);
  const auto& j = rep.jobs[0];
  CHECK(j.outcome == "failed");
  CHECK(j.phases.back().name == "UnInitialize Storage");
  CHECK(j.failed_phase == "Data transfer");
  CHECK(j.failure_message == "Failed: Hr: = [0x80070005] Unable to open");
  CHECK(j.failure_decoded == std::vector<std::string>{"0x80070005 (E_ACCESSDENIED: Access is denied.)"});
  CHECK(j.failure_decoded_in(true) == std::vector<std::string>{"0x80070005 (E_ACCESSDENIED: 拒绝访问。)"});
  REQUIRE(j.failed_at);
  CHECK(j.failed_at->line == 3);
  CHECK(j.failed_at->time == kT0 + 2 * kMin);
  REQUIRE(j.started_at);
  CHECK(j.started_at->line == 1);
  REQUIRE(j.ended_at);
  CHECK(j.ended_at->line == 4);
}

TEST_CASE("story: without times, the failed phase is the last one reached before the failure line") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("c.errlog", kGuid, -1, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line("c.errlog", kGuid, -1, "Failed: Hr: = [0x80070005]", {kMarkFailure});
  feed.line("c.errlog", kGuid, -1, "Backup Progress: Data transfer started.", {kMarkPhase});
  auto rep = an.finish();
  REQUIRE(rep.jobs.size() == 1);
  CHECK(rep.jobs[0].failed_phase == "Prebackup");
}

TEST_CASE("story: CloudBackup events join the errlog job whose span overlaps theirs, within a tolerance") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  const std::string f = "CBEngineCurr.errlog", ev = "CloudBackup.xml";
  feed.line(f, kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line(f, kGuid, kT0 + kMin, "Failed: Hr: = [0x80070005]", {kMarkFailure});
  feed.line(f, kGuid, kT0 + 2 * kMin, "Backup Progress: UnInitialize Storage finsihed.", {kMarkEnd});
  // Another clock: the start event 100 ms before the errlog's start, the end 4 minutes after its end.
  event(feed, ev, 1, kT0 - 100, "The backup operation has started.", {kMarkStart});
  event(feed, ev, 2, kT0 + 6 * kMin, "The backup operation has completed with errors.", {kMarkFailure});
  // A pair of events a day later with no errlog job: a job of its own.
  event(feed, ev, 3, kT0 + 24 * 60 * kMin, "The backup operation has started.", {kMarkStart});
  event(feed, ev, 4, kT0 + 24 * 60 * kMin + 5 * kMin, "The backup operation has completed.", {kMarkSuccess});
  auto rep = an.finish();
  REQUIRE(rep.jobs.size() == 2);
  const auto* j = job(rep, kGuid);
  REQUIRE(j);
  REQUIRE(j->events.size() == 2);
  CHECK(j->events[0].line == 1);
  CHECK(j->events[1].line == 2);
  CHECK(j->events[0].is_event);
  // The errlog's own times and failure stay.
  CHECK(j->start == kT0);
  CHECK(j->end == kT0 + 2 * kMin);
  CHECK(j->failure_message == "Failed: Hr: = [0x80070005]");
  CHECK(j->phases.size() == 2);  // no event phase mixed in
  const auto* other = job(rep, "event:" + ev + ":3");
  REQUIRE(other);
  CHECK(other->outcome == "succeeded");
  CHECK(other->events.empty());
}

TEST_CASE("story: an event job farther than the tolerance does not join") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("c.errlog", kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line("c.errlog", kGuid, kT0 + kMin, "Backup Progress: Succeeded", {kMarkSuccess});
  event(feed, "e.xml", 1, kT0 + 7 * kMin, "started", {kMarkStart});
  event(feed, "e.xml", 2, kT0 + 8 * kMin, "completed", {kMarkSuccess});
  auto rep = an.finish();
  REQUIRE(rep.jobs.size() == 2);
  CHECK(job(rep, kGuid)->events.empty());
  CHECK(job(rep, "event:e.xml:1"));
}

TEST_CASE("story: a job seen only through events fails when an error finding falls inside its span") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  event(feed, "e.xml", 1, kT0, "The backup operation has started.", {kMarkStart});
  feed.line("notes.txt", "", kT0 + kMin, "(407) Proxy Authentication Required", {kTrigB});
  feed.line("notes.txt", "", kT0 + 2 * kMin, "0x80070005 on a file", {kTrigWarn});
  event(feed, "e.xml", 2, kT0 + 3 * kMin, "The backup operation has completed with warnings.", {kMarkEnd});
  // Outside the span: not this job's.
  feed.line("notes.txt", "", kT0 + 30 * kMin, "Invalid vault credentials (ID: 34513)", {kTrigA});
  auto rep = an.finish();
  REQUIRE(rep.jobs.size() == 1);
  const auto& j = rep.jobs[0];
  CHECK(j.id == "event:e.xml:1");
  CHECK(j.outcome == "failed");
  CHECK(j.failure == "MARS-407: (407) Proxy Authentication Required");
  CHECK(j.findings == std::vector<std::string>{"MARS-407", "MARS-FILE-0x80070005"});
  REQUIRE(j.failed_at);
  CHECK(j.failed_at->source == "notes.txt");
}

TEST_CASE("story: the last Ds Id state is explained from the marker's states table") {
  auto db = make_db();
  db.markers[5].states = {{"5", "TRANSFERRING_DATA", T("transferring data", "正在传输数据")},
                          {"6", "TRANSFERRING_DATA_DONE", T("data transfer has completed", "数据传输已完成")}};
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("c.errlog", kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line("c.errlog", kGuid, kT0 + kMin, "Last completed state for Ds Id 7 : 5", {kMarkState});
  feed.line("c.errlog", kGuid2, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line("c.errlog", kGuid2, kT0 + kMin, "Last completed state for Ds Id 7 : 3", {kMarkState});
  auto rep = an.finish();
  const auto* a = job(rep, kGuid);
  REQUIRE(a);
  CHECK(a->last_state == "5");
  CHECK(a->state_stage == "TRANSFERRING_DATA");
  CHECK(a->state_meaning.in(true) == "正在传输数据");
  const auto* b = job(rep, kGuid2);
  REQUIRE(b);
  CHECK(b->last_state == "3");  // undocumented: shown as logged
  CHECK(b->state_stage.empty());
}

TEST_CASE("timeline: findings and job boundaries in time, source, line order, untimed last") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("b.errlog", kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart}, 10);
  feed.line("b.errlog", kGuid, kT0 + 2 * kMin, "Failed: Hr: = [0x80070005]", {kMarkFailure, kTrigA}, 12);
  feed.line("b.errlog", kGuid, kT0 + 3 * kMin, "UnInitialize Storage finsihed.", {kMarkEnd}, 13);
  feed.line("w.txt", "", -1, "0x80070005 no time", {kTrigWarn}, 2);
  // Same time as the failure, from an earlier-sorting source.
  feed.line("a.log", "", kT0 + 2 * kMin, "(407) Proxy Authentication Required", {kTrigB}, 99);
  feed.line("a.log", "", kT0 + kMin, "(407) Proxy Authentication Required", {kTrigB}, 50);
  auto rep = an.finish();
  using K = analysis::TimelineEntry;
  REQUIRE(rep.timeline.size() == 7);
  auto at = [&](size_t i) { return rep.timeline[i].at.source + ":" + std::to_string(rep.timeline[i].at.line); };
  CHECK(rep.timeline[0].kind == K::JobStart);
  CHECK(rep.timeline[0].job == kGuid);
  CHECK(at(1) == "a.log:50");
  CHECK(at(2) == "a.log:99");
  // b.errlog:12 is both the failure marker and a finding: the finding first (kind order).
  CHECK(at(3) == "b.errlog:12");
  CHECK(rep.timeline[3].kind == K::Finding);
  CHECK(rep.timeline[3].rule->id == "MARS-34513");
  CHECK(at(4) == "b.errlog:12");
  CHECK(rep.timeline[4].kind == K::JobFailure);
  CHECK(rep.timeline[5].kind == K::JobEnd);
  CHECK(at(6) == "w.txt:2");
  CHECK(!rep.timeline[6].at.time);
  CHECK(std::string(analysis::timeline_kind_name(K::JobFailure)) == "job-failure");
}
