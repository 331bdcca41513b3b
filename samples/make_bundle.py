#!/usr/bin/env python3
"""Writes samples/bundle/: a realistic (synthetic) customer bundle for marsscan's README.

The story (server FS01, agent in Temp, engine log in UTF-16LE with BOM and CRLF, as the agent writes it):
  06/07  scheduled backup F3E32129 succeeds (the phase sequence of mars-formats.md §1.4).
  06/08  scheduled backup 7A2C... fails in data transfer: the proxy answers 407, the agent cannot reach
         Azure Backup (ID: 100050). The 407 is the root cause of the 100050.
  06/09  the admin re-registers: Invalid vault credentials (ID: 34513), again behind the 407 proxy.
  06/10  backup 0C55... fails: Error 34506, the scratch folder was moved by hand (ScratchLocation
         points to a folder that no longer exists).
  06/11  scheduled backups stop: CloudBackup event 18; the collected command output shows the
         LocalMachine execution policy is Restricted.
Deterministic: the same bytes every run (fixed seed). Usage: make_bundle.py [OUTDIR]
"""
import os
import random
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "bundle")
rnd = random.Random(20190607)
PID, TID = "0AB0", "0974"

ORDINARY = [
    ("fileprovider.cpp", 1479, 32, "==>FileProvider::EndData"),
    ("fileprovider.cpp", 1479, 32, "<--FileProvider::EndData"),
    ("itemcatalogupdater.cpp", 652, 70, "Uploading 500 RO entries"),
    ("itemcatalogupdater.cpp", 688, 70, "Uploaded catalog chunk, entries: 500"),
    ("dsmapper.cpp", 311, 71, "Mapped data source D:\\Shares\\Finance to Ds Id 4070"),
    ("vhdhelper.cpp", 902, 18, "Attached VHD for volume D: in 1.2 seconds"),
    ("blobstore.cpp", 1204, 69, "Committed 34 blocks, 4070 KB/s"),
    ("changejournal.cpp", 533, 18, "Enumerated 1024 USN records for volume D:"),
    ("cbpsession.cpp", 240, 71, "Heartbeat to service succeeded"),
    ("throttle.cpp", 87, 69, "Network throttling not configured, using full bandwidth"),
]


def line(md, t, comp, src, ln, guid, level, msg, ptr=None, double_tab=False):
    ptr = ptr if ptr is not None else "[%016X]" % rnd.getrandbits(40)
    gap = "\t\t" if double_tab else "\t"
    return f"{PID}\t{TID}\t{md}\t{t}\t{comp}\t{src}({ln})\t{ptr}\t{guid}{gap}{level}\t{msg}"


def clock(h, m, s, ms):
    return f"{h:02}:{m:02}:{s:02}.{ms:03}"


