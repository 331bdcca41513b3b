// Format detection by content only. File names lie in support bundles (exports renamed to
// .txt, errlogs attached as .log), so only bytes count. Every check looks at the first
// non-blank text of the leaf, never further in: a text log that quotes "<Event" or a JSON
// snippet somewhere in its body must stay Text, where the line matcher can see it.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "input/text.h"
#include "records/event_columns.h"
#include "records/reader.h"

namespace marsscan::records {

namespace {

// Enough decoded text for every check below (XML prolog + root + first child, a JSON
// object's first keys, a CSV header).
constexpr size_t kSniffBytes = 16 * 1024;
constexpr size_t kJsonKeyWindow = 4096;

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

size_t skip_blank(std::string_view s, size_t p) {
  while (p < s.size() && blank(s[p])) ++p;
  return p;
}

bool starts(std::string_view s, size_t p, std::string_view what) {
  return s.size() >= p + what.size() && s.compare(p, what.size(), what) == 0;
}

// The element name of the tag starting at s[p] == '<', without a namespace prefix.
std::string_view element_name(std::string_view s, size_t p) {
  size_t b = p + 1, e = b;
  while (e < s.size() && !blank(s[e]) && s[e] != '>' && s[e] != '/') ++e;
  std::string_view name = s.substr(b, e - b);
  if (size_t colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

// Skips blanks, comments, processing instructions and a DOCTYPE.
size_t skip_xml_misc(std::string_view s, size_t p) {
  for (;;) {
    p = skip_blank(s, p);
    std::string_view close;
    if (starts(s, p, "<?")) close = "?>";
    else if (starts(s, p, "<!--")) close = "-->";
    else if (starts(s, p, "<!")) close = ">";
    else return p;
    size_t end = s.find(close, p);
    if (end == std::string_view::npos) return s.size();
    p = end + close.size();
  }
}

// The end of the start tag at s[p] == '<' (one past '>'), quotes respected.
size_t end_of_tag(std::string_view s, size_t p) {
  char quote = 0;
  for (size_t i = p + 1; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

bool is_event_xml(std::string_view t) {
  if (t.empty() || t[0] != '<') return false;
  size_t p = skip_xml_misc(t, 0);
  if (p >= t.size() || t[p] != '<') return false;
  std::string_view root = element_name(t, p);
  if (root == "Event" || root == "Events") return true;
  if (root.empty() || root[0] == '/' || root[0] == '!' || root[0] == '?') return false;
  // A wrapper root (wevtutil /e:root): its first child decides.
  size_t end = end_of_tag(t, p);
  if (end == std::string_view::npos || t[end - 2] == '/') return false;
  size_t c = skip_xml_misc(t, end);
  return c < t.size() && t[c] == '<' && element_name(t, c) == "Event";
}

// Fields of a CSV line, quotes removed, blanks trimmed.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  for (auto& f : out) {
    size_t b = 0, e = f.size();
    while (b < e && blank(f[b])) ++b;
    while (e > b && blank(f[e - 1])) --e;
    f = f.substr(b, e - b);
  }
  return out;
}

bool is_event_csv(std::string_view t) {
  std::string_view line = t.substr(0, t.find('\n'));
  if (starts(line, 0, "#TYPE ") &&
      line.find("System.Diagnostics.Eventing.Reader.EventLogRecord") != std::string_view::npos)
    return true;
  if (line.find(',') == std::string_view::npos) return false;
  auto fields = csv_fields(line);
  auto has = [&](std::string_view name) {
    for (const auto& f : fields)
      if (f == name) return true;
    return false;
  };
  // Event Viewer "Save All Events As" (and scripts that imitate it by renaming columns), in
  // every language the parser's vocabulary has (event_columns.h): a level, a time, a source,
  // an event id, and the task category that no other CSV of a bundle has.
  bool level = false, time = false, source = false, id = false, task = false;
  for (const auto& f : fields) {
    const EventColumn c = column_from_name(f);
    level |= c == EventColumn::Level, time |= c == EventColumn::Time;
    source |= c == EventColumn::Provider, id |= c == EventColumn::Id;
    task |= is_task_category(f);
  }
  if (level && time && source && id && task) return true;
  // PowerShell Export-Csv: every field quoted, property names as headers.
  if (line[0] != '"') return false;
  int named = 0;
  for (std::string_view n : {"Id", "ProviderName", "TimeCreated", "Message", "LevelDisplayName",
                             "LogName"})
    named += has(n);
  return named >= 2;
}

// Keys of Get-WinEvent objects and of evtx_dump records.
bool event_key(std::string_view k) {
  static constexpr std::array<std::string_view, 12> kKeys = {
      "Event",       "Event_attributes", "Id",       "EventID",          "EventId",
      "ProviderName", "TimeCreated",     "RecordId", "LevelDisplayName", "LogName",
      "EventRecordID", "MachineName"};
  for (auto key : kKeys)
    if (k == key) return true;
  return false;
}

bool has_event_key(std::string_view t, size_t p) {
  size_t limit = std::min(t.size(), p + kJsonKeyWindow);
  while (p < limit) {
    if (t[p] != '"') {
      ++p;
      continue;
    }
    size_t b = ++p;
    while (p < limit && t[p] != '"') p += t[p] == '\\' ? 2 : 1;
    if (p >= limit) return false;
    std::string_view str = t.substr(b, p - b);
    size_t q = skip_blank(t, p + 1);
    if (q < t.size() && t[q] == ':' && event_key(str)) return true;
    p = p + 1;
  }
  return false;
}

bool is_event_json(std::string_view t) {
  if (t.empty()) return false;
  size_t p = 0;
  if (t[0] == '[') {
    // An array of objects; "[2024-01-01 10:00] ..." text logs start with '[' too.
    p = skip_blank(t, 1);
    if (p >= t.size() || t[p] != '{') return false;
  } else if (t[0] == '{') {
    p = 0;
  } else if (starts(t, 0, "Record ")) {
    // evtx_dump -o json: "Record <id>" on a line of its own, then the object.
    size_t q = 7, d = q;
    while (d < t.size() && t[d] >= '0' && t[d] <= '9') ++d;
    if (d == q) return false;
    while (d < t.size() && (t[d] == ' ' || t[d] == '\t' || t[d] == '\r')) ++d;
    if (d >= t.size() || t[d] != '\n') return false;
    p = skip_blank(t, d);
    return p < t.size() && t[p] == '{';
  } else {
    return false;
  }
  return has_event_key(t, p + 1);
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::Text: return "text";
    case Format::Evtx: return "evtx";
    case Format::EventXml: return "xml";
    case Format::EventCsv: return "csv";
    case Format::EventJson: return "json";
  }
  return "unknown";
}

Format sniff_format(std::string_view head) {
  using namespace std::literals;
  if (starts(head, 0, "ElfFile\0"sv) || starts(head, 0, "ElfChnk\0"sv)) return Format::Evtx;

  size_t bom = 0;
  input::Encoding enc = input::sniff_encoding(head, &bom);
  std::string_view raw = head.substr(std::min(bom, head.size()));
  std::string decoded;
  std::string_view text;
  if (enc == input::Encoding::Utf8) {
    text = raw.substr(0, kSniffBytes);
    // A zh-CN Event Viewer CSV saved as ANSI has its header in GBK.
    if (bom == 0)
      if (auto legacy = input::LegacyDecoder::open(input::detect_legacy(text, 0, true))) {
        legacy->decode(text, decoded);
        text = decoded;
      }
  } else {
    input::utf16_to_utf8(raw.substr(0, kSniffBytes), enc == input::Encoding::Utf16BE, decoded);
    text = decoded;
  }
  if (starts(text, 0, "\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM inside a UTF-16 file
  text.remove_prefix(skip_blank(text, 0));

  if (is_event_xml(text)) return Format::EventXml;
  if (is_event_json(text)) return Format::EventJson;
  if (is_event_csv(text)) return Format::EventCsv;
  return Format::Text;
}

}  // namespace marsscan::records
