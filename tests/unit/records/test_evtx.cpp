#include <catch2/catch.hpp>

#include <cstdio>
#include <map>

#include "records/events.h"
#include "test_event_support.h"

using namespace evtest;
using marsscan::format_iso8601;
using marsscan::records::parse_evtx;

namespace {

const std::filesystem::path kSamples = std::filesystem::path(MARSSCAN_SHARED_DIR) / "evtx-samples";

Result run_evtx(const std::string& bytes, bool recover = false) {
  Result r;
  parse_evtx(bytes, recover, [&](Event&& e) { r.events.push_back(std::move(e)); },
             [&](const std::string& m) { r.errors.push_back(m); });
  return r;
}

Result run_sample(const std::string& name, bool recover = false) {
  return run_evtx(slurp(kSamples / name), recover);
}

}  // namespace

TEST_CASE("evtx: each public sample yields at least libevtx's record count", "[events][evtx]") {
  // Counts from evtx-samples/README.md, "libevtx" column.
  const std::map<std::string, size_t> expected = {
      {"Application_no_crc32.evtx", 17},
      {"Microsoft-Windows-HelloForBusiness%4Operational.evtx", 5},
      {"sample_with_a_bad_chunk_magic.evtx", 267},
      {"dns_log_malformed.evtx", 5},
      {"Bits-Client-Operational_BITS-job-created.evtx", 5},
      {"CloudBackup%4Operational-synthetic.evtx", 9},
  };
  for (const auto& [name, count] : expected) {
    INFO(name);
    Result r = run_sample(name);
    INFO(r.all_errors());
    CHECK(r.events.size() >= count);
    for (const Event& e : r.events) {
      CHECK(e.format == "evtx");
      CHECK(e.time);
      CHECK(e.record_id > 0);
      CHECK_FALSE(e.channel.empty());
    }
  }
  Result bits = run_sample("Bits-Client-Operational_BITS-job-created.evtx");
  bool warning310 = false;
  for (const Event& e : bits.events) warning310 |= e.event_id == 310 && e.level == 3;
  CHECK(warning310);
  Result hello = run_sample("Microsoft-Windows-HelloForBusiness%4Operational.evtx");
  bool error7054 = false;
  for (const Event& e : hello.events) error7054 |= e.event_id == 7054 && e.level == 2;
  CHECK(error7054);
}

TEST_CASE("evtx: the synthetic CloudBackup file", "[events][evtx]") {
  Result r = run_sample("CloudBackup%4Operational-synthetic.evtx");
  CHECK(r.errors.empty());
  // the file's own order (evtxexport agrees), not the generator's
  REQUIRE(ids(r) == std::vector<uint32_t>{1, 3, 1, 10, 14, 16, 1, 11, 18});
  for (const Event& e : r.events) {
    CHECK(e.provider == "CloudBackup");
    CHECK(e.channel == "CloudBackup/Operational");
    CHECK(e.computer == "MARS-TEST-01");
    REQUIRE(e.data.size() == 1);
    CHECK(e.data[0].name == "Message");
    CHECK_FALSE(e.data[0].value.empty());
  }
  const Event& first = r.events[0];
  CHECK(format_iso8601(*first.time) == "2024-05-01T02:30:00.000Z");
  CHECK(first.record_id == 5000);
  CHECK(first.level == 4);
  CHECK(first.data[0].value == "The backup operation has started.");
  CHECK(r.events[3].level == 3);
  CHECK(r.events[5].level == 3);
  CHECK(r.events[7].level == 2);
  CHECK(r.events[8].record_id == 5008);
}

TEST_CASE("evtx: classic events keep Qualifiers and positional Data", "[events][evtx]") {
  Result r = run_sample("Application_no_crc32.evtx");
  REQUIRE(r.events.size() >= 2);
  const Event& e = r.events[1];  // SecurityCenter 15, see evtxexport
  CHECK(e.provider == "SecurityCenter");
  CHECK(e.event_id == 15);
  CHECK(e.qualifiers == 0u);
  CHECK(e.record_id == 427);
  REQUIRE(e.data.size() == 2);
  CHECK(e.data[0].name.empty());
  CHECK(e.data[0].value == "Windows Defender");
  CHECK(e.data[1].value == "SECURITY_PRODUCT_STATE_ON");
  CHECK(r.events[2].qualifiers == 32768u);
}

