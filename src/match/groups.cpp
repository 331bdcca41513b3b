#include "match/groups.h"

#include <re2/re2.h>

namespace marsscan::match {

namespace {

// Enough for the distinct matches of a log's markers; past it, values are still right, only
// no longer remembered.
constexpr size_t kMaxMemo = 4096;
constexpr size_t kMaxMemoSpan = 256;

}  // namespace

std::string_view GroupReader::group(int pattern, std::string_view text, std::string_view name,
                                    Where where) {
  if (pattern < 0 || static_cast<size_t>(pattern) >= db_.patterns.size()) return {};
  const RE2* re = db_.patterns[static_cast<size_t>(pattern)].re.get();
  if (!re) return {};
  auto& names = index_[pattern];
  int group = -2;
  for (const auto& [n, g] : names)
    if (n == name) group = g;
  if (group == -2) {
    const auto& groups = re->NamedCapturingGroups();
    auto it = groups.find(std::string(name));
    group = it == groups.end() ? -1 : it->second;
    names.emplace_back(std::string(name), group);
  }
  if (group < 0) return {};

  // Where the leftmost match is: RE2 finds this first too, then captures within it.
  re2::StringPiece all(text.data(), text.size());
  re2::StringPiece span;
  if (where.begin != Where::kUnknown && where.begin <= where.end && where.end <= text.size()) {
    span = re2::StringPiece(text.data() + where.begin, where.end - where.begin);
  } else if (!re->Match(all, 0, all.size(), RE2::UNANCHORED, &span, 1)) {
    return {};
  }
  const size_t b = static_cast<size_t>(span.data() - text.data()), e = b + span.size();

  // The capture depends on the matched bytes and, through assertions, on the byte either side.
  const bool memo = span.size() <= kMaxMemoSpan;
  if (memo) {
    key_.clear();
    key_.append(reinterpret_cast<const char*>(&pattern), sizeof pattern);
    key_.append(reinterpret_cast<const char*>(&group), sizeof group);
    key_.push_back(b > 0 ? '\1' : '\0');
    key_.push_back(b > 0 ? text[b - 1] : '\0');
    key_.push_back(e < text.size() ? '\1' : '\0');
    key_.push_back(e < text.size() ? text[e] : '\0');
    key_.append(span.data(), span.size());
    if (auto it = memo_.find(key_); it != memo_.end()) return it->second;
  }
  std::vector<re2::StringPiece> sub(static_cast<size_t>(group) + 1);
  value_.clear();
  if (re->Match(all, b, e, RE2::ANCHOR_BOTH, sub.data(), static_cast<int>(sub.size())))
    value_.assign(sub.back().data(), sub.back().size());
  if (memo && memo_.size() < kMaxMemo) return memo_.emplace(key_, value_).first->second;
  return value_;
}

}  // namespace marsscan::match
