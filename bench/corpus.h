// An in-memory MARS errlog corpus for the micro benchmarks: the same line shapes as gen_corpus.py
// (phases, file-provider chatter, near-miss numbers, HRESULT warnings) with documented errors at
// a fixed density, so that the numbers of every benchmark are per MiB of realistic text.
#pragma once
#include <cstdint>
#include <string>

namespace marsscan::bench {

// About `bytes` of UTF-8 errlog text ending in '\n', `errors_per_mib` documented errors per MiB.
std::string errlog_corpus(size_t bytes, double errors_per_mib = 2.0);

// The same text as UTF-16LE (CRLF line ends, no BOM), as the agent writes it.
std::string to_utf16le(const std::string& utf8_ascii_or_not);

}  // namespace marsscan::bench
