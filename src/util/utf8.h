// UTF-8 validity, in one place for the stages that check text (input) and write it (report).
#pragma once
#include <cstddef>

namespace marsscan {

// The sequence starting at p (p < end): its length when it is valid UTF-8 (ASCII included;
// Unicode table 3-7: no overlongs, no surrogates, nothing above U+10FFFF). Otherwise 0, and
// *bad gets the length of the maximal invalid subpart (at least 1): a lead byte and the
// continuation bytes that were still acceptable, so "E2 82" + "x" is one U+FFFD, not two.
size_t utf8_sequence(const unsigned char* p, const unsigned char* end, size_t* bad);

}  // namespace marsscan
