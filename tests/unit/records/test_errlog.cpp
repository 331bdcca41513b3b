// errlog line parsing on the verbatim samples of mars-formats.md §1.4, and near-misses.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "records/errlog.h"

using namespace marsscan;
using namespace marsscan::records;

namespace {
ErrlogFields parse_ok(std::string_view line) {
  ErrlogFields f;
  INFO("line: " << line);
  REQUIRE(parse_errlog_line(line, f));
  return f;
}
}  // namespace

TEST_CASE("errlog D4: Notepad++ Find-in-files prefix and doubled tab before the level") {
  const std::string line =
      "\tLine 28: 0AB0\t0974\t08/04\t13:16:29.206\t18\tmtffile.cpp(1372)\t[0000000053582120]\t"
      "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\tWARNING\tFailed: Hr: = [0x8000ffff] BackupRead "
      "failed on file(D:\\Genesis_VAN\\...\\Loan Agreement Oct 02.DOC)";
  ErrlogFields f = parse_ok(line);
  CHECK(f.pid == "0AB0");
  CHECK(f.tid == "0974");
  CHECK(f.month == 8);
  CHECK(f.day == 4);
  CHECK(f.ms_of_day == ((13 * 60 + 16) * 60 + 29) * 1000u + 206u);
  CHECK(f.component == "18");
  CHECK(f.src_file == "mtffile.cpp");
  CHECK(f.src_line == 1372);
  CHECK(f.ptr == "0000000053582120");
  CHECK(f.task == "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6");
  CHECK(f.level == "WARNING");
  CHECK(f.message ==
        "Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Genesis_VAN\\...\\Loan "
        "Agreement Oct 02.DOC)");

  ErrlogFields g = parse_ok(
      "\tLine 56: 0AB0\t0974\t08/04\t13:16:29.237\t18\tmtffile.cpp(1372)\t[0000000053581B00]\t"
      "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\tWARNING\tFailed: Hr: = [0x8000ffff] BackupRead "
      "failed on file(D:\\Genesis_VAN\\...\\editdata.mso)\r");
  CHECK(g.ptr == "0000000053581B00");
  CHECK(g.ms_of_day % 1000 == 237);
  CHECK(g.message.back() == ')');  // CR is not part of the message
}

TEST_CASE("errlog D3: space-collapsed copy with several records on one line") {
  const std::string line =
      "... 44B4 3968 10/21 21:02:21.611 69 AzureServiceManagementHelper.cs(320) "
      "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134 FATAL GetImportJobStatus:: Import job with name "
      "'ImportJobName' is not found 44B4 3968 10/21 21:02:21.611 71 backupasync.cpp(1589) "
      "[000000001B73B830] 0517B3DB-347D-45A8-9DAB-FD7D1EA7D134 NORMAL PollAzureImportJob :: "
      "Import Job: 'ImportJobName' is in pending state: '1' 44B4 3968 10/21 21:02:21.611 71 "
      "backupasync.cpp(1607) [000000001B73B830] 0517B3DB-347D-45A8-9DAB-FD7D1EA7D134 WARNING "
      "PollAzureImportJob failed with error code: 1b7afbe0 44B4 3968 10/21 21:02:21.611 71 "
      "backupasync.cpp(1184) [000000001B73B830] 0517B3DB-347D-45A8-9DAB-FD7D1EA7D134 WARNING "
      "Failed: Hr: = [0x80780054] Offline Backup Progress: Failed\" .....";
  ErrlogFields f = parse_ok(line);
  CHECK(f.pid == "44B4");
  CHECK(f.tid == "3968");
  CHECK(f.month == 10);
  CHECK(f.day == 21);
  CHECK(f.ms_of_day == ((21 * 60 + 2) * 60 + 21) * 1000u + 611u);
  CHECK(f.component == "69");
  CHECK(f.src_file == "AzureServiceManagementHelper.cs");  // .cs line without a pointer
  CHECK(f.src_line == 320);
  CHECK(f.ptr.empty());
  CHECK(f.task == "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134");
  CHECK(f.level == "FATAL");
  // The first record's message stops where the next record begins.
  CHECK(f.message == "GetImportJobStatus:: Import job with name 'ImportJobName' is not found");

  // The record built from it still carries the whole line as its text.
  YearResolver years({});
  const std::string with_eol = line + "\r\n";
  Record r = make_line_record("CBEngineCurr.errlog", 7, with_eol, years);
  CHECK(r.kind == RecordKind::Errlog);
  CHECK(r.text == line);
  CHECK(r.text.find("[0x80780054]") != std::string_view::npos);
}

