#!/usr/bin/env python3
"""Writes a realistic MARS errlog corpus of a given size for benchmarks.

usage: gen_corpus.py SIZE_MIB OUT [--utf16] [--errors-per-mib N] [--near-miss-rate R | --dense] [--seed S]
       gen_corpus.py SIZE_MIB OUT --events SHAPE [--utf16] [--seed S]

Lines follow mars-formats.md §1.3 (tab-separated pid, tid, MM/DD, time, component, file(line), [ptr], task GUID,
level, message): backup jobs with their `Backup Progress:` phases, catalog uploads, file-provider chatter, HRESULT
warnings, numbers that look like error ids but are not (`Uploading 34513 RO entries`, `4070 KB/s`, `(403)` line
numbers), and documented errors at a controlled density (default 2 per MiB). A unique 8 MiB stretch is generated
and repeated with a changing date, which keeps generation fast while every line stays realistic.
--utf16 writes UTF-16LE with BOM and CRLF, as the agent does.

--near-miss-rate R (default 0.01): the fraction of ordinary lines whose number is a lookalike of a documented id
(403, 407, 4070, 34513, 100050); the others get a random 1..99999. Why 1 %: in real errlogs these numbers are
counts, sizes, milliseconds and ids, and a given 3-5 digit value turns up in well under 1 line in 1000; 1 % keeps
a generous margin so that the prefilter's confirmation path is still exercised on every block.
--dense reproduces the first corpus byte for byte: 5 of 6 ordinary lines carry a lookalike. That is a stress
case for the prefilter (almost every line is a candidate), not a picture of real logs.

--events SHAPE writes an exported event log of about SIZE_MIB instead, in one of the export shapes of
tests/fixtures/gen_events.py (wevtutil.xml, wevtutil-root.xml, eventviewer.xml, rendered.xml, eventviewer.csv,
export.csv, convertto.json, evtxdump.json, evtxdump.jsonl): the synthetic CloudBackup, Task Scheduler and
SideBySide events of that generator, renumbered and spread over time, repeated to size (about 1 in 8 carries a
documented error).
"""
import argparse
import datetime
import os
import random
import sys

ERRORS = [
    "FATAL\tInvalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)",
    "FATAL\tThe Microsoft Azure Recovery Service Agent was unable to connect to Microsoft Azure Backup. (ID: 100050) Check your network settings and ensure that you are able to connect to the internet.",
    "WARNING\tSystem.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.",
    "FATAL\tError 34506. The encryption passphrase stored on this computer is not correctly configured.",
    "FATAL\tThe activation did not complete successfully. The current operation failed due to an internal service error [0x1FC07]. Retry the operation after some time.",
    "FATAL\tFailed to download the vault credential file. (ID: 403)",
    "FATAL\tFailed to set the encryption key for secure backups. Activation did not succeed completely but the encryption passphrase was saved to the following file.",
]

# Numbers that look like documented ids (ID: 403, (407), 0x1FC07, ID: 34513, ID: 100050) but are not.
LOOKALIKES = [403, 407, 4070, 34513, 100050]

