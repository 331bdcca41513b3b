#include <cctype>

#include "analysis/case_state.h"
#include "analysis/hresult.h"

namespace marsscan::analysis {

void append_task(std::string& out, std::string_view task) {
  // ASCII only (a task is a GUID): std::toupper asks the locale for every byte of every match.
  const size_t at = out.size();
  out.resize(at + task.size());
  for (size_t i = 0; i < task.size(); ++i) {
    const char c = task[i];
    out[at + i] = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
}

std::string task_of(const records::Record& r) {
  std::string t;
  if (r.kind == records::RecordKind::Errlog) append_task(t, r.errlog.task);
  return t;
}

Occurrence make_occurrence(const match::PatternDb& db, const records::Record& r, size_t max_text) {
  Occurrence o;
  o.source = std::string(r.source);
  o.line = r.line;
  o.is_event = r.kind == records::RecordKind::Event;
  o.time = r.time;
  std::string_view text = r.text;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() > max_text) {
    size_t cut = max_text;
    // Do not split a UTF-8 sequence: back off over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  o.text = std::string(text);
  o.task = task_of(r);
  DecodedCodes codes = decode_codes(db, o.text);
  o.decoded = std::move(codes.en);
  o.decoded_zh = std::move(codes.zh);
  return o;
}

}  // namespace marsscan::analysis
