#include "corpus.h"

#include <cstdio>
#include <random>

namespace marsscan::bench {

namespace {

const char* const kErrors[] = {
    "FATAL\tInvalid vault credentials provided. The file is either corrupted or does not have the latest "
    "credentials associated with recovery service. (ID: 34513)",
    "FATAL\tThe Microsoft Azure Recovery Service Agent was unable to connect to Microsoft Azure Backup. "
    "(ID: 100050) Check your network settings and ensure that you are able to connect to the internet.",
    "WARNING\tSystem.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.",
    "FATAL\tError 34506. The encryption passphrase stored on this computer is not correctly configured.",
    "FATAL\tThe activation did not complete successfully. The current operation failed due to an internal "
    "service error [0x1FC07]. Retry the operation after some time.",
};

struct Normal { const char* file; int line; int comp; const char* text; };
const Normal kNormal[] = {
    {"fileprovider.cpp", 1479, 32, "==>FileProvider::EndData"},
    {"fileprovider.cpp", 1479, 32, "<--FileProvider::EndData"},
    {"itemcatalogupdater.cpp", 652, 70, "Uploading %u RO entries"},
    {"blobstore.cpp", 1204, 69, "Committed %u blocks, %u KB/s"},
    {"changejournal.cpp", 533, 18, "Enumerated %u USN records for volume D:"},
    {"mtffile.cpp", 1372, 18, "Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Shares\\Q%u.xlsx)"},
    {"backupasync.cpp", 403, 71, "Backup Progress: Data transfer started."},
    {"backupasync.cpp", 1302, 71, "Backup Progress: Data transfer finished"},
    {"cbpsession.cpp", 240, 71, "Heartbeat to service succeeded in %u ms"},
    {"vhdhelper.cpp", 902, 18, "Attached VHD for volume D: in %u ms, id 0x1FC070"},
};
// Numbers that look like documented error ids in lines that are not errors.
const unsigned kNearMiss[] = {403, 407, 4070, 34513, 100050};

}  // namespace

std::string errlog_corpus(size_t bytes, double errors_per_mib) {
  std::mt19937_64 rnd(7);
  std::string out;
  out.reserve(bytes + 512);
  const double p_error = errors_per_mib * 190.0 / (1 << 20);  // lines average ~190 bytes
  uint64_t t = 0;
  char line[512], msg[256];
  while (out.size() < bytes) {
    t += rnd() % 500 + 1;
    const unsigned h = t / 3600000 % 24, m = t / 60000 % 60, s = t / 1000 % 60, ms = t % 1000;
    const char* body;
    const char* file = "backupasync.cpp";
    int ln = 1184, comp = 71;
    if (std::uniform_real_distribution<double>(0, 1)(rnd) < p_error) {
      body = kErrors[rnd() % (sizeof kErrors / sizeof *kErrors)];
    } else {
      const Normal& n = kNormal[rnd() % (sizeof kNormal / sizeof *kNormal)];
      unsigned a = rnd() % 3 ? kNearMiss[rnd() % 5] : unsigned(rnd() % 99999);
      std::snprintf(msg, sizeof msg, "NORMAL\t");
      std::snprintf(msg + 7, sizeof msg - 7, n.text, a, a);
      body = msg;
      file = n.file;
      ln = n.line;
      comp = n.comp;
    }
    int k = std::snprintf(line, sizeof line,
                          "0AB0\t0974\t03/14\t%02u:%02u:%02u.%03u\t%d\t%s(%d)\t[%016llX]\t"
                          "52E6B438-F2A7-269E-6513-0C5CA6A3A450\t%s\n",
                          h, m, s, ms, comp, file, ln, static_cast<unsigned long long>(rnd() >> 24), body);
    out.append(line, static_cast<size_t>(k));
  }
  return out;
}

std::string to_utf16le(const std::string& in) {
  std::string out;
  out.reserve(in.size() * 2 + in.size() / 64);
  for (size_t i = 0; i < in.size();) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    uint32_t cp;
    int n;
    if (c < 0x80) { cp = c; n = 1; }
    else if (c < 0xE0) { cp = c & 0x1F; n = 2; }
    else if (c < 0xF0) { cp = c & 0x0F; n = 3; }
    else { cp = c & 0x07; n = 4; }
    for (int k = 1; k < n && i + k < in.size(); ++k) cp = cp << 6 | (static_cast<unsigned char>(in[i + k]) & 0x3F);
    i += n;
    auto unit = [&](uint32_t u) { out.push_back(static_cast<char>(u & 0xFF)); out.push_back(static_cast<char>(u >> 8)); };
    if (cp == '\n') unit('\r');
    if (cp >= 0x10000) { cp -= 0x10000; unit(0xD800 + (cp >> 10)); unit(0xDC00 + (cp & 0x3FF)); }
    else unit(cp);
  }
  return out;
}

}  // namespace marsscan::bench
