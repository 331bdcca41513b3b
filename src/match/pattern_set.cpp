#include "match/pattern_set.h"

#include "match/regex.h"

namespace marsscan::match {

namespace {
// The set holds every pattern in one program; its DFA only takes the memory it uses.
constexpr int64_t kSetMaxMem = int64_t{1} << 30;
}  // namespace

PatternSet::PatternSet(const Regexes& regexes, const std::vector<int>& patterns)
    : regexes_(&regexes), patterns_(patterns) {
  if (patterns_.empty()) return;
  auto set = std::make_unique<RE2::Set>(regex_options(kSetMaxMem), RE2::UNANCHORED);
  for (int p : patterns_) {
    std::string error;
    if (set->Add(regexes[static_cast<size_t>(p)].pattern(), &error) < 0) return;
  }
  if (set->Compile()) set_ = std::move(set);
}

void PatternSet::match(std::string_view text, std::vector<int>& out, std::vector<int>& tmp) const {
  if (patterns_.empty()) return;
  re2::StringPiece sp(text.data(), text.size());
  if (set_) {
    tmp.clear();
    RE2::Set::ErrorInfo info{};
    if (set_->Match(sp, &tmp, &info)) {
      for (int i : tmp) out.push_back(patterns_[static_cast<size_t>(i)]);
      return;
    }
    if (info.kind == RE2::Set::kNoError) return;  // no match
    // The DFA ran out of memory on this text: fall through to one regex at a time.
  }
  for (int p : patterns_) {
    const RE2* re = (*regexes_)[static_cast<size_t>(p)].get();
    if (re && RE2::PartialMatch(sp, *re)) out.push_back(p);
  }
}

}  // namespace marsscan::match
