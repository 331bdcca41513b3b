// render_text: the terminal report. One block per finding (root causes first, as the analysis
// ordered them), then jobs, then input errors. Labels in the chosen language.
#include <fmt/format.h>

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

void write_job(const Job& j, const Labels& L, const Style& st, std::ostream& out) {
  out << "  " << st.bold(j.id) << "  " << (j.type.empty() ? L.unknown : j.type.c_str()) << "  "
      << time_or(j.start, L) << " – " << (j.end ? format_time(j.end) : std::string("…")) << "  "
      << st.outcome(j.outcome, L.outcome_name(j.outcome)) << "\n";
  if (j.outcome == "failed") {
    if (!j.phases.empty())
      out << "    " << L.failed_phase << colon(L) << j.phases.back().name << "\n";
    if (!j.failure.empty()) out << "    " << L.failure << colon(L) << clean(j.failure) << "\n";
  }
  if (!j.last_state.empty()) out << "    " << L.last_state << colon(L) << j.last_state << "\n";
  if (!j.findings.empty()) {
    out << "    " << L.findings << colon(L);
    for (size_t i = 0; i < j.findings.size(); ++i) out << (i ? ", " : "") << j.findings[i];
    out << "\n";
  }
  out << "    " << L.source << colon(L) << clean(j.source) << "  (" << L.input << colon(L) << clean(j.input) << ")\n";
}

}  // namespace

void render_text(const analysis::Report& r, const RenderOptions& o, std::ostream& out) {
  const Labels& L = labels(o.chinese);
  const Style st(o.color);
  write_summary(r, L, st, out);
  if (r.findings.empty()) out << "\n" << L.no_findings << "\n";
  for (const auto& f : r.findings) write_finding(f, o, L, st, out);
  if (!r.jobs.empty()) {
    out << "\n" << st.bold(heading(L, L.job)) << "\n";
    for (const auto& j : r.jobs) write_job(j, L, st, out);
  }
  if (!r.errors.empty()) {
    out << "\n" << st.bold(heading(L, L.input_errors)) << "\n";
    for (const auto& e : r.errors) out << "  " << st.red(clean(e.source)) << ": " << clean(e.message) << "\n";
  }
  out.flush();
}

}  // namespace marsscan::report