class Day:
    def __init__(self, md, start_hour):
        self.md, self.t = md, start_hour * 3600 * 1000
        self.lines = []

    def add(self, src, ln, comp, guid, level, msg, step_ms=None, **kw):
        self.t += step_ms if step_ms is not None else rnd.randint(5, 900)
        t = self.t
        self.lines.append(line(self.md, clock(t // 3600000 % 24, t // 60000 % 60, t // 1000 % 60, t % 1000),
                               comp, src, ln, guid, level, msg, **kw))

    def noise(self, guid, n):
        for _ in range(n):
            src, ln, comp, msg = rnd.choice(ORDINARY)
            self.add(src, ln, comp, guid, "NORMAL", msg, ptr="" if src.startswith("itemcatalog") else None)


def phases(day, guid, upto=None):
    seq = [(1279, "Prebackup started."), (1281, "Prebackup finished."),
           (1292, "Initialize Storage started."), (1295, "Initialize Storage finished."),
           (1299, "Data transfer started.")]
    for ln, text in seq:
        day.add("backupasync.cpp", ln, 71, guid, "NORMAL", "Backup Progress: " + text)
        if text == upto:
            return


def engine_log():
    days = []
    ok = "F3E32129-DC79-4A28-9ACC-3F30CB5810B6"
    d = Day("06/07", 1)
    phases(d, ok)
    d.noise(ok, 400)
    d.add("backupasync.cpp", 1302, 71, ok, "NORMAL", "Backup Progress: Data transfer finished")
    d.add("backupasync.cpp", 1332, 71, ok, "NORMAL", "Backup Progress: Integrity Check started.")
    d.noise(ok, 100)
    d.add("backupasync.cpp", 1334, 71, ok, "NORMAL", "Backup Progress: Integrity Check finsihed.")
    d.add("backupasync.cpp", 1338, 71, ok, "NORMAL", "Backup Progress: Succeeded")
    d.add("backupasync.cpp", 1345, 71, ok, "NORMAL", "Backup Progress: UnInitialize Storage started.")
    d.add("backupasync.cpp", 1347, 71, ok, "NORMAL", "Backup Progress: UnInitialize Storage finsihed.")
    days.append(d)

    proxy = "7A2C0E51-3B9D-4F60-9E21-5C1D8B0A7F34"
    d = Day("06/08", 1)
    phases(d, proxy)
    d.noise(proxy, 300)
    d.add("AzureServiceManagementHelper.cs", 411, 69, proxy, "WARNING",
          "System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.",
          ptr="")
    d.add("AzureServiceManagementHelper.cs", 415, 69, proxy, "WARNING",
          "   at System.Net.HttpWebRequest.GetResponse()", ptr="")
    d.add("cbpsession.cpp", 612, 71, proxy, "WARNING",
          "Failed: Hr: = [0x80072ee7] Unable to resolve the service endpoint through proxy proxy.contoso.local:8080")
    d.add("backupasync.cpp", 1184, 71, proxy, "FATAL",
          "The Microsoft Azure Recovery Service Agent was unable to connect to Microsoft Azure Backup. "
          "(ID: 100050) Check your network settings and ensure that you are able to connect to the internet.",
          double_tab=True)
    d.add("backupasync.cpp", 1190, 71, proxy, "WARNING", "Failed: Hr: = [0x80790300] Backup Progress: Failed")
    d.add("backupasync.cpp", 1345, 71, proxy, "NORMAL", "Backup Progress: UnInitialize Storage started.")
    d.add("backupasync.cpp", 1347, 71, proxy, "NORMAL", "Backup Progress: UnInitialize Storage finsihed.")
    days.append(d)

    reg = "5E0B7D22-91C4-4A3E-8F0D-2B6A1C9E4D11"
    d = Day("06/09", 9)
    d.add("RegistrationHelper.cs", 210, 69, reg, "NORMAL", "Validating vault credentials file FS01_2019-06-09.VaultCredentials", ptr="")
    d.add("AzureServiceManagementHelper.cs", 411, 69, reg, "WARNING",
          "System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.", ptr="")
    d.add("RegistrationHelper.cs", 388, 69, reg, "FATAL",
          "Invalid vault credentials provided. The file is either corrupted or does not have the latest "
          "credentials associated with recovery service. (ID: 34513)", ptr="")
    d.noise(reg, 200)
    days.append(d)

    scratch = "0C55A1F0-7D3E-4B21-A6C9-8E4F2D1B3A77"
    d = Day("06/10", 1)
    phases(d, scratch, upto="Initialize Storage started.")
    d.noise(scratch, 300)
    d.add("scratchhelper.cpp", 144, 71, scratch, "WARNING",
          "ScratchLocation registry value HKLM\\SOFTWARE\\Microsoft\\Windows Azure Backup\\Config\\ScratchLocation "
          "points to E:\\MARS\\Scratch which does not exist")
    d.add("scratchhelper.cpp", 151, 71, scratch, "WARNING",
          "Failed: Hr: = [0x80070003] The system cannot find the path specified. (E:\\MARS\\Scratch)")
    d.add("cbpsession.cpp", 903, 71, scratch, "FATAL",
          "Error 34506. The encryption passphrase stored on this computer is not correctly configured.")
    d.add("backupasync.cpp", 1190, 71, scratch, "WARNING", "Failed: Hr: = [0x8007000d] Backup Progress: Failed")
    d.noise(scratch, 100)
    days.append(d)

    lines = [l for day in days for l in day.lines]
    return lines


def gateway_log():
    g = "00000000-0000-0000-0000-000000000000"
    d = Day("06/11", 0)
    for _ in range(150):
        d.add("GatewayProvider.cs", 97, 12, g, "NORMAL", "Uploaded job status to service", ptr="")
    return d.lines


def write_utf16(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\r\n") as f:
        f.write(text)


def cloudbackup_events():
    ev = []
    for rid, (eid, lvl, time, msg) in enumerate([
            (1, 4, "2019-06-08T01:00:00.1234567Z", "The backup operation has started."),
            (11, 2, "2019-06-08T01:09:12.0000000Z", "The backup operation has completed with errors."),
            (18, 2, "2019-06-11T01:00:03.5000000Z", "Scheduled backup failed in initialization phase"),
    ], start=1201):
        ev.append(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
            "<Provider Name='CloudBackup'/><EventID Qualifiers='0'>%d</EventID><Version>0</Version>"
            "<Level>%d</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords>"
            "<TimeCreated SystemTime='%s'/><EventRecordID>%d</EventRecordID><Correlation/>"
            "<Execution ProcessID='2736' ThreadID='4400'/><Channel>CloudBackup/Operational</Channel>"
            "<Computer>FS01.contoso.local</Computer><Security UserID='S-1-5-18'/></System>"
            "<EventData><Data Name='Message'>%s</Data></EventData></Event>" % (eid, lvl, time, rid, msg))
    return "\r\n".join(ev) + "\r\n"


def main():
    write_utf16(os.path.join(OUT, "Temp", "CBEngineCurr.errlog"), engine_log())
    write_utf16(os.path.join(OUT, "Temp", "GatewayProvider0.errlog"), gateway_log())
    write_text(os.path.join(OUT, "events", "CloudBackup-Operational.xml"), cloudbackup_events())
    write_text(os.path.join(OUT, "commands", "Get-ExecutionPolicy.txt"),
               "PS C:\\Windows\\system32> Get-ExecutionPolicy -List\n\n"
               "        Scope ExecutionPolicy\n        ----- ---------------\n"
               "MachinePolicy       Undefined\n   UserPolicy       Undefined\n"
               "      Process       Undefined\n  CurrentUser       Undefined\n"
               " LocalMachine      Restricted\n\n")
    write_text(os.path.join(OUT, "notes.txt"),
               "Case 2406110040001234 - FS01 (Windows Server 2016), MARS agent 2.0.9145.0\n"
               "Customer reports: nightly backups stopped on 06/11; manual Back Up Now worked until 06/10.\n"
               "Proxy proxy.contoso.local:8080 requires authentication since the 06/08 change window.\n"
               "Scratch folder was moved to E:\\MARS\\Scratch by hand, then E: was re-provisioned.\n")


if __name__ == "__main__":
    main()