TEST_CASE("errlog D2: no pid/tid columns, tabs kept") {
  ErrlogFields f = parse_ok(
      "06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t"
      "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tBackup Progress: Prebackup started.");
  CHECK(f.pid.empty());
  CHECK(f.tid.empty());
  CHECK(f.month == 6);
  CHECK(f.day == 7);
  CHECK(f.ms_of_day == ((1 * 60 + 23) * 60 + 25) * 1000u + 640u);
  CHECK(f.component == "71");
  CHECK(f.src_file == "backupasync.cpp");
  CHECK(f.src_line == 1279);
  CHECK(f.ptr == "000000001A12E3F0");
  CHECK(f.task == "F3E32129-DC79-4A28-9ACC-3F30CB5810B6");
  CHECK(f.level == "NORMAL");
  CHECK(f.message == "Backup Progress: Prebackup started.");

  ErrlogFields g = parse_ok(
      "06/07\t14:59:26.969\t71\tbackupasync.cpp(1347)\t[000000001A12E3F0]\t"
      "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tBackup Progress: UnInitialize Storage "
      "finsihed.");
  CHECK(g.message == "Backup Progress: UnInitialize Storage finsihed.");
  CHECK(g.ms_of_day == ((14 * 60 + 59) * 60 + 26) * 1000u + 969u);
}

TEST_CASE("errlog D2: empty pointer column (two tabs)") {
  ErrlogFields f = parse_ok(
      "06/07\t10:27:40.993\t70\titemcatalogupdater.cpp(652)\t\t"
      "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tUploading 500 RO entries");
  CHECK(f.component == "70");
  CHECK(f.src_file == "itemcatalogupdater.cpp");
  CHECK(f.src_line == 652);
  CHECK(f.ptr.empty());
  CHECK(f.task == "F3E32129-DC79-4A28-9ACC-3F30CB5810B6");
  CHECK(f.level == "NORMAL");
  CHECK(f.message == "Uploading 500 RO entries");
}

TEST_CASE("errlog: tab-separated .cs line without pointer, full pid/tid") {
  ErrlogFields f = parse_ok(
      "44B4\t3968\t10/21\t21:02:21.611\t69\tAzureServiceManagementHelper.cs(320)\t"
      "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134\tFATAL\tGetImportJobStatus:: Import job with name "
      "'ImportJobName' is not found\r");
  CHECK(f.pid == "44B4");
  CHECK(f.tid == "3968");
  CHECK(f.src_file == "AzureServiceManagementHelper.cs");
  CHECK(f.ptr.empty());
  CHECK(f.level == "FATAL");
  CHECK(f.message == "GetImportJobStatus:: Import job with name 'ImportJobName' is not found");
}

TEST_CASE("errlog: runs of spaces instead of tabs (pasted copy)") {
  ErrlogFields f = parse_ok(
      "0AB0    0974  08/04   13:16:29.206   18    mtffile.cpp(1372)    [0000000053582120]   "
      "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6      WARNING   Failed: Hr: = [0x8000ffff] x");
  CHECK(f.pid == "0AB0");
  CHECK(f.tid == "0974");
  CHECK(f.component == "18");
  CHECK(f.ptr == "0000000053582120");
  CHECK(f.level == "WARNING");
  CHECK(f.message == "Failed: Hr: = [0x8000ffff] x");
}

