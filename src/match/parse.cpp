#include "match/parse.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "match/regex.h"

namespace marsscan::match {

namespace {

using Keys = std::initializer_list<std::string_view>;

struct Field {
  YAML::Node key, value;
  int line = 0;  // of the value, or of the key when the value has no position (null)
};
using Fields = std::map<std::string, Field, std::less<>>;

int line_of(const YAML::Node& n, int fallback) {
  if (!n.IsDefined()) return fallback;
  YAML::Mark m = n.Mark();
  return m.is_null() ? fallback : m.line + 1;
}

std::optional<int64_t> parse_int(std::string_view s) {
  bool neg = !s.empty() && s.front() == '-';
  if (neg) s.remove_prefix(1);
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size() || v > (1ull << 62)) return std::nullopt;
  return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

std::string list_names(Keys keys) {
  std::string out;
  for (auto k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

class FileParser {
 public:
  FileParser(const std::string& file, int64_t max_mem, bool trusted, std::vector<LoadError>& errors)
      : file_(file), max_mem_(max_mem), trusted_(trusted), errors_(errors) {}

  ParsedFile parse(std::string_view yaml) {
    ParsedFile out;
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
      error(e.mark.is_null() ? 0 : e.mark.line + 1, "YAML syntax error: " + e.msg);
      return out;
    }
    try {
      if (!root.IsDefined() || root.IsNull()) return out;
      if (!root.IsMap()) {
        error(line_of(root, 1), "a pattern file must be a mapping with rules, markers or codes");
        return out;
      }
      Fields f = fields(root, {"rules", "markers", "codes"}, 1);
      if (auto* r = get(f, "rules")) rules(*r, out);
      if (auto* m = get(f, "markers")) markers(*m, out);
      if (auto* c = get(f, "codes")) codes(*c, out);
    } catch (const YAML::Exception& e) {  // a conversion the checks above did not foresee
      error(e.mark.is_null() ? 0 : e.mark.line + 1, e.msg);
    }
    return out;
  }

 private:
  const std::string& file_;
  int64_t max_mem_;
  bool trusted_;  // text regexes are compiled on first use, not here
  std::vector<LoadError>& errors_;
  std::string owner_;  // the rule (or marker) being read

  void error(int line, std::string message) {
    errors_.push_back(LoadError{file_, line, owner_, std::move(message)});
  }

  // The entries of a mapping; unknown and repeated keys are errors, so that a typo never
  // silently disables a trigger.
  Fields fields(const YAML::Node& map, Keys allowed, int fallback_line) {
    Fields out;
    for (auto it = map.begin(); it != map.end(); ++it) {
      int kline = line_of(it->first, fallback_line);
      if (!it->first.IsScalar()) {
        error(kline, "a key must be a plain name");
        continue;
      }
      const std::string& key = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        error(kline, fmt::format("unknown key '{}' (expected one of: {})", key, list_names(allowed)));
        continue;
      }
      if (out.count(key)) {
        error(kline, fmt::format("duplicate key '{}'", key));
        continue;
      }
      out.emplace(key, Field{it->first, it->second, line_of(it->second, kline)});
    }
    return out;
  }

  static const Field* get(const Fields& f, std::string_view key) {
    auto it = f.find(key);
    return it == f.end() ? nullptr : &it->second;
  }

  const Field* require(const Fields& f, std::string_view key, int line) {
    const Field* x = get(f, key);
    if (!x) error(line, fmt::format("missing required field '{}'", key));
    return x;
  }

  std::optional<std::string> scalar(const Field& f) {
    if (!f.value.IsScalar()) {
      error(f.line, fmt::format("'{}' must be a string", f.key.Scalar()));
      return std::nullopt;
    }
    return f.value.Scalar();
  }

  std::optional<int64_t> integer(const Field& f, int64_t lo, int64_t hi) {
    std::optional<int64_t> v;
    if (f.value.IsScalar()) v = parse_int(f.value.Scalar());
    if (!v || *v < lo || *v > hi) {
      error(f.line, fmt::format("'{}' must be an integer from {} to {}", f.key.Scalar(), lo, hi));
      return std::nullopt;
    }
    return v;
  }

  bool is_list(const Field& f) {
    if (f.value.IsSequence()) return true;
    error(f.line, fmt::format("'{}' must be a list", f.key.Scalar()));
    return false;
  }

  bool is_map(const YAML::Node& n, int line, std::string_view what) {
    if (n.IsMap()) return true;
    error(line_of(n, line), fmt::format("{} must be a mapping", what));
    return false;
  }

  std::vector<std::string> strings(const Field& f) {
    std::vector<std::string> out;
    if (!is_list(f)) return out;
    for (const auto& item : f.value) {
      if (item.IsScalar())
        out.push_back(item.Scalar());
      else
        error(line_of(item, f.line), fmt::format("'{}' must be a list of strings", f.key.Scalar()));
    }
    return out;
  }

  std::optional<Text> text(const Field& f) { return text(f.value, f.line, f.key.Scalar()); }
  std::optional<Text> text(const YAML::Node& n, int line, std::string_view what) {
    if (!is_map(n, line, fmt::format("'{}' (a text with en and zh-CN)", what))) return std::nullopt;
    Fields f = fields(n, {"en", "zh-CN"}, line);
    Text t;
    const Field* en = require(f, "en", line_of(n, line));
    if (!en) return std::nullopt;
    auto e = scalar(*en);
    if (!e) return std::nullopt;
    t.en = *e;
    if (const Field* zh = get(f, "zh-CN"))
      if (auto z = scalar(*zh)) t.zh = *z;
    return t;
  }

  std::vector<Text> texts(const Field& f) {
    std::vector<Text> out;
    if (!is_list(f)) return out;
    for (const auto& item : f.value)
      if (auto t = text(item, f.line, f.key.Scalar())) out.push_back(std::move(*t));
    return out;
  }

  std::shared_ptr<const RE2> regex(const Field& f) {
    auto s = scalar(f);
    if (!s) return nullptr;
    if (s->empty()) {
      error(f.line, fmt::format("'{}' is an empty regex (it would match everything)",
                                f.key.Scalar()));
      return nullptr;
    }
    std::string why;
    auto re = compile_regex(*s, max_mem_, why);
    if (!re) error(f.line, why);
    return re;
  }

  // A text regex: compiled now, so that RE2's complaint is reported, unless the file is
  // trusted. Empty on error.
  LazyRegex text_regex(const Field& f) {
    if (!trusted_) return LazyRegex(regex(f));
    auto s = scalar(f);
    if (!s) return {};
    if (s->empty()) return LazyRegex(regex(f));  // reports it
    return LazyRegex(*s, max_mem_);
  }

  // A text pattern from a `regex:` (and optional `source:`) entry; -1 on error.
  int pattern(const Fields& f, PatternOwner owner, std::vector<Pattern>& into) {
    const Field* rx = get(f, "regex");
    Pattern p;
    p.owner = owner;
    p.origin = {file_, rx->line};
    p.re = text_regex(*rx);
    if (!p.re) return -1;
    p.regex = p.re.pattern();
    if (const Field* src = get(f, "source")) {
      p.source_re = text_regex(*src);
      if (!p.source_re) return -1;
      p.source_regex = p.source_re.pattern();
    }
    into.push_back(std::move(p));
    return static_cast<int>(into.size() - 1);
  }

  std::optional<EventCondition> event_condition(const Field& ev) {
    if (!is_map(ev.value, ev.line, "'event'")) return std::nullopt;
    Fields f = fields(ev.value, {"provider", "channel", "message", "ids", "max_level", "data"},
                      ev.line);
    EventCondition c;
    c.origin = {file_, line_of(ev.key, ev.line)};
    bool ok = true;
    auto rx = [&](std::string_view key, std::optional<std::string>& into) {
      if (const Field* x = get(f, key)) {
        if (auto re = regex(*x))
          into = re->pattern();
        else
          ok = false;
      }
    };
    rx("provider", c.provider);
    rx("channel", c.channel);
    rx("message", c.message);
    if (const Field* ids = get(f, "ids")) {
      if (!is_list(*ids)) ok = false;
      else
        for (const auto& item : ids->value) {
          std::optional<int64_t> v;
          if (item.IsScalar()) v = parse_int(item.Scalar());
          if (!v || *v < 0 || *v > 0xFFFFFFFFll) {
            error(line_of(item, ids->line), "'ids' must be a list of event ids");
            ok = false;
          } else {
            c.ids.push_back(static_cast<uint32_t>(*v));
          }
        }
    }
    if (const Field* lvl = get(f, "max_level")) {
      if (auto v = integer(*lvl, 0, 5)) c.max_level = static_cast<int>(*v);
      else ok = false;
    }
    if (const Field* data = get(f, "data")) {
      if (!is_map(data->value, data->line, "'data'")) {
        ok = false;
      } else {
        for (auto it = data->value.begin(); it != data->value.end(); ++it) {
          Field entry{it->first, it->second, line_of(it->second, line_of(it->first, data->line))};
          std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
          if (name.empty() || (name[0] == '#' && !parse_int(name.substr(1)))) {
            error(entry.line, fmt::format("'data' key '{}' must be a field name or #N", name));
            ok = false;
            continue;
          }
          if (auto re = regex(entry))
            c.data[name] = re->pattern();
          else
            ok = false;
        }
      }
    }
    if (ok && !c.provider && !c.channel && !c.message && c.ids.empty() && !c.max_level &&
        c.data.empty()) {
      error(ev.line, "an event condition needs at least one of provider, channel, message, ids, "
                     "max_level, data");
      ok = false;
    }
    return ok ? std::optional<EventCondition>(std::move(c)) : std::nullopt;
  }

  int event_pattern(const Field& ev, PatternOwner owner, std::vector<EventPattern>& into) {
    auto c = event_condition(ev);
    if (!c) return -1;
    into.push_back(EventPattern{std::move(*c), owner});
    return static_cast<int>(into.size() - 1);
  }

  // regex (+ source) or event: exactly one. Returns false on error.
  bool regex_or_event(const Fields& f, int line, std::string_view what) {
    bool r = get(f, "regex"), e = get(f, "event");
    if (r == e) {
      error(line, fmt::format("{} needs exactly one of 'regex' or 'event'", what));
      return false;
    }
    if (e && get(f, "source")) {
      error(get(f, "source")->line, "'source' filters text patterns only; it cannot go with 'event'");
      return false;
    }
    return true;
  }

  std::optional<EventSample> event_sample(const YAML::Node& n, int line) {
    if (!is_map(n, line, "an event sample")) return std::nullopt;
    line = line_of(n, line);
    Fields f = fields(n, {"provider", "channel", "message", "id", "level", "data"}, line);
    EventSample s;
    bool ok = true;
    auto str = [&](std::string_view key, std::string& into) {
      if (const Field* x = get(f, key)) {
        if (auto v = scalar(*x)) into = *v;
        else ok = false;
      }
    };
    str("provider", s.provider);
    str("channel", s.channel);
    str("message", s.message);
    if (const Field* id = require(f, "id", line)) {
      if (auto v = integer(*id, 0, 0xFFFFFFFFll)) s.id = static_cast<uint32_t>(*v);
      else ok = false;
    } else {
      ok = false;
    }
    if (const Field* lvl = get(f, "level")) {
      if (auto v = integer(*lvl, 0, 255)) s.level = static_cast<int>(*v);
      else ok = false;
    }
    if (const Field* data = get(f, "data")) {
      if (!is_map(data->value, data->line, "'data'")) {
        ok = false;
      } else {
        for (auto it = data->value.begin(); it != data->value.end(); ++it) {
          if (!it->first.IsScalar() || !it->second.IsScalar()) {
            error(line_of(it->first, data->line), "'data' must map field names to strings");
            ok = false;
            continue;
          }
          s.data[it->first.Scalar()] = it->second.Scalar();
        }
      }
    }
    return ok ? std::optional<EventSample>(std::move(s)) : std::nullopt;
  }

  std::vector<EventSample> event_samples(const Field& f) {
    std::vector<EventSample> out;
    if (!is_list(f)) return out;
    for (const auto& item : f.value)
      if (auto s = event_sample(item, f.line)) out.push_back(std::move(*s));
    return out;
  }

  // ---- rules ----

  static std::string peek_id(const YAML::Node& map) {
    if (!map.IsMap()) return {};
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar())
        return it->second.Scalar();
    return {};
  }

