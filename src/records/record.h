// The one record type every later stage sees: an errlog line, any other text line, or a
// Windows event from any export format, normalized.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.h"

namespace marsscan::records {

enum class RecordKind : uint8_t { Text, Errlog, Event };

// Columns of a MARS *.errlog line (mars-formats.md §1.3). Views into the line.
struct ErrlogFields {
  std::string_view pid, tid;        // 4-hex-digit columns; empty when the copy dropped them
  unsigned month = 0, day = 0;
  uint32_t ms_of_day = 0;           // HH:MM:SS.mmm
  std::string_view component;       // the 1-3 digit column
  std::string_view src_file;        // "backupasync.cpp"
  uint32_t src_line = 0;
  std::string_view ptr;             // "[0000000053582120]" contents, may be empty
  std::string_view task;            // task GUID, may be empty
  std::string_view level;           // NORMAL, WARNING, FATAL, ERROR, INFO, VERBOSE
  std::string_view message;
};

// A named EventData/UserData value; `name` is empty for unnamed (positional) <Data>.
struct EventField {
  std::string name;
  std::string value;
};

struct Event {
  std::string format;               // "evtx", "xml", "csv", "json"
  std::optional<TimeMs> time;       // UTC
  std::string provider;
  std::string channel;
  uint32_t event_id = 0;
  std::optional<uint32_t> qualifiers;
  int level = -1;                   // 0..5 as in <Level>; -1 unknown
  std::string level_name;           // "Error", ... when the export names it
  std::string computer;
  uint64_t record_id = 0;
  std::string message;              // rendered message when the export has one
  std::vector<EventField> data;
  // Everything a text trigger sees: message, then data values, joined with " | ".
  std::string text() const;
};

struct Record {
  RecordKind kind = RecordKind::Text;
  std::string_view source;          // leaf name, "a.zip!Temp/x.errlog"
  uint64_t line = 0;                // 1-based line; for events the ordinal in the export
  std::string_view text;            // what text triggers see: the line without CR/LF, or event text
  std::optional<TimeMs> time;       // UTC, when known
  ErrlogFields errlog;              // valid when kind == Errlog
  const Event* event = nullptr;     // valid when kind == Event
};

}  // namespace marsscan::records