NORMAL = [
    ("fileprovider.cpp", 1479, 32, "==>FileProvider::EndData"),
    ("fileprovider.cpp", 1479, 32, "<--FileProvider::EndData"),
    ("itemcatalogupdater.cpp", 652, 70, "Uploading {n} RO entries"),
    ("dsmapper.cpp", 311, 71, "Mapped data source D:\\Data\\{n}\\ to Ds Id {n}"),
    ("blobstore.cpp", 1204, 69, "Committed {n} blocks, {n} KB/s"),
    ("changejournal.cpp", 533, 18, "Enumerated {n} USN records for volume D:"),
    ("mtffile.cpp", 1372, 18, "Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Shares\\Finance\\Q{n}.xlsx)"),
    ("backupasync.cpp", 403, 71, "Backup Progress: Data transfer started."),
    ("backupasync.cpp", 1302, 71, "Backup Progress: Data transfer finished"),
    ("cbpsession.cpp", 240, 71, "Heartbeat to service succeeded in {n} ms"),
    ("vhdhelper.cpp", 902, 18, "Attached VHD for volume D: in {n} ms, id 0x1FC070"),
    ("AzureServiceManagementHelper.cs", 320, 69, "GetJobStatus returned {n} items for container iaasvmcontainerv2;{n}"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("size_mib", type=int)
    ap.add_argument("out")
    ap.add_argument("--utf16", action="store_true")
    ap.add_argument("--errors-per-mib", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--near-miss-rate", type=float, default=0.01)
    ap.add_argument("--dense", action="store_true", help="the old stress corpus: 5 of 6 lines carry a lookalike")
    ap.add_argument("--events", metavar="SHAPE")
    a = ap.parse_args()
    if not 0.0 <= a.near_miss_rate <= 1.0:
        sys.exit(f"gen_corpus: --near-miss-rate {a.near_miss_rate}: must be between 0 and 1")
    if a.events:
        return events(a)
    rnd = random.Random(a.seed)
    guid = lambda: "%08X-%04X-%04X-%04X-%012X" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(16),
                                                  rnd.getrandbits(16), rnd.getrandbits(48))
    chunk_target = min(a.size_mib, 8) << 20
    lines, size, task, errors = [], 0, guid(), 0
    want_errors = a.errors_per_mib * chunk_target / (1 << 20)
    t = 0
    while size < chunk_target:
        t += rnd.randint(1, 500)
        if rnd.random() < 0.0005:
            task = guid()
        h, m, s, ms = t // 3600000 % 24, t // 60000 % 60, t // 1000 % 60, t % 1000
        head = f"0AB0\t0974\t{{md}}\t{h:02}:{m:02}:{s:02}.{ms:03}\t"
        if errors < want_errors and rnd.random() < want_errors / max(1, chunk_target / 190):
            src, ln, comp = "backupasync.cpp", 1184, 71
            body = rnd.choice(ERRORS)
            errors += 1
        else:
            src, ln, comp, msg = rnd.choice(NORMAL)
            if a.dense:
                n = rnd.choice(LOOKALIKES + [rnd.randint(1, 99999)])
            else:
                n = rnd.choice(LOOKALIKES) if rnd.random() < a.near_miss_rate else rnd.randint(1, 99999)
            body = "NORMAL\t" + msg.replace("{n}", str(n))
        line = f"{head}{comp}\t{src}({ln})\t[{rnd.getrandbits(40):016X}]\t{task}\t{body}"
        lines.append(line)
        size += len(line) + 1
    total = a.size_mib << 20
    written = 0
    nl = "\r\n" if a.utf16 else "\n"
    enc = "utf-16-le" if a.utf16 else "utf-8"
    with open(a.out, "wb") as f:
        if a.utf16:
            f.write(b"\xff\xfe")
        day = 0
        while written < total:
            md = "%02d/%02d" % (1 + day // 28 % 12, 1 + day % 28)
            data = (nl.join(lines) + nl).replace("{md}", md).encode(enc)
            if written + len(data) > total:
                cut = data.rfind(nl.encode(enc), 0, total - written)
                data = data[:cut + len(nl.encode(enc))] if cut > 0 else data[:total - written]
            f.write(data)
            written += len(data)
            day += 1
            if len(data) == 0:
                break
    print(f"{a.out}: {written} bytes, {errors} error lines per {chunk_target >> 20} MiB stretch", file=sys.stderr)


def events(a):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
    import gen_events as g
    shapes = dict(g.SHAPES)
    if a.events not in shapes:
        sys.exit(f"gen_corpus: --events: unknown shape {a.events!r} (one of {', '.join(shapes)})")
    write = shapes[a.events]
    base = g.CLOUDBACKUP + g.TASKSCHEDULER + g.APPLICATION
    rnd = random.Random(a.seed)
    total, batch, rec, start = a.size_mib << 20, 2000, 100000, datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)
    enc = "utf-16-le" if a.utf16 else "utf-8"
    # A shape with a header or a root element is written whole, in one piece: the size is reached by
    # estimating the events needed from one batch.
    sample = [dict(e) for e in base]
    one = len(write(sample * (batch // len(sample))).encode(enc))
    n = max(len(base), int(total / one * batch))
    evs = []
    for i in range(n):
        e = dict(base[rnd.randrange(len(base))])
        e["rec"] = rec + i
        e["when"] = start + datetime.timedelta(seconds=37 * i, microseconds=rnd.randrange(1000000))
        evs.append(e)
    data = write(evs)
    with open(a.out, "wb") as f:
        if a.utf16:
            f.write(b"\xff\xfe")
        f.write(data.encode(enc))
    print(f"{a.out}: {n} events, {f.tell() if False else len(data.encode(enc))} bytes ({a.events})", file=sys.stderr)


if __name__ == "__main__":
    main()