TEST_CASE("evtx: a file libevtx cannot read is one clear error", "[events][evtx]") {
  Result r = run_sample("MSExchange_Management_wec.evtx");
  CHECK(r.events.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("EVTX: none of the ", 0) == 0);
  CHECK(r.errors[0].find("could be read") != std::string::npos);

  Result junk = run_evtx(std::string(8192, 'x'));
  CHECK(junk.events.empty());
  REQUIRE(junk.errors.size() == 1);
  CHECK(junk.errors[0].rfind("not a readable EVTX file", 0) == 0);

  Result empty = run_evtx("");
  CHECK(empty.events.empty());
  CHECK(empty.errors.size() == 1);
}

TEST_CASE("evtx: cut-off and recovered records", "[events][evtx]") {
  std::string bytes = slurp(kSamples / "sample_with_a_bad_chunk_magic.evtx");
  Result plain = run_evtx(bytes);
  Result rec = run_evtx(bytes, true);
  CHECK(rec.events.size() > plain.events.size());  // README: +163 recovered, 82 unreadable
  bool recovered_summary = false;
  for (const auto& m : rec.errors) recovered_summary |= m.find("recovered records could not be read") != std::string::npos;
  CHECK(recovered_summary);

  // A copy cut in the middle of its second chunk must not crash; what is readable comes out.
  for (size_t size : {4096u + 65536u + 1000u, 4096u + 70u, 100u}) {
    INFO("size " << size);
    Result cut = run_evtx(bytes.substr(0, size));
    REQUIRE_FALSE(cut.errors.empty());
    CHECK(cut.events.size() <= plain.events.size());
  }
}

TEST_CASE("evtx: a record whose XML outgrows the reused buffer is read whole", "[events][evtx]") {
  // Record 435 renders to 4,213 bytes of XML (evtxexport), past the first 4 KiB buffer: it takes
  // the second call, and the records after it keep the grown buffer.
  Result r = run_sample("Application_no_crc32.evtx");
  REQUIRE(r.errors.empty());
  REQUIRE(r.events.size() == 17);
  const Event& big = r.events[9];
  CHECK(big.record_id == 435);
  CHECK(big.provider == "Microsoft-Windows-Security-SPP");
  REQUIRE_FALSE(big.data.empty());
  const std::string& last = big.data.back().value;
  CHECK(last.find("29: f2fcf500-9451-458a-b15c-b80e6889c838, 1, 0") != std::string::npos);
  CHECK(last.find("0: ") != std::string::npos);
  CHECK(r.events[10].record_id == 436);
}

TEST_CASE("evtx: agrees with evtxexport on counts, record ids and event ids", "[events][evtx][differential]") {
  if (std::system("command -v evtxexport >/dev/null 2>&1") != 0) {
    WARN("evtxexport not on PATH; differential test skipped");
    return;
  }
  for (const auto& entry : std::filesystem::directory_iterator(kSamples)) {
    if (entry.path().extension() != ".evtx") continue;
    const std::string name = entry.path().filename().string();
    INFO(name);
    std::string cmd = "evtxexport -f xml '" + entry.path().string() + "' 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
    // Independent of our XML code: pull <EventRecordID> and <EventID ...> values by hand.
    std::vector<uint64_t> their_records;
    std::vector<uint32_t> their_ids;
    for (size_t at = 0; (at = out.find("<EventRecordID>", at)) != std::string::npos; at += 15)
      their_records.push_back(std::stoull(out.substr(at + 15, 20)));
    for (size_t at = 0; (at = out.find("<EventID", at)) != std::string::npos; at += 8)
      their_ids.push_back(static_cast<uint32_t>(std::stoul(out.substr(out.find('>', at) + 1, 12))));
    Result ours = run_sample(name);
    std::vector<uint64_t> our_records;
    for (const Event& e : ours.events) our_records.push_back(e.record_id);
    CHECK(ours.events.size() == their_records.size());
    CHECK(our_records == their_records);
    CHECK(ids(ours) == their_ids);
  }
}
