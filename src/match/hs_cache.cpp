#include "match/hs_cache.h"

#include <hs.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>

#include "match/builtin.h"

namespace marsscan::match {

namespace {

constexpr char kMagic[8] = {'M', 'S', 'H', 'S', 'D', 'B', '0', '1'};

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Only where the user asked for it: by default marsscan writes nothing but its -o file.
std::filesystem::path cache_dir() {
  const char* d = std::getenv("MARSSCAN_CACHE_DIR");
  if (!d || !*d || std::string_view(d) == "off") return {};
  return d;
}

// The hash of `key`, the library and the CPU features Vectorscan compiles for
// (hs_populate_platform), since a database is only valid where it was built.
uint64_t fingerprint(const std::string& key) {
  hs_platform_info_t plat{};
  hs_populate_platform(&plat);
  std::string full = key;
  full += '\0';
  full += hs_version();
  full += '\0';
  full += std::to_string(plat.tune) + ':' + std::to_string(plat.cpu_features);
  return fnv1a(full);
}

// The file for `key` in the cache directory.
std::filesystem::path entry(const std::string& key) {
  std::filesystem::path dir = cache_dir();
  if (dir.empty()) return {};
  char name[40];
  std::snprintf(name, sizeof name, "prefilter-%016llx.hsdb", static_cast<unsigned long long>(fingerprint(key)));
  return dir / name;
}

hs_database* builtin(const std::string& key) {
  const auto databases = builtin_hs_databases();
  if (databases.empty()) return nullptr;
  const uint64_t f = fingerprint(key);
  for (const BuiltinHsDatabase& b : databases) {
    hs_database_t* db = nullptr;
    if (b.fingerprint == f && hs_deserialize_database(b.bytes.data(), b.bytes.size(), &db) == HS_SUCCESS)
      return db;
  }
  return nullptr;
}

}  // namespace

hs_database* hs_cache_load(const std::string& key) {
  if (hs_database* db = builtin(key)) return db;
  std::filesystem::path p = entry(key);
  if (p.empty()) return nullptr;
  std::ifstream in(p, std::ios::binary);
  if (!in) return nullptr;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // magic, FNV-1a of the payload, payload: a torn or foreign file is never handed to Vectorscan.
  if (bytes.size() <= 16 || bytes.compare(0, 8, kMagic, 8) != 0) return nullptr;
  uint64_t sum = 0;
  for (int i = 0; i < 8; ++i) sum |= uint64_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  std::string_view payload(bytes.data() + 16, bytes.size() - 16);
  if (fnv1a(payload) != sum) return nullptr;
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(payload.data(), payload.size(), &db) != HS_SUCCESS) return nullptr;
  return db;
}

void hs_cache_store(const std::string& key, const hs_database* db) {
  std::filesystem::path p = entry(key);
  if (p.empty() || !db) return;
  char* data = nullptr;
  size_t size = 0;
  if (hs_serialize_database(db, &data, &size) != HS_SUCCESS) return;
  std::string_view payload(data, size);
  uint64_t sum = fnv1a(payload);
  std::error_code ec;
  std::filesystem::create_directories(p.parent_path(), ec);
  std::filesystem::path tmp = p;
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) about a chain of operator+.
  std::string suffix = ".";
  suffix += std::to_string(getpid());
  suffix += '.';
  suffix += std::to_string(reinterpret_cast<uintptr_t>(&payload));
  suffix += ".tmp";
  tmp += suffix;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) {
      out.write(kMagic, 8);
      for (int i = 0; i < 8; ++i) out.put(static_cast<char>(sum >> (8 * i)));
      out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    }
    if (!out) {
      std::free(data);
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::free(data);
  std::filesystem::rename(tmp, p, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace marsscan::match
