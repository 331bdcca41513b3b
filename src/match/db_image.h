// A loaded PatternDb as bytes, so that the built-in database is parsed from YAML once, at build
// time (src/tools/make_db_image.cpp), instead of at every start: yaml-cpp took a third of
// the start-up. Regexes are stored as text and compiled on first use, as the loader does for
// the built-in files.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "match/rule.h"

namespace marsscan::match {

std::string write_db_image(const PatternDb& db);

// Rebuilds the database; false (and `db` unspecified) when `image` is damaged or was written
// by another version of this code. `max_regex_memory`: for the regexes' LazyRegex.
bool read_db_image(std::string_view image, int64_t max_regex_memory, PatternDb& db);

}  // namespace marsscan::match
