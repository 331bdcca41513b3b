// marsscan patterns list|check|export: the pattern database as data.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "match/check.h"

namespace marsscan::cli {

namespace {

int list(const match::PatternDb& db, const report::RenderOptions& ro, std::ostream& out) {
  for (const auto& r : db.rules) {
    std::string codes;
    for (const auto& c : r.codes) codes += (codes.empty() ? "" : ",") + c;
    out << fmt::format("{:<42} {:<8} {:<24} {}\n", r.id, match::severity_name(r.severity),
                       codes.empty() ? "-" : codes, r.title.in(ro.chinese));
  }
  return 0;
}

int check(const match::PatternDb& db, bool loaded_cleanly, std::ostream& out) {
  auto failures = match::check_samples(db);
  for (const auto& f : failures) std::cerr << "marsscan: " << f.to_string() << '\n';
  size_t samples = 0;
  for (const auto& r : db.rules) {
    samples += r.samples.size() + r.near_misses.size() + r.event_samples.size() +
               r.event_near_misses.size();
    for (const auto& c : r.causes) samples += c.samples.size();
  }
  out << fmt::format("{} files, {} rules, {} patterns, {} samples: {}\n", db.files.size(),
                     db.rules.size(), db.patterns.size() + db.event_patterns.size(), samples,
                     failures.empty() && loaded_cleanly ? "ok" : "FAILED");
  return failures.empty() && loaded_cleanly ? 0 : 2;
}

// The trigger regexes, one per line, so that other tools get exactly our list (bench/).
int export_regex(const match::PatternDb& db, std::ostream& out) {
  for (const auto& p : db.patterns)
    if (p.owner.kind == match::PatternOwner::Trigger) out << p.regex << '\n';
  return 0;
}

}  // namespace

int patterns_command(int argc, char** argv) {
  DatabaseSettings dbs;
  OutputSettings out;
  std::string action, format = "regex";
  std::vector<std::string> dirs;
  po::options_description d(
      "usage: marsscan patterns list|check [DIR...]|export [options]\n\n"
      "  list             every rule: id, severity, codes, title\n"
      "  check [DIR...]   load the rule files (built-in plus DIR) and run every sample\n"
      "  export           print every trigger regex, one per line (--format regex)\n\noptions");
  d.add_options()
    ("help,h", "show this help")
    ("format", po::value<std::string>(&format)->default_value("regex"), "export format: regex");
  out.add_to(d);
  dbs.add_to(d);
  constexpr std::string_view kExamples =
      "\nexamples:\n  marsscan patterns list --lang zh-CN\n"
      "  marsscan patterns check my-rules/\n"
      "  marsscan patterns export --format regex > rules.txt\n";
  po::variables_map vm;
  if (!parse_command(argc, argv, d, "args", dirs, kExamples, vm)) return 0;
  if (dirs.empty()) {
    std::cerr << d << kExamples;
    return 2;
  }
  action = dirs.front();
  dirs.erase(dirs.begin());
  if (action != "check" && !dirs.empty())
    throw UsageError(fmt::format("'patterns {}' takes no arguments", action));
  if (action == "export" && format != "regex")
    throw UsageError(fmt::format("--format: unknown export format '{}'", format));
  for (auto& dir : dirs) dbs.dirs.push_back(dir);
  dbs.check_builtin = action == "check";
  report::RenderOptions ro = out.render_options();
  match::PatternDb db;
  bool clean = load_database(dbs, db);
  if (!clean && action != "check") return 2;
  Output o(out.output);
  int rc;
  if (action == "list") rc = list(db, ro, o.stream());
  else if (action == "check") rc = check(db, clean, o.stream());
  else if (action == "export") rc = export_regex(db, o.stream());
  else throw UsageError(fmt::format("unknown action '{}' (list, check, export)", action));
  if (!o.close()) return 2;
  return rc;
}

}  // namespace marsscan::cli
