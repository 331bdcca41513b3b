// JUnit XML for CI test-report views (GitLab, Jenkins, Azure DevOps): each input is a test
// suite and each rule of the database a test case, so a clean rule shows as passed and a fired
// one as failed with its evidence, ranked causes and actions. Input errors are a test case
// "input-errors" with an <error>. No timestamps and time="0": the same input gives the same bytes.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "report/html_escape.h"
#include "report/render.h"

namespace marsscan::report {

namespace {

using analysis::Finding;
using analysis::InputProblem;

// Does `source` (a leaf or "archive!member") belong to top-level input `input`?
bool belongs_to(const std::string& source, const std::string& input) {
  if (source.size() < input.size() || source.compare(0, input.size(), input) != 0) return false;
  if (source.size() == input.size()) return true;
  const char next = source[input.size()];
  return next == '!' || next == '/' || next == '\\' || input.back() == '/' || input.back() == '\\';
}

std::string attr(std::string_view s) { return escape_markup(s); }

std::string occurrence_line(const analysis::Occurrence& o, bool chinese) {
  std::string s = o.source;
  if (o.line) s += (o.is_event ? "#event " : ":") + std::to_string(o.line);
  if (o.time) s += " " + format_iso8601(*o.time);
  s += ": " + o.text;
  for (const auto& d : o.decoded_in(chinese)) s += "\n      = " + d;
  return s;
}

// The <failure> body: plain text a CI log view shows verbatim.
std::string failure_body(const std::vector<const Finding*>& fs, const RenderOptions& o) {
  const bool zh = o.chinese;
  std::string s;
  for (const Finding* f : fs) {
    const auto& rule = *f->rule;
    s += rule.id + " " + rule.title.in(zh) + " [" + match::severity_name(rule.severity) + "]\n";
    s += (zh ? "次数: " : "Count: ") + std::to_string(f->count);
    if (f->first_seen) s += (zh ? "  首次: " : "  first: ") + format_iso8601(*f->first_seen);
    if (f->last_seen) s += (zh ? "  最后: " : "  last: ") + format_iso8601(*f->last_seen);
    s += "\n";
    if (!f->caused_by.empty()) {
      s += zh ? "由以下问题引起:" : "Caused by:";
      for (const auto& id : f->caused_by) s += " " + id;
      s += "\n";
    }
    if (!f->jobs.empty()) {
      s += zh ? "作业:" : "Jobs:";
      for (const auto& id : f->jobs) s += " " + id;
      s += "\n";
    }
    s += zh ? "\n证据:\n" : "\nEvidence:\n";
    size_t shown = 0;
    for (const auto& occ : f->occurrences) {
      if (shown++ == std::max<size_t>(o.max_evidence_lines, 1)) break;
      s += "  " + occurrence_line(occ, zh) + "\n";
    }
    if (f->count > shown)
      s += "  ... " + std::to_string(f->count - std::min<uint64_t>(shown, f->count)) +
           (zh ? " 次更多\n" : " more\n");
    if (!f->causes.empty()) {
      s += zh ? "\n可能的原因（按可能性排序）:\n" : "\nLikely causes (ranked):\n";
      int n = 0;
      for (const auto& rc : f->causes) {
        if (!rc.cause) continue;
        s += "  " + std::to_string(++n) + ". [" +
             (rc.evidenced ? (zh ? "有证据" : "evidenced") : (zh ? "可能" : "possible")) + "] " +
             rc.cause->text.in(zh) + " (" + rc.cause->id + ")\n";
        for (const auto& ev : rc.evidence) s += "       " + occurrence_line(ev.occurrence, zh) + "\n";
        for (const auto& a : rc.cause->actions) s += (zh ? "       -> 操作: " : "       -> action: ") + a.in(zh) + "\n";
      }
    }
    if (!rule.actions.empty()) {
      s += zh ? "\n建议操作:\n" : "\nActions:\n";
      for (const auto& a : rule.actions) s += "  - " + a.in(zh) + "\n";
    }
    s += "\n";
  }
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::string failure_message(const std::vector<const Finding*>& fs, bool zh) {
  uint64_t count = 0;
  for (const Finding* f : fs) count += f->count;
  const Finding& f = *fs.front();
  std::string s = f.rule->title.in(zh) + (zh ? "（" + std::to_string(count) + " 次）"
                                            : " (" + std::to_string(count) + (count == 1 ? " occurrence)" : " occurrences)"));
  if (!f.causes.empty() && f.causes.front().cause)
    s += (zh ? "；最可能的原因：" : "; likely cause: ") + f.causes.front().cause->text.in(zh);
  return s;
}

struct Suite {
  std::string name;
  std::map<const match::Rule*, std::vector<const Finding*>> fired;
  std::vector<const InputProblem*> errors;
  bool has_rules = true;  // false for the suite of errors that name no known input
};

}  // namespace

void render_junit(const analysis::Report& r, const match::PatternDb& db, const RenderOptions& o,
                  std::ostream& out) {
  // Suites in command-line order; a finding or error naming an unknown input still gets one.
  std::vector<Suite> suites;
  std::map<std::string, size_t> by_name;
  auto suite = [&](const std::string& name) -> Suite& {
    auto [it, added] = by_name.emplace(name, suites.size());
    if (added) suites.push_back({name, {}, {}});
    return suites[it->second];
  };
  for (const auto& in : r.inputs) suite(in);
  for (const auto& f : r.findings)
    if (f.rule) suite(f.input).fired[f.rule].push_back(&f);
  for (const auto& e : r.errors) {
    const Suite* owner = nullptr;
    size_t best = 0;
    for (const auto& s : suites)  // the longest matching input wins ("a" vs "a/b")
      if (belongs_to(e.source, s.name) && s.name.size() >= best) { owner = &s; best = s.name.size(); }
    if (owner) {
      suite(owner->name).errors.push_back(&e);
    } else {
      Suite& lost = suite("marsscan");
      if (lost.fired.empty() && std::find(r.inputs.begin(), r.inputs.end(), lost.name) == r.inputs.end())
        lost.has_rules = false;
      lost.errors.push_back(&e);
    }
  }

  // Rules of the findings that are not in `db` (another database copy) are matched by id.
  auto fired_for = [&](Suite& s, const match::Rule& rule) {
    std::vector<const Finding*> fs;
    for (auto& [rp, list] : s.fired)
      if (rp == &rule || rp->id == rule.id) fs.insert(fs.end(), list.begin(), list.end());
    return fs;
  };

  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  size_t total_tests = 0, total_failures = 0, total_errors = 0;
  std::string body;
  for (Suite& s : suites) {
    std::string cases;
    size_t tests = 0, failures = 0;
    const std::string classname = attr("marsscan." + s.name);
    for (const auto& rule : db.rules) {
      if (!s.has_rules) break;
      ++tests;
      cases += "    <testcase classname=\"" + classname + "\" name=\"" + attr(rule.id + " " + rule.title.in(o.chinese)) +
               "\" time=\"0\"";
      auto fs = fired_for(s, rule);
      if (fs.empty()) {
        cases += "/>\n";
        continue;
      }
      ++failures;
      cases += ">\n      <failure message=\"" + attr(failure_message(fs, o.chinese)) + "\" type=\"" +
               match::severity_name(rule.severity) + "\">" + escape_markup(failure_body(fs, o)) +
               "</failure>\n    </testcase>\n";
    }
    size_t errors = 0;
    if (!s.errors.empty()) {
      ++tests;
      errors = 1;
      std::string text;
      for (const InputProblem* e : s.errors) text += e->source + ": " + e->message + "\n";
      const std::string msg = std::to_string(s.errors.size()) +
                              (o.chinese ? " 个输入错误" : s.errors.size() == 1 ? " input error" : " input errors");
      cases += "    <testcase classname=\"" + classname + "\" name=\"input-errors\" time=\"0\">\n      <error message=\"" +
               attr(msg) + "\" type=\"input-error\">" + escape_markup(text) + "</error>\n    </testcase>\n";
    }
    total_tests += tests;
    total_failures += failures;
    total_errors += errors;
    body += "  <testsuite name=\"" + attr(s.name) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
            std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
            "\" skipped=\"0\" time=\"0\">\n" + cases + "  </testsuite>\n";
  }
  x += "<testsuites name=\"marsscan\" tests=\"" + std::to_string(total_tests) + "\" failures=\"" +
       std::to_string(total_failures) + "\" errors=\"" + std::to_string(total_errors) + "\" time=\"0\">\n";
  x += body;
  x += "</testsuites>\n";
  out << x;
  out.flush();
}

}  // namespace marsscan::report
