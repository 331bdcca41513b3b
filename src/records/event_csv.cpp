// Event Viewer "Save All Events As" CSV and PowerShell Export-Csv, read row by row with an
// RFC 4180 reader (quoted fields may hold commas, CR/LF and "" escapes). Columns are mapped
// by header name (event_columns.h); Event Viewer's description is a 6th, unnamed field.
#include <string>
#include <vector>

#include "records/event_columns.h"
#include "records/event_input.h"
#include "records/event_normalize.h"
#include "records/events.h"

namespace marsscan::records {

namespace {

constexpr size_t kMaxRow = 8u << 20;

enum class Row { Ok, NeedMore, Malformed };

// Parses one row starting at buf[pos]. On Ok, `next` is the start of the following row.
Row parse_row(const std::string& buf, size_t pos, bool eof, std::vector<std::string>& fields,
              size_t& next, std::string& why) {
  fields.clear();
  size_t p = pos;
  const size_t n = buf.size();
  for (;;) {
    std::string field;
    if (p < n && buf[p] == '"') {
      ++p;
      for (;;) {
        size_t q = buf.find('"', p);
        if (q == std::string::npos) {
          if (!eof) return Row::NeedMore;
          why = "quoted field never closed";
          return Row::Malformed;
        }
        field.append(buf, p, q - p);
        if (q + 1 == n && !eof) return Row::NeedMore;
        if (q + 1 < n && buf[q + 1] == '"') {
          field += '"';
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
      if (p < n && buf[p] != ',' && buf[p] != '\r' && buf[p] != '\n') {
        why = "text after a closing quote (unbalanced quotes)";
        return Row::Malformed;
      }
    } else {
      size_t q = p;
      while (q < n && buf[q] != ',' && buf[q] != '\n') ++q;
      if (q == n && !eof) return Row::NeedMore;
      size_t e = q;
      if (e > p && buf[e - 1] == '\r' && (e == n || buf[e] == '\n')) --e;
      field.assign(buf, p, e - p);
      p = q;
    }
    fields.push_back(std::move(field));
    if (p >= n) {
      if (!eof) return Row::NeedMore;
      next = n;
      return Row::Ok;
    }
    if (buf[p] == ',') {
      ++p;
      continue;
    }
    if (buf[p] == '\r') {
      if (p + 1 == n && !eof) return Row::NeedMore;
      if (p + 1 < n && buf[p + 1] == '\n') ++p;
    }
    next = p + 1;
    return Row::Ok;
  }
}

struct Layout {
  std::vector<EventColumn> cols;
  std::vector<std::string> names;
  size_t message_index = SIZE_MAX;  // an unnamed column that holds the description
  size_t id_index = SIZE_MAX;
};

bool make_layout(const std::vector<std::string>& header, Layout& l) {
  bool has_message = false;
  for (size_t i = 0; i < header.size(); ++i) {
    EventColumn c = column_from_name(header[i]);
    l.cols.push_back(c);
    l.names.push_back(header[i]);
    if (c == EventColumn::Message) has_message = true;
    if (c == EventColumn::Id && l.id_index == SIZE_MAX) l.id_index = i;
  }
  if (!has_message) {
    // Event Viewer: 5 names, and each row carries the description as a 6th field.
    l.message_index = header.size();
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i].empty()) {
        l.message_index = i;
        break;
      }
  }
  return l.id_index != SIZE_MAX;
}

}  // namespace

void parse_event_csv(input::ByteReader& utf8, std::string head, const EventFn& emit,
                     const ErrorFn& error) {
  EventInput in(utf8, std::move(head));
  std::string buf;
  size_t pos = 0;
  bool eof = false;
  uint64_t line = 1, row_no = 0;
  std::vector<std::string> fields;
  Layout layout;
  bool have_header = false;

  for (;;) {
    if (pos >= buf.size() && eof) break;
    size_t next = 0;
    std::string why;
    Row r = parse_row(buf, pos, eof, fields, next, why);
    if (r == Row::NeedMore && buf.size() - pos < kMaxRow) {
      if (!in.append_to(buf)) eof = true;
      continue;
    }
    const uint64_t row_line = line;
    if (r != Row::Ok) {
      if (r == Row::NeedMore) why = "longer than " + std::to_string(kMaxRow >> 20) + " MiB";
      ++row_no;
      error("row " + std::to_string(row_no) + " (line " + std::to_string(row_line) + "): " + why +
            "; skipped up to the end of that line");
      // Resynchronise on the next physical line: later rows are still read.
      size_t nl = buf.find('\n', pos);
      next = nl == std::string::npos ? buf.size() : nl + 1;
      fields.clear();
    }
    for (size_t i = pos; i < next; ++i) line += buf[i] == '\n';
    pos = next;
    compact(buf, pos);
    if (r != Row::Ok) continue;

    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (!have_header) {
      // Windows PowerShell 5.1 writes "#TYPE System.Diagnostics...." before the header.
      if (!fields.empty() && !fields[0].empty() && fields[0][0] == '#') continue;
      have_header = true;
      if (!make_layout(fields, layout)) {
        error("CSV header (line " + std::to_string(row_line) +
              ") has no event id column (\"Event ID\" or \"Id\"); not an event export");
        return;
      }
      continue;
    }
    ++row_no;
    const std::string label = "row " + std::to_string(row_no) + " (line " + std::to_string(row_line) + ")";
    if (fields.size() <= layout.id_index) {
      error(label + ": " + std::to_string(fields.size()) + " fields, no event id; skipped");
      continue;
    }
    Event ev;
    ev.format = "csv";
    if (!apply_column(ev, EventColumn::Id, fields[layout.id_index])) {
      error(label + ": event id '" + fields[layout.id_index] + "' is not a number; skipped");
      continue;
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i == layout.message_index) {
        ev.message = fields[i];
        continue;
      }
      if (i >= layout.cols.size() || i == layout.id_index) continue;
      if (!apply_column(ev, layout.cols[i], fields[i]))
        error(label + ": unreadable " + layout.names[i] + " '" + fields[i] + "'");
    }
    // Windows writes CRLF inside multi-line descriptions; keep plain LF like the XML path.
    std::erase(ev.message, '\r');
    ev.message = std::string(trim_blank(ev.message));
    emit(std::move(ev));
  }
  if (!have_header && line > 1) error("CSV without a header row");
}

}  // namespace marsscan::records
