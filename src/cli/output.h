// Where a command writes: stdout or the -o file. Knows whether the write failed, so that a
// closed pipe or a full disk becomes an error message instead of a silent truncation.
#pragma once
#include <fstream>
#include <iostream>
#include <string>

namespace marsscan::cli {

class Output {
 public:
  // Throws std::runtime_error naming the file when it cannot be opened.
  explicit Output(const std::string& path);
  std::ostream& stream() { return path_.empty() ? std::cout : file_; }
  // Flushes; returns false (and says why on stderr, unless the reader just went away) on failure.
  bool close();
 private:
  std::string path_;
  std::ofstream file_;
};

}  // namespace marsscan::cli