  void rules(const Field& list, ParsedFile& out) {
    if (!is_list(list)) return;
    std::map<std::string, int> seen;  // upper-cased id -> line
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      owner_ = peek_id(item);
      size_t before = errors_.size();
      RuleDraft d;
      if (is_map(item, line, "a rule")) rule(item, line, d);
      if (!owner_.empty()) {
        std::string key = owner_;
        std::transform(key.begin(), key.end(), key.begin(), ::toupper);
        auto [it, fresh] = seen.emplace(key, line);
        if (!fresh)
          error(line, fmt::format("duplicate rule id (first defined at line {})", it->second));
      }
      if (errors_.size() == before)
        out.rules.push_back(std::move(d));
      else if (!owner_.empty())
        out.failed_rules.push_back(owner_);
    }
    owner_.clear();
  }

  void rule(const YAML::Node& n, int line, RuleDraft& d) {
    Fields f = fields(n, {"id", "severity", "title", "summary", "codes", "source", "confidence",
                          "references", "triggers", "causes", "actions", "samples",
                          "near_misses", "event_samples", "event_near_misses"},
                      line);
    Rule& r = d.rule;
    r.origin = {file_, line};
    if (const Field* id = require(f, "id", line))
      if (auto v = scalar(*id)) {
        r.id = *v;
        if (r.id.empty()) error(id->line, "'id' is empty");
      }
    if (const Field* sev = require(f, "severity", line)) {
      if (auto v = scalar(*sev)) {
        if (auto s = parse_severity(*v)) r.severity = *s;
        else error(sev->line, fmt::format("invalid severity '{}' (expected note, warning, error or critical)", *v));
      }
    }
    if (const Field* t = require(f, "title", line))
      if (auto v = text(*t)) r.title = std::move(*v);
    if (const Field* t = get(f, "summary"))
      if (auto v = text(*t)) r.summary = std::move(*v);
    if (const Field* c = get(f, "codes")) r.codes = strings(*c);
    if (const Field* s = require(f, "source", line))
      if (auto v = scalar(*s)) r.source = *v;
    r.confidence = "high";
    if (const Field* c = get(f, "confidence")) {
      if (auto v = scalar(*c)) {
        if (*v == "high" || *v == "medium" || *v == "low") r.confidence = *v;
        else error(c->line, fmt::format("invalid confidence '{}' (expected high, medium or low)", *v));
      }
    }
    if (const Field* refs = get(f, "references")) references(*refs, r);
    if (const Field* t = require(f, "triggers", line)) triggers(*t, d);
    if (const Field* c = get(f, "causes")) causes(*c, d);
    if (const Field* a = get(f, "actions")) r.actions = texts(*a);

    // Samples prove the triggers: text samples for text triggers, events for event triggers.
    bool text_triggers = !r.triggers.empty(), event_triggers = !r.event_triggers.empty();
    if (const Field* s = text_triggers ? require(f, "samples", line) : get(f, "samples"))
      r.samples = strings(*s);
    if (const Field* s = text_triggers ? require(f, "near_misses", line) : get(f, "near_misses"))
      r.near_misses = strings(*s);
    if (const Field* s = event_triggers ? require(f, "event_samples", line) : get(f, "event_samples"))
      r.event_samples = event_samples(*s);
    if (const Field* s = get(f, "event_near_misses")) r.event_near_misses = event_samples(*s);
    if (text_triggers && get(f, "samples") && r.samples.empty())
      error(get(f, "samples")->line, "'samples' needs at least one line that fires the rule");
    if (event_triggers && get(f, "event_samples") && r.event_samples.empty())
      error(get(f, "event_samples")->line, "'event_samples' needs at least one event");
  }

