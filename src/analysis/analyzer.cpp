#include "analysis/analyzer.h"

#include <algorithm>
#include <functional>
#include <tuple>

#include "analysis/case_state.h"
#include "analysis/timeline.h"

namespace marsscan::analysis {

struct Analyzer::Impl {
  Impl(const match::PatternDb& d, AnalyzerOptions o) : db(d), opt(std::move(o)), groups(d) {}
  const match::PatternDb& db;
  AnalyzerOptions opt;
  std::vector<std::unique_ptr<CaseState>> cases;  // in begin_input order
  CaseState* current = nullptr;
  match::GroupReader groups;
  // Scratch of add(), kept for its capacity.
  std::vector<int> rules, markers;
  std::vector<std::pair<int, int>> causes;
  std::vector<std::pair<std::pair<int, int>, const match::Origin*>> evidence;

  CaseState& cur() {
    // Matches or errors before any begin_input still belong somewhere: an unnamed case.
    if (!current) {
      cases.push_back(std::make_unique<CaseState>());
      current = cases.back().get();
    }
    return *current;
  }

  void add_trigger(CaseState& c, int rule, const records::Record& r, const std::string& task,
                   std::optional<Occurrence>& occ) {
    FindingState& f = c.findings[rule];
    ++f.count;
    if (r.time) {
      if (!f.first_seen || *r.time < *f.first_seen) f.first_seen = r.time;
      if (!f.last_seen || *r.time > *f.last_seen) f.last_seen = r.time;
    }
    if (f.occurrences.size() < opt.max_occurrences) {
      if (!occ) occ = make_occurrence(db, r, opt.max_text);
      f.occurrences.push_back(*occ);
    }
    if (task.empty()) return;
    if (f.jobs.size() < kMaxJobsPerFinding &&
        std::find(f.jobs.begin(), f.jobs.end(), task) == f.jobs.end())
      f.jobs.push_back(task);
    // A finding of severity >= error inside a job makes the job fail, unless a marker says
    // otherwise; only jobs already seen (or seen later) through markers are reported.
    JobState& job = job_for(c, task);
    if (std::find(job.findings.begin(), job.findings.end(), rule) == job.findings.end())
      job.findings.push_back(rule);
    const auto& rr = db.rules[static_cast<size_t>(rule)];
    if (rr.severity >= match::Severity::Error && !job.error_finding) {
      job.error_finding = true;
      if (!occ) occ = make_occurrence(db, r, opt.max_text);
      std::string msg = r.kind == records::RecordKind::Errlog && !r.errlog.message.empty()
                            ? std::string(r.errlog.message)
                            : occ->text;
      if (msg.size() > occ->text.size()) msg = occ->text;
      job.finding_failure = (occ->decoded.empty() ? rr.id : occ->decoded.front()) + ": " + msg;
      job.finding_failure_occ = *occ;
      job.finding_failure_phase_count = job.phases.size();
    }
  }

  // The record's task GUID upper-cased, in a buffer kept between records.
  std::string task;
  const std::string& task_of(const records::Record& r) {
    task.clear();
    if (r.kind == records::RecordKind::Errlog) append_task(task, r.errlog.task);
    return task;
  }

