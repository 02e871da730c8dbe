"""The mock's stand-in for Webex's anti-malware scan of posted files: a verdict decided from the bytes alone.

- ``infected``: the bytes contain the standard EICAR anti-virus test string (anywhere, or in a member of a zip
  archive that is not encrypted), so a download answers 410 Gone.
- ``unscannable``: a zip archive with an entry whose general-purpose flag bit 0 (encrypted) is set, in the central
  directory or in the entry's local header, so a download answers 428 unless ``allow=unscannable``.
- ``clean`` otherwise.

How long the scan takes is the mock's configuration (``webex_scan_seconds``), not this module's: the verdict is
known at once and only revealed when the scan is over.
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Literal

Verdict = Literal["clean", "infected", "unscannable"]

# The EICAR test string, assembled so that this source file does not itself carry the signature (a scanner on a
# developer's machine would otherwise quarantine it). It is the 68 bytes published by EICAR.
EICAR = b"".join(
    (
        b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        b"EICAR-STANDARD-ANTIVIRUS-",
        b"TEST-FILE!$H+H*",
    )
)

_ENCRYPTED = 0x1  # general-purpose bit flag 0: the entry is encrypted
_LOCAL_HEADER = b"PK\x03\x04"
_MEMBER_SCAN_LIMIT = 64 * 1024 * 1024  # decompress at most this much of an archive looking for the test string


def _archive_verdict(data: bytes) -> Verdict | None:
    """The verdict a zip archive's entries give, or None when the bytes are not a readable zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    for entry in entries:
        if entry.flag_bits & _ENCRYPTED:
            return "unscannable"
        start = entry.header_offset
        if data[start : start + 4] == _LOCAL_HEADER and len(data) >= start + 8:
            (local_flags,) = struct.unpack_from("<H", data, start + 6)
            if local_flags & _ENCRYPTED:
                return "unscannable"
    budget = _MEMBER_SCAN_LIMIT
    for entry in entries:
        if entry.is_dir() or entry.file_size > budget:
            continue
        budget -= entry.file_size
        try:
            member = archive.read(entry)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError):
            continue  # an entry the mock cannot unpack is skipped, as a scanner that gives up on it would
        if EICAR in member:
            return "infected"
    return None


def scan(data: bytes) -> Verdict:
    """The scan's verdict on one file's bytes."""
    if EICAR in data:
        return "infected"
    if data.startswith(_LOCAL_HEADER) or zipfile.is_zipfile(io.BytesIO(data)):
        verdict = _archive_verdict(data)
        if verdict is not None:
            return verdict
    return "clean"
