// Regressions found by tests/fuzz/fuzz_archive (reproducers in tests/fuzz/regressions/).
#include <catch2/catch.hpp>

#include "helpers.h"
#include "input/source.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

// A cab whose first CFDATA block is invalid: libarchive's read_data fails with ARCHIVE_FATAL,
// and asking it for the next header then crashed (SEGV in archive_read_data_skip), both from
// a file and from a stream. Now the member is an error and the rest of the cab is given up.
TEST_CASE("archive regress: cab with an invalid CFDATA block is an error, not a crash", "[archive][fuzz]") {
  const std::string cab = read_file(std::string(MARSSCAN_SOURCE_DIR) +
                                    "/tests/fuzz/regressions/archive-cab-invalid-cfdata.cab");
  REQUIRE(cab.size() > 100);
  TempDir d;
  write_file(d / "bad.cab", cab);
  Collector c;
  walk(d / "bad.cab", WalkOptions{}, c);
  INFO(c.error_text());
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].source == d / "bad.cab" + "!a.errlog");
  CHECK(c.errors[0].message.find("Invalid CFDATA") != std::string::npos);
  CHECK(c.errors[0].message.find("the rest of") != std::string::npos);
}
