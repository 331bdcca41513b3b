// EVTX through libevtx: the file is opened from the caller's memory buffer via a libbfio
// memory-range handle (no temp file), each record is rendered to XML by libevtx and then
// normalized by the same code as the wevtutil XML export.
#include <libbfio.h>
#include <libevtx.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "records/event_normalize.h"
#include "records/events.h"

namespace marsscan::records {

namespace {

constexpr uint64_t kHeaderSize = 4096, kChunkSize = 65536;

std::string evtx_message(libevtx_error_t* err) {
  if (!err) return "unknown libevtx error";
  char buf[4096] = {0};
  // The backtrace lists the chain innermost first: the first line says what actually went
  // wrong ("unsupported value type: 0x05"), the last only which call gave up.
  libevtx_error_backtrace_sprint(err, buf, sizeof buf);
  libevtx_error_free(&err);
  std::string s(buf);
  std::string first = s.substr(0, s.find('\n'));
  size_t last_nl = s.find_last_not_of("\r\n ");
  std::string last = last_nl == std::string::npos ? "" : s.substr(0, last_nl + 1);
  if (size_t nl = last.rfind('\n'); nl != std::string::npos) last = last.substr(nl + 1);
  if (first.empty()) return "unknown libevtx error";
  return first == last ? first : first + " (" + last + ")";
}

struct BfioHandle {
  libbfio_handle_t* h = nullptr;
  ~BfioHandle() {
    if (h) libbfio_handle_free(&h, nullptr);
  }
};

struct EvtxFile {
  libevtx_file_t* f = nullptr;
  bool open = false;
  ~EvtxFile() {
    if (open) libevtx_file_close(f, nullptr);
    if (f) libevtx_file_free(&f, nullptr);
  }
};

// Renders and normalizes one record; false with `why` when it cannot be read. `xml` is the
// buffer for its XML text, kept from record to record.
bool read_record(libevtx_record_t* rec, Event& ev, std::string& why, std::vector<uint8_t>& xml) {
  libevtx_error_t* err = nullptr;
  size_t size = 0;
  // libevtx renders the whole XML to work out its size, so asking for the size first renders
  // it twice (10 % of marsscan records). The buffer holds nearly every record's at the first
  // try; only a larger one, or one libevtx cannot render, takes the second call.
  if (libevtx_record_get_utf8_xml_string(rec, xml.data(), xml.size(), &err) == 1) {
    size = strnlen(reinterpret_cast<const char*>(xml.data()), xml.size()) + 1;
  } else {
    libevtx_error_free(&err);
    if (libevtx_record_get_utf8_xml_string_size(rec, &size, &err) != 1 || size == 0) {
      why = evtx_message(err);
      return false;
    }
    xml.resize(std::max(size, xml.size()));
    if (libevtx_record_get_utf8_xml_string(rec, xml.data(), size, &err) != 1) {
      why = evtx_message(err);
      return false;
    }
  }
  std::string_view text(reinterpret_cast<const char*>(xml.data()), size - 1);
  ev.format = "evtx";
  if (!event_from_xml(text, ev, why)) return false;
  if (ev.record_id == 0) {
    uint64_t id = 0;
    if (libevtx_record_get_identifier(rec, &id, nullptr) == 1) ev.record_id = id;
  }
  return true;
}

struct Tally {
  int total = 0, failed = 0;
  std::string first;  // the first failure, for the summary
};

using GetRecord = int (*)(libevtx_file_t*, int, libevtx_record_t**, libevtx_error_t**);

void read_all(libevtx_file_t* file, int count, GetRecord get, const char* what,
              const EventFn& emit, Tally& tally) {
  std::vector<uint8_t> xml(4 << 10);  // most records' XML is 0.5-2.5 KB; it grows for larger ones
  for (int i = 0; i < count; ++i) {
    ++tally.total;
    libevtx_record_t* rec = nullptr;
    libevtx_error_t* err = nullptr;
    std::string why;
    Event ev;
    bool ok;
    if (get(file, i, &rec, &err) != 1) {
      why = evtx_message(err);
      ok = false;
    } else {
      ok = read_record(rec, ev, why, xml);
      libevtx_record_free(&rec, nullptr);
    }
    if (ok) {
      emit(std::move(ev));
    } else {
      if (tally.failed++ == 0) tally.first = std::string(what) + " " + std::to_string(i) + ": " + why;
    }
  }
}

}  // namespace

void parse_evtx(std::string_view bytes, bool recover, const EventFn& emit, const ErrorFn& error) {
  // libevtx reads the whole 4 KiB header block, and libbfio 20170123's memory range then
  // reads past the end of a shorter buffer (found by fuzz_evtx): refuse it here.
  if (bytes.size() < kHeaderSize) {
    error("not a readable EVTX file: " + std::to_string(bytes.size()) + " bytes, shorter than the " +
          std::to_string(kHeaderSize) + "-byte file header (cut short?)");
    return;
  }
  BfioHandle io;
  libbfio_error_t* berr = nullptr;
  // libbfio wants a mutable pointer but the handle is opened read-only: nothing is written.
  if (libbfio_memory_range_initialize(&io.h, &berr) != 1 ||
      libbfio_memory_range_set(io.h, reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
                               bytes.size(), &berr) != 1) {
    libbfio_error_free(&berr);
    error("EVTX: cannot set up the memory reader");
    return;
  }
  EvtxFile file;
  libevtx_error_t* err = nullptr;
  if (libevtx_file_initialize(&file.f, &err) != 1) {
    error("EVTX: " + evtx_message(err));
    return;
  }
  if (libevtx_file_open_file_io_handle(file.f, io.h, LIBEVTX_OPEN_READ, &err) != 1) {
    error("not a readable EVTX file: " + evtx_message(err));
    return;
  }
  file.open = true;
  // libevtx quietly reads what is there; a copy cut short (an interrupted transfer) would
  // otherwise lose its tail without a word. The header's chunk count says what to expect.
  if (bytes.size() >= kHeaderSize && bytes.compare(0, 8, std::string_view("ElfFile\0", 8)) == 0) {
    const auto* b = reinterpret_cast<const uint8_t*>(bytes.data());
    const uint64_t chunks = b[42] | (b[43] << 8);
    const uint64_t expect = kHeaderSize + chunks * kChunkSize;
    if (bytes.size() < expect)
      error("EVTX: file cut short: the header declares " + std::to_string(chunks) + " chunks (" +
            std::to_string(expect) + " bytes) but only " + std::to_string(bytes.size()) +
            " bytes are present; records past the cut are lost");
  }

  int count = 0;
  if (libevtx_file_get_number_of_records(file.f, &count, &err) != 1) {
    error("EVTX: cannot count records: " + evtx_message(err));
    return;
  }
  Tally records;
  read_all(file.f, count, libevtx_file_get_record_by_index, "record", emit, records);
  if (records.total > 0 && records.failed == records.total) {
    // Nothing came out: say so plainly (e.g. template-less binary XML of forwarded events).
    error("EVTX: none of the " + std::to_string(records.total) +
          " records could be read (first: " + records.first + ")");
  } else if (records.failed > 0) {
    error("EVTX: " + std::to_string(records.failed) + " of " + std::to_string(records.total) +
          " records could not be read (first: " + records.first + ")");
  }

  if (recover) {
    int rcount = 0;
    if (libevtx_file_get_number_of_recovered_records(file.f, &rcount, &err) != 1) {
      error("EVTX: cannot count recovered records: " + evtx_message(err));
      return;
    }
    Tally recovered;
    read_all(file.f, rcount, libevtx_file_get_recovered_record_by_index, "recovered record",
             emit, recovered);
    if (recovered.failed > 0)
      error("EVTX: " + std::to_string(recovered.failed) + " of " +
            std::to_string(recovered.total) + " recovered records could not be read (first: " +
            recovered.first + ")");
  }
}

}  // namespace marsscan::records