  // Consecutive matches mostly belong to one job: the last one found is tried first.
  JobState& job_for(CaseState& c, const std::string& task) {
    if (c.last_job && c.last_job->id == task) return *c.last_job;
    auto [it, fresh] = c.jobs.try_emplace(task);
    c.last_job = &it->second;
    if (fresh) {
      it->second.id = task;
      it->second.order = c.jobs.size() - 1;
    }
    return it->second;
  }
};

Analyzer::Analyzer(const match::PatternDb& db, AnalyzerOptions options)
    : impl_(std::make_unique<Impl>(db, options)) {}
Analyzer::~Analyzer() = default;

void Analyzer::begin_input(const std::string& input) { begin_input(input, impl_->cases.size()); }

void Analyzer::begin_input(const std::string& input, size_t ordinal) {
  auto c = std::make_unique<CaseState>();
  c->input = input;
  c->ordinal = ordinal;
  c->begun = true;
  impl_->cases.push_back(std::move(c));
  impl_->current = impl_->cases.back().get();
}

void Analyzer::add_error(const InputProblem& problem) { impl_->cur().errors.push_back(problem); }

void Analyzer::count(uint64_t files, uint64_t records, uint64_t bytes) {
  CaseState& c = impl_->cur();
  c.files += files;
  c.records += records;
  c.bytes += bytes;
}

void Analyzer::add(const match::Match& m) {
  Impl& I = *impl_;
  const match::PatternDb& db = I.db;
  CaseState& c = I.cur();
  const records::Record& r = *m.record;
  const std::string& task = I.task_of(r);
  // The record as an occurrence, built once, only when something keeps it. A callable
  // object passed by std::ref, because a lambda capturing all this would make every Quote
  // allocate (a third of a log's lines are markers).
  struct Lazy {
    const match::PatternDb& db;
    const records::Record& r;
    size_t max_text;
    std::optional<Occurrence> occ;
    const Occurrence& operator()() {
      if (!occ) occ = make_occurrence(db, r, max_text);
      return *occ;
    }
  } quote{db, r, I.opt.max_text, std::nullopt};
  std::optional<Occurrence>& occ = quote.occ;

  // One record counts once per rule and once per (rule, cause), however many of its
  // patterns matched. A record matches a handful of patterns: flat lists, sorted, kept
  // between calls (a third of a log's lines are job markers; this runs for each).
  auto& rules = I.rules;
  auto& causes = I.causes;
  auto& markers = I.markers;
  auto& evidence = I.evidence;
  rules.clear();
  causes.clear();
  markers.clear();
  evidence.clear();
  auto take = [&](const match::PatternOwner& o, const match::Origin& origin) {
    switch (o.kind) {
      case match::PatternOwner::Trigger:
        if (o.rule >= 0) rules.push_back(o.rule);
        break;
      case match::PatternOwner::Evidence:
        if (o.rule >= 0 && o.cause >= 0 &&
            std::find(causes.begin(), causes.end(), std::pair{o.rule, o.cause}) == causes.end()) {
          causes.push_back({o.rule, o.cause});
          evidence.push_back({{o.rule, o.cause}, &origin});
        }
        break;
      case match::PatternOwner::Marker:
        if (o.marker >= 0) markers.push_back(o.marker);
        break;
    }
  };
  for (int p : m.patterns) {
    const auto& pat = db.patterns[static_cast<size_t>(p)];
    take(pat.owner, pat.origin);
  }
  for (int p : m.event_patterns) {
    const auto& pat = db.event_patterns[static_cast<size_t>(p)];
    take(pat.owner, pat.condition.origin);
  }
  auto sort_unique = [](std::vector<int>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  sort_unique(rules);
  sort_unique(markers);

  for (int rule : rules) I.add_trigger(c, rule, r, task, occ);
  for (const auto& [key, origin] : evidence) {
    std::string via = origin->file.empty() ? std::string("pattern")
                                           : origin->file + ":" + std::to_string(origin->line);
    c.evidence[key].add(Evidence{quote(), std::move(via), 0});
  }
  for (int mi : markers) {
    const match::Marker& mk = db.markers[static_cast<size_t>(mi)];
    if (!task.empty()) {
      match::Where where;
      for (size_t i = 0; i < m.patterns.size() && i < m.where.size(); ++i)
        if (m.patterns[i] == mk.pattern) where = m.where[i];
      apply_marker(mk, &r, where, std::ref(quote), I.groups, I.job_for(c, task));
    } else if (r.kind == records::RecordKind::Event && c.event_markers.size() < kMaxEventMarkers) {
      EventMarkerHit h;
      h.marker = mi;
      h.source = std::string(r.source);
      h.line = r.line;
      h.record_id = r.event ? r.event->record_id : 0;
      h.time = r.time;
      h.text = quote().text;
      c.event_markers.push_back(std::move(h));
    }
  }
}

void Analyzer::merge(Analyzer&& other) {
  for (auto& c : other.impl_->cases) impl_->cases.push_back(std::move(c));
  other.impl_->cases.clear();
  other.impl_->current = nullptr;
}

namespace {

// Unknown times sort after known ones.
bool time_less(const std::optional<TimeMs>& a, const std::optional<TimeMs>& b) {
  if (a.has_value() != b.has_value()) return a.has_value();
  return a && *a < *b;
}

}  // namespace

Report Analyzer::finish() {
  Impl& I = *impl_;
  const match::PatternDb& db = I.db;
  std::stable_sort(I.cases.begin(), I.cases.end(), [](const auto& a, const auto& b) {
    return a->ordinal < b->ordinal;
  });

  Report rep;
  for (auto s : {match::Severity::Critical, match::Severity::Error, match::Severity::Warning,
                 match::Severity::Note})
    rep.summary.findings[s] = 0;

  struct Keyed { size_t case_index; Finding f; };
  std::vector<Keyed> findings;
  struct KeyedJob { size_t case_index; Job j; };
  std::vector<KeyedJob> jobs;

  for (size_t ci = 0; ci < I.cases.size(); ++ci) {
    CaseState& c = *I.cases[ci];
    if (c.begun) {
      ++rep.summary.inputs;
      rep.inputs.push_back(c.input);
    }
    rep.summary.files += c.files;
    rep.summary.records += c.records;
    rep.summary.bytes += c.bytes;
    for (auto& e : c.errors) rep.errors.push_back(std::move(e));

    std::map<int, size_t> index;  // rule -> position in `findings`
    for (auto& [rule, st] : c.findings) {
      Finding f;
      f.input = c.input;
      f.rule = &db.rules[static_cast<size_t>(rule)];
      f.count = st.count;
      f.first_seen = st.first_seen;
      f.last_seen = st.last_seen;
      f.causes = rank_causes(db, rule, c, st.occurrences, I.opt.max_evidence,
                             I.opt.evidence_window_ms);
      f.occurrences = st.occurrences;  // copied: build_jobs still reads them (event-only jobs)
      f.jobs = st.jobs;
      index[rule] = findings.size();
      findings.push_back({ci, std::move(f)});
      ++rep.summary.findings[db.rules[static_cast<size_t>(rule)].severity];
    }
    // Causal chains: a cause naming a rule that fired in the same case links the two.
    for (auto& [rule, pos] : index) {
      Finding& f = findings[pos].f;
      for (const auto& cause : f.rule->causes) {
        for (const auto& id : cause.evidence_rules) {
          const int other = db.rule_index(id);
          if (other < 0 || other == rule) continue;
          auto it = index.find(other);
          if (it == index.end()) continue;
          if (std::find(f.caused_by.begin(), f.caused_by.end(), id) == f.caused_by.end())
            f.caused_by.push_back(id);
          auto& back = findings[it->second].f.causes_of;
          if (std::find(back.begin(), back.end(), f.rule->id) == back.end())
            back.push_back(f.rule->id);
        }
      }
    }

    std::vector<Job> case_jobs = build_jobs(db, c);
    // Only GUIDs that a marker touched are jobs; a GUID seen only on findings stays a
    // reference on the finding.
    for (auto& j : case_jobs) {
      auto it = c.jobs.find(j.id);
      if (it != c.jobs.end()) {
        const JobState& s = it->second;
        if (!s.started && !s.ended && !s.succeeded && !s.failed && s.phases.empty() &&
            s.last_state.empty() && s.type.empty())
          continue;
      }
      jobs.push_back({ci, std::move(j)});
    }
  }
  for (auto& kf : findings) {
    std::sort(kf.f.caused_by.begin(), kf.f.caused_by.end());
    std::sort(kf.f.causes_of.begin(), kf.f.causes_of.end());
  }

  std::stable_sort(findings.begin(), findings.end(), [](const Keyed& a, const Keyed& b) {
    if (a.case_index != b.case_index) return a.case_index < b.case_index;
    const Finding& x = a.f;
    const Finding& y = b.f;
    // Root causes first; among them, those that cause others first.
    if (x.caused_by.empty() != y.caused_by.empty()) return x.caused_by.empty();
    if (x.causes_of.empty() != y.causes_of.empty()) return !x.causes_of.empty();
    if (x.rule->severity != y.rule->severity) return x.rule->severity > y.rule->severity;
    if (x.first_seen != y.first_seen) return time_less(x.first_seen, y.first_seen);
    return x.rule->id < y.rule->id;
  });
  std::stable_sort(jobs.begin(), jobs.end(), [](const KeyedJob& a, const KeyedJob& b) {
    const bool fa = a.j.outcome == "failed", fb = b.j.outcome == "failed";
    if (fa != fb) return fa;
    if (a.j.start != b.j.start) return time_less(a.j.start, b.j.start);
    if (a.case_index != b.case_index) return a.case_index < b.case_index;
    return a.j.id < b.j.id;
  });
  for (auto& kf : findings) rep.findings.push_back(std::move(kf.f));
  for (auto& kj : jobs) rep.jobs.push_back(std::move(kj.j));
  rep.timeline = build_timeline(rep.findings, rep.jobs, I.opt.max_occurrences);
  I.cases.clear();
  I.current = nullptr;
  return rep;
}

}  // namespace marsscan::analysis
