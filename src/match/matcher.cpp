#include "match/matcher.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "match/bytes.h"
#include "match/event_match.h"
#include "match/pattern_set.h"
#include "match/prefilter.h"
#include "match/regex.h"

namespace marsscan::match {

namespace {

constexpr int64_t kMaxMem = 8 << 20;
// Vectorscan takes at most 4 GiB per call; blocks are far smaller, but never assume it.
constexpr size_t kMaxChunk = size_t{1} << 30;

// What one scan or match call needs; pooled so that a call allocates nothing once warm.
struct Workspace {
  std::unique_ptr<Prefilter::Scratch> scratch;
  std::vector<Prefilter::Hit> hits;
  std::vector<int> candidates, confirmed, events, tmp;
  std::vector<Where> where;                       // parallel to confirmed
  std::vector<std::pair<int, Where>> found;
  std::vector<char> source_ok;  // per db pattern, for `source`
  std::string source;
  bool source_valid = false;
};

// The line as records::make_line_record keeps it: without trailing CRs.
std::string_view trim_cr(std::string_view line) {
  while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

struct Matcher::Impl {
  const PatternDb& db;
  MatcherOptions options;
  PatternSet::Regexes regexes;           // per db pattern; null when disabled
  std::vector<int> sourced;              // enabled patterns with a source filter
  std::unique_ptr<Prefilter> prefilter;  // only with options.prefilter
  PatternSet every;                      // prefilter on: patterns it cannot narrow
  // Every enabled pattern; built on first use (records, or a chunk that is not UTF-8), because
  // with the prefilter most runs never need it and RE2::Set takes a while to compile.
  std::vector<int> text;
  mutable std::once_flag all_once;
  mutable PatternSet all_set;
  const PatternSet& all() const {
    std::call_once(all_once, [this] { all_set = PatternSet(regexes, text); });
    return all_set;
  }
  // The set to match `text` with after ws.candidates are filled from the prefilter, or all()
  // when the prefilter cannot see the text.
  const PatternSet& all_or_every(std::string_view text, Workspace& ws) const {
    if (!prefilter || !is_sievable_utf8(text)) return all();
    prefilter->candidates(text, *ws.scratch, ws.candidates);
    return every;
  }
  // The enabled event patterns, compiled on the first event: a run over text logs never needs
  // them, and compiling their regexes was a tenth of grep's start-up.
  std::vector<int> event_indices;
  mutable std::once_flag events_once;
  mutable std::vector<std::pair<int, EventMatcher>> event_set;
  const std::vector<std::pair<int, EventMatcher>>& events() const {
    std::call_once(events_once, [this] {
      for (int i : event_indices)
        event_set.emplace_back(i, EventMatcher(db.event_patterns[static_cast<size_t>(i)].condition));
    });
    return event_set;
  }
  std::vector<UnfilteredPattern> unfiltered;

  std::mutex mutex;
  std::vector<std::unique_ptr<Workspace>> pool;

  Impl(const PatternDb& d, MatcherOptions o) : db(d), options(std::move(o)) {
    bool restricted = !options.enabled.empty() || !options.enabled_events.empty();
    auto on = [&](const std::vector<bool>& mask, size_t i) {
      return !restricted || (i < mask.size() && mask[i]);
    };
    regexes.resize(db.patterns.size());
    for (size_t i = 0; i < db.patterns.size(); ++i) {
      if (!on(options.enabled, i)) continue;
      const Pattern& p = db.patterns[i];
      std::string error;
      // A database built by hand may carry only the regex's text: compiled now, so that an
      // invalid one is left out. The loader's are compiled on first use.
      regexes[i] = p.re ? p.re : LazyRegex(compile_regex(p.regex, kMaxMem, error));
      if (!regexes[i]) continue;
      text.push_back(static_cast<int>(i));
      if (!options.ignore_source && (p.source_re || !p.source_regex.empty()))
        sourced.push_back(static_cast<int>(i));
    }
    if (!options.prefilter) all();  // needed for every line
    if (options.prefilter) {
      prefilter = std::make_unique<Prefilter>(db, text);
      unfiltered = prefilter->unfiltered();
      std::vector<int> rest;
      for (const auto& u : unfiltered) rest.push_back(u.pattern);
      every = PatternSet(regexes, rest);
    }
    for (size_t i = 0; i < db.event_patterns.size(); ++i)
      if (on(options.enabled_events, i)) event_indices.push_back(static_cast<int>(i));
  }

  std::unique_ptr<Workspace> acquire() {
    {
      std::lock_guard lock(mutex);
      if (!pool.empty()) {
        auto ws = std::move(pool.back());
        pool.pop_back();
        return ws;
      }
    }
    auto ws = std::make_unique<Workspace>();
    if (prefilter) ws->scratch = prefilter->new_scratch();
    ws->source_ok.assign(db.patterns.size(), 1);
    return ws;
  }
  void release(std::unique_ptr<Workspace> ws) {
    std::lock_guard lock(mutex);
    pool.push_back(std::move(ws));
  }

  // Evaluates the source filters once per leaf rather than once per line.
  void set_source(Workspace& ws, std::string_view source) const {
    if (ws.source_valid && ws.source == source) return;
    ws.source.assign(source);
    ws.source_valid = true;
    re2::StringPiece sp(source.data(), source.size());
    for (int p : sourced) {
      const Pattern& pat = db.patterns[static_cast<size_t>(p)];
      const RE2* re = pat.source_re.get();
      std::shared_ptr<const RE2> own;
      if (!pat.source_re) {
        std::string error;
        own = compile_regex(pat.source_regex, kMaxMem, error);
        re = own.get();
      }
      ws.source_ok[static_cast<size_t>(p)] = re && RE2::PartialMatch(sp, *re);
    }
  }

  // Keeps the candidates RE2 confirms on `line`, then adds `set`'s matches; sorted result,
  // with where each pattern that has named groups matched.
  void confirm(Workspace& ws, std::string_view line, const PatternSet* set) const {
    ws.found.clear();
    re2::StringPiece sp(line.data(), line.size());
    for (int p : ws.candidates) {
      if (!ws.source_ok[static_cast<size_t>(p)]) continue;
      const RE2* re = regexes[static_cast<size_t>(p)].get();
      if (!re) continue;
      if (re->NamedCapturingGroups().empty()) {
        if (RE2::PartialMatch(sp, *re)) ws.found.push_back({p, {}});
        continue;
      }
      // Finding the span costs little more than the match; reading groups without it, a
      // second match.
      re2::StringPiece m;
      if (re->Match(sp, 0, sp.size(), RE2::UNANCHORED, &m, 1)) {
        auto b = static_cast<uint32_t>(m.data() - line.data());
        ws.found.push_back({p, {b, b + static_cast<uint32_t>(m.size())}});
      }
    }
    if (set && !set->empty()) {
      ws.tmp.clear();
      ws.confirmed.clear();
      set->match(line, ws.confirmed, ws.tmp);
      for (int p : ws.confirmed)
        if (ws.source_ok[static_cast<size_t>(p)]) ws.found.push_back({p, {}});
    }
    std::sort(ws.found.begin(), ws.found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    ws.confirmed.clear();
    ws.where.clear();
    for (const auto& [p, w] : ws.found) {
      ws.confirmed.push_back(p);
      ws.where.push_back(w);
    }
  }

  void emit(Workspace& ws, std::string_view source, uint64_t line_no, std::string_view line,
            records::YearResolver& years, const MatchFn& fn) const {
    if (ws.confirmed.empty()) return;
    records::Record record = records::make_line_record(source, line_no, line, years);
    fn(Match{&record, ws.confirmed, {}, ws.where});
  }

  // `ascii`: every byte of data is below 0x80.
  void scan_chunk(Workspace& ws, std::string_view source, std::string_view data, bool ascii,
                  uint64_t first_line, records::YearResolver& years, const MatchFn& fn) const {
    const char* base = data.data();
    const size_t n = data.size();
    // Vectorscan runs in UTF-8 mode; on malformed text its results are undefined, and the
    // sieve cannot see RE2's non-ASCII case folds: such a chunk is matched by RE2 line by line.
    bool filtered = prefilter && (ascii || is_sievable_utf8(data));
    ws.hits.clear();
    if (filtered) prefilter->scan(data, *ws.scratch, ws.hits);
    const auto& hits = ws.hits;
    size_t h = 0;

    if (filtered && every.empty()) {
      // Work proportional to candidates: visit only the lines the prefilter reported.
      uint64_t line_no = first_line;
      size_t counted = 0;
      while (h < hits.size()) {
        const uint32_t begin = hits[h].begin, end = hits[h].end;
        line_no += count_newlines(base + counted, base + begin);
        counted = begin;
        ws.candidates.clear();
        for (; h < hits.size() && hits[h].begin == begin; ++h) ws.candidates.push_back(hits[h].pattern);
        std::string_view line = trim_cr(std::string_view(base + begin, end - begin));
        confirm(ws, line, nullptr);
        emit(ws, source, line_no, line, years, fn);
      }
      return;
    }
    // Every line: some patterns are checked everywhere (or there is no prefilter).
    const PatternSet* set = filtered ? &every : &all();
    uint64_t line_no = first_line;
    for (size_t pos = 0; pos < n; ++line_no) {
      const void* nl = std::memchr(base + pos, '\n', n - pos);
      size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - base) : n;
      ws.candidates.clear();
      for (; h < hits.size() && hits[h].begin == pos; ++h) ws.candidates.push_back(hits[h].pattern);
      std::string_view line = trim_cr(std::string_view(base + pos, end - pos));
      confirm(ws, line, set);
      emit(ws, source, line_no, line, years, fn);
      pos = end + 1;
    }
  }
};

Matcher::Matcher(const PatternDb& db, MatcherOptions options)
    : db_(db), impl_(std::make_unique<Impl>(db, std::move(options))) {}

Matcher::~Matcher() = default;

const std::vector<UnfilteredPattern>& Matcher::unfiltered() const { return impl_->unfiltered; }

void Matcher::scan(std::string_view source, const input::TextBlock& block,
                   records::YearResolver& years, const MatchFn& fn) const {
  auto ws = impl_->acquire();
  struct Release {
    Impl& impl;
    std::unique_ptr<Workspace>& ws;
    ~Release() { impl.release(std::move(ws)); }
  } release{*impl_, ws};
  impl_->set_source(*ws, source);
  std::string_view data = block.data;
  uint64_t line = block.first_line;
  while (!data.empty()) {
    size_t take = data.size();
    if (take > kMaxChunk) {  // cut after a '\n' so that no line is split
      const void* nl = memrchr(data.data(), '\n', kMaxChunk);
      take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1 : kMaxChunk;
    }
    std::string_view chunk = data.substr(0, take);
    impl_->scan_chunk(*ws, source, chunk, block.ascii, line, years, fn);
    data.remove_prefix(take);
    if (!data.empty()) line += count_newlines(chunk.data(), chunk.data() + chunk.size());
  }
}

void Matcher::match(const records::Record& record, const MatchFn& fn) const {
  auto ws = impl_->acquire();
  struct Release {
    Impl& impl;
    std::unique_ptr<Workspace>& ws;
    ~Release() { impl.release(std::move(ws)); }
  } release{*impl_, ws};
  impl_->set_source(*ws, record.source);
  ws->candidates.clear();
  // As for blocks: the prefilter's candidates, confirmed by RE2 (with the patterns it cannot
  // take), unless the text is beyond what the prefilter may see. RE2::Set of every pattern
  // on every event cost more than reading the EVTX.
  const PatternSet* set = &impl_->all_or_every(record.text, *ws);
  impl_->confirm(*ws, record.text, set);
  ws->events.clear();
  if (record.event)
    for (const auto& [index, matcher] : impl_->events())
      if (matcher.matches(*record.event, record.text)) ws->events.push_back(index);
  if (ws->confirmed.empty() && ws->events.empty()) return;
  fn(Match{&record, ws->confirmed, ws->events, ws->where});
}

}  // namespace marsscan::match
