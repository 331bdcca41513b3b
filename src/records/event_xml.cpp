// wevtutil XML: a stream of <Event> elements with no root, or wrapped in /e:<root> or
// <Events>. The input is cut into one span per event and only that span is parsed, so a
// malformed event costs only itself and memory follows the largest event, not the file.
#include <string>

#include "records/event_input.h"
#include "records/event_normalize.h"
#include "records/events.h"

namespace marsscan::records {

namespace {

constexpr size_t kMaxEvent = 16u << 20;  // one event larger than this is not an event export

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

enum class Scan { Found, None, NeedMore };

// Reads the tag name at buf[p] (just after '<' or "</"). NeedMore when it touches the end.
Scan tag_name(const std::string& buf, size_t p, std::string_view& name) {
  size_t e = p;
  while (e < buf.size() && is_name_char(buf[e])) ++e;
  if (e == buf.size()) return Scan::NeedMore;
  name = std::string_view(buf).substr(p, e - p);
  return Scan::Found;
}

bool is_event_name(std::string_view name) {
  size_t colon = name.rfind(':');
  return (colon == std::string_view::npos ? name : name.substr(colon + 1)) == "Event";
}

// Finds the next "<Event" / "<prefix:Event" start tag at or after `from`, skipping comments,
// declarations and other elements (<Events>, <root>). `at` is the '<'.
Scan find_start(const std::string& buf, size_t from, size_t& at, std::string& qname,
                size_t& resume) {
  size_t p = from;
  while ((p = buf.find('<', p)) != std::string::npos) {
    if (p + 4 > buf.size()) break;
    if (buf.compare(p, 4, "<!--") == 0) {
      size_t e = buf.find("-->", p + 4);
      if (e == std::string::npos) break;
      p = e + 3;
      continue;
    }
    std::string_view name;
    if (tag_name(buf, p + 1, name) == Scan::NeedMore) break;
    if (!name.empty() && is_event_name(name)) {
      at = p;
      qname = name;
      return Scan::Found;
    }
    ++p;
  }
  resume = p == std::string::npos ? buf.size() : p;
  return resume < buf.size() ? Scan::NeedMore : Scan::None;
}

// Looks for the matching "</qname>" after the start tag. A new "<qname" start before it
// means the current event was cut off.
enum class End { Found, Truncated, NeedMore };
End find_end(const std::string& buf, size_t from, const std::string& qname, size_t& end,
             size_t& next_start, size_t& resume) {
  size_t p = from;
  while ((p = buf.find('<', p)) != std::string::npos) {
    bool closing = p + 1 < buf.size() && buf[p + 1] == '/';
    std::string_view name;
    if (tag_name(buf, p + 1 + closing, name) == Scan::NeedMore) break;
    if (name == qname) {
      if (!closing) {
        next_start = p;
        return End::Truncated;
      }
      size_t q = p + 2 + name.size();
      while (q < buf.size() && is_blank(buf[q])) ++q;
      if (q == buf.size()) break;
      if (buf[q] == '>') {
        end = q + 1;
        return End::Found;
      }
    }
    ++p;
  }
  resume = p == std::string::npos ? buf.size() : p;
  return End::NeedMore;
}

// True when the start tag at `at` is self-closing (<Event/>). Needs the tag's '>' in buf.
bool self_closing(const std::string& buf, size_t at, size_t& gt) {
  char quote = 0;
  for (size_t i = at; i < buf.size(); ++i) {
    char c = buf[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      gt = i;
      return buf[i - 1] == '/';
    }
  }
  gt = std::string::npos;
  return false;
}

}  // namespace

void parse_event_xml(input::ByteReader& utf8, std::string head, const EventFn& emit,
                     const ErrorFn& error) {
  EventInput in(utf8, std::move(head));
  std::string buf;
  size_t pos = 0;
  bool eof = false, content = false;
  uint64_t ordinal = 0;
  auto fill = [&] {
    if (eof) return false;
    if (!in.append_to(buf)) eof = true;
    return true;
  };
  auto note_content = [&](size_t from, size_t to) {
    for (size_t i = from; i < to && !content; ++i) content = !is_blank(buf[i]);
  };

  for (;;) {
    size_t at = 0, resume = 0;
    std::string qname;
    Scan s = find_start(buf, pos, at, qname, resume);
    if (s != Scan::Found) {
      note_content(pos, resume);
      pos = resume;
      compact(buf, pos);
      if (!fill()) break;
      continue;
    }
    note_content(pos, at);
    pos = at;
    ++ordinal;
    const std::string label = "event " + std::to_string(ordinal);

    size_t gt = std::string::npos;
    while (!self_closing(buf, pos, gt) && gt == std::string::npos && buf.size() - pos < kMaxEvent &&
           fill()) {
    }
    if (gt == std::string::npos) {
      error(label + ": start tag never closed (input truncated?)");
      pos = buf.size();
      continue;
    }
    if (buf[gt - 1] == '/') {
      error(label + ": empty <" + qname + "/> element");
      pos = gt + 1;
      continue;
    }

    size_t end = 0, next = 0, scan = gt + 1;
    End e;
    for (;;) {
      e = find_end(buf, scan, qname, end, next, scan);
      if (e != End::NeedMore) break;
      if (buf.size() - pos >= kMaxEvent || !fill()) break;
    }
    if (e == End::Found) {
      Event ev;
      ev.format = "xml";
      std::string why;
      if (event_from_xml(std::string_view(buf).substr(pos, end - pos), ev, why))
        emit(std::move(ev));
      else
        error(label + ": " + why);
      pos = end;
    } else if (e == End::Truncated) {
      error(label + ": no </" + qname + "> before the next <" + qname + "> (event cut off)");
      pos = next;
    } else if (eof) {
      error(label + ": no </" + qname + "> before the end of the input (truncated)");
      pos = buf.size();
    } else {
      error(label + ": larger than " + std::to_string(kMaxEvent >> 20) + " MiB; skipped");
      pos = scan;
    }
    compact(buf, pos);
  }
  if (ordinal == 0 && content) error("no <Event> element found");
}

}  // namespace marsscan::records