  void references(const Field& list, Rule& r) {
    if (!is_list(list)) return;
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      if (!is_map(item, line, "a reference")) continue;
      Fields f = fields(item, {"document", "section", "url"}, line);
      Reference ref;
      auto str = [&](std::string_view key, std::string& into) {
        if (const Field* x = get(f, key))
          if (auto v = scalar(*x)) into = *v;
      };
      str("document", ref.document);
      str("section", ref.section);
      str("url", ref.url);
      r.references.push_back(std::move(ref));
    }
  }

  void triggers(const Field& list, RuleDraft& d) {
    if (!is_list(list)) return;
    if (list.value.size() == 0) error(list.line, "'triggers' needs at least one trigger");
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      if (!is_map(item, line, "a trigger")) continue;
      Fields f = fields(item, {"regex", "source", "event"}, line);
      if (!regex_or_event(f, line, "a trigger")) continue;
      PatternOwner owner{PatternOwner::Trigger, -1, -1, -1};
      if (get(f, "regex")) {
        int i = pattern(f, owner, d.patterns);
        if (i >= 0) d.rule.triggers.push_back(i);
      } else {
        int i = event_pattern(*get(f, "event"), owner, d.events);
        if (i >= 0) d.rule.event_triggers.push_back(i);
      }
    }
  }

  void causes(const Field& list, RuleDraft& d) {
    if (!is_list(list)) return;
    std::map<std::string, int> seen;
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      if (!is_map(item, line, "a cause")) continue;
      Fields f = fields(item, {"id", "text", "evidence", "actions", "samples"}, line);
      Cause c;
      int index = static_cast<int>(d.rule.causes.size());
      if (const Field* id = require(f, "id", line))
        if (auto v = scalar(*id)) {
          c.id = *v;
          auto [it, fresh] = seen.emplace(c.id, id->line);
          if (!fresh)
            error(id->line, fmt::format("duplicate cause id '{}' (first at line {})", c.id, it->second));
        }
      if (const Field* t = require(f, "text", line))
        if (auto v = text(*t)) c.text = std::move(*v);
      if (const Field* ev = get(f, "evidence")) evidence(*ev, index, c, d);
      if (const Field* a = get(f, "actions")) c.actions = texts(*a);
      if (const Field* s = get(f, "samples")) {
        c.samples = strings(*s);
        if (!c.samples.empty() && c.evidence_patterns.empty())
          error(s->line, fmt::format("cause '{}' has samples but no evidence regex to match them", c.id));
      }
      d.rule.causes.push_back(std::move(c));
    }
  }

  void evidence(const Field& list, int cause_index, Cause& c, RuleDraft& d) {
    if (!is_list(list)) return;
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      if (!is_map(item, line, "an evidence entry")) continue;
      Fields f = fields(item, {"regex", "source", "event", "rule"}, line);
      int kinds = (get(f, "regex") ? 1 : 0) + (get(f, "event") ? 1 : 0) + (get(f, "rule") ? 1 : 0);
      if (kinds != 1) {
        error(line, "an evidence entry needs exactly one of 'regex', 'event' or 'rule'");
        continue;
      }
      if (get(f, "source") && !get(f, "regex")) {
        error(get(f, "source")->line, "'source' filters text patterns only; it needs 'regex'");
        continue;
      }
      PatternOwner owner{PatternOwner::Evidence, -1, cause_index, -1};
      if (get(f, "regex")) {
        int i = pattern(f, owner, d.patterns);
        if (i >= 0) c.evidence_patterns.push_back(i);
      } else if (get(f, "event")) {
        int i = event_pattern(*get(f, "event"), owner, d.events);
        if (i >= 0) c.evidence_events.push_back(i);
      } else if (auto v = scalar(*get(f, "rule"))) {
        c.evidence_rules.push_back(*v);
        d.rule_refs.push_back({cause_index, *v, get(f, "rule")->line});
      }
    }
  }

  // ---- markers ----

  void markers(const Field& list, ParsedFile& out) {
    if (!is_list(list)) return;
    std::map<std::string, int> seen;
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      owner_ = peek_id(item);
      size_t before = errors_.size();
      MarkerDraft d;
      if (is_map(item, line, "a marker")) marker(item, line, d);
      if (!owner_.empty()) {
        auto [it, fresh] = seen.emplace(owner_, line);
        if (!fresh)
          error(line, fmt::format("duplicate marker id (first defined at line {})", it->second));
      }
      if (errors_.size() == before) out.markers.push_back(std::move(d));
    }
    owner_.clear();
  }

  void marker(const YAML::Node& n, int line, MarkerDraft& d) {
    Fields f = fields(n, {"id", "kind", "job_type", "phase", "regex", "source", "event", "states"}, line);
    Marker& m = d.marker;
    m.origin = {file_, line};
    bool kind_ok = false;
    if (const Field* id = require(f, "id", line))
      if (auto v = scalar(*id)) m.id = *v;
    if (const Field* k = require(f, "kind", line)) {
      static const std::pair<const char*, Marker::Kind> kinds[] = {
          {"start", Marker::Start},     {"phase", Marker::Phase}, {"success", Marker::Success},
          {"failure", Marker::Failure}, {"end", Marker::End},     {"state", Marker::State}};
      if (auto v = scalar(*k)) {
        auto it = std::find_if(std::begin(kinds), std::end(kinds),
                               [&](const auto& p) { return *v == p.first; });
        if (it == std::end(kinds)) {
          kind_ok = false;
          error(k->line, fmt::format("invalid marker kind '{}' (expected start, phase, success, "
                                     "failure, end or state)", *v));
        } else {
          m.kind = it->second;
          kind_ok = true;
        }
      }
    }
    if (const Field* j = get(f, "job_type"))
      if (auto v = scalar(*j)) m.job_type = *v;
    if (const Field* p = get(f, "phase"))
      if (auto v = scalar(*p)) m.phase = *v;
    if (const Field* st = get(f, "states")) marker_states(*st, m);
    if (!regex_or_event(f, line, "a marker")) return;
    PatternOwner owner{PatternOwner::Marker, -1, -1, -1};
    if (get(f, "regex")) {
      m.pattern = pattern(f, owner, d.patterns);
      const RE2* re = m.pattern >= 0 && kind_ok && m.kind == Marker::Phase && m.phase.empty()
                          ? d.patterns[static_cast<size_t>(m.pattern)].re.get()
                          : nullptr;
      if (re && !re->NamedCapturingGroups().count("phase"))
        error(line, "a phase marker needs 'phase' or a (?P<phase>...) group in its regex");
    } else {
      m.event_pattern = event_pattern(*get(f, "event"), owner, d.events);
    }
  }

  // The documented values of a state marker: [{value: "5", stage: TRANSFERRING_DATA, meaning: {en, zh-CN}}].
  void marker_states(const Field& list, Marker& m) {
    if (!is_list(list)) return;
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      if (!is_map(item, line, "a state")) continue;
      Fields f = fields(item, {"value", "stage", "meaning"}, line);
      MarkerState s;
      if (const Field* v = require(f, "value", line))
        if (auto x = scalar(*v)) s.value = *x;
      if (const Field* g = get(f, "stage"))
        if (auto x = scalar(*g)) s.stage = *x;
      if (const Field* t = get(f, "meaning"))
        if (auto x = text(*t)) s.meaning = std::move(*x);
      if (s.value.empty()) continue;
      if (std::any_of(m.states.begin(), m.states.end(), [&](const MarkerState& o) { return o.value == s.value; })) {
        error(line, fmt::format("duplicate state value '{}'", s.value));
        continue;
      }
      m.states.push_back(std::move(s));
    }
  }

  // ---- codes ----

  void codes(const Field& list, ParsedFile& out) {
    if (!is_list(list)) return;
    std::map<uint32_t, int> seen;
    for (const auto& item : list.value) {
      int line = line_of(item, list.line);
      if (!is_map(item, line, "a code")) continue;
      Fields f = fields(item, {"code", "name", "text"}, line);
      CodeInfo c;
      const Field* code = require(f, "code", line);
      if (!code) continue;
      std::optional<int64_t> v;
      if (code->value.IsScalar()) v = parse_int(code->value.Scalar());
      if (!v || *v < INT32_MIN || *v > UINT32_MAX) {
        error(code->line, "'code' must be a 32-bit number such as 0x80070005");
        continue;
      }
      c.code = static_cast<uint32_t>(*v);
      if (const Field* n = get(f, "name"))
        if (auto s = scalar(*n)) c.name = *s;
      if (const Field* t = get(f, "text"))
        if (auto s = text(*t)) c.text = std::move(*s);
      if (c.name.empty() && c.text.en.empty()) {
        error(line, "a code needs a 'name' or a 'text'");
        continue;
      }
      auto [it, fresh] = seen.emplace(c.code, line);
      if (!fresh) {
        error(line, fmt::format("duplicate code 0x{:08X} (first at line {})", c.code, it->second));
        continue;
      }
      out.codes.push_back(std::move(c));
    }
  }
};

}  // namespace

ParsedFile parse_pattern_file(const std::string& file, std::string_view yaml,
                              int64_t max_regex_memory, bool trusted, std::vector<LoadError>& errors) {
  return FileParser(file, max_regex_memory, trusted, errors).parse(yaml);
}

}  // namespace marsscan::match
