"""Bytes → text: byte-order marks, UTF-8 fast path, legacy encodings, normalisation.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); NUL bytes without one
mean binary data (unless the bytes are plainly BOM-less UTF-16); then strict
UTF-8 (the fast path, almost every modern file); then an encoding the input
declares (HTML ``<meta charset>``, HTTP header); then Windows-1252 when the
bytes decode to plausible Western European text (what German, French and
English legacy files are); then charset-normalizer.  Bytes that are UTF-8 but
for a few legacy bytes (pages pasted together) are read as UTF-8 with those
bytes as Windows-1252.  :func:`normalise` then puts text in Unicode NFC, makes
every line break ``\\n`` and drops stray control characters (separate, so that
HTML is only normalised after extraction).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import BinaryInputError, DecodeError
from ._common import READABLE, count_letters, err

__all__ = ["decode", "normalise", "declared_charset"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Characters other than ASCII that Windows-1252 text in a Western language plausibly holds.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŽžŸ"
    "€‚„…†‡‰‹›‘’“”•–—™«»°§¶·¢£¥©®±²³´µ¹º¼½¾¿¡ª¬×÷¦¨¯¸\xa0"
)
#: Windows-1252 is not plausible when runs of accented letters are longer than this on
#: average, or when more than this share of the letters is accented.
_MAX_ACCENTED_RUN = 2.0
_MAX_ACCENTED_SHARE = 0.6
_ACCENTED_RUN = re.compile("[À-ÖØ-öø-ÿŒœŠšŽžŸ]+")

_NON_ASCII = re.compile("[^\x00-\x7f]")
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_DECLARED = re.compile(rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([A-Za-z0-9_.:-]{2,40})""", re.I)


def declared_charset(head: bytes) -> str | None:
    """The encoding an HTML/XML document declares in its first bytes, if any."""
    m = _DECLARED.search(head[:4096])
    return m.group(1).decode("ascii") if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4:
        return None
    odd = sample[1::2].count(0) / half
    even = sample[0::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _legacy_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk), exc.end


codecs.register_error("lagebild-cp1252", _legacy_bytes)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray Windows-1252 bytes, or None if the bytes are not mostly UTF-8."""
    good = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - len(data.decode("ascii", errors="ignore"))
    bad = len(data.decode("utf-8", errors="replace")) - len(data.decode("utf-8", errors="ignore"))
    if good == 0 or bad * 4 > good:
        return None
    return data.decode("utf-8", errors="lagebild-cp1252")


def _plausible_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = _NON_ASCII.findall(text)
    if not _WESTERN.issuperset(high):
        return None
    runs = _ACCENTED_RUN.findall(text)
    if runs:
        accented = sum(map(len, runs))
        # Western words hold an accented letter or two among ASCII ones; a Cyrillic or
        # Greek legacy file decodes to whole words of accented Latin letters
        if accented / len(runs) > _MAX_ACCENTED_RUN or accented / max(count_letters(text), 1) > _MAX_ACCENTED_SHARE:
            return None
    return text


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # only off the fast path

    best = from_bytes(data).best()
    if best is None:
        return None
    enc = _codec(best.encoding)
    if enc is None or enc.startswith(("utf-16", "utf-32")):
        return None  # no NUL bytes, so not UTF-16/32: a wrong guess on short input
    return str(best), enc


def normalise(text: str) -> str:
    """NFC, every line break as ``\\n``, no control characters but tab and newline."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub("\n", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _check_controls(text: str, name: str) -> None:
    if _CONTROL.search(text) is None:
        return
    n = len(_CONTROL.findall(text))
    if n > 2 and n > len(text) * 0.005:
        raise err(
            BinaryInputError,
            name,
            f"binary data ({n} control characters), not text",
            f"lagebild reads {READABLE}; check that this is the file you meant",
        )


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` for ``data``; the text is not yet normalised (see :func:`normalise`).

    Raises :class:`BinaryInputError` for binary data and :class:`DecodeError`
    when no encoding fits.
    """
    failed: tuple[str, int] | None = None
    for bom, enc in _BOMS:  # UTF-32 LE's mark starts like UTF-16 LE's: the first that decodes wins
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                failed = failed or (enc, exc.start)
                continue
            _check_controls(text, name)
            return text, enc
    if failed is not None:
        raise err(
            DecodeError,
            name,
            f"starts with a {failed[0]} byte-order mark but is not valid {failed[0]} (byte {failed[1]})",
            "re-save the file as UTF-8",
        )
    if b"\x00" in data:
        enc16 = _bomless_utf16(data)
        text16: str | None = None
        if enc16 is not None:
            try:
                text16 = data.decode(enc16)
            except UnicodeDecodeError:
                text16 = None
        if enc16 is None or text16 is None:
            raise err(
                BinaryInputError,
                name,
                "binary data (NUL bytes), not text",
                f"lagebild reads {READABLE}; check that this is the file you meant",
            )
        _check_controls(text16, name)
        return text16, enc16
    try:
        text = data.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError:
        text, enc = _legacy(data, name, declared)
    _check_controls(text, name)
    return text, enc


def _legacy(data: bytes, name: str, declared: str | None) -> tuple[str, str]:
    dec = _codec(declared or declared_charset(data))
    if dec in ("iso8859-1", "ascii"):
        dec = "cp1252"  # as browsers do: Latin-1 labels mean Windows-1252
    if dec is not None and not dec.startswith(("utf-16", "utf-32", "utf-8")):
        try:
            # the declaration itself was read as ASCII, so the encoding must agree with ASCII
            if b"<meta charset=".decode(dec) == "<meta charset=":
                return data.decode(dec), dec
        except (UnicodeDecodeError, LookupError):  # LookupError: a declared non-text codec (base64 …)
            pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    text = _plausible_cp1252(data)
    if text is not None:
        return text, "cp1252"
    found = _charset_normalizer(data)
    if found is None:
        raise err(
            DecodeError,
            name,
            "the bytes are not valid UTF-8 and fit no known text encoding",
            "re-save the file as UTF-8, or check that it is a text file at all",
        )
    return found
