// Jobs from life-cycle markers: errlog markers keyed by task GUID, CloudBackup event markers
// joined to the errlog job whose time span contains them, or made into jobs of their own.
#include <algorithm>

#include <re2/re2.h>

#include "analysis/case_state.h"

namespace marsscan::analysis {

namespace {

// The value of a named group ("phase", "state") of the marker's regex on this line.
std::string named_group(const match::PatternDb& db, const match::Marker& m,
                        const records::Record* r, const char* name) {
  if (!r || m.pattern < 0 || static_cast<size_t>(m.pattern) >= db.patterns.size()) return {};
  const auto& re = db.patterns[static_cast<size_t>(m.pattern)].re;
  if (!re) return {};
  const auto& groups = re->NamedCapturingGroups();
  auto it = groups.find(name);
  if (it == groups.end()) return {};
  std::vector<re2::StringPiece> sub(static_cast<size_t>(it->second) + 1);
  re2::StringPiece text(r->text.data(), r->text.size());
  if (!re->Match(text, 0, text.size(), re2::RE2::UNANCHORED, sub.data(), static_cast<int>(sub.size())))
    return {};
  return std::string(sub[static_cast<size_t>(it->second)].data(), sub[static_cast<size_t>(it->second)].size());
}

// The text after the errlog level: "Failed: Hr: = [0x80780054] Offline Backup Progress: Failed".
std::string message_of(const records::Record* r, const Occurrence& occ) {
  if (r && r->kind == records::RecordKind::Errlog && !r->errlog.message.empty()) {
    std::string m(r->errlog.message);
    while (!m.empty() && (m.back() == '\r' || m.back() == '\n')) m.pop_back();
    return m.size() > occ.text.size() ? occ.text : m;  // keep the length cap of occ
  }
  return occ.text;
}

std::string failure_text(const records::Record* r, const Occurrence& occ) {
  std::string msg = message_of(r, occ);
  if (!occ.decoded.empty()) return occ.decoded.front() + ": " + msg;
  return msg;
}

void note_time(JobState& job, const std::optional<TimeMs>& t) {
  if (!t) return;
  if (!job.first_time || *t < *job.first_time) job.first_time = t;
  if (!job.last_time || *t > *job.last_time) job.last_time = t;
}

void add_phase(JobState& job, const std::string& name, const std::optional<TimeMs>& t) {
  if (name.empty() || job.phases.size() >= kMaxPhases) return;
  for (const auto& p : job.phases)
    if (p.name == name) return;  // a phase is reached once; keep when it was first reached
  job.phases.push_back({name, t});
}

}  // namespace

void apply_marker(const match::PatternDb& db, const match::Marker& m,
                  const records::Record* record, const Occurrence& occ, JobState& job) {
  note_time(job, occ.time);
  if (job.type.empty() && !m.job_type.empty()) job.type = m.job_type;
  if (job.source.empty()) job.source = occ.source;
  std::string phase = named_group(db, m, record, "phase");
  if (phase.empty()) phase = m.phase;
  switch (m.kind) {
    case match::Marker::Start:
      job.started = true;
      if (!m.job_type.empty()) job.type = m.job_type;  // a start marker names the job best
      add_phase(job, phase, occ.time);
      break;
    case match::Marker::Phase:
      add_phase(job, phase, occ.time);
      break;
    case match::Marker::Success:
      job.succeeded = true;
      add_phase(job, phase, occ.time);
      break;
    case match::Marker::Failure:
      if (!job.failed) job.failure = failure_text(record, occ);
      job.failed = true;
      add_phase(job, phase, occ.time);
      break;
    case match::Marker::End:
      job.ended = true;
      if (occ.time && (!job.end || *occ.time > *job.end)) job.end = occ.time;
      add_phase(job, phase, occ.time);
      break;
    case match::Marker::State: {
      std::string state = named_group(db, m, record, "state");
      if (state.empty()) state = phase;
      if (state.empty()) {
        // "Last completed state for Ds Id 123 : 5": the trailing number.
        std::string_view t = occ.text;
        while (!t.empty() && (t.back() == ' ' || t.back() == '.')) t.remove_suffix(1);
        size_t k = t.size();
        while (k > 0 && t[k - 1] >= '0' && t[k - 1] <= '9') --k;
        state = std::string(t.substr(k));
      }
      if (!state.empty()) job.last_state = state;
      break;
    }
  }
}

namespace {

Job to_job(const match::PatternDb& db, const std::string& input, const JobState& s) {
  Job j;
  j.input = input;
  j.id = s.id;
  j.type = s.type;
  j.source = s.source;
  j.start = s.first_time;
  j.end = s.end ? s.end : (s.ended || s.succeeded || s.failed ? s.last_time : std::nullopt);
  j.phases = s.phases;
  j.last_state = s.last_state;
  for (int r : s.findings) j.findings.push_back(db.rules[static_cast<size_t>(r)].id);
  if (s.failed) {
    j.outcome = "failed";
    j.failure = s.failure;
  } else if (s.succeeded) {
    j.outcome = "succeeded";
  } else if (s.error_finding) {
    j.outcome = "failed";
    j.failure = s.finding_failure;
  } else if (s.started && !s.ended) {
    j.outcome = "running";
  } else {
    j.outcome = "unknown";
  }
  return j;
}

}  // namespace

std::vector<Job> build_jobs(const match::PatternDb& db, CaseState& c) {
  // Errlog jobs in the order they were first seen.
  std::vector<JobState*> errlog;
  for (auto& [id, s] : c.jobs) errlog.push_back(&s);
  std::sort(errlog.begin(), errlog.end(),
            [](const JobState* a, const JobState* b) { return a->order < b->order; });

  // Event markers in time order (events without a time last, in arrival order).
  std::vector<EventMarkerHit*> events;
  for (auto& e : c.event_markers) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](const EventMarkerHit* a, const EventMarkerHit* b) {
    if (a->time.has_value() != b->time.has_value()) return a->time.has_value();
    return a->time && *a->time < *b->time;
  });

  std::vector<JobState> event_jobs;
  std::map<std::string, size_t> open_by_source;  // an event job waiting for its end event
  for (EventMarkerHit* e : events) {
    const match::Marker& m = db.markers[static_cast<size_t>(e->marker)];
    Occurrence occ;
    occ.source = e->source;
    occ.line = e->line;
    occ.is_event = true;
    occ.time = e->time;
    occ.text = e->text;
    JobState* target = nullptr;
    if (e->time) {
      for (JobState* j : errlog) {
        if (j->first_time && j->last_time && *e->time >= *j->first_time && *e->time <= *j->last_time) {
          target = j;
          break;
        }
      }
    }
    if (target) {
      // The errlog knows the job better; the event only fills in what it lacks.
      JobState before = *target;
      apply_marker(db, m, nullptr, occ, *target);
      target->first_time = before.first_time;
      target->last_time = before.last_time;
      continue;
    }
    auto open = open_by_source.find(e->source);
    if (m.kind == match::Marker::Start || open == open_by_source.end()) {
      JobState s;
      s.id = "event:" + e->source + ":" + std::to_string(e->record_id ? e->record_id : e->line);
      s.order = c.jobs.size() + event_jobs.size();
      event_jobs.push_back(std::move(s));
      open = open_by_source.insert_or_assign(e->source, event_jobs.size() - 1).first;
    }
    JobState& job = event_jobs[open->second];
    apply_marker(db, m, nullptr, occ, job);
    if (m.kind == match::Marker::Success || m.kind == match::Marker::Failure ||
        m.kind == match::Marker::End) {
      job.ended = true;
      if (occ.time) job.end = occ.time;
      open_by_source.erase(open);
    }
  }

  std::vector<Job> out;
  for (JobState* s : errlog) out.push_back(to_job(db, c.input, *s));
  for (const JobState& s : event_jobs) out.push_back(to_job(db, c.input, s));
  return out;
}

}  // namespace marsscan::analysis
