// The flat property vocabulary shared by Event Viewer CSV, Export-Csv and ConvertTo-Json:
// a header/key name maps to one Event field. Both vocabularies are accepted because scripts
// rename PowerShell columns to Event Viewer's ("LevelDisplayName" -> "Level", ...).
#pragma once
#include <string_view>

#include "records/record.h"

namespace marsscan::records {

enum class EventColumn {
  None, Time, Provider, Channel, ContainerLog, Id, Qualifiers, Level, LevelName,
  Computer, RecordId, Message
};

// Case-insensitive; unknown names give None.
EventColumn column_from_name(std::string_view name);

// Event Viewer's "Task Category" header in the languages column_from_name knows. The parsers
// do not keep it; it tells an Event Viewer CSV from another table with such columns.
bool is_task_category(std::string_view name);

// Stores one value. Level accepts a number or a level name; Time accepts every form of
// parse_event_time. Returns false when the value does not fit the column (a bad id, an
// unreadable time); empty values are ignored and return true.
bool apply_column(Event& ev, EventColumn col, std::string_view value);

}  // namespace marsscan::records
