// The HTML report's timeline: an inline SVG drawn here in C++, so the chart shows without
// JavaScript and without any external asset. One row per finding (capped), a bar from first to
// last seen and a dot per quoted occurrence, coloured by severity.
#pragma once
#include <string>

#include "analysis/model.h"

namespace marsscan::report {

// `<svg ...>...</svg>`, or an empty string when no finding has a time.
std::string timeline_svg(const analysis::Report& r, size_t max_rows = 25);

// Colour of a severity in the HTML report (CSS hex).
const char* severity_color(match::Severity s);

}  // namespace marsscan::report
