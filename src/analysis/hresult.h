// Finds HRESULT-like codes in a quoted line ("Hr: = [0x80070005]", "0x1FC07") and decodes
// them: from the database's code table when known, else by the HRESULT's facility and code.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "match/rule.h"

namespace marsscan::analysis {

struct DecodedCodes {
  std::vector<std::string> en, zh;  // one entry per distinct code, in order of appearance
};

// "0x80070005 (E_ACCESSDENIED: Access is denied.)"; unknown failure HRESULTs as
// "0x80070570 (FACILITY_WIN32, Win32 error 1392)". Codes that are neither in the table nor
// failure HRESULTs (a bare "0x00000001") are skipped. At most 8 codes per text.
DecodedCodes decode_codes(const match::PatternDb& db, std::string_view text);

}  // namespace marsscan::analysis
