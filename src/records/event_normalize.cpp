#include "records/event_normalize.h"

#include <pugixml.hpp>

#include <cctype>
#include <cstring>

#include "records/event_time.h"

namespace marsscan::records {

namespace {

// Element names compared without their namespace prefix ("e:Event" == "Event").
std::string_view local_name(const pugi::xml_node& n) {
  std::string_view s = n.name();
  size_t colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

// All direct text of an element (pugixml's child_value() stops at the first text node,
// and CDATA sections or comments may split a value).
std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

bool has_element_child(const pugi::xml_node& n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element) return true;
  return false;
}

// UserData has no fixed schema: every leaf element becomes a field named after it.
void flatten_user_data(const pugi::xml_node& n, Event& ev) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (has_element_child(c))
      flatten_user_data(c, ev);
    else
      ev.data.push_back({std::string(local_name(c)), text_of(c)});
  }
}

}  // namespace

std::string_view trim_blank(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<uint64_t> parse_uint(std::string_view s) {
  s = trim_blank(s);
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s.remove_prefix(2);
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return std::nullopt;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return v;
}

std::optional<int> level_from_name(std::string_view name) {
  name = trim_blank(name);
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Entry { const char* name; int level; };
  static const Entry table[] = {
      {"information", 4}, {"informational", 4}, {"info", 4},    {"warning", 3},
      {"error", 2},       {"critical", 1},      {"verbose", 5},  {"logalways", 0},
      {"audit success", 0}, {"audit failure", 0},
      {"信息", 4}, {"警告", 3}, {"错误", 2}, {"关键", 1}, {"严重", 1}, {"详细", 5},
      {"审核成功", 0}, {"审核失败", 0},
      {"informationen", 4}, {"warnung", 3}, {"fehler", 2}, {"kritisch", 1}, {"ausführlich", 5},
  };
  for (const auto& e : table)
    if (lower == e.name) return e.level;
  return std::nullopt;
}

bool event_from_xml(std::string_view xml, Event& ev, std::string& error) {
  pugi::xml_document doc;
  pugi::xml_parse_result r =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    error = std::string("malformed XML: ") + r.description() + " at byte " +
            std::to_string(r.offset);
    return false;
  }
  pugi::xml_node event = child(doc, "Event");
  if (!event) {
    error = "no <Event> element";
    return false;
  }
  pugi::xml_node sys = child(event, "System");
  if (!sys) {
    error = "<Event> without <System>";
    return false;
  }
  if (pugi::xml_node p = child(sys, "Provider")) {
    ev.provider = p.attribute("Name").value();
    if (ev.provider.empty()) ev.provider = p.attribute("EventSourceName").value();
  }
  if (pugi::xml_node id = child(sys, "EventID")) {
    auto v = parse_uint(text_of(id));
    if (!v || *v > UINT32_MAX) {
      error = "bad <EventID> '" + text_of(id) + "'";
      return false;
    }
    ev.event_id = static_cast<uint32_t>(*v);
    if (pugi::xml_attribute q = id.attribute("Qualifiers"); q && *q.value()) {
      if (auto qv = parse_uint(q.value()); qv && *qv <= UINT32_MAX)
        ev.qualifiers = static_cast<uint32_t>(*qv);
    }
  } else {
    error = "<System> without <EventID>";
    return false;
  }
  if (pugi::xml_node lv = child(sys, "Level"))
    if (auto v = parse_uint(text_of(lv)); v && *v <= 255) ev.level = static_cast<int>(*v);
  if (pugi::xml_node tc = child(sys, "TimeCreated"))
    ev.time = parse_event_time(tc.attribute("SystemTime").value());
  if (pugi::xml_node rid = child(sys, "EventRecordID"))
    if (auto v = parse_uint(text_of(rid))) ev.record_id = *v;
  if (pugi::xml_node ch = child(sys, "Channel")) ev.channel = trim_blank(text_of(ch));
  if (pugi::xml_node co = child(sys, "Computer")) ev.computer = trim_blank(text_of(co));

  if (pugi::xml_node ed = child(event, "EventData")) {
    for (pugi::xml_node d = ed.first_child(); d; d = d.next_sibling()) {
      // <Binary> is hex of the raw payload; nothing a text trigger could use.
      if (d.type() != pugi::node_element || local_name(d) != "Data") continue;
      ev.data.push_back({d.attribute("Name").value(), text_of(d)});
    }
  }
  if (pugi::xml_node ud = child(event, "UserData")) flatten_user_data(ud, ev);
  if (pugi::xml_node ri = child(event, "RenderingInfo")) {
    if (pugi::xml_node m = child(ri, "Message")) ev.message = text_of(m);
    if (pugi::xml_node l = child(ri, "Level")) {
      ev.level_name = trim_blank(text_of(l));
      if (ev.level < 0)
        if (auto v = level_from_name(ev.level_name)) ev.level = *v;
    }
  }
  return true;
}

}  // namespace marsscan::records
