#include "cli/grep_search.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <iostream>

namespace marsscan::cli {

namespace {

std::string_view trim_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

// The line of `data` that starts at `begin`, without its newline.
std::string_view line_at(std::string_view data, size_t begin) {
  size_t end = data.find('\n', begin);
  return trim_cr(data.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
}

// Start of the line before the one starting at `begin` (begin > 0).
size_t previous_line(std::string_view data, size_t begin) {
  size_t i = begin - 1;  // the '\n' ending the previous line
  while (i > 0 && data[i - 1] != '\n') --i;
  return i;
}

// What a shared leaf's search writes to a stream, passed on in pieces (to LeafWorkers::Yield)
// so that a leaf that prints much holds little. With `first`, every write is passed on at once,
// after what `first` holds: an error goes out after the lines printed before it.
class Pieces final : public std::streambuf {
 public:
  explicit Pieces(std::function<void(std::string&&)> pass, Pieces* first = nullptr)
      : pass_(std::move(pass)), first_(first) {}
  void pass() {
    if (bytes_.empty()) return;
    pass_(std::move(bytes_));
    bytes_.clear();
  }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      const char ch = traits_type::to_char_type(c);
      xsputn(&ch, 1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    bytes_.append(s, static_cast<size_t>(n));
    if (first_) first_->pass();
    if (first_ || bytes_.size() >= kPiece) pass();
    return n;
  }

 private:
  static constexpr size_t kPiece = 64u << 10;
  std::function<void(std::string&&)> pass_;
  Pieces* first_;
  std::string bytes_;
};

}  // namespace

GrepSearch::GrepSearch(const match::Matcher& matcher, GrepPrinter& printer,
                       const SearchSettings& settings, const records::ReadOptions& read,
                       BlockWorkers* workers, const LeafSharing* sharing)
    : matcher_(matcher), printer_(printer), s_(settings), read_(read), workers_(workers),
      sharing_(sharing),
      collect_([this](const match::Match& m) { collect(m); }),
      print_([this](std::string_view source, const input::TextBlock& b) { print_block(source, b); }) {}

GrepSearch::~GrepSearch() {
  if (sharing_) sharing_->leaves->discard();  // no thread may still be searching for this one
}

void GrepSearch::drain() {
  if (sharing_) sharing_->leaves->drain();
  if (workers_) workers_->drain(collect_, print_);
}

bool GrepSearch::want_more() const {
  if (s_.out && !*s_.out) return false;  // the reader went away (head): stop reading
  if (s_.cancel && s_.cancel->load(std::memory_order_relaxed)) return false;
  if (s_.mode == SearchSettings::Mode::Quiet) return total_.matched_lines == 0;
  if (s_.mode == SearchSettings::Mode::FilesWithMatches ||
      s_.mode == SearchSettings::Mode::FilesWithoutMatch)
    return leaf_.matched_lines == 0;
  return leaf_.matched_lines < s_.max_count;
}

void GrepSearch::on_leaf(input::Leaf& leaf) {
  if (worth_sharing(leaf))
    if (std::shared_ptr<input::ByteReader> own = leaf.reopen()) {
      share(leaf, std::move(own));
      return;
    }
  if (worth_aside(leaf)) {
    search_aside(leaf);
    return;
  }
  if (sharing_) sharing_->leaves->drain();  // the shared leaves before come first
  one_block_ = !BlockWorkers::worth_it(leaf.size);
  // With workers, the leaf's state starts and ends in order with its blocks (ordered calls):
  // this leaf is read while the last blocks of the one before are still being printed.
  in_order([this] { begin_leaf(); });
  records::ReadOptions options = read_;
  options.time.mtime = leaf.mtime;
  // The reader's resolver ends with read_leaf, before the workers' last blocks are handed on:
  // those get a twin built from the same context (as in the report pipeline).
  if (workers_) years_ = std::make_shared<records::YearResolver>(options.time);
  records::ReadStats rs;
  try {
    rs = records::read_leaf(leaf, options, *this);
  } catch (...) {
    // What was read before the failure is printed, as on one thread; then the error.
    if (workers_) {
      try {
        drain();
      } catch (...) {
        workers_->discard();
      }
    }
    throw;
  }
  in_order([this, name = leaf.name, bytes = rs.bytes] { end_leaf(name, bytes); });
}

bool GrepSearch::worth_sharing(const input::Leaf& leaf) const {
  if (!sharing_ || !leaf.reopen || !leaf.size || !leaf.rest_size) return false;
  if (s_.mode == SearchSettings::Mode::Quiet) return false;  // done at the first match, anywhere
  if (*leaf.size < kMinShared) return false;
  // A fair share: at most 1/threads of the work left, counting the shared leaves under way.
  return *leaf.size * sharing_->leaves->threads() <= *leaf.size + leaf.rest_size() + shared_bytes_;
}

bool GrepSearch::worth_aside(const input::Leaf& leaf) const {
  return sharing_ && shared_bytes_ > 0 && leaf.size && *leaf.size <= kMaxAside &&
         s_.mode != SearchSettings::Mode::Quiet;
}

void GrepSearch::share(const input::Leaf& leaf, std::shared_ptr<input::ByteReader> reader) {
  if (workers_) workers_->drain(collect_, print_);  // the blocks of the leaf before go first
  shared_bytes_ += *leaf.size;
  sharing_->leaves->submit([this, leaf, reader](LeafWorkers::Yield& yield) {
    search_alone(leaf, *reader, [&](std::function<void()> call, size_t n) { yield(std::move(call), n); });
  });
}

void GrepSearch::search_aside(const input::Leaf& leaf) {
  shared_bytes_ += *leaf.size;
  std::vector<std::function<void()>> calls;
  size_t bytes = 0;
  try {
    search_alone(leaf, *leaf.reader, [&](std::function<void()> call, size_t n) {
      calls.push_back(std::move(call));
      bytes += n;
    });
  } catch (...) {
    sharing_->leaves->submit_done(std::move(calls), bytes);  // what came before the failure
    throw;
  }
  sharing_->leaves->submit_done(std::move(calls), bytes);
}

void GrepSearch::search_alone(const input::Leaf& leaf, input::ByteReader& reader, const Put& put) {
  input::Leaf mine = leaf;
  mine.reader = &reader;
  mine.reopen = nullptr;
  std::ostream* err_to = s_.err ? s_.err : &std::cerr;
  const GrepSearch* one_seen = nullptr;
  bool first = true;
  Pieces out([&](std::string&& bytes) {
    const bool first_group = first && one_seen->printed_lines();
    first = false;
    const size_t n = bytes.size();
    put([this, bytes = std::move(bytes), first_group] { write_piece(bytes, first_group); }, n);
  });
  Pieces err([&](std::string&& bytes) {
    const size_t n = bytes.size();
    put([err_to, bytes = std::move(bytes)] { *err_to << bytes; }, n);
  }, &out);
  std::ostream out_stream(&out), err_stream(&err);
  SearchSettings s = s_;
  s.out = nullptr;  // the pieces never fail; out_failed_ says when the real output did
  s.cancel = &out_failed_;
  s.err = &err_stream;
  auto printer = sharing_->make_printer(out_stream);
  GrepSearch one(matcher_, *printer, s, read_);
  one_seen = &one;
  try {
    one.on_leaf(mine);
  } catch (const input::InputError& e) {  // as visit_stream reports one on_leaf let out
    one.on_error({e.source.empty() ? leaf.name : e.source, e.message});
  } catch (...) {
    out.pass();  // what was found before counts, as on one thread
    throw;
  }
  out.pass();
  put([this, stats = one.stats(), failed = one.had_error(), size = *leaf.size] {
    total_ += stats;
    had_error_ = had_error_ || failed;
    shared_bytes_ -= size;
  }, sizeof(GrepStats));
}

void GrepSearch::write_piece(const std::string& bytes, bool first_group) {
  if (first_group) {
    if (s_.context && printed_group_) printer_.separator();
    printed_group_ = true;
  }
  sharing_->out->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!*sharing_->out) out_failed_ = true;
}

void GrepSearch::in_order(std::function<void()> call) {
  if (workers_)
    workers_->submit_call(std::move(call), collect_, print_);
  else
    call();
}

void GrepSearch::begin_leaf() {
  leaf_ = {};
  leaf_offset_ = last_printed_ = after_until_ = 0;
  tail_.clear();
}

void GrepSearch::end_leaf(const std::string& name, uint64_t bytes) {
  leaf_.searches = 1;
  leaf_.bytes_searched = bytes;
  leaf_.searches_with_match = leaf_.matched_lines > 0;
  total_ += leaf_;
  switch (s_.mode) {
    case SearchSettings::Mode::Count: printer_.count(name, leaf_.matched_lines); break;
    case SearchSettings::Mode::FilesWithMatches:
      if (leaf_.matched_lines) printer_.name(name);
      break;
    case SearchSettings::Mode::FilesWithoutMatch:
      if (!leaf_.matched_lines) printer_.name(name);
      break;
    default: break;
  }
  printer_.end_leaf(name, leaf_, leaf_.matched_lines > 0);
}

void GrepSearch::finish() { drain(); }

void GrepSearch::on_error(const input::InputError& e) {
  drain();
  had_error_ = true;
  (s_.err ? *s_.err : std::cerr) << "marsscan: " << e.source << ": " << e.message << '\n';
}

// The rules a match belongs to (triggers only: evidence and job markers are not grep hits)
// and, when wanted, the byte ranges the trigger regexes matched.
bool GrepSearch::describe(const match::Match& m, std::string_view text, std::string& rules,
                          std::vector<std::pair<size_t, size_t>>& spans) const {
  const auto& db = matcher_.db();
  std::vector<int> ids;
  auto add_rule = [&](int r) {
    if (std::find(ids.begin(), ids.end(), r) == ids.end()) ids.push_back(r);
  };
  for (int p : m.patterns) {
    const auto& pat = db.patterns[p];
    if (pat.owner.kind != match::PatternOwner::Trigger) continue;
    add_rule(pat.owner.rule);
    const RE2* re = s_.spans ? pat.re.get() : nullptr;
    if (!re) continue;
    re2::StringPiece sp;
    size_t pos = 0;
    while (pos <= text.size() &&
           re->Match(re2::StringPiece(text.data(), text.size()), pos, text.size(),
                         RE2::UNANCHORED, &sp, 1)) {
      size_t b = static_cast<size_t>(sp.data() - text.data()), e = b + sp.size();
      if (e > b) spans.emplace_back(b, e);
      pos = e > b ? e : e + 1;
    }
  }
  for (int p : m.event_patterns)
    if (db.event_patterns[p].owner.kind == match::PatternOwner::Trigger)
      add_rule(db.event_patterns[p].owner.rule);
  if (ids.empty()) return false;
  std::sort(ids.begin(), ids.end());
  for (int r : ids)
    if (!db.rules[r].id.empty()) rules += (rules.empty() ? "" : ",") + db.rules[r].id;
  std::sort(spans.begin(), spans.end());
  // Merge overlapping ranges so that colouring and -o print each byte once; adjacent ones stay
  // apart, as grep -o prints "o" twice for "oo" matched by /o/.
  std::vector<std::pair<size_t, size_t>> merged;
  for (auto s : spans) {
    if (!merged.empty() && s.first < merged.back().second)
      merged.back().second = std::max(merged.back().second, s.second);
    else
      merged.push_back(s);
  }
  spans = std::move(merged);
  return true;
}

void GrepSearch::print_context(std::string_view source, uint64_t number, uint64_t offset,
                               std::string_view text) {
  if (number <= last_printed_) return;
  // As GNU grep: a leaf's first group is a new group too (last_printed_ is 0 there).
  if (s_.context && printed_group_ && (last_printed_ == 0 || last_printed_ + 1 != number)) printer_.separator();
  GrepLine l;
  l.source = source;
  l.number = number;
  l.offset = offset;
  l.context = true;
  l.text = text;
  printer_.line(l);
  last_printed_ = number;
  printed_group_ = true;
}

void GrepSearch::print_hit(std::string_view source, const Hit& h, uint64_t base) {
  if (s_.context && printed_group_ && (last_printed_ == 0 || last_printed_ + 1 < h.number))
    printer_.separator();
  GrepLine l;
  l.source = source;
  l.number = h.number;
  l.offset = base + h.offset;
  l.text = h.text;
  l.rules = h.rules;
  l.spans = h.spans;
  printer_.line(l);
  last_printed_ = h.number;
  printed_group_ = true;
}

void GrepSearch::collect(const match::Match& m) {
  Hit h;
  if (!describe(m, m.record->text, h.rules, h.spans)) return;
  h.number = m.record->line;
  h.text = m.record->text;
  hits_.push_back(std::move(h));
}

void GrepSearch::on_text_reader(std::string_view source, input::TextReader& text,
                                records::YearResolver& years, uint64_t& lines) {
  // With workers, until nothing more is to be found; then the rest here, for context lines.
  // A leaf of one block is read here (BlockWorkers::worth_it).
  if (workers_ && !one_block_ && want_more() &&
      workers_->pull(source, text, years_, lines, collect_, print_, [this] { return want_more(); }).ended)
    return;
  RecordSink::on_text_reader(source, text, years, lines);
}

void GrepSearch::on_text(std::string_view source, const input::TextBlock& block,
                         records::YearResolver& years) {
  // The blocks in flight first, then this one's context.
  drain();
  hits_.clear();
  if (want_more()) matcher_.scan(source, block, years, collect_);
  print_block(source, block);
}

// Counts and prints the hits of a block, with the context lines around them.
void GrepSearch::print_block(std::string_view source, const input::TextBlock& block) {
  const std::string_view data = block.data;
  for (Hit& h : hits_) {
    const char* p = h.text.data();
    h.offset = p >= data.data() && p <= data.data() + data.size() ? p - data.data() : 0;
  }
  const bool printing = s_.mode == SearchSettings::Mode::Lines;
  const uint64_t block_last = block.first_line + block.lines - 1;
  // Context lines carried over from the previous block's last match.
  auto emit_after = [&](uint64_t upto_line) {
    if (!printing || after_until_ <= last_printed_) return;
    uint64_t number = std::max(last_printed_ + 1, block.first_line);
    if (number > upto_line || number > after_until_) return;
    size_t pos = 0;
    for (uint64_t n = block.first_line; n < number && pos < data.size(); ++n)
      pos = data.find('\n', pos) + 1;
    for (; number <= std::min(after_until_, upto_line) && pos < data.size(); ++number) {
      print_context(source, number, leaf_offset_ + pos, line_at(data, pos));
      pos = data.find('\n', pos) + 1;
    }
  };
  for (const Hit& h : hits_) {
    if (!want_more()) break;
    ++leaf_.matched_lines;
    leaf_.matches += std::max<size_t>(1, h.spans.size());
    if (!printing) continue;
    emit_after(h.number - 1);
    if (s_.before) {
      std::vector<std::pair<uint64_t, size_t>> before;  // (number, offset in block)
      size_t pos = h.offset;
      uint64_t number = h.number;
      while (before.size() < s_.before && pos > 0 && number - 1 > last_printed_) {
        pos = previous_line(data, pos);
        before.emplace_back(--number, pos);
      }
      for (auto it = tail_.rbegin(); before.size() < s_.before && it != tail_.rend(); ++it)
        if (it->number < number && it->number > last_printed_)
          print_context(source, it->number, it->offset, it->text);  // older block: print now
      std::reverse(before.begin(), before.end());
      for (auto [n, p] : before) print_context(source, n, leaf_offset_ + p, line_at(data, p));
    }
    print_hit(source, h, leaf_offset_);
    after_until_ = h.number + s_.after;
  }
  emit_after(block_last);
  if (printing && s_.before) {
    // Keep the block's last lines: the next block's first match may need them as context.
    tail_.clear();
    size_t pos = data.size();
    uint64_t number = block_last + 1;
    while (tail_.size() < s_.before && pos > 0) {
      pos = previous_line(data, pos);
      tail_.push_front({--number, leaf_offset_ + pos, std::string(line_at(data, pos))});
    }
  }
  leaf_offset_ += data.size();
  hits_.clear();
}

void GrepSearch::on_event(const records::Record& record) {
  drain();
  if (!want_more()) return;
  // An event's text may span lines (rendered messages); grep output is one line per hit.
  std::string flat(record.text);
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  std::replace(flat.begin(), flat.end(), '\r', ' ');
  matcher_.match(record, [&](const match::Match& m) {
    Hit h;
    if (!describe(m, flat, h.rules, h.spans) || !want_more()) return;
    h.number = record.line;
    h.text = flat;
    h.offset = 0;
    ++leaf_.matched_lines;
    leaf_.matches += std::max<size_t>(1, h.spans.size());
    if (s_.mode == SearchSettings::Mode::Lines) print_hit(record.source, h, 0);
  });
}

}  // namespace marsscan::cli
