#include "analysis/hresult.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

namespace marsscan::analysis {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_word(char c) {
  return is_hex(c) || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '_';
}

// Facility names from winerror.h, only those MARS logs are likely to show.
const char* facility_name(unsigned f) {
  switch (f) {
    case 0: return "FACILITY_NULL";
    case 1: return "FACILITY_RPC";
    case 2: return "FACILITY_DISPATCH";
    case 3: return "FACILITY_STORAGE";
    case 4: return "FACILITY_ITF";
    case 7: return "FACILITY_WIN32";
    case 8: return "FACILITY_WINDOWS";
    case 9: return "FACILITY_SECURITY";
    case 10: return "FACILITY_CONTROL";
    case 11: return "FACILITY_CERT";
    case 12: return "FACILITY_INTERNET";
    case 17: return "FACILITY_COMPLUS";
    case 19: return "FACILITY_URT";
    case 23: return "FACILITY_SXS";
    case 25: return "FACILITY_HTTP";
    case 32: return "FACILITY_BACKGROUNDCOPY";
    case 36: return "FACILITY_WINDOWSUPDATE";
    case 49: return "FACILITY_FVE";
    default: return nullptr;
  }
}

void decode_one(const match::PatternDb& db, std::string_view token, uint32_t code,
                DecodedCodes& out) {
  const match::CodeInfo* info = db.find_code(code);
  // A Win32 error wrapped as HRESULT_FROM_WIN32 may be listed under its plain number.
  if (!info && (code & 0xFFFF0000u) == 0x80070000u) info = db.find_code(code & 0xFFFFu);
  if (info) {
    out.en.push_back(fmt::format("{} ({}: {})", token, info->name, info->text.in(false)));
    out.zh.push_back(fmt::format("{} ({}: {})", token, info->name, info->text.in(true)));
    return;
  }
  if (token.size() != 10 || !(code & 0x80000000u)) return;  // not a failure HRESULT
  const unsigned facility = (code >> 16) & 0x7FFu;
  const unsigned low = code & 0xFFFFu;
  const char* name = facility_name(facility);
  std::string fac = name ? std::string(name) : fmt::format("facility {}", facility);
  if (facility == 7) {
    out.en.push_back(fmt::format("{} ({}, Win32 error {})", token, fac, low));
    out.zh.push_back(fmt::format("{} ({}，Win32 错误 {})", token, fac, low));
  } else {
    out.en.push_back(fmt::format("{} ({}, code 0x{:04X})", token, fac, low));
    out.zh.push_back(fmt::format("{} ({}，代码 0x{:04X})", token, fac, low));
  }
}

}  // namespace

DecodedCodes decode_codes(const match::PatternDb& db, std::string_view text) {
  DecodedCodes out;
  std::vector<uint32_t> seen;
  for (size_t i = 0; i + 2 < text.size() && seen.size() < 8; ++i) {
    if (text[i] != '0' || (text[i + 1] != 'x' && text[i + 1] != 'X')) continue;
    if (i > 0 && is_word(text[i - 1])) continue;  // "abc0x..." is not a code
    size_t j = i + 2;
    while (j < text.size() && is_hex(text[j])) ++j;
    const size_t digits = j - i - 2;
    // "0x1FC070" (too long) and "0x1FC07abc" style tails are not codes.
    if (digits == 0 || digits > 8 || (j < text.size() && is_word(text[j]))) {
      i = j;
      continue;
    }
    uint32_t code = 0;
    for (size_t k = i + 2; k < j; ++k) {
      char c = text[k];
      code = code * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    const std::string_view token = text.substr(i, j - i);
    i = j;
    if (std::find(seen.begin(), seen.end(), code) != seen.end()) continue;
    seen.push_back(code);
    decode_one(db, token, code, out);
  }
  return out;
}

}  // namespace marsscan::analysis
