// render_explain: everything the database says about one rule, for `marsscan explain`.
#include "report/render.h"
#include "report/report_common.h"
#include "report/style.h"

namespace marsscan::report {

void render_explain(const match::Rule& rule, const RenderOptions& o, std::ostream& out) {
  const Labels& L = labels(o.chinese);
  const Style st(o.color);
  const bool zh = o.chinese;
  const char* colon = zh ? "：" : ": ";
  const char* end_colon = zh ? "：" : ":";  // before a line break: no trailing blank
  out << st.bold(rule.id) << "  " << st.severity(rule.severity, std::string("[") +
                                                   severity_label(rule.severity, zh) + "]")
      << "\n";
  out << st.bold(rule.title.in(zh)) << "\n";
  if (!rule.summary.in(zh).empty()) out << "\n" << rule.summary.in(zh) << "\n";
  out << "\n";
  if (!rule.codes.empty()) {
    out << L.codes << colon;
    for (size_t i = 0; i < rule.codes.size(); ++i) out << (i ? ", " : "") << rule.codes[i];
    out << "\n";
  }
  if (!rule.source.empty()) out << L.source << colon << rule.source << "\n";
  out << L.confidence << colon << (rule.confidence.empty() ? "high" : rule.confidence) << "\n";
  if (!rule.references.empty()) {
    out << L.references << end_colon << "\n";
    for (const auto& r : rule.references) {
      out << "  - " << r.document;
      if (!r.section.empty()) out << ", " << r.section;
      if (!r.url.empty()) out << "  " << r.url;
      out << "\n";
    }
  }
  if (!rule.causes.empty()) {
    out << "\n" << st.bold(L.causes) << end_colon << "\n";
    for (size_t i = 0; i < rule.causes.size(); ++i) {
      const auto& c = rule.causes[i];
      out << "  " << (i + 1) << ". " << c.text.in(zh) << " (" << c.id << ")\n";
      for (const auto& a : c.actions) out << "     - " << a.in(zh) << "\n";
      if (!c.evidence_rules.empty()) {
        out << "     " << L.evidence << colon;
        for (size_t k = 0; k < c.evidence_rules.size(); ++k)
          out << (k ? ", " : "") << c.evidence_rules[k];
        out << "\n";
      }
    }
  }
  if (!rule.actions.empty()) {
    out << "\n" << st.bold(L.general_actions) << end_colon << "\n";
    for (size_t i = 0; i < rule.actions.size(); ++i)
      out << "  " << (i + 1) << ". " << rule.actions[i].in(zh) << "\n";
  }
  out.flush();
}

}  // namespace marsscan::report
