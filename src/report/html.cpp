// The HTML report: one self-contained file a support engineer can attach to a ticket. Inline CSS
// and a few lines of inline JS (only for the language switch); a Content-Security-Policy that
// forbids every network load; the timeline is server-side SVG, so it reads without JS. Every
// text is written in both languages and CSS shows one, so switching needs no re-render.
#include <algorithm>
#include <string>

#include "report/html_escape.h"
#include "report/html_timeline.h"
#include "report/job_story.h"
#include "report/report_common.h"
#include "report/render.h"

namespace marsscan::report {

namespace {

using analysis::Finding;

struct L { const char* en; const char* zh; };

// A UI label in both languages.
std::string bi(const L& l) {
  return std::string("<span class=\"en\">") + escape_markup(l.en) + "</span><span class=\"zh\" lang=\"zh-CN\">" +
         escape_markup(l.zh) + "</span>";
}
// A database text in both languages; one span when there is no translation.
std::string bi(const match::Text& t) {
  if (t.zh.empty() || t.zh == t.en) return escape_markup(t.en);
  return "<span class=\"en\">" + escape_markup(t.en) + "</span><span class=\"zh\" lang=\"zh-CN\">" +
         escape_markup(t.zh) + "</span>";
}

std::string when(const std::optional<TimeMs>& t) {
  if (!t) return "–";
  std::string s = format_iso8601(*t);  // 2024-05-01T13:16:29.206Z -> 2024-05-01 13:16:29Z
  if (s.size() >= 20) s = s.substr(0, 10) + " " + s.substr(11, 8) + "Z";
  return s;
}

const L kSeverity[] = {{"note", "提示"}, {"warning", "警告"}, {"error", "错误"}, {"critical", "严重"}};
const L& severity_label(match::Severity s) { return kSeverity[static_cast<int>(s)]; }

const char* kStyle = R"CSS(
:root{--fg:#1f2a37;--muted:#5b6570;--line:#e3e6ea;--bg:#f4f6f8;--card:#fff;--accent:#0b5cad}
*{box-sizing:border-box}
html[data-lang=en] .zh{display:none} html[data-lang=zh-CN] .en{display:none}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI","Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif}
header{background:#102a43;color:#fff;padding:18px 32px;display:flex;align-items:center;gap:24px}
header h1{margin:0;font-size:22px;font-weight:600} header .meta{color:#bcccdc;font-size:13px;flex:1}
header button{background:#fff;color:#102a43;border:0;border-radius:6px;padding:7px 14px;font-weight:600;cursor:pointer}
main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}
h2{font-size:17px;margin:28px 0 12px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;border-top:4px solid var(--accent)}
.card .n{font-size:26px;font-weight:700} .card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px}
svg.timeline{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top;font-size:13px}
th{background:#eef1f4;font-weight:600} tr.failed td{background:#fdf0ef}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.finding{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--sev);border-radius:8px;padding:14px 18px;margin-bottom:14px}
.finding h3{margin:0 0 6px;font-size:16px} .finding h3 code{font-size:13px;color:var(--muted);margin-right:6px}
.facts{color:var(--muted);font-size:13px;display:flex;flex-wrap:wrap;gap:4px 18px}
.chain{margin:6px 0;font-size:13px} .chip{display:inline-block;background:#e8eef6;border-radius:4px;padding:0 6px;margin-right:4px;font-family:ui-monospace,Consolas,monospace;font-size:12px}
.top{margin:8px 0;padding:8px 12px;background:#f3f8ee;border-radius:6px} .top.possible{background:#f6f7f9}
details{margin-top:8px} summary{cursor:pointer;font-weight:600;color:var(--accent)}
ol.causes{margin:8px 0;padding-left:22px} ol.causes li{margin-bottom:8px}
.status{font-size:11px;font-weight:700;text-transform:uppercase;border-radius:3px;padding:0 5px;margin-right:6px}
.status.ev{background:#2e7d32;color:#fff} .status.pos{background:#cfd6de;color:#1f2a37}
ul.actions{margin:4px 0;padding-left:20px}
pre{background:#0f1720;color:#e6edf3;border-radius:6px;padding:10px 12px;overflow-x:auto;font:12px/1.5 ui-monospace,Consolas,"Courier New",monospace;white-space:pre-wrap;word-break:break-all}
pre .src{color:#8fb8e8} .decoded{color:#9fd49a}
.empty{color:var(--muted)} footer{color:var(--muted);font-size:12px;margin-top:32px}
@media print{header button{display:none} details{display:block}}
)CSS";

// The language switch: flips one attribute; CSS does the rest.
const char* kScript = R"JS(
(function(){var b=document.getElementById('lang');if(!b)return;b.hidden=false;
b.addEventListener('click',function(){var h=document.documentElement;var zh=h.getAttribute('data-lang')!=='zh-CN';
h.setAttribute('data-lang',zh?'zh-CN':'en');h.setAttribute('lang',zh?'zh-CN':'en');});})();
)JS";

void card(std::string& h, const std::string& value, const L& label, const char* color) {
  h += "<div class=\"card\" style=\"border-top-color:" + std::string(color) + "\"><div class=\"n\">" +
       escape_markup(value) + "</div><div class=\"l\">" + bi(label) + "</div></div>\n";
}

std::string occurrence_html(const analysis::Occurrence& o) {
  std::string s = "<span class=\"src\">" + escape_markup(o.source);
  if (o.line) s += escape_markup((o.is_event ? " #" : ":") + std::to_string(o.line));
  if (o.time) s += " " + escape_markup(when(o.time));
  s += "</span>\n" + escape_markup(o.text) + "\n";
  for (size_t i = 0; i < o.decoded.size(); ++i) {
    s += "<span class=\"decoded\">  = <span class=\"en\">" + escape_markup(o.decoded[i]) + "</span>";
    const auto& zh = o.decoded_in(true);
    s += "<span class=\"zh\">" + escape_markup(i < zh.size() ? zh[i] : o.decoded[i]) + "</span></span>\n";
  }
  return s;
}

void finding_html(std::string& h, const Finding& f, bool many_inputs) {
  const auto& rule = *f.rule;
  const char* color = severity_color(rule.severity);
  h += "<article class=\"finding\" id=\"" + escape_markup(rule.id + "@" + f.input) + "\" style=\"--sev:" + color + "\">\n";
  h += "<h3><span class=\"badge\" style=\"background:" + std::string(color) + "\">" + bi(severity_label(rule.severity)) +
       "</span> <code>" + escape_markup(rule.id) + "</code><span class=\"title\">" + bi(rule.title) + "</span></h3>\n";
  h += "<div class=\"facts\"><span>" + bi(L{"Count", "次数"}) + ": <b>" + std::to_string(f.count) + "</b></span><span>" +
       bi(L{"First seen", "首次出现"}) + ": " + escape_markup(when(f.first_seen)) + "</span><span>" +
       bi(L{"Last seen", "最后出现"}) + ": " + escape_markup(when(f.last_seen)) + "</span>";
  if (many_inputs) h += "<span>" + bi(L{"Input", "输入"}) + ": " + escape_markup(f.input) + "</span>";
  if (!f.jobs.empty()) h += "<span>" + bi(L{"Jobs", "作业"}) + ": " + std::to_string(f.jobs.size()) + "</span>";
  h += "</div>\n";
  if (!f.caused_by.empty() || !f.causes_of.empty()) {
    h += "<div class=\"chain\">";
    if (!f.caused_by.empty()) {
      h += bi(L{"Caused by", "由以下问题引起"}) + ": ";
      for (const auto& id : f.caused_by) h += "<span class=\"chip\">" + escape_markup(id) + "</span>";
    }
    if (!f.causes_of.empty()) {
      h += " " + bi(L{"Leads to", "导致"}) + ": ";
      for (const auto& id : f.causes_of) h += "<span class=\"chip\">" + escape_markup(id) + "</span>";
    }
    h += "</div>\n";
  }
  if (!f.causes.empty() && f.causes.front().cause) {
    const auto& top = f.causes.front();
    h += std::string("<div class=\"top") + (top.evidenced ? "" : " possible") + "\"><b>" +
         (top.evidenced ? bi(L{"Most likely cause", "最可能的原因"}) : bi(L{"Possible cause", "可能的原因"})) +
         ":</b> " + bi(top.cause->text) + " <span class=\"chip\">" + escape_markup(top.cause->id) + "</span></div>\n";
  }
  if (!f.causes.empty() || !rule.actions.empty()) {
    h += "<details><summary>" + bi(L{"Causes and actions", "原因和建议操作"}) + "</summary>\n<ol class=\"causes\">\n";
    for (const auto& rc : f.causes) {
      if (!rc.cause) continue;
      h += "<li><span class=\"status " + std::string(rc.evidenced ? "ev\">" : "pos\">") +
           (rc.evidenced ? bi(L{"evidenced", "有证据"}) : bi(L{"possible", "可能"})) + "</span>" +
           bi(rc.cause->text) + " <span class=\"chip\">" + escape_markup(rc.cause->id) + "</span>\n";
      if (!rc.cause->actions.empty()) {
        h += "<ul class=\"actions\">";
        for (const auto& a : rc.cause->actions) h += "<li>" + bi(a) + "</li>";
        h += "</ul>\n";
      }
      if (!rc.evidence.empty()) {
        h += "<pre>";
        for (const auto& ev : rc.evidence) h += occurrence_html(ev.occurrence);
        h += "</pre>\n";
      }
      h += "</li>\n";
    }
    h += "</ol>\n";
    if (!rule.actions.empty()) {
      h += "<b>" + bi(L{"General actions", "通用操作"}) + "</b><ul class=\"actions\">";
      for (const auto& a : rule.actions) h += "<li>" + bi(a) + "</li>";
      h += "</ul>\n";
    }
    h += "</details>\n";
  }
  if (!f.occurrences.empty()) {
    h += "<details><summary>" + bi(L{"Evidence lines", "证据行"}) + " (" + std::to_string(f.occurrences.size()) +
         (f.count > f.occurrences.size() ? " / " + std::to_string(f.count) : std::string()) + ")</summary>\n<pre>";
    for (const auto& o : f.occurrences) h += occurrence_html(o);
    h += "</pre></details>\n";
  }
  h += "</article>\n";
}

// Under a failed job: each finding inside it, why (top cause) and what to do (first action).
void job_story_html(std::string& h, const analysis::Report& r, const analysis::Job& j) {
  const auto en = job_findings(r, j, false), zh = job_findings(r, j, true);
  if (en.empty()) return;
  h += "<tr class=\"story\"><td></td><td colspan=\"7\"><ul class=\"actions\">";
  for (size_t i = 0; i < en.size(); ++i) {
    const auto& fs = en[i];
    h += "<li><span class=\"chip\">" + escape_markup(fs.finding->rule->id) + "</span>" + bi(fs.finding->rule->title);
    if (fs.top) h += " — <b>" + bi(L{"why", "原因"}) + ":</b> " + bi(fs.top->cause->text);
    if (!fs.first_action.empty())
      h += " — <b>" + bi(L{"do", "操作"}) + ":</b> " + bi(match::Text{fs.first_action, zh[i].first_action});
    h += "</li>";
  }
  h += "</ul></td></tr>\n";
}

// The timeline as a table next to its chart (--timeline): findings and job boundaries in time order.
void timeline_table_html(std::string& h, const analysis::Report& r) {
  h += "<table class=\"timeline-table\"><thead><tr><th>" + bi(L{"Time", "时间"}) + "</th><th>" + bi(L{"What", "内容"}) +
       "</th><th>" + bi(L{"Where", "位置"}) + "</th><th>" + bi(L{"Line", "行"}) + "</th></tr></thead><tbody>\n";
  for (const auto& e : r.timeline) {
    h += "<tr><td>" + (e.at.time ? escape_markup(when(e.at.time)) : bi(L{"(no time)", "（无时间）"})) + "</td><td>";
    if (e.kind == analysis::TimelineEntry::Finding && e.rule)
      h += "<span class=\"badge\" style=\"background:" + std::string(severity_color(e.rule->severity)) + "\">" +
           bi(severity_label(e.rule->severity)) + "</span> <code>" + escape_markup(e.rule->id) + "</code>";
    else
      h += bi(L{timeline_kind_label(e.kind, false), timeline_kind_label(e.kind, true)}) + " <code>" +
           escape_markup(e.job) + "</code>";
    h += "</td><td><code>" + escape_markup(location(e.at)) + "</code></td><td>" + escape_markup(e.at.text);
    for (size_t i = 0; i < e.at.decoded.size(); ++i) {
      const auto& zh = e.at.decoded_in(true);
      h += "<br><small>" + bi(match::Text{e.at.decoded[i], i < zh.size() ? zh[i] : e.at.decoded[i]}) + "</small>";
    }
    h += "</td></tr>\n";
  }
  h += "</tbody></table>\n";
}

void jobs_html(std::string& h, const analysis::Report& r) {
  if (r.jobs.empty()) {
    h += "<p class=\"empty\">" + bi(L{"No backup jobs were recognised.", "未识别到备份作业。"}) + "</p>\n";
    return;
  }
  h += "<table><thead><tr><th>" + bi(L{"Outcome", "结果"}) + "</th><th>" + bi(L{"Job", "作业"}) + "</th><th>" +
       bi(L{"Type", "类型"}) + "</th><th>" + bi(L{"Start", "开始"}) + "</th><th>" + bi(L{"End", "结束"}) + "</th><th>" +
       bi(L{"Phase (failed in / last)", "阶段（失败于 / 最后）"}) + "</th><th>" + bi(L{"Failure", "失败原因"}) + "</th><th>" +
       bi(L{"Findings", "发现"}) + "</th></tr></thead><tbody>\n";
  // Failed first, the rest in the analysis order (by start time).
  std::vector<const analysis::Job*> jobs;
  for (const auto& j : r.jobs) jobs.push_back(&j);
  std::stable_partition(jobs.begin(), jobs.end(), [](const analysis::Job* j) { return j->outcome == "failed"; });
  for (const auto* j : jobs) {
    const bool failed = j->outcome == "failed";
    const char* color = failed ? "#d03b2f" : j->outcome == "succeeded" ? "#2e7d32" : "#7b8794";
    h += std::string("<tr") + (failed ? " class=\"failed\"" : "") + "><td><span class=\"badge\" style=\"background:" +
         color + "\">" + escape_markup(j->outcome) + "</span></td><td><code>" + escape_markup(j->id) + "</code>";
    if (r.inputs.size() > 1) h += "<br><small>" + escape_markup(j->input) + "</small>";
    h += "</td><td>" + escape_markup(j->type) + "</td><td>" + escape_markup(when(j->start)) + "</td><td>" +
         escape_markup(when(j->end)) + "</td><td>" +
         escape_markup(failed && !j->failed_phase.empty() ? j->failed_phase
                       : j->phases.empty() ? std::string() : j->phases.back().name);
    if (!j->last_state.empty())
      h += "<br><small>Ds " + bi(match::Text{job_state(*j, false), job_state(*j, true)}) + "</small>";
    h += "</td><td>" + bi(match::Text{job_failure(*j, false), job_failure(*j, true)}) + "</td><td>";
    for (const auto& id : j->findings) h += "<span class=\"chip\">" + escape_markup(id) + "</span>";
    h += "</td></tr>\n";
    if (failed) job_story_html(h, r, *j);
  }
  h += "</tbody></table>\n";
}

}  // namespace

void render_html(const analysis::Report& r, const RenderOptions& o, std::ostream& out) {
  std::string h;
  const char* lang = o.chinese ? "zh-CN" : "en";
  h += std::string("<!DOCTYPE html>\n<html lang=\"") + lang + "\" data-lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: the report is opened from tickets and mail, often offline.
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>marsscan report</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";

  h += "<header><h1>marsscan " + bi(L{"report", "分析报告"}) + "</h1><div class=\"meta\">";
  for (size_t i = 0; i < r.inputs.size(); ++i) h += (i ? " · " : "") + escape_markup(r.inputs[i]);
  h += "</div><button id=\"lang\" type=\"button\" hidden>English / 中文</button></header>\n<main>\n";

  // Summary cards.
  uint64_t total = 0;
  for (const auto& [sev, n] : r.summary.findings) total += n;
  auto sev_count = [&](match::Severity s) {
    auto it = r.summary.findings.find(s);
    return it == r.summary.findings.end() ? uint64_t{0} : it->second;
  };
  size_t failed_jobs = 0;
  for (const auto& j : r.jobs) failed_jobs += j.outcome == "failed";
  h += "<section class=\"cards\">\n";
  card(h, std::to_string(total), {"Findings", "发现"}, "#0b5cad");
  card(h, std::to_string(sev_count(match::Severity::Critical)), {"Critical", "严重"}, severity_color(match::Severity::Critical));
  card(h, std::to_string(sev_count(match::Severity::Error)), {"Errors", "错误"}, severity_color(match::Severity::Error));
  card(h, std::to_string(sev_count(match::Severity::Warning)), {"Warnings", "警告"}, severity_color(match::Severity::Warning));
  card(h, std::to_string(failed_jobs) + " / " + std::to_string(r.jobs.size()), {"Failed jobs", "失败的作业"}, "#7b1fa2");
  card(h, std::to_string(r.summary.files), {"Files", "文件"}, "#52606d");
  card(h, std::to_string(r.summary.records), {"Records", "记录"}, "#52606d");
  card(h, std::to_string(r.errors.size()), {"Input errors", "输入错误"}, r.errors.empty() ? "#52606d" : "#d03b2f");
  h += "</section>\n";

  h += "<h2>" + bi(L{"Timeline", "时间线"}) + " <small class=\"empty\">(UTC)</small></h2>\n<div class=\"panel\">";
  const std::string svg = timeline_svg(r);
  h += svg.empty() ? "<p class=\"empty\">" + bi(L{"No timestamps in the findings.", "发现中没有时间戳。"}) + "</p>" : svg;
  h += "</div>\n";
  if (o.timeline && !r.timeline.empty()) timeline_table_html(h, r);

  h += "<h2>" + bi(L{"Findings (root causes first)", "发现（根本原因优先）"}) + "</h2>\n";
  if (r.findings.empty()) h += "<p class=\"empty\">" + bi(L{"No documented MARS error was found.", "未发现已记录的 MARS 错误。"}) + "</p>\n";
  for (const auto& f : r.findings)
    if (f.rule) finding_html(h, f, r.inputs.size() > 1);

  h += "<h2>" + bi(L{"Jobs", "作业"}) + "</h2>\n";
  jobs_html(h, r);

  if (!r.errors.empty()) {
    h += "<h2>" + bi(L{"Input errors", "输入错误"}) + "</h2>\n<table><tbody>\n";
    for (const auto& e : r.errors)
      h += "<tr><td><code>" + escape_markup(e.source) + "</code></td><td>" + escape_markup(e.message) + "</td></tr>\n";
    h += "</tbody></table>\n";
  }
  h += "<footer>marsscan" + (o.tool_version.empty() ? std::string() : " " + escape_markup(o.tool_version)) + " · " +
       std::to_string(r.summary.inputs) + " " + bi(L{"inputs", "个输入"}) + " · " + std::to_string(r.summary.bytes) +
       " bytes · " + bi(L{"all times UTC", "所有时间均为 UTC"}) + "</footer>\n";
  h += "</main>\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  out << h;
  out.flush();
}

}  // namespace marsscan::report
