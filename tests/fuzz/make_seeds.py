#!/usr/bin/env python3
"""Writes the seed corpora of the libFuzzer harnesses: OUTDIR/<harness>/<seed>.

Usage: make_seeds.py OUTDIR      (python3 standard library; zip/7z/gcab used when present)

Sources: samples/bundle (errlogs, event XML), tests/fixtures/gen_events.py (every event
export shape and encoding), ../shared/evtx-samples (small EVTX files), patterns/ (rule files)
and small archives generated here (zip, nested zip, encrypted and corrupt zip, tar.gz, gz,
bz2, xz, 7z, cab). Seeds are cut to a few KiB so that each run stays fast. Harnesses that
read option bytes before their input (see each fuzz_*.cpp) get those bytes prepended.
"""
import bz2
import glob
import gzip
import io
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.abspath(os.path.join(SOURCE, "..", "shared"))
MAX_TEXT = 8 << 10

# Bytes each harness reads before its input (fuzz_text: max_line, chunk; others: one byte).
PREFIX = {
    "fuzz_text": [b"\x10\x03", b"\xff\x40"],
    "fuzz_event_xml": [b"\x05", b"\x80"],
    "fuzz_event_csv": [b"\x05", b"\x80"],
    "fuzz_event_json": [b"\x05", b"\x80"],
    "fuzz_evtx": [b"\x00", b"\x01"],
    "fuzz_leaf": [b"\x06", b"\x81"],
    "fuzz_archive": [b"\x07", b"\x06"],   # bit 0: by path (seekable) or as a stream
    "fuzz_patterns": [b""],
    "fuzz_matcher": [b"\x00", b"\x01"],   # bit 0: also compare with the prefilter off
}


def read(path, limit=None):
    with open(path, "rb") as f:
        return f.read(limit) if limit else f.read()


def utf16(text):
    return b"\xff\xfe" + text.decode("utf-8", "replace").replace("\n", "\r\n").encode("utf-16-le")


def errlog_seeds():
    seeds = {}
    for p in sorted(glob.glob(os.path.join(SOURCE, "samples", "bundle", "**", "*"), recursive=True)):
        if os.path.isfile(p):
            data = read(p, MAX_TEXT)
            name = os.path.basename(p)
            seeds[name] = data
            if data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
                seeds[name + ".utf16"] = utf16(data[:MAX_TEXT // 2])
    return seeds


def event_seeds(tmp):
    out = os.path.join(tmp, "events")
    subprocess.run([sys.executable, os.path.join(SOURCE, "tests", "fixtures", "gen_events.py"), out],
                   check=True, stdout=subprocess.DEVNULL)
    by_kind = {"xml": {}, "csv": {}, "json": {}}
    for p in sorted(glob.glob(os.path.join(out, "**", "*"), recursive=True)):
        if not os.path.isfile(p):
            continue
        ext = p.rsplit(".", 1)[-1]
        kind = "json" if ext in ("json", "jsonl") else ext
        if kind in by_kind:
            by_kind[kind][os.path.basename(p)] = read(p, MAX_TEXT)
    return by_kind


def evtx_seeds():
    seeds = {}
    for p in sorted(glob.glob(os.path.join(SHARED, "evtx-samples", "*.evtx"))):
        data = read(p)
        if len(data) <= 80 << 10:   # the 1 MiB sample would make every run slow
            seeds[os.path.basename(p)] = data
    return seeds


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def archive_seeds(tmp, text):
    log = text[:1024]
    seeds = {
        "plain.zip": zip_bytes([("Temp/a.errlog", log), ("b.txt", b"hello\n")]),
        "stored.zip": zip_bytes([("a.errlog", log)], zipfile.ZIP_STORED),
        "empty.zip": zip_bytes([]),
        "nested.zip": zip_bytes([("inner.zip", zip_bytes([("deep.zip", zip_bytes([("x.errlog", log)]))]))]),
        "a.errlog.gz": gzip.compress(log, mtime=0),
        "a.errlog.bz2": bz2.compress(log),
        "a.errlog.xz": lzma.compress(log),
    }
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as t:
        for name, data in [("Temp/a.errlog", log), ("in.zip", seeds["plain.zip"])]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    seeds["bundle.tar.gz"] = tar.getvalue()
    bad = bytearray(seeds["plain.zip"])
    bad[40] ^= 0x55
    seeds["badcrc.zip"] = bytes(bad)
    work = os.path.join(tmp, "arch")
    os.makedirs(work)
    with open(os.path.join(work, "a.errlog"), "wb") as f:
        f.write(log)
    tools = [
        ("encrypted.zip", ["zip", "-q", "-P", "secret", "out", "a.errlog"], "out.zip"),
        ("bundle.7z", ["7z", "a", "-bd", "-bso0", "out.7z", "a.errlog"], "out.7z"),
        ("bundle.cab", ["gcab", "-c", "out.cab", "a.errlog"], "out.cab"),
    ]
    for name, cmd, produced in tools:
        if shutil.which(cmd[0]):
            r = subprocess.run(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode == 0 and os.path.exists(os.path.join(work, produced)):
                seeds[name] = read(os.path.join(work, produced))
                os.remove(os.path.join(work, produced))
    return seeds


def pattern_seeds():
    seeds = {}
    for p in sorted(glob.glob(os.path.join(SOURCE, "patterns", "**", "*.yaml"), recursive=True)):
        seeds[os.path.relpath(p, os.path.join(SOURCE, "patterns")).replace("/", "_")] = read(p)
    return seeds


def write(outdir, harness, seeds):
    d = os.path.join(outdir, harness)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        for i, prefix in enumerate(PREFIX[harness]):
            with open(os.path.join(d, f"{name}.{i}"), "wb") as f:
                f.write(prefix + data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="marsscan-seeds-") as tmp:
        text = errlog_seeds()
        events = event_seeds(tmp)
        evtx = evtx_seeds()
        write(outdir, "fuzz_text", text)
        write(outdir, "fuzz_event_xml", events["xml"])
        write(outdir, "fuzz_event_csv", events["csv"])
        write(outdir, "fuzz_event_json", events["json"])
        write(outdir, "fuzz_evtx", evtx)
        mixed = dict(text)
        for kind in events.values():
            mixed.update(kind)
        mixed.update(evtx)
        write(outdir, "fuzz_leaf", mixed)
        write(outdir, "fuzz_archive", archive_seeds(tmp, text.get("CBEngineCurr.errlog", b"x\n")))
        write(outdir, "fuzz_patterns", pattern_seeds())
        write(outdir, "fuzz_matcher", {k: v for k, v in text.items() if k.endswith(".errlog")})


if __name__ == "__main__":
    main()
