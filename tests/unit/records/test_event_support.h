// Helpers shared by the event-parser tests: a string-backed ByteReader that hands out small
// chunks (to cross every buffer boundary), collectors, and the generated fixtures.
#pragma once
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "input/source.h"
#include "records/events.h"

namespace evtest {

using marsscan::records::Event;

class StringReader : public marsscan::input::ByteReader {
 public:
  explicit StringReader(std::string data, size_t chunk = 4096) : data_(std::move(data)), chunk_(chunk) {}
  size_t read(char* buf, size_t n) override {
    size_t k = std::min({n, chunk_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, k, buf);
    pos_ += k;
    return k;
  }
 private:
  std::string data_;
  size_t chunk_, pos_ = 0;
};

struct Result {
  std::vector<Event> events;
  std::vector<std::string> errors;
  std::string all_errors() const {
    std::string s;
    for (const auto& e : errors) s += e + "\n";
    return s;
  }
};

using Parser = void (*)(marsscan::input::ByteReader&, std::string, const marsscan::records::EventFn&,
                        const marsscan::records::ErrorFn&);

// The first `head_len` bytes go in as the sniffed head, the rest through the reader.
inline Result run(Parser parse, const std::string& text, size_t chunk = 4096, size_t head_len = 100) {
  Result r;
  head_len = std::min(head_len, text.size());
  StringReader reader(text.substr(head_len), chunk);
  parse(reader, text.substr(0, head_len), [&](Event&& e) { r.events.push_back(std::move(e)); },
        [&](const std::string& m) { r.errors.push_back(m); });
  return r;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + p.string());
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// UTF-16LE (after its BOM) to UTF-8, as the records reader does before calling the parsers.
inline std::string utf16le_to_utf8(const std::string& in) {
  std::string out;
  size_t i = (in.size() >= 2 && in[0] == '\xFF' && in[1] == '\xFE') ? 2 : 0;
  for (; i + 1 < in.size(); i += 2) {
    uint32_t c = static_cast<uint8_t>(in[i]) | (static_cast<uint8_t>(in[i + 1]) << 8);
    if (c >= 0xD800 && c < 0xDC00 && i + 3 < in.size()) {
      uint32_t lo = static_cast<uint8_t>(in[i + 2]) | (static_cast<uint8_t>(in[i + 3]) << 8);
      c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    }
    if (c < 0x80) out += static_cast<char>(c);
    else if (c < 0x800) out += static_cast<char>(0xC0 | (c >> 6)), out += static_cast<char>(0x80 | (c & 0x3F));
    else if (c < 0x10000)
      out += static_cast<char>(0xE0 | (c >> 12)), out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          out += static_cast<char>(0x80 | (c & 0x3F));
    else
      out += static_cast<char>(0xF0 | (c >> 18)), out += static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
          out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)), out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// Runs tests/fixtures/gen_events.py once per test process into a private directory.
inline const std::filesystem::path& fixtures() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("marsscan-events-" + std::to_string(::getpid()));
    std::string cmd = std::string("python3 '") + MARSSCAN_SOURCE_DIR + "/tests/fixtures/gen_events.py' '" +
                      d.string() + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("gen_events.py failed");
    return d;
  }();
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup;
  return dir;
}

inline std::string fixture(const std::string& name) {
  std::string data = slurp(fixtures() / name);
  return name.find("utf16le") != std::string::npos ? utf16le_to_utf8(data) : data;
}

inline std::vector<uint32_t> ids(const Result& r) {
  std::vector<uint32_t> v;
  for (const auto& e : r.events) v.push_back(e.event_id);
  return v;
}

inline const std::vector<uint32_t> kCloudBackupIds = {1, 3, 1, 10, 1, 11, 14, 16, 18};

inline std::string data_value(const Event& e, const std::string& name) {
  for (const auto& f : e.data)
    if (f.name == name) return f.value;
  return "<absent>";
}

}  // namespace evtest
