// render_text: the terminal report. One block per finding (root causes first, as the analysis
// ordered them), then each job's story (failed first), the timeline on request, input errors. Labels in the chosen language.
#include <fmt/format.h>

#include "report/job_story.h"
#include "report/json_writer.h"
#include "report/render.h"
#include "report/report_common.h"
#include "report/style.h"

namespace marsscan::report {

namespace {

using analysis::Finding;
using analysis::Job;

// Log text is hostile input for a terminal: no escape sequences or other control bytes,
// and invalid UTF-8 shown as U+FFFD.
std::string clean(std::string_view s) {
  std::string out = sanitize_utf8(s);
  for (char& c : out)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) c = '?';
  return out;
}

std::string human_bytes(uint64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", b) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string time_or(const std::optional<TimeMs>& t, const Labels& L) {
  return t ? format_time(t) : std::string(L.unknown);
}

// Full-width punctuation reads better in Chinese text.
const char* colon(const Labels& L) { return L.chinese ? "：" : ": "; }
// A label that heads an indented list: "causes:" / "可能原因：", no trailing blank.
std::string heading(const Labels& L, const char* label) {
  return std::string(label) + (L.chinese ? "：" : ":");
}

void write_summary(const analysis::Report& r, const Labels& L, const Style& st, std::ostream& out) {
  std::string counts;
  for (auto s : kSeveritiesDesc) {
    auto it = r.summary.findings.find(s);
    uint64_t n = it == r.summary.findings.end() ? 0 : it->second;
    if (!counts.empty()) counts += ", ";
    counts += st.severity(s, fmt::format("{} {}", n, severity_label(s, L.chinese)));
  }
  out << st.bold("marsscan") << colon(L)
      << fmt::format("{} {}, {} {}, {} {}, {}; {}{}{}; {} {}\n", r.summary.inputs, L.inputs,
                     r.summary.files, L.files, r.summary.records, L.records,
                     human_bytes(r.summary.bytes), L.findings, colon(L), counts, r.errors.size(),
                     L.input_errors);
}

void write_finding(const Finding& f, const RenderOptions& o, const Labels& L, const Style& st,
                   std::ostream& out) {
  const match::Rule& r = *f.rule;
  const bool zh = o.chinese;
  std::string tag = "[" + std::string(severity_label(r.severity, zh)) + "]";
  out << "\n" << st.severity(r.severity, tag) << " " << st.bold(r.title.in(zh)) << "  ("
      << r.id << ")\n";
  out << "  " << L.count << colon(L) << f.count << "   " << L.first_seen << colon(L)
      << time_or(f.first_seen, L) << "   " << L.last_seen << colon(L) << time_or(f.last_seen, L)
      << "\n";
  out << "  " << L.input << colon(L) << clean(f.input) << "\n";
  auto list = [&](const char* label, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out << "  " << label << colon(L);
    for (size_t i = 0; i < items.size(); ++i) out << (i ? ", " : "") << items[i];
    out << "\n";
  };
  list(L.jobs, f.jobs);
  list(L.caused_by, f.caused_by);
  list(L.leads_to, f.causes_of);

  out << "  " << heading(L, L.occurrences) << "\n";
  const size_t shown = std::min(f.occurrences.size(), o.max_evidence_lines);
  for (size_t i = 0; i < shown; ++i) {
    const auto& occ = f.occurrences[i];
    out << "    " << st.dim(clean(location(occ)) + ":") << " " << clean(text_with_codes(occ, zh)) << "\n";
  }
  if (f.count > shown) out << "    … " << (f.count - shown) << " " << L.more << "\n";

  if (!f.causes.empty()) {
    out << "  " << heading(L, L.causes) << "\n";
    size_t n = 0;
    for (const auto& c : f.causes) {
      ++n;
      if (c.evidenced) {
        out << "    " << n << ". " << st.green("[" + std::string(L.evidenced) + ", " + L.score + " " +
                                             std::to_string(c.score) + "]")
            << " " << c.cause->text.in(zh) << " (" << c.cause->id << ")\n";
        if (!c.evidence.empty()) {
          const auto& e = c.evidence.front();
          out << "       " << L.evidence << colon(L) << clean(location(e.occurrence)) << ": "
              << clean(text_with_codes(e.occurrence, zh)) << "\n";
        }
      } else {
        out << "    " << n << ". " << st.dim("[" + std::string(L.possible) + "]") << " "
            << c.cause->text.in(zh) << " (" << c.cause->id << ")\n";
      }
    }
  }
  const auto actions = finding_actions(f, zh);
  if (!actions.empty()) {
    out << "  " << heading(L, L.actions) << "\n";
    for (size_t i = 0; i < actions.size(); ++i) out << "    " << (i + 1) << ". " << actions[i] << "\n";
  }
}

// A job's story: what ran (type, times, phases), where it failed, why (the failure decoded,
// the findings inside with their top cause) and what to do (each finding's first action).
void write_job(const analysis::Report& r, const Job& j, const RenderOptions& o, const Labels& L,
               const Style& st, std::ostream& out) {
  const bool zh = o.chinese;
  const StoryLabels& S = story_labels(zh);
  out << "  " << st.bold(clean(j.id)) << "  " << (j.type.empty() ? L.unknown : clean(j.type)) << "  "
      << time_or(j.start, L) << " – " << (j.end ? format_time(j.end) : std::string("…")) << "  "
      << st.outcome(j.outcome, L.outcome_name(j.outcome)) << "\n";
  const std::string duration = job_duration(j, zh);
  if (!duration.empty()) out << "    " << S.duration << colon(L) << duration << "\n";
  if (!j.phases.empty()) {
    out << "    " << S.phases << colon(L);
    for (size_t i = 0; i < j.phases.size(); ++i) {
      const auto& p = j.phases[i];
      out << (i ? ", " : "") << clean(p.name);
      if (p.time) out << " (" << format_time(p.time) << ")";
    }
    out << "\n";
  }
  if (j.outcome == "failed") {
    if (!j.failed_phase.empty()) out << "    " << L.failed_phase << colon(L) << clean(j.failed_phase) << "\n";
    const std::string failure = job_failure(j, zh);
    if (!failure.empty()) out << "    " << L.failure << colon(L) << clean(failure) << "\n";
    if (j.failed_at)
      out << "      " << S.failed_at << colon(L) << clean(location(*j.failed_at))
          << (j.failed_at->time ? "  " + format_time(j.failed_at->time) : std::string()) << "\n";
  }
  const std::string state = job_state(j, zh);
  if (!state.empty()) out << "    " << L.last_state << colon(L) << clean(state) << "\n";
  if (!j.findings.empty()) {
    out << "    " << L.findings << colon(L);
    for (size_t i = 0; i < j.findings.size(); ++i) out << (i ? ", " : "") << j.findings[i];
    out << "\n";
    for (const auto& fs : job_findings(r, j, zh)) {
      const match::Rule& rule = *fs.finding->rule;
      out << "      " << st.severity(rule.severity, "[" + std::string(severity_label(rule.severity, zh)) + "]")
          << " " << rule.id << " " << rule.title.in(zh) << " (" << fs.finding->count << ")\n";
      if (fs.top)
        out << "        " << S.why << colon(L) << fs.top->cause->text.in(zh) << " (" << fs.top->cause->id << ", "
            << (fs.top->evidenced ? L.evidenced : L.possible) << ")\n";
      if (!fs.first_action.empty()) out << "        " << S.todo << colon(L) << fs.first_action << "\n";
    }
  }
  if (!j.events.empty()) {
    out << "    " << heading(L, S.events) << "\n";
    for (const auto& e : j.events)
      out << "      " << st.dim(clean(location(e)) + ":") << " "
          << (e.time ? format_time(e.time) + " " : std::string()) << clean(e.text) << "\n";
  }
  out << "    " << L.source << colon(L) << clean(j.source) << "  (" << L.input << colon(L) << clean(j.input) << ")\n";
}

// One line per timeline entry; the quoted text is cut so a line stays readable.
void write_timeline(const analysis::Report& r, const RenderOptions& o, const Labels& L, const Style& st,
                    std::ostream& out) {
  const bool zh = o.chinese;
  const StoryLabels& S = story_labels(zh);
  out << "\n" << st.bold(heading(L, S.timeline)) << "\n";
  for (const auto& e : r.timeline) {
    std::string what;
    if (e.kind == analysis::TimelineEntry::Finding && e.rule)
      what = st.severity(e.rule->severity, "[" + std::string(severity_label(e.rule->severity, zh)) + "]") + " " +
             e.rule->id;
    else
      what = st.bold(timeline_kind_label(e.kind, zh)) + " " + clean(e.job);
    analysis::Occurrence shown = e.at;
    if (!shown.task.empty()) shown.text = std::string(message_of(shown.text));
    std::string text = clean(text_with_codes(shown, zh));
    if (text.size() > 200) {
      size_t cut = 200;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      text = text.substr(0, cut) + "…";
    }
    out << "  " << (e.at.time ? format_time(e.at.time) : std::string(S.no_time)) << "  " << what << "  "
        << st.dim(clean(location(e.at))) << "  " << text << "\n";
  }
}

}  // namespace

void render_text(const analysis::Report& r, const RenderOptions& o, std::ostream& out) {
  const Labels& L = labels(o.chinese);
  const Style st(o.color);
  write_summary(r, L, st, out);
  if (r.findings.empty()) out << "\n" << L.no_findings << "\n";
  for (const auto& f : r.findings) write_finding(f, o, L, st, out);
  if (!r.jobs.empty()) {
    out << "\n" << st.bold(heading(L, story_labels(o.chinese).jobs_failed_first)) << "\n";
    // The analysis orders failed jobs first; keep that even for a report assembled elsewhere.
    for (bool failed : {true, false})
      for (const auto& j : r.jobs)
        if ((j.outcome == "failed") == failed) write_job(r, j, o, L, st, out);
  }
  if (o.timeline) write_timeline(r, o, L, st, out);
  if (!r.errors.empty()) {
    out << "\n" << st.bold(heading(L, L.input_errors)) << "\n";
    for (const auto& e : r.errors) out << "  " << st.red(clean(e.source)) << ": " << clean(e.message) << "\n";
  }
  out.flush();
}

}  // namespace marsscan::report
