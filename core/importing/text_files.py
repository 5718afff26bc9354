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
from carelog.core.store.files import read_input


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


def read_file_bytes(path: Path, what: str = "file") -> bytes:
    """The bytes of a file to import, or BadInput naming the file.

    A folder, a device, a pipe or a socket is refused before anything is read from it.
    """
    return read_input(path, what, MAX_FILE_BYTES)


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


def sniff_encoding(head: bytes) -> str | None:
    """The encoding a file's first bytes show (a byte-order mark, or UTF-16's zero bytes).

    None when they show none: the text is then UTF-8 or Windows-1252, told by decoding it.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(head)


def check_text(head: str, name: str, what: str) -> None:
    """Refuse text that is empty or is binary data (judged by its beginning)."""
    if _mostly_binary(head):
        raise BadInput(f"The file {name} is not a {what}: it holds binary data, not text.",
                       field="file")
    if not head.strip():
        raise BadInput(f"The file {name} is empty.", field="file")


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
            except UnicodeDecodeError as exc:
                wrong = exc.start
                continue
        else:
            if _mostly_binary(data.decode("latin-1")):
                raise BadInput(f"The file {name} is not a {what}: it holds binary data, not "
                               "text.", field="file")
            raise BadInput(f"The file {name} is text in an encoding Carelog does not read (byte "
                           f"{wrong} is neither UTF-8 nor Windows-1252); save it as UTF-8 and "
                           "import it again.", field="file")
    if _mostly_binary(text):
        raise BadInput(f"The file {name} is not a {what}: it holds binary data, not text.",
                       field="file")
    if not text.strip():
        raise BadInput(f"The file {name} is empty.", field="file")
    return text, encoding
