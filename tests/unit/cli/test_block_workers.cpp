// BlockWorkers::pull against one thread reading and matching the same text: the same matches,
// in the same order, with the same times; every block handed on once, in order; a reader
// that fails mid-way or a consumer that stops early loses nothing read before.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli/block_workers.h"
#include "input/source.h"
#include "input/text.h"
#include "match/loader.h"
#include "match/matcher.h"

namespace marsscan::cli {
namespace {

// Hands out a string, failing with an InputError once `fail_at` bytes are read (if given).
class StringReader : public input::ByteReader {
 public:
  explicit StringReader(std::string s, std::optional<size_t> fail_at = {})
      : s_(std::move(s)), fail_at_(fail_at) {}
  size_t read(char* buf, size_t n) override {
    if (fail_at_ && pos_ >= *fail_at_) throw input::InputError{"", "the disk went away"};
    size_t k = std::min(n, s_.size() - pos_);
    if (fail_at_) k = std::min(k, *fail_at_ - pos_);
    std::memcpy(buf, s_.data() + pos_, k);
    pos_ += k;
    return k;
  }
 private:
  std::string s_;
  std::optional<size_t> fail_at_;
  size_t pos_ = 0;
};

struct Hit {
  uint64_t line;
  std::string text;
  std::vector<int> patterns;
  std::optional<TimeMs> time;
  bool operator==(const Hit&) const = default;
};

struct Seen {
  std::vector<Hit> hits;
  std::vector<std::pair<uint64_t, uint64_t>> blocks;  // (first_line, lines) as handed on
  uint64_t lines() const {
    uint64_t n = 0;
    for (auto [first, count] : blocks) n += count;
    return n;
  }
};

const match::PatternDb& db() {
  static const match::PatternDb db = [] {
    std::vector<match::LoadError> errors;
    match::PatternDb d = match::load_database(match::LoadOptions{}, errors);
    REQUIRE(errors.empty());
    return d;
  }();
  return db;
}

// Errlog lines across several MiB (so several blocks), a documented error every few lines, a
// year roll-over (December to January) half-way, and optionally lines far over max_line.
std::string errlog(size_t mib, size_t long_line = 0) {
  const char* errors[] = {
      "WARNING\tFailed: Hr: = [0x80070005] Access is denied",
      "NORMAL\tBackup Progress: Data transfer started.",
      "FATAL\tCBPSetup: ID: 34513 The VSS snapshot could not be created",
      "NORMAL\tHeartbeat to service succeeded in 12 ms"};
  std::string s;
  for (size_t i = 0; s.size() < (mib << 20); ++i) {
    const bool late = s.size() > (mib << 19);
    char head[96];
    std::snprintf(head, sizeof head, "44B4\t3968\t%s\t%02zu:%02zu:%02zu.%03zu\t71\tbackupasync.cpp(%zu)\t[0]\tTASK\t",
                  late ? "01/02" : "12/30", i / 3600 % 24, i / 60 % 60, i % 60, i % 1000, i % 2000);
    s += head;
    if (long_line && i % 997 == 5) {
      s += "NORMAL\t" + std::string(long_line, 'x') + " Failed: Hr: = [0x80070005] tail";
    } else if (i % 7 == 3) {
      s += errors[i / 7 % 4];
    } else {
      s += "NORMAL\tUploading " + std::to_string(i) + " RO entries";
    }
    s += '\n';
  }
  return s;
}

match::MatchFn collect(Seen& seen) {
  return [&seen](const match::Match& m) {
    seen.hits.push_back({m.record->line, std::string(m.record->text),
                         {m.patterns.begin(), m.patterns.end()}, m.record->time});
  };
}

BlockWorkers::BlockFn blocks(Seen& seen) {
  return [&seen](std::string_view, const input::TextBlock& b) {
    seen.blocks.emplace_back(b.first_line, b.lines);
  };
}

const records::TimeContext kTime{2024, {}, 0};

// One thread, as marsscan -j 1 reads and matches. `lines` counts the lines read.
Seen serial(const match::Matcher& matcher, const std::string& text, size_t max_line,
            std::optional<size_t> fail_at = {}, uint64_t* lines = nullptr) {
  Seen seen;
  StringReader in(text, fail_at);
  input::TextReader reader(in, "", max_line);
  records::YearResolver years(kTime);
  input::TextBlock block;
  try {
    while (reader.next(block)) {
      if (lines) *lines += block.lines;
      matcher.scan("a.errlog", block, years, collect(seen));
      seen.blocks.emplace_back(block.first_line, block.lines);
    }
  } catch (const input::InputError&) {
  }
  return seen;
}

// Each block starts where the last ended, or (a cut piece of a long line) on the same line.
void check_blocks_in_order(const Seen& seen) {
  uint64_t next = 1;
  for (auto [first, count] : seen.blocks) {
    REQUIRE((first == next || first + 1 == next));
    next = first + count;
  }
}

TEST_CASE("pull hands on the matches of every block in order, as one thread finds them") {
  const match::Matcher matcher(db());
  for (size_t long_line : {size_t{0}, size_t{10000}}) {
    const size_t max_line = long_line ? 4096 : 1u << 20;  // long lines come as cut pieces
    const std::string text = errlog(5, long_line);
    const Seen want = serial(matcher, text, max_line);
    REQUIRE(want.blocks.size() > 5);
    REQUIRE(want.hits.size() > 1000);
    for (unsigned threads : {1u, 2u, 3u}) {
      INFO("threads " << threads << ", long lines " << long_line);
      BlockWorkers workers(matcher, threads);
      StringReader in(text);
      input::TextReader reader(in, "", max_line);
      Seen got;
      uint64_t lines = 0;
      auto fn = collect(got);
      auto done = blocks(got);
      const auto pulled = workers.pull("a.errlog", reader, std::make_shared<records::YearResolver>(kTime),
                                       lines, fn, done);
      CHECK(pulled.ended);
      workers.drain(fn, done);
      CHECK(lines == want.lines());
      check_blocks_in_order(got);
      CHECK(got.blocks == want.blocks);
      CHECK(got.hits == want.hits);  // times too: the roll-over resolves in line order
    }
  }
}

TEST_CASE("pull rethrows a read error once the blocks read before it are queued") {
  const match::Matcher matcher(db());
  const std::string text = errlog(6);
  const size_t fail_at = (3u << 20) + 12345;
  uint64_t want_lines = 0;
  const Seen want = serial(matcher, text, 1u << 20, fail_at, &want_lines);
  REQUIRE(want.blocks.size() >= 2);
  for (unsigned threads : {1u, 2u, 3u}) {
    INFO("threads " << threads);
    BlockWorkers workers(matcher, threads);
    StringReader in(text, fail_at);
    input::TextReader reader(in, "", 1u << 20);
    Seen got;
    uint64_t lines = 0;
    auto fn = collect(got);
    auto done = blocks(got);
    std::string error;
    try {
      workers.pull("a.errlog", reader, std::make_shared<records::YearResolver>(kTime), lines, fn, done);
    } catch (const input::InputError& e) {
      error = e.message;
    }
    CHECK(error == "the disk went away");
    workers.drain(fn, done);
    CHECK(lines == want_lines);
    CHECK(got.blocks == want.blocks);
    CHECK(got.hits == want.hits);
  }
}

TEST_CASE("pull stops when told, and the caller reads the rest in order") {
  const match::Matcher matcher(db());
  const std::string text = errlog(12);
  const Seen want = serial(matcher, text, 1u << 20);
  for (unsigned threads : {1u, 2u, 3u}) {
    INFO("threads " << threads);
    BlockWorkers workers(matcher, threads);
    StringReader in(text);
    input::TextReader reader(in, "", 1u << 20);
    auto years = std::make_shared<records::YearResolver>(kTime);
    Seen got;
    uint64_t lines = 0;
    auto fn = collect(got);
    auto done = blocks(got);
    const auto pulled = workers.pull("a.errlog", reader, years, lines, fn, done,
                                     [&] { return got.blocks.empty(); });
    CHECK_FALSE(pulled.ended);  // at most a few blocks in flight when the first is handed on
    workers.drain(fn, done);
    REQUIRE(got.blocks.size() >= 1);
    CHECK(lines == got.lines());
    input::TextBlock block;
    while (reader.next(block)) {
      lines += block.lines;
      matcher.scan("a.errlog", block, *years, fn);
      got.blocks.emplace_back(block.first_line, block.lines);
    }
    CHECK(lines == want.lines());
    CHECK(got.blocks == want.blocks);
    CHECK(got.hits == want.hits);
  }
}

TEST_CASE("pull leaves the blocks of the last leaf in flight while the next one is read") {
  // Two leaves, one after the other, without a drain between: everything in order.
  const match::Matcher matcher(db());
  const std::string a = errlog(3), b = errlog(2);
  Seen want = serial(matcher, a, 1u << 20);
  const Seen want_b = serial(matcher, b, 1u << 20);
  want.hits.insert(want.hits.end(), want_b.hits.begin(), want_b.hits.end());
  want.blocks.insert(want.blocks.end(), want_b.blocks.begin(), want_b.blocks.end());
  BlockWorkers workers(matcher, 2);
  Seen got;
  auto fn = collect(got);
  auto done = blocks(got);
  for (const std::string* text : {&a, &b}) {
    StringReader in(*text);
    input::TextReader reader(in, "", 1u << 20);
    uint64_t lines = 0;
    workers.pull("a.errlog", reader, std::make_shared<records::YearResolver>(kTime), lines, fn, done);
  }
  workers.drain(fn, done);
  CHECK(got.blocks == want.blocks);
  CHECK(got.hits == want.hits);
}

TEST_CASE("workers_for: jobs - 1 workers, but no more threads than cores") {
  const unsigned cores = std::thread::hardware_concurrency();
  CHECK(BlockWorkers::workers_for(0) == 0);
  CHECK(BlockWorkers::workers_for(1) == 0);
  for (unsigned jobs : {2u, 3u, 8u, 64u}) {
    INFO("jobs " << jobs << ", cores " << cores);
    const unsigned want = cores == 0 ? jobs - 1 : std::min(jobs, cores) - 1;
    CHECK(BlockWorkers::workers_for(jobs) == want);
  }
}

}  // namespace
}  // namespace marsscan::cli
