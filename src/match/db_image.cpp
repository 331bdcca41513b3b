#include "match/db_image.h"

#include <concepts>
#include <map>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace marsscan::match {

namespace {

// Bumped whenever the layout below changes; an image of another version is not read.
constexpr std::string_view kMagic = "marsscan-db-image/2\n";

// One list of members per struct, shared by the writer and the reader, so that they cannot
// disagree on the order. The writer only reads through the non-const reference.
template <class A> void members(A& a, Text& t) { a(t.en, t.zh); }
template <class A> void members(A& a, Origin& o) { a(o.file, o.line); }
template <class A> void members(A& a, Reference& r) { a(r.document, r.section, r.url); }
template <class A> void members(A& a, PatternOwner& o) { a(o.kind, o.rule, o.cause, o.marker); }
template <class A> void members(A& a, Literal& l) { a(l.text, l.word_start, l.word_end); }
template <class A> void members(A& a, Pattern& p) { a(p.regex, p.owner, p.origin, p.source_regex, p.cover); }
template <class A> void members(A& a, EventCondition& c) {
  a(c.provider, c.channel, c.message, c.ids, c.max_level, c.data, c.origin);
}
template <class A> void members(A& a, EventPattern& p) { a(p.condition, p.owner); }
template <class A> void members(A& a, Cause& c) {
  a(c.id, c.text, c.evidence_patterns, c.evidence_events, c.evidence_rules, c.actions, c.samples);
}
template <class A> void members(A& a, EventSample& s) {
  a(s.provider, s.channel, s.message, s.id, s.level, s.data);
}
template <class A> void members(A& a, Rule& r) {
  a(r.id, r.severity, r.title, r.summary, r.codes, r.references, r.source, r.confidence,
    r.triggers, r.event_triggers, r.causes, r.actions, r.samples, r.near_misses,
    r.event_samples, r.event_near_misses, r.origin);
}
template <class A> void members(A& a, MarkerState& s) { a(s.value, s.stage, s.meaning); }
template <class A> void members(A& a, Marker& m) {
  a(m.kind, m.id, m.job_type, m.phase, m.pattern, m.event_pattern, m.origin, m.states);
}
template <class A> void members(A& a, CodeInfo& c) { a(c.code, c.name, c.text); }
template <class A> void members(A& a, PatternDb& d) {
  a(d.rules, d.markers, d.patterns, d.event_patterns, d.codes, d.files);
}

template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_map : std::false_type {};
template <class K, class V> struct is_map<std::map<K, V>> : std::true_type {};

class Writer {
 public:
  std::string out;
  template <class... T> void operator()(T&... xs) { (one(xs), ...); }

 private:
  void number(uint64_t v) {  // LEB128
    do {
      out.push_back(static_cast<char>((v & 0x7F) | (v > 0x7F ? 0x80 : 0)));
      v >>= 7;
    } while (v);
  }
  template <class T> void one(T& x) {
    if constexpr (std::is_same_v<T, std::string>) {
      number(x.size());
      out += x;
    } else if constexpr (std::is_enum_v<T>) {
      number(static_cast<uint64_t>(x));
    } else if constexpr (std::is_integral_v<T>) {
      // zigzag, so that -1 (no pattern, no level) stays one byte
      const auto v = static_cast<int64_t>(x);
      number((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
    } else if constexpr (is_vector<T>::value || is_map<T>::value) {
      number(x.size());
      for (auto& e : x) one(const_cast<std::remove_const_t<std::remove_reference_t<decltype(e)>>&>(e));
    } else if constexpr (is_optional<T>::value) {
      number(x.has_value());
      if (x) one(*x);
    } else if constexpr (requires { x.first; x.second; }) {
      one(const_cast<std::remove_const_t<decltype(x.first)>&>(x.first));
      one(x.second);
    } else {
      members(*this, x);
    }
  }
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class... T> void operator()(T&... xs) { (one(xs), ...); }
  bool done() const { return pos_ == in_.size(); }

 private:
  [[noreturn]] static void damaged() { throw std::runtime_error("damaged image"); }
  uint64_t number() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) damaged();
      const auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    damaged();
  }
  size_t count() {
    const uint64_t n = number();
    if (n > in_.size() - pos_) damaged();  // every element takes at least a byte
    return static_cast<size_t>(n);
  }
  template <class T> void one(T& x) {
    if constexpr (std::is_same_v<T, std::string>) {
      const size_t n = count();
      x.assign(in_.substr(pos_, n));
      pos_ += n;
    } else if constexpr (std::is_enum_v<T>) {
      x = static_cast<T>(number());
    } else if constexpr (std::is_integral_v<T>) {
      const uint64_t z = number();
      x = static_cast<T>(static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1));
    } else if constexpr (is_vector<T>::value) {
      x.resize(count());
      for (auto& e : x) one(e);
    } else if constexpr (is_map<T>::value) {
      x.clear();
      for (size_t n = count(); n > 0; --n) {
        typename T::key_type k;
        typename T::mapped_type v;
        one(k);
        one(v);
        x.emplace(std::move(k), std::move(v));
      }
    } else if constexpr (is_optional<T>::value) {
      if (number()) {
        typename T::value_type v;
        one(v);
        x = std::move(v);
      } else {
        x.reset();
      }
    } else {
      members(*this, x);
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string write_db_image(const PatternDb& db) {
  Writer w;
  w.out = kMagic;
  w(const_cast<PatternDb&>(db));
  return std::move(w.out);
}

bool read_db_image(std::string_view image, int64_t max_regex_memory, PatternDb& db) {
  if (image.substr(0, kMagic.size()) != kMagic) return false;
  try {
    Reader r(image.substr(kMagic.size()));
    r(db);
    if (!r.done()) return false;
  } catch (const std::runtime_error&) {
    return false;
  }
  for (Pattern& p : db.patterns) {
    p.re = LazyRegex(p.regex, max_regex_memory);
    if (!p.source_regex.empty()) p.source_re = LazyRegex(p.source_regex, max_regex_memory);
  }
  return true;
}

}  // namespace marsscan::match
