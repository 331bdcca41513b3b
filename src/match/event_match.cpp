#include "match/event_match.h"

#include <algorithm>
#include <strings.h>

#include "match/regex.h"

namespace marsscan::match {

namespace {

constexpr int64_t kMaxMem = 8 << 20;

std::unique_ptr<RE2> compile(const std::string& regex, bool& ok) {
  auto re = std::make_unique<RE2>(regex, regex_options(kMaxMem));
  if (!re->ok()) ok = false;
  return re;
}

bool partial(const std::unique_ptr<RE2>& re, std::string_view s) {
  return !re || RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re);
}

}  // namespace

EventMatcher::EventMatcher(const EventCondition& c) : ids_(c.ids) {
  if (c.provider) provider_ = compile(*c.provider, ok_);
  if (c.channel) channel_ = compile(*c.channel, ok_);
  if (c.message) message_ = compile(*c.message, ok_);
  if (c.max_level) max_level_ = *c.max_level;
  for (const auto& [name, regex] : c.data) {
    DataCondition d;
    if (!name.empty() && name[0] == '#')
      d.position = std::atoi(name.c_str() + 1);
    else
      d.name = name;
    d.re = compile(regex, ok_);
    data_.push_back(std::move(d));
  }
}

bool EventMatcher::matches(const records::Event& e, std::string_view text) const {
  if (!ok_) return false;
  if (!ids_.empty() && std::find(ids_.begin(), ids_.end(), e.event_id) == ids_.end()) return false;
  // Level 0 is "log always" (audit events), never an error; -1 is unknown.
  if (max_level_ >= 0 && (e.level < 1 || e.level > max_level_)) return false;
  if (!partial(provider_, e.provider) || !partial(channel_, e.channel) ||
      !partial(message_, text))
    return false;
  for (const DataCondition& d : data_) {
    const records::EventField* field = nullptr;
    int unnamed = 0;
    for (const records::EventField& f : e.data) {
      if (d.position >= 0 ? f.name.empty() && unnamed++ == d.position
                          : strcasecmp(f.name.c_str(), d.name.c_str()) == 0) {
        field = &f;
        break;
      }
    }
    if (!field || !partial(d.re, field->value)) return false;
  }
  return true;
}

}  // namespace marsscan::match
