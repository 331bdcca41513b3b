#include "match/regex.h"

#include <fmt/format.h>

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

}  // namespace marsscan::match
