// An on-disk cache of compiled Vectorscan databases. Compiling the prefilter of the built-in
// database takes 0.2-0.5 s of CPU, more than scanning 256 MiB; the serialized database loads in
// about a millisecond. Entries are keyed by a hash of everything the compile depends on (the
// expressions, their flags and ids, the Vectorscan version and the CPU platform it targets).
// The cache is opt-in: only when $MARSSCAN_CACHE_DIR names a directory (marsscan otherwise
// writes nothing but its -o file). Any problem (unwritable, corrupt, stale) means compiling
// as if there were no cache; nothing is ever reported.
#pragma once
#include <string>

struct hs_database;

namespace marsscan::match {

// Returns the cached database for `key`, or null.
hs_database* hs_cache_load(const std::string& key);
// Stores `db` under `key` (write to a temporary file, then rename: safe with parallel runs).
void hs_cache_store(const std::string& key, const hs_database* db);

}  // namespace marsscan::match
