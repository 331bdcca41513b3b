// Pieces of the SARIF writer that have rules of their own, kept apart so they can be tested.
#pragma once
#include <string>
#include <string_view>

#include "analysis/model.h"

namespace marsscan::report {

// A finding's source as a SARIF artifactLocation.uri (an RFC 3986 URI reference). Backslashes
// become '/', archive-inner paths keep their '!' readable ("a.zip!Temp/x.errlog"), and every
// byte a URI cannot hold is percent-encoded (UTF-8 bytes, space, '%', '#', '?', ...). Absolute
// paths become file: URIs ("C:\logs\a b.log" -> "file:///C:/logs/a%20b.log"); relative ones stay
// relative so code-scanning services resolve them against the checkout. A ':' in a relative
// path is encoded so it cannot be read as a scheme.
std::string artifact_uri(std::string_view source);

// SARIF rule "name": PascalCase words of the English title, or of the id when there is none.
// "Invalid vault credentials provided" -> "InvalidVaultCredentialsProvided".
std::string pascal_case_name(std::string_view title, std::string_view id);

// partialFingerprints["marsscanFinding/v1"]: 16 hex digits of a 64-bit FNV-1a hash over the rule
// id, the input and the first quoted occurrence's source and text. Deliberately free of line
// numbers, counts and run times, so the same problem in the same bundle keeps its identity
// from run to run (and across marsscan versions that re-number lines).
std::string finding_fingerprint(const analysis::Finding& f);

}  // namespace marsscan::report
