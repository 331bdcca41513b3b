#include "match/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "match/builtin.h"
#include "match/db_image.h"
#include "match/parse.h"

namespace marsscan::match {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

constexpr uintmax_t kMaxFileSize = 16u << 20;  // a pattern file is text written by hand

}  // namespace

std::string LoadError::to_string() const {
  std::string out = file;
  if (line > 0) out += fmt::format(":{}", line);
  out += ": ";
  if (!rule.empty()) out += rule + ": ";
  return out + message;
}

struct PatternLoader::State {
  std::vector<RuleDraft> rules;             // load order; a replacing rule takes the old slot
  std::map<std::string, size_t> rule_slot;  // upper-cased id -> index in rules
  std::set<std::string> failed;             // upper-cased ids of rules dropped for errors
  std::vector<MarkerDraft> markers;
  std::map<std::string, size_t> marker_slot;
  std::map<uint32_t, CodeInfo> codes;
  std::vector<std::string> files;
};

PatternLoader::PatternLoader(LoadOptions options)
    : options_(std::move(options)), state_(std::make_shared<State>()) {}

void PatternLoader::add_file(const std::string& name, std::string_view yaml, bool trusted) {
  ParsedFile parsed = parse_pattern_file(name, yaml, options_.max_regex_memory, trusted, errors_);
  State& s = *state_;
  s.files.push_back(name);
  for (RuleDraft& d : parsed.rules) {
    std::string key = upper(d.rule.id);
    s.failed.erase(key);
    auto [it, fresh] = s.rule_slot.emplace(key, s.rules.size());
    if (fresh)
      s.rules.push_back(std::move(d));
    else
      s.rules[it->second] = std::move(d);
  }
  for (const std::string& id : parsed.failed_rules) {
    std::string key = upper(id);
    if (!s.rule_slot.count(key)) s.failed.insert(key);
  }
  for (MarkerDraft& d : parsed.markers) {
    auto [it, fresh] = s.marker_slot.emplace(d.marker.id, s.markers.size());
    if (fresh)
      s.markers.push_back(std::move(d));
    else
      s.markers[it->second] = std::move(d);
  }
  for (CodeInfo& c : parsed.codes) s.codes[c.code] = std::move(c);
}

void PatternLoader::add_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors_.push_back({dir, 0, "", "not a readable directory"});
    return;
  }
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".yaml") files.push_back(it->path());
  if (ec) errors_.push_back({dir, 0, "", "cannot list directory: " + ec.message()});
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    std::string name = p.generic_string();
    uintmax_t size = fs::file_size(p, ec);
    if (ec || size > kMaxFileSize) {
      errors_.push_back({name, 0, "", ec ? "cannot read: " + ec.message()
                                         : fmt::format("larger than {} bytes", kMaxFileSize)});
      continue;
    }
    std::ifstream in(p, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) {
      errors_.push_back({name, 0, "", "cannot read the file"});
      continue;
    }
    add_file(name, content.str());
  }
}

PatternDb PatternLoader::finish() {
  State& s = *state_;
  PatternDb db;
  db.files = s.files;
  for (size_t ri = 0; ri < s.rules.size(); ++ri) {
    RuleDraft& d = s.rules[ri];
    const int rule = static_cast<int>(ri);
    const int base = static_cast<int>(db.patterns.size());
    const int ebase = static_cast<int>(db.event_patterns.size());
    for (Pattern& p : d.patterns) {
      p.owner.rule = rule;
      db.patterns.push_back(std::move(p));
    }
    for (EventPattern& e : d.events) {
      e.owner.rule = rule;
      db.event_patterns.push_back(std::move(e));
    }
    for (int& i : d.rule.triggers) i += base;
    for (int& i : d.rule.event_triggers) i += ebase;
    for (Cause& c : d.rule.causes) {
      for (int& i : c.evidence_patterns) i += base;
      for (int& i : c.evidence_events) i += ebase;
    }
    db.rules.push_back(std::move(d.rule));
  }
  // Evidence rules name rules of any file, so they are resolved once everything is loaded.
  for (size_t ri = 0; ri < s.rules.size(); ++ri) {
    Rule& r = db.rules[ri];
    for (const RuleDraft::RuleRef& ref : s.rules[ri].rule_refs) {
      const Rule* target = db.find_rule(ref.id);
      auto& names = r.causes[static_cast<size_t>(ref.cause)].evidence_rules;
      if (target) {
        std::replace(names.begin(), names.end(), ref.id, target->id);  // canonical spelling
      } else if (!s.failed.count(upper(ref.id))) {  // a failed rule was reported already
        errors_.push_back({r.origin.file, ref.line, r.id,
                           fmt::format("evidence rule '{}' is not a loaded rule", ref.id)});
      }
    }
  }
  for (size_t mi = 0; mi < s.markers.size(); ++mi) {
    MarkerDraft& d = s.markers[mi];
    if (d.marker.pattern >= 0) {
      d.patterns[0].owner.marker = static_cast<int>(mi);
      d.marker.pattern = static_cast<int>(db.patterns.size());
      db.patterns.push_back(std::move(d.patterns[0]));
    }
    if (d.marker.event_pattern >= 0) {
      d.events[0].owner.marker = static_cast<int>(mi);
      d.marker.event_pattern = static_cast<int>(db.event_patterns.size());
      db.event_patterns.push_back(std::move(d.events[0]));
    }
    db.markers.push_back(std::move(d.marker));
  }
  for (auto& [code, info] : s.codes) db.codes.push_back(std::move(info));
  state_ = std::make_shared<State>();
  return db;
}

PatternDb load_database(const LoadOptions& options, std::vector<LoadError>& errors) {
  PatternLoader loader(options);
  // The test suite compiles the built-in regexes with the default budget; a smaller one may
  // reject some, which must then be reported.
  const bool trusted = !options.check_builtin && options.max_regex_memory >= LoadOptions{}.max_regex_memory;
  // The built-in files alone: their image, loaded at build time (no YAML to parse).
  if (trusted && options.builtin && options.dirs.empty()) {
    PatternDb db;
    if (read_db_image(builtin_db_image(), options.max_regex_memory, db)) return db;
  }
  if (options.builtin)
    for (const BuiltinFile& f : builtin_pattern_files()) loader.add_file(f.name, f.content, trusted);
  for (const std::string& dir : options.dirs) loader.add_directory(dir);
  PatternDb db = loader.finish();
  errors.insert(errors.end(), loader.errors().begin(), loader.errors().end());
  return db;
}

}  // namespace marsscan::match
