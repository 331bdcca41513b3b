// builtin_db_image() for the build tool that makes the image: none yet, so the loader parses
// the YAML files.
#include "match/builtin.h"

namespace marsscan::match {

std::string_view builtin_db_image() { return {}; }

}  // namespace marsscan::match
