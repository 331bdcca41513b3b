#include "match/regex.h"

#include <fmt/format.h>

#include <mutex>

namespace marsscan::match {

RE2::Options regex_options(int64_t max_mem) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_log_errors(false);
  o.set_case_sensitive(true);
  o.set_max_mem(max_mem);
  return o;
}

std::shared_ptr<const RE2> compile_regex(std::string_view regex, int64_t max_mem,
                                         std::string& error) {
  auto re = std::make_shared<const RE2>(re2::StringPiece(regex.data(), regex.size()),
                                        regex_options(max_mem));
  if (re->ok()) return re;
  if (re->error_code() == RE2::ErrorPatternTooLarge)
    error = fmt::format("regex '{}' exceeds max_regex_memory ({} bytes): {}", regex, max_mem,
                        re->error());
  else
    error = fmt::format("invalid regex '{}': {}", regex, re->error());
  return nullptr;
}

struct LazyRegex::State {
  std::string regex;
  int64_t max_mem = 0;
  std::once_flag once;
  std::shared_ptr<const RE2> re;
};

LazyRegex::LazyRegex(std::string regex, int64_t max_mem) : state_(std::make_shared<State>()) {
  state_->regex = std::move(regex);
  state_->max_mem = max_mem;
}

LazyRegex::LazyRegex(std::shared_ptr<const RE2> compiled) {
  if (!compiled) return;
  state_ = std::make_shared<State>();
  state_->regex = compiled->pattern();
  state_->re = std::move(compiled);
  std::call_once(state_->once, [] {});  // nothing left to do
}

const std::string& LazyRegex::pattern() const {
  static const std::string none;
  return state_ ? state_->regex : none;
}

const RE2* LazyRegex::get() const {
  if (!state_) return nullptr;
  State& s = *state_;
  std::call_once(s.once, [&s] {
    std::string error;
    s.re = compile_regex(s.regex, s.max_mem, error);
  });
  return s.re.get();
}

size_t atom_end(std::string_view s, size_t i) {
  size_t n = s.size();
  if (s[i] == '\\') {
    if (i + 1 < n && s[i + 1] == 'Q') {
      size_t e = s.find("\\E", i + 2);
      return e == std::string_view::npos ? n : e + 2;
    }
    return std::min(i + 2, n);
  }
  if (s[i] == '[') {
    size_t j = i + 1;
    if (j < n && s[j] == '^') ++j;
    if (j < n && s[j] == ']') ++j;
    while (j < n && s[j] != ']') {
      if (s[j] == '\\') {
        j += 2;
      } else if (s[j] == '[' && j + 1 < n && s[j + 1] == ':') {
        size_t e = s.find(":]", j + 2);
        j = e == std::string_view::npos ? j + 1 : e + 2;
      } else {
        ++j;
      }
    }
    return std::min(j + 1, n);
  }
  return i + 1;
}

}  // namespace marsscan::match
