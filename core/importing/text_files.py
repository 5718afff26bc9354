"""Reading a file to import: its bytes (with a size limit) and its text (telling the encoding).

Shared by the calendar (ICS) and spreadsheet (CSV) readers; every refusal is BadInput naming
the file.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from carelog.core.domain.errors import BadInput


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of rows are built.

    Nothing made here forms reference cycles, and the collector's repeated passes over the
    growing lists of models otherwise cost about a third of a large import.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()

MAX_FILE_BYTES = 64 * 1024 * 1024


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a file to import, or BadInput naming the file."""
    try:
        if path.is_dir():
            raise BadInput(f"{path.name} is a folder, not a file.", field="file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInput(f"The file {path.name} is {size / 2**20:.0f} MB; Carelog imports files "
                           f"of up to {MAX_FILE_BYTES // 2**20} MB.", field="file")
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"The file {path} could not be read: {exc.strerror or exc}.",
                       field="file") from exc


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:1024]
    if len(head) < 4:
        return None
    even = head[0::2].count(0) / len(head[0::2])
    odd = head[1::2].count(0) / len(head[1::2])
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _mostly_binary(text: str) -> bool:
    head = text[:65536]
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f")
    return "\x00" in head or controls > max(8, len(head) // 100)


def decode_text(data: bytes, name: str, what: str) -> tuple[str, str]:
    """Decode a file's bytes, telling the encoding by hand: BOMs, strict UTF-8, else cp1252.

    Returns the text and the encoding's name; an empty or binary file is BadInput.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding: str | None = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise BadInput(f"The file {name} is not valid {encoding.upper()} text (byte "
                           f"{exc.start} is wrong).", field="file") from exc
    else:
        for encoding in ("utf-8", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise BadInput(f"The file {name} is not a {what}: it holds binary data, not text.",
                           field="file")
    if _mostly_binary(text):
        raise BadInput(f"The file {name} is not a {what}: it holds binary data, not text.",
                       field="file")
    if not text.strip():
        raise BadInput(f"The file {name} is empty.", field="file")
    return text, encoding
