// Turning one event, as any export spells it, into a records::Event. The EVTX reader and
// the XML export share event_from_xml (libevtx renders each record to the same schema).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "records/record.h"

namespace marsscan::records {

// Parses one <Event> element (namespace prefixes allowed) and fills `ev` (ev.format is
// left as is). On malformed XML or a missing <System> returns false with a short reason.
// Fields: System/Provider@Name (else @EventSourceName), EventID (+@Qualifiers), Level,
// TimeCreated@SystemTime, EventRecordID, Channel, Computer; EventData/Data (named or
// positional); UserData leaf elements by element name; RenderingInfo/Message and /Level.
bool event_from_xml(std::string_view xml, Event& ev, std::string& error);

// "Information" -> 4, "Warning" -> 3, "Error" -> 2, "Critical" -> 1, "Verbose" -> 5, also
// zh-CN (信息, 警告, 错误, 关键, 详细) and de-DE names; audit results -> 0. Else nullopt.
std::optional<int> level_from_name(std::string_view name);

// Decimal (or 0x hex) unsigned integer with surrounding blanks; nullopt otherwise.
std::optional<uint64_t> parse_uint(std::string_view s);

std::string_view trim_blank(std::string_view s);

}  // namespace marsscan::records
