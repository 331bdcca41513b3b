"""Generators of hostile and broken inputs for test_hostile.py (python3 standard library).

Each function writes one input under a directory and returns its path. Big inputs (the
deflate bombs, the 64 MiB line) are streamed to disk, never built in memory.
"""
import gzip
import io
import os
import random
import shutil
import struct
import subprocess
import zipfile
import zlib

GUID = "0C55A1F0-7D3E-4B21-A6C9-8E4F2D1B3A77"
# One errlog line of the documented error 34506 (encryption passphrase), the "good file".
GOOD_LINE = (f"0AB0\t0974\t06/10\t01:00:06.300\t71\tcbpsession.cpp(903)\t[000000001A12E3F0]\t{GUID}\tFATAL\t"
             "Error 34506. The encryption passphrase stored on this computer is not correctly configured.\n")
# A line of error 34513 (mars-formats.md): the finding hidden inside the hostile inputs.
ID_LINE = (f"0AB0\t0974\t06/10\t01:00:07.300\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t{GUID}\tFATAL\t"
           "The backup operation failed. (ID: 34513)\n")
MIB = 1 << 20


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def utf16(text, bom=True):
    return (b"\xff\xfe" if bom else b"") + text.replace("\n", "\r\n").encode("utf-16-le")


def good_errlog(d, name="CBEngineCurr.errlog"):
    return _write(os.path.join(d, name), utf16(GOOD_LINE))


def empty(d):
    return _write(os.path.join(d, "empty.errlog"), b"")


def random_binary(d, size=MIB):
    rng = random.Random(6)
    return _write(os.path.join(d, "random.bin"), bytes(rng.getrandbits(8) for _ in range(size)))


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def _log_text(lines=2000):
    return "".join(GOOD_LINE.replace("01:00:06", f"01:{i // 60 % 60:02d}:{i % 60:02d}") for i in range(lines))


def truncated_gzip(d):
    data = gzip.compress(utf16(_log_text()), mtime=0)
    return _write(os.path.join(d, "truncated.errlog.gz"), data[: len(data) // 2])


def truncated_zip(d):
    data = zip_bytes([("Temp/a.errlog", utf16(_log_text())), ("Temp/b.errlog", utf16(_log_text()))])
    return _write(os.path.join(d, "truncated.zip"), data[: len(data) // 2])


def bad_crc_zip(d, member="Temp/bad.errlog"):
    """A zip whose member's stored CRC-32 does not match its (intact) data."""
    data = bytearray(zip_bytes([(member, utf16(_log_text(50)))]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(member)
    for off in (info.header_offset + 14, data.rfind(b"PK\x01\x02") + 16):  # local and central CRC
        crc = struct.unpack_from("<I", data, off)[0]
        struct.pack_into("<I", data, off, crc ^ 0xDEADBEEF)
    return _write(os.path.join(d, "badcrc.zip"), bytes(data))


def encrypted_zip(d, member="secret.errlog"):
    """A zip with one ZipCrypto member (zip -P), or a member flagged encrypted without zip."""
    path = os.path.join(d, "encrypted.zip")
    if shutil.which("zip"):
        work = os.path.join(d, "enc-work")
        os.makedirs(work)
        _write(os.path.join(work, member), utf16(_log_text(20)))
        subprocess.run(["zip", "-q", "-P", "secret", path, member], cwd=work, check=True)
        shutil.rmtree(work)
        return path
    data = bytearray(zip_bytes([(member, utf16(_log_text(20)))]))
    data[6] |= 1
    data[data.rfind(b"PK\x01\x02") + 8] |= 1
    return _write(path, bytes(data))


def _stream_bomb(write, size):
    # 'A', not NUL: a gzip of zeros reads as an empty tarball (see test_hostile.py).
    block = b"A" * (8 * MIB)
    for _ in range(size // len(block)):
        write(block)


def gzip_bomb(d, size=1 << 30):
    path = os.path.join(d, "bomb.errlog.gz")
    with gzip.open(path, "wb", compresslevel=9) as f:
        _stream_bomb(f.write, size)
    return path


def zip_bomb(d, size=1 << 30, member="bomb.errlog"):
    path = os.path.join(d, "bomb.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open(member, "w", force_zip64=True) as f:
            _stream_bomb(f.write, size)
    return path


def nested_zip(d, depth=12, leaf="deep.errlog"):
    """depth zips, each holding the next; the innermost holds an errlog with ID_LINE."""
    data = zip_bytes([(leaf, utf16(ID_LINE))])
    for level in range(depth - 1, 0, -1):
        data = zip_bytes([(f"level{level + 1}.zip", data)])
    return _write(os.path.join(d, "nested.zip"), data)


def odd_utf16(d):
    return _write(os.path.join(d, "odd.errlog"), utf16(ID_LINE + GOOD_LINE) + b"\x41")


def lone_surrogates(d):
    body = utf16(ID_LINE)
    bad = "x".encode("utf-16-le") + b"\x00\xd8" + "y".encode("utf-16-le") + b"\x00\xdc" + "\r\n".encode("utf-16-le")
    return _write(os.path.join(d, "surrogates.errlog"), body + bad + utf16(GOOD_LINE, bom=False) + b"\x00\xd8")


def invalid_utf8(d):
    junk = b"\xff\xfe\xfd bad \xc3\x28 \xe2\x82 \xf0\x28\x8c\x28 \xed\xa0\x80\n"
    return _write(os.path.join(d, "invalid-utf8.errlog"), b"x " + junk + ID_LINE.encode() + junk)


def long_line(d, size=64 * MIB, at=None):
    """One line of `size` bytes (no newline anywhere) with '(ID: 34513)' at byte `at`."""
    marker = b" The backup operation failed. (ID: 34513) "
    at = size // 2 if at is None else at
    path = os.path.join(d, "long-line.errlog")
    chunk = b"A" * MIB
    with open(path, "wb") as f:
        written = 0
        while written < at:
            n = min(len(chunk), at - written)
            f.write(chunk[:n])
            written += n
        f.write(marker)
        written += len(marker)
        while written < size:
            n = min(len(chunk), size - written)
            f.write(chunk[:n])
            written += n
    return path


def malformed_xml(d):
    return _write(os.path.join(d, "events.xml"),
                  b"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
                  b"<Provider Name='CloudBackup'/><EventID>18</EventID><Level>2</Level>"
                  b"<TimeCreated SystemTime='2024-05-01T02:30:00.000Z'/></System><EventData>"
                  b"<Data Name='Message'>unterminated & <broken</Data></Event>\n<Event><System><Provider")


def malformed_json(d):
    return _write(os.path.join(d, "events.json"),
                  b'[{"Id": 18, "ProviderName": "CloudBackup", "Message": "ok"},\n'
                  b' {"Id": "eighteen", "ProviderName": ["x"], "Message": "unterminated}\n')


def malformed_csv(d):
    return _write(os.path.join(d, "events.csv"),
                  b"Level,Date and Time,Source,Event ID,Task Category\r\n"
                  b"Error,6/11/2019 1:00:03 AM,CloudBackup,notanumber,None,\"x\"\r\n"
                  b"Error,13/45/2019 99:00:03 XM,CloudBackup,18,None,\"unterminated quote\r\n"
                  b"more text without the closing quote\r\n")


def fifo(path):
    os.mkfifo(path)
    return path
