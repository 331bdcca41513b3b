// The database image (db_image.h): the built-in database must come back from it exactly as the
// YAML loader builds it, and a damaged image must be refused, never half read.
#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "helpers.h"
#include "match/builtin.h"
#include "match/db_image.h"
#include "match/loader.h"
#include "match/prefilter.h"
#include "match/sieve.h"

using namespace marsscan::match;

namespace {

PatternDb from_yaml() {
  PatternLoader loader(LoadOptions{false, {}, 8 << 20});
  for (const BuiltinFile& f : builtin_pattern_files()) loader.add_file(f.name, f.content, true);
  PatternDb db = loader.finish();
  REQUIRE(loader.errors().empty());
  return db;
}

}  // namespace

TEST_CASE("db image: the built-in database round-trips, regexes compiled on first use") {
  const PatternDb yaml = from_yaml();
  const std::string image = write_db_image(yaml);
  PatternDb back;
  REQUIRE(read_db_image(image, 8 << 20, back));
  CHECK(write_db_image(back) == image);

  REQUIRE(back.rules.size() == yaml.rules.size());
  REQUIRE(back.patterns.size() == yaml.patterns.size());
  CHECK(back.files == yaml.files);
  const Rule* r = back.find_rule("MARS-34513");
  REQUIRE(r);
  CHECK(r->title.zh == yaml.find_rule("MARS-34513")->title.zh);
  CHECK(r->causes.size() == yaml.find_rule("MARS-34513")->causes.size());
  CHECK(back.lookup("0x1FC07") == back.find_rule(yaml.lookup("0x1FC07")->id));
  for (size_t i = 0; i < back.patterns.size(); ++i) {
    INFO(back.patterns[i].regex);
    CHECK(back.patterns[i].regex == yaml.patterns[i].regex);
    REQUIRE(back.patterns[i].re.get());
    CHECK(back.patterns[i].re.get()->pattern() == yaml.patterns[i].regex);
    CHECK(static_cast<bool>(back.patterns[i].source_re) == !back.patterns[i].source_regex.empty());
  }
  REQUIRE(back.codes.size() == yaml.codes.size());
  CHECK(back.find_code(0x80070005) != nullptr);
}

TEST_CASE("db image: the loader's built-in database is the image of the YAML files, covers worked out") {
  PatternDb loaded = test::builtin_db();
  PatternDb yaml = from_yaml();
  size_t covered = 0;
  for (size_t i = 0; i < loaded.patterns.size(); ++i) {
    INFO(loaded.patterns[i].regex);
    REQUIRE(loaded.patterns[i].cover);
    CHECK(*loaded.patterns[i].cover == Prefilter::cover(loaded.patterns[i].regex));
    covered += !loaded.patterns[i].cover->empty();
    CHECK_FALSE(yaml.patterns[i].cover);
    yaml.patterns[i].cover = loaded.patterns[i].cover;
  }
  CHECK(covered * 10 >= loaded.patterns.size() * 9);
  CHECK(write_db_image(loaded) == write_db_image(yaml));
}

TEST_CASE("db image: a damaged or foreign image is refused") {
  const std::string image = write_db_image(from_yaml());
  PatternDb db;
  for (size_t n = 0; n < image.size(); n += 997) CHECK_FALSE(read_db_image(image.substr(0, n), 8 << 20, db));
  CHECK_FALSE(read_db_image(image + "x", 8 << 20, db));
  std::string other = image;
  other[18] = '9';  // the version in the magic
  CHECK_FALSE(read_db_image(other, 8 << 20, db));
  std::string huge = image;
  huge.replace(20, 1, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");  // a count past the end
  CHECK_FALSE(read_db_image(huge, 8 << 20, db));
}

TEST_CASE("db image: the model has the members the image stores") {
  // A member added to one of these structs must be added to members() in db_image.cpp too;
  // then update the size here (libstdc++, x86-64).
  CHECK(sizeof(Text) == 64);
  CHECK(sizeof(Origin) == 40);
  CHECK(sizeof(Reference) == 96);
  CHECK(sizeof(PatternOwner) == 16);
  CHECK(sizeof(Literal) == 40);
  CHECK(sizeof(Pattern) == 184);
  CHECK(sizeof(EventCondition) == 240);
  CHECK(sizeof(EventPattern) == 256);
  CHECK(sizeof(Cause) == 216);
  CHECK(sizeof(EventSample) == 152);
  CHECK(sizeof(Rule) == 512);
  CHECK(sizeof(MarkerState) == 128);
  CHECK(sizeof(Marker) == 176);
  CHECK(sizeof(CodeInfo) == 104);
  CHECK(sizeof(PatternDb) == 144);
}
