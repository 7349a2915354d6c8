"""Helpers shared by the format readers: errors, titles, language, hosts, dates."""

from __future__ import annotations

import datetime as _dt
import email.utils
import math
import re
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ..errors import InputError

__all__ = [
    "READABLE",
    "err",
    "first_line",
    "title_candidate",
    "detect_language",
    "norm_language",
    "host_outlet",
    "json_safe",
    "parse_date",
    "count_letters",
]

#: What lagebild reads, for hints in error messages.
READABLE = "plain text, HTML, JSON, JSON Lines and WARC (.warc, .warc.gz)"

E = TypeVar("E", bound=InputError)

_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x85]+")


def err(cls: type[E], source: str, problem: str, hint: str = "") -> E:
    """An :class:`InputError` whose message is guaranteed to be one line."""
    return cls(_NEWLINES.sub(" ", source), _NEWLINES.sub(" ", problem).strip(), _NEWLINES.sub(" ", hint).strip())


def first_line(text: str) -> str | None:
    """The first non-empty line of ``text``, stripped."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            return stripped
    return None


def title_candidate(text: str, max_chars: int) -> str | None:
    """The first non-empty line when it is short enough to be a title."""
    line = first_line(text)
    if line is None or len(line) > max_chars:
        return None
    return line


_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def count_letters(text: str, limit: int | None = None) -> int:
    """Letters in ``text`` (stops counting at ``limit`` when given)."""
    if limit is None:
        return len(_LETTER.findall(text))
    n = 0
    for _ in _LETTER.finditer(text):
        n += 1
        if n >= limit:
            break
    return n


#: Characters of running text the language is guessed from (py3langid's cost grows with it).
_LANG_SAMPLE = 800
#: Only this much of the start of a text is looked at for the sample.
_LANG_WINDOW = 20000
#: Lines at least this long are running text (short lines are mostly page furniture).
_LANG_PROSE_LINE = 40
_LANG_MIN_LETTERS = 20


def _language_sample(text: str) -> str:
    """About :data:`_LANG_SAMPLE` characters of running text from the start of ``text``."""
    picked: list[str] = []
    total = 0
    for line in text[:_LANG_WINDOW].split("\n"):
        line = line.strip()
        if len(line) >= _LANG_PROSE_LINE:
            picked.append(line)
            total += len(line) + 1
            if total >= _LANG_SAMPLE:
                break
    if total < _LANG_SAMPLE // 4:
        return text[:_LANG_SAMPLE]
    return "\n".join(picked)[:_LANG_SAMPLE]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language (py3langid on a sample of running text); None if too short."""
    sample = _language_sample(text)
    if count_letters(sample, _LANG_MIN_LETTERS) < _LANG_MIN_LETTERS:
        return None
    from ._langid import classify  # loads py3langid's model on first use; keep it off import time

    code, _score = classify(sample)
    return norm_language(code)


_LANG_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")


def norm_language(value: Any) -> str | None:
    """``de-DE``/``de_AT``/``DE`` → ``de``; None for anything that is not a language tag."""
    if not isinstance(value, str):
        return None
    m = _LANG_CODE.match(value.strip())
    if not m:
        return None
    code = m.group(1).lower()
    return None if code in ("und", "mul", "zxx", "xx") else code


def host_outlet(url: str | None) -> str | None:
    """The host of ``url`` without ``www.`` and port, lower-cased; None if there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def json_safe(value: Any) -> Any:
    """``value`` made of str/int/float/bool/None/list/dict only (strictly valid JSON)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [json_safe(v) for v in items]
    return str(value)


_DMY = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$")


def parse_date(value: Any) -> str | None:
    """An ISO 8601 date or datetime string for a date given in a record, else None.

    Accepts ISO 8601 (``2023-07-27``, ``2023-07-27T10:00:00Z``), ``27.07.2023``,
    RFC 2822 (``Thu, 27 Jul 2023 10:00:00 +0200``, as in RSS), Unix epoch
    seconds or milliseconds (numbers) and a bare year (``2023``).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        if isinstance(value, int) and 1000 <= value <= 9999:
            return f"{value:04d}"  # a year
        if abs(value) < 1e8:
            return None  # too small for a timestamp of news (before 1973)
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    try:
        if len(s) == 10:
            return _dt.date.fromisoformat(s).isoformat()
        return _dt.datetime.fromisoformat(s).isoformat()
    except ValueError:
        pass
    m = _DMY.match(s)
    if m:
        try:
            return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return None
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat() if parsed is not None else None
