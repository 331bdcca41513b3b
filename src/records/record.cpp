#include "records/record.h"

namespace marsscan::records {

std::string Event::text() const {
  std::string out = message;
  for (const auto& f : data) {
    if (f.value.empty()) continue;
    if (!out.empty()) out += " | ";
    out += f.value;
  }
  return out;
}

}  // namespace marsscan::records