TEST_CASE("errlog: file-name prefix before the columns") {
  ErrlogFields f = parse_ok(
      "N2-DPMRACurr.errlog:0AB0\t0974\t05/09\t16:00:45.120\t12\tcsvapi.cpp(400)\t\t\tWARNING\t"
      "Failed: Hr: = [0x8007173d] : ClusterPrepareSharedVolumeForBackup failed");
  CHECK(f.pid == "0AB0");
  CHECK(f.tid == "0974");
  CHECK(f.month == 5);
  CHECK(f.day == 9);
  CHECK(f.task.empty());
  CHECK(f.src_file == "csvapi.cpp");
  CHECK(f.message.substr(0, 27) == "Failed: Hr: = [0x8007173d] ");
}

TEST_CASE("errlog: DPM RA tool-reformatted line (D-Mon h:mm:ss PM)") {
  ErrlogFields f = parse_ok(
      "N2-DPMRACurr.errlog:0900  9-May 4:00:45 PM csvapi.cpp(400)            WARNING  Failed: "
      "Hr: = [0x8007173d] : ClusterPrepareSharedVolumeForBackup for C:\\ClusterStorage\\Volume1\\ "
      "failed");
  CHECK(f.pid == "0900");
  CHECK(f.tid.empty());
  CHECK(f.month == 5);
  CHECK(f.day == 9);
  CHECK(f.ms_of_day == ((16 * 60 + 0) * 60 + 45) * 1000u);
  CHECK(f.component.empty());
  CHECK(f.src_file == "csvapi.cpp");
  CHECK(f.src_line == 400);
  CHECK(f.ptr.empty());
  CHECK(f.task.empty());
  CHECK(f.level == "WARNING");
  CHECK(f.message ==
        "Failed: Hr: = [0x8007173d] : ClusterPrepareSharedVolumeForBackup for "
        "C:\\ClusterStorage\\Volume1\\ failed");
  ErrlogFields g = parse_ok("x:0900  12-Jan 12:05:00 AM a.cpp(1) ERROR midnight");
  CHECK(g.ms_of_day == 5 * 60 * 1000u);
  CHECK(g.month == 1);
  CHECK(g.day == 12);
}

TEST_CASE("errlog: every level, and an empty message") {
  for (std::string lv : {"NORMAL", "WARNING", "FATAL", "ERROR", "INFO", "VERBOSE"}) {
    const std::string line = "06/07\t01:23:25.640\t71\tb.cpp(1)\t\t\t" + lv + "\tmsg " + lv;
    ErrlogFields f = parse_ok(line);
    CHECK(f.level == lv);
    CHECK(f.message == "msg " + lv);
  }
  ErrlogFields f = parse_ok("06/07\t01:23:25.640\t71\tb.cpp(1)\tNORMAL");
  CHECK(f.message.empty());
  ErrlogFields g = parse_ok("06/07\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\t");
  CHECK(g.message.empty());
}

