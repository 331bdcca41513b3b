// Jobs from life-cycle markers: errlog markers keyed by task GUID; CloudBackup event markers
// paired into event jobs (start .. end per event source), each joined to the errlog job whose
// time span overlaps its own (within a tolerance: different clocks), or kept as a job of its own.
#include <algorithm>

#include "analysis/case_state.h"

namespace marsscan::analysis {

namespace {

// The value of a named group ("phase", "state") of the marker's regex on this line.
std::string named_group(const match::Marker& m, const records::Record* r, match::Where where,
                        match::GroupReader& groups, const char* name) {
  if (!r) return {};
  return std::string(groups.group(m.pattern, r->text, name, where));
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

void apply_marker(const match::Marker& m, const records::Record* record, match::Where where,
                  const Quote& quote, match::GroupReader& groups, JobState& job) {
  const std::optional<TimeMs> time = record ? record->time : quote().time;
  note_time(job, time);
  if (job.type.empty() && !m.job_type.empty()) job.type = m.job_type;
  if (job.source.empty()) job.source = record ? std::string(record->source) : quote().source;
  std::string phase = named_group(m, record, where, groups, "phase");
  if (phase.empty()) phase = m.phase;
  switch (m.kind) {
    case match::Marker::Start:
      job.started = true;
      if (!m.job_type.empty()) job.type = m.job_type;  // a start marker names the job best
      if (!job.start_occ || (time && (!job.start_occ->time || *time < *job.start_occ->time)))
        job.start_occ = quote();
      add_phase(job, phase, time);
      break;
    case match::Marker::Phase:
      add_phase(job, phase, time);
      break;
    case match::Marker::Success:
      job.succeeded = true;
      add_phase(job, phase, time);
      break;
    case match::Marker::Failure:
      if (!job.failed) {
        job.failure = failure_text(record, quote());
        job.failure_message = message_of(record, quote());
        job.failure_occ = quote();
        job.failure_phase_count = job.phases.size();
        job.failure_own_phase = phase;
      }
      job.failed = true;
      add_phase(job, phase, time);
      break;
    case match::Marker::End:
      job.ended = true;
      if (time && (!job.end || *time > *job.end)) job.end = time;
      if (!job.end_occ || (time && (!job.end_occ->time || *time > *job.end_occ->time)))
        job.end_occ = quote();
      add_phase(job, phase, time);
      break;
    case match::Marker::State: {
      std::string state = named_group(m, record, where, groups, "state");
      if (state.empty()) state = phase;
      if (state.empty()) {
        // "Last completed state for Ds Id 123 : 5": the trailing number.
        std::string_view t = quote().text;
        while (!t.empty() && (t.back() == ' ' || t.back() == '.')) t.remove_suffix(1);
        size_t k = t.size();
        while (k > 0 && t[k - 1] >= '0' && t[k - 1] <= '9') --k;
        state = std::string(t.substr(k));
      }
      if (!state.empty()) {
        job.last_state = state;
        job.state_marker = &m;
      }
      break;
    }
  }
}

namespace {

// The phase the job was in at `t`: the latest phase reached at or before it. Without times,
// the last phase reached before the failure line was read. The failure marker's own phase
// ("Failed", "Completed with errors") names the outcome, not a place, and is skipped.
std::string phase_at(const JobState& s, const std::optional<TimeMs>& t, size_t reached,
                     const std::string& own) {
  const JobPhase* best = nullptr;
  if (t) {
    for (const auto& p : s.phases)
      if (p.time && *p.time <= *t && p.name != own && (!best || *p.time >= *best->time)) best = &p;
  }
  if (best) return best->name;
  for (size_t i = std::min(reached, s.phases.size()); i > 0; --i)
    if (s.phases[i - 1].name != own) return s.phases[i - 1].name;
  return {};
}

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
  if (s.state_marker)
    for (const auto& st : s.state_marker->states)
      if (st.value == s.last_state) {
        j.state_stage = st.stage;
        j.state_meaning = st.meaning;
      }
  for (int r : s.findings) j.findings.push_back(db.rules[static_cast<size_t>(r)].id);
  j.started_at = s.start_occ;
  j.ended_at = s.end_occ;
  j.events = s.events;
  const Occurrence* failed_at = nullptr;
  if (s.failed) {
    j.outcome = "failed";
    j.failure = s.failure;
    j.failure_message = s.failure_message;
    if (s.failure_occ) failed_at = &*s.failure_occ;
    j.failed_phase = phase_at(s, failed_at ? failed_at->time : std::nullopt, s.failure_phase_count,
                              s.failure_own_phase);
  } else if (s.succeeded) {
    j.outcome = "succeeded";
  } else if (s.error_finding) {
    j.outcome = "failed";
    j.failure = s.finding_failure;
    if (s.finding_failure_occ) {
      failed_at = &*s.finding_failure_occ;
      j.failure_message = failed_at->text;
    }
    j.failed_phase = phase_at(s, failed_at ? failed_at->time : std::nullopt,
                              s.finding_failure_phase_count, {});
  } else if (s.started && !s.ended) {
    j.outcome = "running";
  } else {
    j.outcome = "unknown";
  }
  if (failed_at) {
    j.failed_at = *failed_at;
    j.failure_decoded = failed_at->decoded;
    j.failure_decoded_zh = failed_at->decoded_zh;
  }
  return j;
}

Occurrence event_occurrence(const EventMarkerHit& e) {
  Occurrence occ;
  occ.source = e.source;
  occ.line = e.line;
  occ.is_event = true;
  occ.time = e.time;
  occ.text = e.text;
  return occ;
}

// An event bracketing an errlog job: the errlog knows the job better (its times, phases and
// failure line stay); the event is kept with the job and only supplies an outcome it lacks.
void join_event(const match::Marker& m, const Occurrence& occ, JobState& job) {
  if (job.events.size() < kMaxJoinedEvents) job.events.push_back(occ);
  if (job.type.empty()) job.type = m.job_type;
  switch (m.kind) {
    case match::Marker::Success:
      if (!job.failed) job.succeeded = true;
      break;
    case match::Marker::Failure:
      if (!job.failed && !job.succeeded) {
        job.failed = true;
        job.failure = job.failure_message = occ.text;
        job.failure_occ = occ;
        job.failure_phase_count = job.phases.size();
      }
      break;
    case match::Marker::End:
      job.ended = true;
      break;
    default:
      break;
  }
}

struct EventJob {
  JobState state;
  std::vector<const EventMarkerHit*> hits;
};

// The errlog job an event job belongs to: spans overlapping within the tolerance; among
// several, the one whose start is closest.
JobState* errlog_job_for(const EventJob& ev, const std::vector<JobState*>& errlog) {
  if (!ev.state.first_time || !ev.state.last_time) return nullptr;
  const TimeMs a = *ev.state.first_time, b = *ev.state.last_time;
  JobState* best = nullptr;
  int64_t best_d = 0;
  for (JobState* j : errlog) {
    if (!j->first_time || !j->last_time) continue;
    if (a > *j->last_time + kEventJoinToleranceMs || b < *j->first_time - kEventJoinToleranceMs) continue;
    const int64_t d = a > *j->first_time ? a - *j->first_time : *j->first_time - a;
    if (!best || d < best_d) {
      best = j;
      best_d = d;
    }
  }
  return best;
}

// A job seen only through events has no task GUID to carry its findings: the findings whose
// quoted occurrences fall inside its span are its own, and an error-level one fails it.
void attach_findings(const match::PatternDb& db, const CaseState& c, JobState& job) {
  if (!job.first_time || !job.last_time) return;
  const TimeMs a = *job.first_time, b = *job.last_time;
  for (const auto& [rule, f] : c.findings) {
    const Occurrence* inside = nullptr;
    for (const auto& o : f.occurrences)
      if (o.time && *o.time >= a && *o.time <= b) {
        inside = &o;
        break;
      }
    if (!inside) continue;
    if (std::find(job.findings.begin(), job.findings.end(), rule) == job.findings.end())
      job.findings.push_back(rule);
    const auto& rr = db.rules[static_cast<size_t>(rule)];
    if (rr.severity >= match::Severity::Error && !job.error_finding) {
      job.error_finding = true;
      job.finding_failure = (inside->decoded.empty() ? rr.id : inside->decoded.front()) + ": " + inside->text;
      job.finding_failure_occ = *inside;
      job.finding_failure_phase_count = job.phases.size();
      for (size_t i = 0; i < job.phases.size(); ++i)
        if (job.phases[i].time && *job.phases[i].time > *inside->time) {
          job.finding_failure_phase_count = i;
          break;
        }
    }
  }
}

}  // namespace

std::vector<Job> build_jobs(const match::PatternDb& db, CaseState& c) {
  // Errlog jobs in the order they were first seen.
  std::vector<JobState*> errlog;
  for (auto& [id, s] : c.jobs) errlog.push_back(&s);
  std::sort(errlog.begin(), errlog.end(),
            [](const JobState* a, const JobState* b) { return a->order < b->order; });

  // Event markers in time order (events without a time last, in arrival order).
  std::vector<const EventMarkerHit*> events;
  for (const auto& e : c.event_markers) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](const EventMarkerHit* a, const EventMarkerHit* b) {
    if (a->time.has_value() != b->time.has_value()) return a->time.has_value();
    return a->time && *a->time < *b->time;
  });

