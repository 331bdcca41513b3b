// marsscan report: the causal report over files, folders and archives.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/progress.h"
#include "report/render.h"
#include "report/summary.h"

namespace marsscan::cli {

namespace {

const char kExamples[] = R"(
examples:
  marsscan report customer-logs.zip
  marsscan report --format json -o report.json "C:/cases/1234/Temp"
  marsscan report --lang zh-CN --year 2019 --tz +08:00 CBEngineCurr.errlog
  type CBEngineCurr.errlog | marsscan report -          (standard input)
  marsscan report --fail-on warning bundles/*.zip; echo $?   (0 clean, 1 findings, 2 errors)
  marsscan report --summary -j 4 --format junit -o junit.xml bundles/*.zip   (CI: a table on stdout too)
)";

using Renderer = void (*)(const analysis::Report&, const match::PatternDb&,
                          const report::RenderOptions&, std::ostream&);
struct Format {
  std::string_view name;
  Renderer render;
};
constexpr Format kFormats[] = {
    {"text", [](const auto& r, const auto&, const auto& o, auto& out) { report::render_text(r, o, out); }},
    {"json", [](const auto& r, const auto&, const auto& o, auto& out) { report::render_json(r, o, out); }},
    {"ndjson", [](const auto& r, const auto&, const auto& o, auto& out) { report::render_ndjson(r, o, out); }},
    {"sarif", [](const auto& r, const auto& db, const auto& o, auto& out) { report::render_sarif(r, db, o, out); }},
    {"junit", [](const auto& r, const auto& db, const auto& o, auto& out) { report::render_junit(r, db, o, out); }},
    {"markdown", [](const auto& r, const auto&, const auto& o, auto& out) { report::render_markdown(r, o, out); }},
    {"html", [](const auto& r, const auto&, const auto& o, auto& out) { report::render_html(r, o, out); }},
};

const Format* find_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

int report_command(int argc, char** argv) {
  InputSettings in;
  DatabaseSettings dbs;
  OutputSettings out;
  std::string format = "text", fail_on = "error";
  bool no_prefilter = false, summary = false, quiet = false, timeline = false;
  size_t max_evidence = 5;
  po::options_description d(
      "usage: marsscan report [options] INPUT...\n\n"
      "Reads MARS errlogs, event-log exports (EVTX, XML, CSV, JSON), notes and archives of them,\n"
      "and prints which documented errors happened, when, in which job, with their evidence,\n"
      "ranked causes and recommended actions.\n\noptions");
  d.add_options()
    ("help,h", "show this help")
    ("format", po::value<std::string>(&format)->default_value("text"),
     "text, json, ndjson, sarif, junit, markdown or html")
    ("fail-on", po::value<std::string>(&fail_on)->default_value("error"),
     "exit 1 when a finding is at least this severe: note, warning, error, critical")
    ("no-prefilter", po::bool_switch(&no_prefilter), "run every regex on every line (for checking)")
    ("summary", po::bool_switch(&summary),
     "a table of inputs x findings by severity (text: after the report, or on stdout when -o "
     "writes another format; json: summary.inputs_table)")
    ("quiet,q", po::bool_switch(&quiet), "no progress line on a terminal's stderr")
    ("timeline", po::bool_switch(&timeline),
     "add the timeline: findings and job boundaries of all files and event logs in time order")
    ("max-evidence", po::value<size_t>(&max_evidence)->default_value(5),
     "evidence lines shown per finding in text output");
  out.add_to(d);
  in.add_jobs_to(d, "threads (inputs in parallel, blocks of one big input in parallel, by at most as many "
                   "threads as cores); 0 = the number of cores; the report does not depend on it");
  dbs.add_to(d);
  in.add_to(d);
  po::variables_map vm;
  if (!parse_command(argc, argv, d, "input", in.inputs, kExamples, vm)) return 0;
  if (in.inputs.empty()) throw UsageError("no INPUT given (use - for standard input)");
  const Format* fmt_ = find_format(format);
  if (!fmt_) throw UsageError(fmt::format("--format: unknown format '{}'", format));
  auto threshold = match::parse_severity(fail_on);
  if (!threshold) throw UsageError(fmt::format("--fail-on: '{}' is not one of note, warning, error, critical", fail_on));
  in.resolve_jobs();
  report::RenderOptions ro = out.render_options();
  ro.max_evidence_lines = max_evidence;
  ro.timeline = timeline;
  ro.tool_version = MARSSCAN_VERSION;
  ro.inputs_table = summary;
  (void)in.read_options();  // validates --tz/--year before any work
  in.apply_memory_limit();

  match::PatternDb db;
  if (!load_database(dbs, db)) return 2;
  match::MatcherOptions mo;
  mo.prefilter = !no_prefilter;
  match::Matcher matcher(db, mo);

  ScanSettings ss{in, {}, {}};
  Progress progress(in.inputs, !quiet && Progress::stderr_is_terminal());
  ss.progress = [&](size_t i, std::string_view leaf, bool done) { progress.update(i, leaf, done); };
  analysis::Report rep = scan_inputs(ss, matcher);
  progress.finish();

  Output o(out.output);
  fmt_->render(rep, db, ro, o.stream());
  // The table goes where a person or a CI log reads it: after a text report, or on stdout when
  // the report itself went to a file in another format.
  const bool text = fmt_->name == "text";
  if (summary && text) {
    o.stream() << '\n';
    report::render_inputs_table(rep, o.stream());
  }
  if (!o.close()) return 2;
  if (summary && !text && !out.output.empty() && fmt_->name != "json") {
    report::render_inputs_table(rep, std::cout);
    std::cout.flush();
  }
  if (!rep.errors.empty()) return 2;
  for (const auto& f : rep.findings)
    if (f.rule->severity >= *threshold) return 1;
  return 0;
}

}  // namespace marsscan::cli
