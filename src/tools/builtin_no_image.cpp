// builtin_db_image() and builtin_hs_databases() for the build tool that makes them: none yet,
// so the loader parses the YAML files and the prefilter compiles.
#include "match/builtin.h"

namespace marsscan::match {

std::string_view builtin_db_image() { return {}; }
std::span<const BuiltinHsDatabase> builtin_hs_databases() { return {}; }

}  // namespace marsscan::match
