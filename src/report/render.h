// The report stage: renders an analysis::Report. Each format is one function in its own file.
#pragma once
#include <ostream>
#include <string>

#include "analysis/model.h"

namespace marsscan::report {

struct RenderOptions {
  bool chinese = false;             // --lang zh-CN
  bool color = false;               // resolved from --color and isatty
  size_t max_evidence_lines = 5;    // per finding in text output
  std::string tool_version;         // marsscan's version, for SARIF tool.driver and the HTML footer
  bool timeline = false;            // --timeline: add the timeline (text, JSON, Markdown, HTML)
  bool inputs_table = false;        // --summary: JSON summary.inputs_table (report/summary.h)
};

void render_text(const analysis::Report& r, const RenderOptions& o, std::ostream& out);
// JSON schema "marsscan.report/1" (README.md); deterministic bytes for the same input.
void render_json(const analysis::Report& r, const RenderOptions& o, std::ostream& out);
// One finding per line, streamed (schema "marsscan.finding/1").
void render_ndjson(const analysis::Report& r, const RenderOptions& o, std::ostream& out);
// SARIF 2.1.0; `db` supplies tool.driver.rules (every rule, not only those that fired).
void render_sarif(const analysis::Report& r, const match::PatternDb& db, const RenderOptions& o,
                  std::ostream& out);
// JUnit XML: one <testsuite> per input, one <testcase> per rule of `db`.
void render_junit(const analysis::Report& r, const match::PatternDb& db, const RenderOptions& o,
                  std::ostream& out);
void render_markdown(const analysis::Report& r, const RenderOptions& o, std::ostream& out);
// One self-contained HTML file: no network, no external assets.
void render_html(const analysis::Report& r, const RenderOptions& o, std::ostream& out);
// `marsscan explain`: one rule, its causes and actions.
void render_explain(const match::Rule& rule, const RenderOptions& o, std::ostream& out);

}  // namespace marsscan::report
