// marsscan grep: grep through support bundles (archives, UTF-16, event exports) with the
// pattern database or ad-hoc RE2 regexes. Exit 0 when something matched, 1 when nothing did,
// 2 on error, as grep does.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/grep_inputs.h"
#include "cli/grep_print.h"
#include "cli/grep_search.h"
#include "cli/options.h"
#include "cli/output.h"
#include "match/regex.h"

namespace marsscan::cli {

namespace {

const char kExamples[] = R"(
examples:
  marsscan grep bundle.zip                        every documented error, as source:line:RULE:text
  marsscan grep --rule MARS-34513 -C 2 Temp/      one rule, with two lines of context
  marsscan grep -c --severity error logs/*.zip    matching lines per file
  marsscan grep -e 'Failed: Hr: = \[0x8007' CBEngineCurr.errlog    an ad-hoc RE2 regex
  find . -name '*.errlog' -print0 | xargs -0 marsscan grep -l
  marsscan grep -h bundle.zip | cut -d: -f2 | sort | uniq -c
)";

// A database of ad-hoc regexes (-e/-f): one anonymous rule per regex, so the same matcher
// (prefilter and all) serves both modes.
match::PatternDb adhoc_database(const std::vector<std::string>& regexes, bool icase, int64_t max_mem) {
  match::PatternDb db;
  for (size_t i = 0; i < regexes.size(); ++i) {
    std::string regex = icase ? "(?i)" + regexes[i] : regexes[i];
    std::string error;
    auto re = match::compile_regex(regex, max_mem, error);
    if (!re) throw UsageError(fmt::format("-e '{}': {}", regexes[i], error));
    match::Pattern p;
    p.regex = regex;
    p.owner.kind = match::PatternOwner::Trigger;
    p.owner.rule = static_cast<int>(i);
    p.re = match::LazyRegex(std::move(re));
    db.patterns.push_back(std::move(p));
    match::Rule r;
    r.triggers.push_back(static_cast<int>(i));
    db.rules.push_back(std::move(r));
  }
  return db;
}

std::vector<std::string> read_regex_file(const std::string& path) {
  std::ifstream in(path == "-" ? "/dev/stdin" : path);
  if (!in) throw UsageError(fmt::format("-f {}: cannot read", path));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Only the triggers of the selected rules are scanned for.
match::MatcherOptions selection(const match::PatternDb& db, const std::vector<std::string>& rule_ids,
                                std::optional<match::Severity> min) {
  std::vector<bool> rules(db.rules.size(), rule_ids.empty());
  for (const auto& id : rule_ids) {
    const match::Rule* r = db.lookup(id);
    if (!r) throw UsageError(fmt::format("--rule: no rule matches '{}'", id));
    rules[r - db.rules.data()] = true;
  }
  if (min)
    for (size_t i = 0; i < db.rules.size(); ++i) rules[i] = rules[i] && db.rules[i].severity >= *min;
  match::MatcherOptions o;
  o.enabled.assign(db.patterns.size(), false);
  o.enabled_events.assign(db.event_patterns.size(), false);
  for (size_t i = 0; i < db.patterns.size(); ++i) {
    const auto& own = db.patterns[i].owner;
    o.enabled[i] = own.kind == match::PatternOwner::Trigger && rules[own.rule];
  }
  for (size_t i = 0; i < db.event_patterns.size(); ++i) {
    const auto& own = db.event_patterns[i].owner;
    o.enabled_events[i] = own.kind == match::PatternOwner::Trigger && rules[own.rule];
  }
  return o;
}

}  // namespace

int grep_command(int argc, char** argv) {
  InputSettings in;
  DatabaseSettings dbs;
  std::vector<std::string> regexes, regex_files, rule_ids;
  std::string severity, color = "auto";
  size_t after = 0, before = 0, context = 0;
  uint64_t max_count = 0;
  bool count = false, files_with = false, files_without = false, only = false, quiet = false;
  bool with_name = false, no_name = false, no_number = false, null = false, json = false;
  bool icase = false, no_prefilter = false, line_number = false;
  po::options_description d(
      "usage: marsscan grep [options] [INPUT...]\n\n"
      "Searches files, folders, archives and event exports (any encoding) with the pattern\n"
      "database (all rules, or --rule/--severity) or with ad-hoc RE2 regexes (-e, -f), and prints\n"
      "source:line:RULE:text. Reads standard input when no INPUT is given.\n\noptions");
  d.add_options()
    ("help", "show this help")
    ("regexp,e", po::value<std::vector<std::string>>(&regexes)->composing(), "ad-hoc RE2 regex (repeatable)")
    ("file,f", po::value<std::vector<std::string>>(&regex_files)->composing(), "ad-hoc regexes, one per line")
    ("ignore-case,i", po::bool_switch(&icase), "ad-hoc regexes ignore case")
    ("rule", po::value<std::vector<std::string>>(&rule_ids)->composing(), "only this rule (id or code; repeatable)")
    ("severity", po::value<std::string>(&severity), "only rules at least this severe")
    ("line-number,n", po::bool_switch(&line_number), "print line numbers (the default)")
    ("no-line-number,N", po::bool_switch(&no_number), "no line numbers")
    ("with-filename,H", po::bool_switch(&with_name), "always print the source")
    ("no-filename,h", po::bool_switch(&no_name), "never print the source")
    ("count,c", po::bool_switch(&count), "print the number of matching lines per file")
    ("files-with-matches,l", po::bool_switch(&files_with), "print only names of files with matches")
    ("files-without-match,L", po::bool_switch(&files_without), "print only names of files without")
    ("only-matching,o", po::bool_switch(&only), "print only the matched parts")
    ("quiet,q", po::bool_switch(&quiet), "print nothing; exit 0 on the first match")
    ("max-count,m", po::value<uint64_t>(&max_count), "stop a file after NUM matching lines")
    ("after-context,A", po::value<size_t>(&after), "lines of context after a match")
    ("before-context,B", po::value<size_t>(&before), "lines of context before a match")
    ("context,C", po::value<size_t>(&context), "lines of context around a match")
    ("color", po::value<std::string>(&color)->default_value("auto"), "auto, always or never")
    ("null,Z", po::bool_switch(&null), "a NUL byte after each file name")
    ("json", po::bool_switch(&json), "JSON Lines in ripgrep's begin/match/context/end/summary format")
    ("no-prefilter", po::bool_switch(&no_prefilter), "run every regex on every line (for checking)");
  in.add_jobs_to(d, "threads: several inputs are searched side by side, the big members of a zip are "
                    "inflated side by side, one file's blocks matched side by side (by at most as many "
                    "threads as cores); 0 = the number of cores; the output does not depend on it");
  dbs.add_to(d);
  in.add_to(d);
  po::variables_map vm;
  if (!parse_command(argc, argv, d, "input", in.inputs, kExamples, vm)) return 0;
  if (in.inputs.empty()) in.inputs.push_back("-");
  if (vm.count("context")) before = after = context;
  if (vm.count("after-context")) after = vm["after-context"].as<size_t>();
  if (vm.count("before-context")) before = vm["before-context"].as<size_t>();
  if (color != "auto" && color != "always" && color != "never")
    throw UsageError(fmt::format("--color: '{}' is not one of auto, always, never", color));
  std::optional<match::Severity> min;
  if (!severity.empty() && !(min = match::parse_severity(severity)))
    throw UsageError(fmt::format("--severity: '{}' is not one of note, warning, error, critical", severity));
  records::ReadOptions read = in.read_options();
  in.apply_memory_limit();

  for (const auto& f : regex_files)
    for (auto& r : read_regex_file(f)) regexes.push_back(std::move(r));
  match::PatternDb db;
  if (regexes.empty() && regex_files.empty()) {
    if (!load_database(dbs, db)) return 2;
  } else {
    if (!rule_ids.empty() || min) throw UsageError("--rule/--severity select rules; -e/-f replace them");
    db = adhoc_database(regexes, icase, dbs.max_regex_memory);
  }
  match::MatcherOptions mo = selection(db, rule_ids, min);
  mo.prefilter = !no_prefilter;
  match::Matcher matcher(db, mo);

  SearchSettings ss;
  using Mode = SearchSettings::Mode;
  ss.mode = quiet ? Mode::Quiet : files_with ? Mode::FilesWithMatches
          : files_without ? Mode::FilesWithoutMatch : count ? Mode::Count : Mode::Lines;
  ss.before = before;
  ss.after = after;
  ss.context = vm.count("context") || vm.count("after-context") || vm.count("before-context");
  if (vm.count("max-count")) ss.max_count = max_count;
  PrintSettings ps;
  ps.names = with_name ? PrintSettings::Names::Always
           : no_name ? PrintSettings::Names::Never : PrintSettings::Names::Auto;
  if (in.inputs.size() == 1) ps.only_input = in.inputs.front();
  ps.line_number = !no_number;
  ps.only_matching = only;
  ps.null = null;
  ps.color = color == "always" || (color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  ss.spans = ps.color || only || json;

  Output o("");
  ss.out = &o.stream();
  const PrinterFactory make_printer = [&](std::ostream& os) {
    return json ? make_json_printer(os) : make_standard_printer(os, ps);
  };
  auto printer = make_printer(o.stream());
  in.resolve_jobs();
  auto start = std::chrono::steady_clock::now();
  GrepRun run;
  if (in.jobs > 1 && in.inputs.size() > 1) {
    // Several inputs: one thread each, outputs in input order (grep_inputs.h).
    run = grep_inputs(in.inputs, in.walk, matcher, ss, read, make_printer, *printer, o.stream(), in.jobs);
  } else {
    // One input: its blocks are read and matched by N - 1 workers and by this thread, between
    // printing.
    // Members of a zip that are a fair share of the work go to threads whole (grep_search.h).
    std::optional<BlockWorkers> workers;
    std::optional<LeafWorkers> leaves;
    LeafSharing sharing;
    if (const unsigned n = BlockWorkers::workers_for(in.jobs)) {
      workers.emplace(matcher, n);
      sharing.leaves = &leaves.emplace(n + 1);  // this thread only writes out what they found
      sharing.make_printer = make_printer;
      sharing.out = &o.stream();
    }
    GrepSearch search(matcher, *printer, ss, read, workers ? &*workers : nullptr,
                      leaves ? &sharing : nullptr);
    for (const auto& input : in.inputs) {
      auto failed = [&](const std::exception& e) {  // a stage failed: the input is reported, the rest goes on
        std::cerr << "marsscan: " << input << ": " << e.what() << '\n';
        run.had_error = true;
      };
      try {
        input::walk(input, in.walk, search);
      } catch (const std::exception& e) {
        failed(e);
      }
      try {
        search.finish();  // the input's last leaves, before its totals are read
      } catch (const std::exception& e) {
        failed(e);
      }
      if ((quiet && search.stats().matched_lines) || !o.stream()) break;
    }
    run.stats = search.stats();
    run.had_error = run.had_error || search.had_error();
  }
  if (json)
    printer->summary(run.stats, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  bool wrote = o.close();
  bool matched = run.stats.matched_lines > 0;
  if (quiet && matched) return 0;
  if (run.had_error || !wrote) return 2;
  // -L as GNU grep (>= 3.5): the status says whether lines matched, not whether names were listed.
  return matched ? 0 : 1;
}

}  // namespace marsscan::cli
