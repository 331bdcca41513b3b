// Parsers for each event-log export shape (mars-formats.md §4). Each takes the whole text or
// a reader, and calls `emit` once per event; problems go to `error` with a short message.
// Messages name the place without the leaf name (the caller adds it): "event 3: ..." (XML),
// "row 4 (line 5): ..." (CSV), "element 2: ..." (JSON), and for EVTX one summary per file
// ("EVTX: 3 of 270 records could not be read (first: ...)"). Parsing always goes on after a
// bad event. Text parsers accept `head` (already-read bytes, possibly with a UTF-8 BOM) and
// keep only a window of the input; locale times without a zone are taken as UTC.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "input/source.h"
#include "records/record.h"

namespace marsscan::records {

using EventFn = std::function<void(Event&&)>;
using ErrorFn = std::function<void(const std::string& message)>;

// EVTX from a memory buffer through libevtx/libbfio.
void parse_evtx(std::string_view bytes, bool recover, const EventFn& emit, const ErrorFn& error);
// wevtutil XML: <Event> fragment stream, /e:root wrapped files, RenderedXml. UTF-8 input.
void parse_event_xml(input::ByteReader& utf8, std::string head, const EventFn& emit,
                     const ErrorFn& error);
// Event Viewer CSV and PowerShell Export-Csv. UTF-8 input.
void parse_event_csv(input::ByteReader& utf8, std::string head, const EventFn& emit,
                     const ErrorFn& error);
// Get-WinEvent | ConvertTo-Json, evtx_dump -o json / jsonl, JSON Lines. UTF-8 input.
void parse_event_json(input::ByteReader& utf8, std::string head, const EventFn& emit,
                      const ErrorFn& error);

}  // namespace marsscan::records
