// Times as event exports write them: ISO 8601 (with or without offset), PowerShell 5.1's
// "/Date(ms)/", and locale-formatted dates from Event Viewer CSV and Export-Csv.
#pragma once
#include <optional>
#include <string_view>

#include "util/time.h"

namespace marsscan::records {

// Locale dates carry no zone; they are taken as UTC (the caller may shift them later).
// Recognised: "10/7/2016 06:38:24 PM" (en-US, M/D/Y unless the first number exceeds 12),
// "7/21/2020 16:34:18", "2016/10/7 18:38:24" and "2016/10/7 下午 6:38:24" (zh-CN),
// "07.10.2016 18:38:24" (de-DE), ISO with 'T' or ' ' and up to 9 fractional digits.
std::optional<TimeMs> parse_event_time(std::string_view s);

}  // namespace marsscan::records