TEST_CASE("errlog near-misses do not parse") {
  ErrlogFields f;
  const char* bad[] = {
      "",
      "On 06/07 01:23:25.640 the backup failed with error 0x80070005",          // prose
      "Backup ran 06/07 01:23:25.640 71 then stopped NORMAL ok",                 // no file(line)
      "06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\tF3E3",  // cut before level
      "06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t"
      "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORM",                             // cut inside level
      "06/07\t01:23:25.640\t71\tbackupasync.cpp(12",                             // cut in file(line)
      "06/07\t01:23",                                                            // cut in time
      "13/07\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\tbad month",
      "00/07\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\tbad month",
      "06/32\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\tbad day",
      "06/00\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\tbad day",
      "06/07\t24:23:25.640\t71\tb.cpp(1)\tNORMAL\tbad hour",
      "06/07\t01:60:25.640\t71\tb.cpp(1)\tNORMAL\tbad minute",
      "06/07\t01:23:61.640\t71\tb.cpp(1)\tNORMAL\tbad second",
      "06/07\t01:23:25.64\t71\tb.cpp(1)\tNORMAL\ttwo-digit ms",
      "06/07\t01:23:25.640\t71\tb.cpp(1)\tnormal\tlower-case level",
      "06/07\t01:23:25.640\t71\tb.cpp(1)\tDEBUG\tunknown level",
      "06/07\t01:23:25.640\t71\tbcpp(1)\tNORMAL\tfile without dot",
      "106/07\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\tthree-digit month",
      "Consider adding these to exclusion list of backup policy.",
      "-----------------------------------------------------------",
  };
  for (const char* line : bad) {
    INFO("line: " << line);
    CHECK_FALSE(parse_errlog_line(line, f));
  }
  // A record header far into a line is prose that quotes a log, not a record.
  std::string far(120, 'x');
  far += " 06/07\t01:23:25.640\t71\tb.cpp(1)\tNORMAL\tquoted";
  CHECK_FALSE(parse_errlog_line(far, f));
}

TEST_CASE("errlog: a tab-separated message quoting a record header is not cut") {
  ErrlogFields f = parse_ok(
      "06/07\t01:23:25.640\t71\tb.cpp(1)\t\t\tNORMAL\tEcho: 06/07 01:23:25.640 71 b.cpp(1) NORMAL x");
  CHECK(f.message == "Echo: 06/07 01:23:25.640 71 b.cpp(1) NORMAL x");
}

TEST_CASE("errlog: every verbatim §1.4 sample line of mars-formats.md parses") {
  std::ifstream in(MARSSCAN_SHARED_DIR "/docs/mars-formats.md");
  REQUIRE(in.good());
  std::string line;
  bool in_section = false, in_block = false;
  int parsed = 0;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) in_section = line.rfind("### 1.4", 0) == 0;
    if (!in_section) continue;
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block;
      continue;
    }
    if (!in_block || line.empty()) continue;
    ErrlogFields f;
    INFO("line: " << line);
    CHECK(parse_errlog_line(line, f));
    CHECK(f.src_line > 0);
    CHECK_FALSE(f.level.empty());
    ++parsed;
  }
  CHECK(parsed == 2 + 1 + 18 + 1);  // D4, D3, D2, DPM RA
}

TEST_CASE("errlog: every truncation and byte mutation of a real line fails or parses in bounds") {
  const std::string line =
      "\tLine 28: 0AB0\t0974\t08/04\t13:16:29.206\t18\tmtffile.cpp(1372)\t[0000000053582120]\t"
      "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\tWARNING\tFailed: Hr: = [0x8000ffff] x";
  auto within = [](std::string_view part, std::string_view whole) {
    return part.empty() ||
           (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
  };
  size_t parsed = 0;
  for (size_t n = 0; n <= line.size(); ++n) {
    // A separate buffer of exactly n bytes, so that a read past the end is caught by ASan.
    std::string cut = line.substr(0, n);
    ErrlogFields f;
    if (!parse_errlog_line(cut, f)) continue;
    ++parsed;
    INFO("prefix " << n);
    CHECK(within(f.message, cut));
    CHECK(within(f.task, cut));
    CHECK(within(f.pid, cut));
  }
  // Only prefixes that reach the level and its separator parse.
  CHECK(parsed == line.size() - line.find("WARNING") - 7 + 1);
  for (size_t i = 0; i < line.size(); ++i) {
    for (char c : {'\0', '\t', ' ', '/', '(', ')', '[', ']', '-', ':', '9', 'F'}) {
      std::string m = line;
      m[i] = c;
      ErrlogFields f;
      if (parse_errlog_line(m, f)) CHECK(within(f.message, m));
    }
  }
}
