// A cache of compiled Vectorscan databases, keyed by a hash of everything the compile depends
// on (the expressions, their flags and ids, the Vectorscan version and the CPU platform it
// targets). Even the few built-in patterns without a literal cover take ~17 ms to compile,
// the larger part of a report's start-up; a serialized database loads in well under one.
// Two sources: the databases of the built-in selections, compiled at build time for the
// building machine (builtin.h), then, only when $MARSSCAN_CACHE_DIR names a directory, files
// there (marsscan otherwise writes nothing but its -o file). Any problem (another CPU,
// unwritable, corrupt, stale) means compiling as if there were no cache; nothing is reported.
#pragma once
#include <string>

struct hs_database;

namespace marsscan::match {

// Returns the cached database for `key`, or null.
hs_database* hs_cache_load(const std::string& key);
// Stores `db` under `key` (write to a temporary file, then rename: safe with parallel runs).
void hs_cache_store(const std::string& key, const hs_database* db);

}  // namespace marsscan::match
