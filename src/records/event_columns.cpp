#include "records/event_columns.h"

#include <cctype>
#include <string>

#include "records/event_normalize.h"
#include "records/event_time.h"

namespace marsscan::records {

EventColumn column_from_name(std::string_view name) {
  std::string key;
  for (char c : trim_blank(name))
    if (c != ' ' && c != '_') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Entry { const char* key; EventColumn col; };
  static const Entry table[] = {
      {"timecreated", EventColumn::Time},      {"dateandtime", EventColumn::Time},
      {"date", EventColumn::Time},             {"datetime", EventColumn::Time},
      {"timegenerated", EventColumn::Time},    {"timestamp", EventColumn::Time},
      {"providername", EventColumn::Provider}, {"source", EventColumn::Provider},
      {"provider", EventColumn::Provider},     {"sourcename", EventColumn::Provider},
      {"logname", EventColumn::Channel},       {"channel", EventColumn::Channel},
      {"log", EventColumn::Channel},           {"containerlog", EventColumn::ContainerLog},
      {"id", EventColumn::Id},                 {"eventid", EventColumn::Id},
      {"qualifiers", EventColumn::Qualifiers}, {"level", EventColumn::Level},
      {"leveldisplayname", EventColumn::LevelName}, {"entrytype", EventColumn::LevelName},
      {"machinename", EventColumn::Computer},  {"computer", EventColumn::Computer},
      {"computername", EventColumn::Computer}, {"recordid", EventColumn::RecordId},
      {"eventrecordid", EventColumn::RecordId}, {"index", EventColumn::RecordId},
      {"message", EventColumn::Message},       {"description", EventColumn::Message},
      // zh-CN Event Viewer headers: 级别,日期和时间,来源,事件 ID,任务类别
      {"级别", EventColumn::Level},            {"日期和时间", EventColumn::Time},
      {"来源", EventColumn::Provider},         {"事件id", EventColumn::Id},
      // de-DE: Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie
      {"ebene", EventColumn::Level},           {"datumunduhrzeit", EventColumn::Time},
      {"quelle", EventColumn::Provider},       {"ereignis-id", EventColumn::Id},
  };
  for (const auto& e : table)
    if (key == e.key) return e.col;
  return EventColumn::None;
}

bool is_task_category(std::string_view name) {
  name = trim_blank(name);
  return name == "Task Category" || name == "任务类别" || name == "Aufgabenkategorie";
}

bool apply_column(Event& ev, EventColumn col, std::string_view value) {
  value = trim_blank(value);
  if (value.empty()) return true;
  switch (col) {
    case EventColumn::None:
      return true;
    case EventColumn::Time:
      ev.time = parse_event_time(value);
      return ev.time.has_value();
    case EventColumn::Provider:
      ev.provider = value;
      return true;
    case EventColumn::Channel:
      ev.channel = value;
      return true;
    case EventColumn::ContainerLog:
      // ContainerLog is the log name, or a file path for -Path queries: a fallback only.
      if (ev.channel.empty() && value.find('\\') == std::string_view::npos) ev.channel = value;
      return true;
    case EventColumn::Id: {
      auto v = parse_uint(value);
      if (!v || *v > UINT32_MAX) return false;
      ev.event_id = static_cast<uint32_t>(*v);
      return true;
    }
    case EventColumn::Qualifiers: {
      auto v = parse_uint(value);
      if (!v || *v > UINT32_MAX) return false;
      ev.qualifiers = static_cast<uint32_t>(*v);
      return true;
    }
    case EventColumn::Level:
      if (auto v = parse_uint(value); v && *v <= 255) {
        ev.level = static_cast<int>(*v);
        return true;
      }
      // Event Viewer (and renamed PowerShell columns) put the level name here.
      if (ev.level_name.empty()) ev.level_name = value;
      if (auto v = level_from_name(value)) ev.level = *v;
      return true;
    case EventColumn::LevelName:
      ev.level_name = value;
      if (ev.level < 0)
        if (auto v = level_from_name(value)) ev.level = *v;
      return true;
    case EventColumn::Computer:
      ev.computer = value;
      return true;
    case EventColumn::RecordId: {
      auto v = parse_uint(value);
      if (!v) return false;
      ev.record_id = *v;
      return true;
    }
    case EventColumn::Message:
      ev.message = value;
      return true;
  }
  return true;
}

}  // namespace marsscan::records
