// Escaping for the markup formats (HTML and JUnit XML). Log lines are hostile input: they may
// hold invalid UTF-8, control characters and markup, and none of it may break the document.
#pragma once
#include <string>
#include <string_view>

namespace marsscan::report {

// Text safe inside an element or a double- or single-quoted attribute of XML 1.0 and HTML:
// invalid UTF-8 becomes U+FFFD, characters XML 1.0 forbids (C0 controls other than tab, LF,
// CR; U+FFFE, U+FFFF) are dropped, and & < > " ' become character references.
std::string escape_markup(std::string_view s);
void append_markup(std::string& out, std::string_view s);

}  // namespace marsscan::report
