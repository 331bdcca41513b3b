// JSON event exports: Get-WinEvent | ConvertTo-Json (an array, or one object), evtx_dump
// -o json ("Record N" lines between pretty objects) and -o jsonl, or JSON Lines of either.
// A small string-aware brace scanner cuts the input into top-level objects (or elements
// of a top-level array); each is parsed alone with simdjson, so memory follows the largest
// event and a malformed element costs only itself.
#include <simdjson.h>

#include <charconv>
#include <string>

#include "records/event_columns.h"
#include "records/event_input.h"
#include "records/event_normalize.h"
#include "records/events.h"

namespace marsscan::records {

namespace {

namespace dom = simdjson::dom;
constexpr size_t kMaxElement = 16u << 20;

// ---- values -------------------------------------------------------------------------

std::string as_text(dom::element v);

std::string number_text(dom::element v) {
  if (int64_t i; v.get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  if (uint64_t u; v.get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
  double d = 0;
  if (v.get_double().get(d) != simdjson::SUCCESS) return {};
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// Scalars as text; {"#text": x} (evtx_dump's element-with-attributes) as x; arrays joined.
std::string as_text(dom::element v) {
  switch (v.type()) {
    case dom::element_type::STRING: return std::string(std::string_view(v.get_string().value_unsafe()));
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return number_text(v);
    case dom::element_type::BOOL: return v.get_bool().value_unsafe() ? "true" : "false";
    case dom::element_type::NULL_VALUE: return {};
    case dom::element_type::OBJECT: {
      dom::element t;
      if (v.get_object().value_unsafe().at_key("#text").get(t) == simdjson::SUCCESS) return as_text(t);
      return {};
    }
    case dom::element_type::ARRAY: {
      std::string out;
      // Copy the array/object handle out of the simdjson_result: a range-for over
      // `x.get_array().value_unsafe()` iterates a reference into a destroyed temporary.
      for (dom::element e : dom::array(v.get_array().value_unsafe())) {
        if (!out.empty()) out += ", ";
        out += as_text(e);
      }
      return out;
    }
  }
  return {};
}

bool field(dom::object o, std::string_view key, dom::element& out) {
  return o.at_key(key).get(out) == simdjson::SUCCESS;
}

// An attribute as evtx_dump writes it: {"Key": {"#attributes": {"A": v}}} by default,
// {"Key_attributes": {"A": v}} with --separate-json-attributes.
std::string attribute(dom::object o, std::string_view key, std::string_view attr) {
  dom::element e, a, v;
  if (field(o, key, e) && e.is_object() && field(e.get_object().value_unsafe(), "#attributes", a) &&
      a.is_object() && field(a.get_object().value_unsafe(), attr, v))
    return as_text(v);
  std::string sep = std::string(key) + "_attributes";
  if (field(o, sep, a) && a.is_object() && field(a.get_object().value_unsafe(), attr, v))
    return as_text(v);
  return {};
}

std::string member_text(dom::object o, std::string_view key) {
  dom::element e;
  return field(o, key, e) ? as_text(e) : std::string();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// ---- evtx_dump shape ------------------------------------------------------------------

void add_data_values(dom::element v, Event& ev) {
  if (v.is_object()) {
    dom::object o = v.get_object().value_unsafe();
    dom::element t;
    if (field(o, "#text", t)) {
      if (t.is_array())
        for (dom::element e : dom::array(t.get_array().value_unsafe())) ev.data.push_back({{}, as_text(e)});
      else
        ev.data.push_back({{}, as_text(t)});
    }
    return;
  }
  if (v.is_array()) {
    for (dom::element e : dom::array(v.get_array().value_unsafe())) ev.data.push_back({{}, as_text(e)});
    return;
  }
  ev.data.push_back({{}, as_text(v)});
}

void flatten_user_data(std::string_view name, dom::element v, Event& ev) {
  if (v.is_object()) {
    dom::object o = v.get_object().value_unsafe();
    dom::element t;
    if (field(o, "#text", t)) {
      ev.data.push_back({std::string(name), as_text(t)});
      return;
    }
    for (auto [k, e] : o) {
      if (k == "#attributes" || ends_with(k, "_attributes") || k == "xmlns") continue;
      flatten_user_data(k, e, ev);
    }
  } else if (v.is_array()) {
    for (dom::element e : dom::array(v.get_array().value_unsafe())) flatten_user_data(name, e, ev);
  } else if (!name.empty()) {
    ev.data.push_back({std::string(name), as_text(v)});
  }
}

bool from_evtx_dump(dom::object event, Event& ev, std::string& why) {
  dom::element sys_e;
  if (!field(event, "System", sys_e) || !sys_e.is_object()) {
    why = "\"Event\" without \"System\"";
    return false;
  }
  dom::object sys = sys_e.get_object().value_unsafe();
  ev.provider = attribute(sys, "Provider", "Name");
  if (ev.provider.empty()) ev.provider = attribute(sys, "Provider", "EventSourceName");
  dom::element id_e;
  if (!field(sys, "EventID", id_e)) {
    why = "\"System\" without \"EventID\"";
    return false;
  }
  if (!apply_column(ev, EventColumn::Id, as_text(id_e))) {
    why = "bad EventID '" + as_text(id_e) + "'";
    return false;
  }
  if (std::string q = attribute(sys, "EventID", "Qualifiers"); !q.empty())
    apply_column(ev, EventColumn::Qualifiers, q);
  if (auto v = parse_uint(member_text(sys, "Level")); v && *v <= 255) ev.level = static_cast<int>(*v);
  apply_column(ev, EventColumn::Time, attribute(sys, "TimeCreated", "SystemTime"));
  apply_column(ev, EventColumn::RecordId, member_text(sys, "EventRecordID"));
  ev.channel = member_text(sys, "Channel");
  ev.computer = member_text(sys, "Computer");

  dom::element ed;
  if (field(event, "EventData", ed)) {
    if (ed.is_object()) {
      for (auto [k, v] : dom::object(ed.get_object().value_unsafe())) {
        if (k == "#attributes" || ends_with(k, "_attributes") || k == "Binary") continue;
        if (k == "Data")
          add_data_values(v, ev);
        else
          ev.data.push_back({std::string(k), as_text(v)});
      }
    } else if (ed.is_string()) {
      ev.data.push_back({{}, as_text(ed)});
    }
  }
  dom::element ud;
  if (field(event, "UserData", ud)) flatten_user_data({}, ud, ev);
  dom::element ri;
  if (field(event, "RenderingInfo", ri) && ri.is_object()) {
    ev.message = member_text(ri.get_object().value_unsafe(), "Message");
    ev.level_name = member_text(ri.get_object().value_unsafe(), "Level");
  }
  return true;
}

// ---- PowerShell shape -----------------------------------------------------------------

bool from_powershell(dom::object o, Event& ev, std::string& why) {
  bool known = false;
  for (auto [k, v] : o) {
    if (k == "Properties" && v.is_array()) {
      // At the default depth these are type names; with -Depth 3 or more, {"Value": ...}.
      for (dom::element p : dom::array(v.get_array().value_unsafe())) {
        dom::element val;
        if (p.is_object() && field(p.get_object().value_unsafe(), "Value", val))
          ev.data.push_back({{}, as_text(val)});
      }
      continue;
    }
    EventColumn col = column_from_name(k);
    if (col == EventColumn::None) continue;
    known = true;
    std::string text = as_text(v);
    if (!apply_column(ev, col, text)) {
      why = "bad " + std::string(k) + " '" + text + "'";
      return false;
    }
  }
  if (!known) {
    why = "no event property (Id, TimeCreated, ProviderName, Message, ...)";
    return false;
  }
  return true;
}

bool event_from_json(dom::element root, Event& ev, std::string& why) {
  if (!root.is_object()) {
    why = "not a JSON object";
    return false;
  }
  dom::object o = root.get_object().value_unsafe();
  dom::element inner;
  if (field(o, "Event", inner) && inner.is_object())
    return from_evtx_dump(inner.get_object().value_unsafe(), ev, why);
  if (field(o, "System", inner) && inner.is_object()) return from_evtx_dump(o, ev, why);
  return from_powershell(o, ev, why);
}

// ---- splitting ------------------------------------------------------------------------

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Scans one value starting at buf[start] ('{' or '['). Resumable across refills.
struct Scanner {
  size_t i = 0;
  int depth = 0;
  bool in_string = false, escape = false, broken = false;
  size_t restart = std::string::npos;  // a new top-level object begins here: this one was cut

  enum Result { Done, NeedMore, Cut };
  // `stream`: top-level values one after another (JSON Lines, evtx_dump), where a '{' or
  // "Record " at the start of a line cannot be inside a well-formed pretty-printed value.
  Result run(const std::string& buf, bool stream) {
    for (; i < buf.size(); ++i) {
      char c = buf[i];
      if (in_string) {
        if (escape) escape = false;
        else if (c == '\\') escape = true;
        else if (c == '"') in_string = false;
        else if (c == '\n') in_string = false, broken = true;  // raw newline: cut-off string
        if (c != '\n') continue;
      }
      if (c == '"') in_string = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++i;
          return Done;
        }
      } else if (c == '\n' && stream && depth > 0) {
        if (i + 1 >= buf.size()) return NeedMore;  // need the next char to decide
        if (buf[i + 1] == '{' || buf.compare(i + 1, 7, "Record ") == 0) {
          restart = i + 1;
          return Cut;
        }
      }
    }
    return NeedMore;
  }
};

}  // namespace

void parse_event_json(input::ByteReader& utf8, std::string head, const EventFn& emit,
                      const ErrorFn& error) {
  EventInput in(utf8, std::move(head));
  dom::parser parser;
  std::string buf;
  size_t pos = 0;
  bool eof = false, in_array = false;
  uint64_t ordinal = 0;
  auto fill = [&] {
    if (eof) return false;
    if (!in.append_to(buf)) eof = true;
    return true;
  };

  for (;;) {
    while (pos < buf.size() && (is_ws(buf[pos]) || (in_array && buf[pos] == ','))) ++pos;
    compact(buf, pos);
    if (pos >= buf.size()) {
      if (!fill()) break;
      continue;
    }
    char c = buf[pos];
    if (!in_array && c == '[') {
      in_array = true;
      ++pos;
      continue;
    }
    if (in_array && c == ']') {
      in_array = false;
      ++pos;
      continue;
    }
    if (c != '{' && in_array) {
      // A scalar or array element: skip it up to the next ',' or ']' outside strings.
      ++ordinal;
      const size_t start = pos;
      bool in_str = false, esc = false;
      int depth = 0;
      for (size_t i = pos;; ++i) {
        if (i >= buf.size()) {
          if (buf.size() - start >= kMaxElement || !fill()) {
            pos = i = buf.size();
            break;
          }
        }
        char d = buf[i];
        if (in_str) {
          if (esc) esc = false;
          else if (d == '\\') esc = true;
          else if (d == '"') in_str = false;
        } else if (d == '"') in_str = true;
        else if (d == '[' || d == '{') ++depth;
        else if ((d == ']' || d == '}') && depth > 0) --depth;
        else if (depth == 0 && (d == ',' || d == ']')) {
          pos = i;
          break;
        }
      }
      error("element " + std::to_string(ordinal) + ": not a JSON object: '" +
            std::string(trim_blank(std::string_view(buf).substr(start, std::min<size_t>(pos - start, 60)))) +
            "'");
      continue;
    }
    if (c != '{') {
      // evtx_dump's "Record 12" separators; anything else outside a value is reported.
      size_t nl;
      while ((nl = buf.find('\n', pos)) == std::string::npos && buf.size() - pos < 4096 && fill()) {
      }
      if (nl == std::string::npos) nl = buf.size();
      std::string_view line = trim_blank(std::string_view(buf).substr(pos, nl - pos));
      if (!line.starts_with("Record ")) {
        ++ordinal;
        error("element " + std::to_string(ordinal) + ": not a JSON object: '" +
              std::string(line.substr(0, 60)) + "'");
      }
      pos = nl;
      continue;
    }

    ++ordinal;
    const std::string label = "element " + std::to_string(ordinal);
    Scanner sc;
    sc.i = pos;
    Scanner::Result r;
    for (;;) {
      r = sc.run(buf, !in_array);
      if (r != Scanner::NeedMore) break;
      if (sc.i - pos >= kMaxElement || !fill()) break;
    }
    if (r == Scanner::Cut) {
      error(label + ": cut off (a new object starts before it closes)");
      pos = sc.restart;
      continue;
    }
    if (r == Scanner::NeedMore) {
      error(label + (eof ? ": not closed before the end of the input (truncated)"
                         : ": larger than 16 MiB; skipped"));
      if (eof) break;
      pos = sc.i;
      continue;
    }
    dom::element root;
    auto err = parser.parse(buf.data() + pos, sc.i - pos).get(root);
    Event ev;
    ev.format = "json";
    std::string why;
    if (err)
      error(label + ": malformed JSON: " + simdjson::error_message(err));
    else if (!event_from_json(root, ev, why))
      error(label + ": " + why);
    else
      emit(std::move(ev));
    pos = sc.i;
  }
}

}  // namespace marsscan::records
