// The pattern-file loader: a fuzzed YAML rule file added after the built-in database (so
// references to built-in rules and id replacement are reached), then resolved. A small
// RE2 memory budget keeps a pathological regex cheap and exercises the limit.
#include <string>

#include "fuzz_support.h"
#include "match/loader.h"

using namespace marsscan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(bytes), size);
  match::LoadOptions options;
  options.builtin = size % 2 == 0;
  options.max_regex_memory = 1 << 20;
  match::PatternLoader loader(options);
  loader.add_file("fuzz.yaml", yaml);
  match::PatternDb db = loader.finish();
  for (const auto& e : loader.errors()) FUZZ_CHECK(!e.to_string().empty());
  return 0;
}
