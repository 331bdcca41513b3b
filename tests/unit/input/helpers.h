// Test helpers for the input stage: in-memory readers, a visitor that records everything,
// temporary directories and a shell runner for the archive tools.
#pragma once
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "input/source.h"
#include "input/text.h"

namespace marsscan::input::test {

// Hands out a string `step` bytes per read() at most, to put chunk boundaries anywhere.
class StringReader : public ByteReader {
 public:
  explicit StringReader(std::string s, size_t step = SIZE_MAX) : s_(std::move(s)), step_(step) {}
  size_t read(char* buf, size_t n) override {
    const size_t k = std::min({n, step_, s_.size() - pos_});
    std::memcpy(buf, s_.data() + pos_, k);
    pos_ += k;
    return k;
  }
 private:
  std::string s_;
  size_t step_;
  size_t pos_ = 0;
};

struct LeafSeen {
  std::string name, top, content;
  std::optional<int64_t> mtime;
  std::optional<uint64_t> size;
};

// Reads every leaf whole. A read error propagates to walk(), as from a visitor that does not
// handle it; the bytes read before it are kept.
class Collector : public LeafVisitor {
 public:
  std::vector<LeafSeen> leaves;
  std::vector<InputError> errors;
  void on_leaf(Leaf& leaf) override {
    leaves.push_back({leaf.name, leaf.top, "", leaf.mtime, leaf.size});
    char buf[4096];
    for (size_t n; (n = leaf.reader->read(buf, sizeof buf)) > 0;) leaves.back().content.append(buf, n);
  }
  void on_error(const InputError& e) override { errors.push_back(e); }
  std::vector<std::string> names() const {
    std::vector<std::string> v;
    for (auto& l : leaves) v.push_back(l.name);
    return v;
  }
  const LeafSeen* find(const std::string& name) const {
    for (auto& l : leaves) if (l.name == name) return &l;
    return nullptr;
  }
  std::string error_text() const {
    std::string s;
    for (auto& e : errors) s += e.source + ": " + e.message + "\n";
    return s;
  }
};

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/marsscan-input-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::string cmd = "chmod -R u+rwx '" + path_ + "' 2>/dev/null; rm -rf '" + path_ + "'";
    (void)std::system(cmd.c_str());
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }
 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& data) {
  const auto slash = path.rfind('/');
  if (slash != std::string::npos) {
    std::string cmd = "mkdir -p '" + path.substr(0, slash) + "'";
    (void)std::system(cmd.c_str());
  }
  std::ofstream f(path, std::ios::binary);
  f << data;
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs a shell command in `dir`; throws when it fails so a test cannot pass vacuously.
inline void sh(const std::string& dir, const std::string& cmd) {
  const std::string full = "cd '" + dir + "' && (" + cmd + ") >/dev/null 2>&1";
  if (std::system(full.c_str()) != 0) throw std::runtime_error("command failed: " + cmd);
}

// A reference UTF-8 -> UTF-16 encoder (valid input only), independent of the code under test.
inline std::string to_utf16(const std::string& utf8, bool be) {
  std::string out;
  auto unit = [&](uint32_t u) {
    const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    if (be) { out += hi; out += lo; } else { out += lo; out += hi; }
  };
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = utf8[i];
    uint32_t cp;
    int len;
    if (c < 0x80) cp = c, len = 1;
    else if (c < 0xE0) cp = c & 0x1F, len = 2;
    else if (c < 0xF0) cp = c & 0x0F, len = 3;
    else cp = c & 0x07, len = 4;
    for (int k = 1; k < len; ++k) cp = cp << 6 | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

// All blocks of a TextReader joined, checking the block invariants on the way.
struct TextResult {
  std::string text;
  uint64_t lines = 0;
  uint64_t blocks = 0;
  std::vector<std::pair<uint64_t, std::string>> numbered;  // (line number, line) when asked
};
inline TextResult read_text(TextReader& r, bool number = false) {
  TextResult res;
  TextBlock b;
  while (r.next(b)) {
    ++res.blocks;
    if (b.data.empty() || b.data.back() != '\n') throw std::runtime_error("block without final newline");
    if (static_cast<uint64_t>(std::count(b.data.begin(), b.data.end(), '\n')) != b.lines)
      throw std::runtime_error("block line count mismatch");
    res.text.append(b.data);
    res.lines += b.lines;
    if (number) {
      uint64_t n = b.first_line;
      size_t s = 0;
      for (size_t e; (e = b.data.find('\n', s)) != std::string_view::npos; s = e + 1)
        res.numbered.emplace_back(n++, std::string(b.data.substr(s, e - s)));
    }
  }
  return res;
}

}  // namespace marsscan::input::test