  // Pair them into event jobs: per event source, a start opens one, an outcome or end closes it.
  std::vector<EventJob> event_jobs;
  std::map<std::string, size_t> open_by_source;
  match::GroupReader no_groups(db);  // kept hits have no record to read groups from
  for (const EventMarkerHit* e : events) {
    const match::Marker& m = db.markers[static_cast<size_t>(e->marker)];
    const Occurrence occ = event_occurrence(*e);
    auto open = open_by_source.find(e->source);
    if (m.kind == match::Marker::Start || open == open_by_source.end()) {
      EventJob ej;
      ej.state.id = "event:" + e->source + ":" + std::to_string(e->record_id ? e->record_id : e->line);
      event_jobs.push_back(std::move(ej));
      open = open_by_source.insert_or_assign(e->source, event_jobs.size() - 1).first;
    }
    EventJob& ej = event_jobs[open->second];
    ej.hits.push_back(e);
    JobState& job = ej.state;
    apply_marker(m, nullptr, {}, [&]() -> const Occurrence& { return occ; }, no_groups, job);
    if (m.kind == match::Marker::Success || m.kind == match::Marker::Failure ||
        m.kind == match::Marker::End) {
      job.ended = true;
      if (occ.time) job.end = occ.time;
      job.end_occ = occ;
      open_by_source.erase(open);
    }
  }

  std::vector<JobState> event_only;
  for (EventJob& ej : event_jobs) {
    if (JobState* target = errlog_job_for(ej, errlog)) {
      for (const EventMarkerHit* e : ej.hits)
        join_event(db.markers[static_cast<size_t>(e->marker)], event_occurrence(*e), *target);
      continue;
    }
    ej.state.order = c.jobs.size() + event_only.size();
    attach_findings(db, c, ej.state);
    event_only.push_back(std::move(ej.state));
  }

  std::vector<Job> out;
  for (JobState* s : errlog) out.push_back(to_job(db, c.input, *s));
  for (const JobState& s : event_only) out.push_back(to_job(db, c.input, s));
  return out;
}

}  // namespace marsscan::analysis
