"""Reading numbers: digits with separators, and number words.

Values are :class:`~decimal.Decimal` so that "2,5 Millionen" is exactly
4 800 000; :func:`as_number` turns them into ``int`` (integral) or ``float``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ._lexicon import QuantityLexicon

__all__ = ["parse_digits", "parse_words", "as_number", "GROUP_SPACES"]

#: Characters that group thousands besides "." and "," and a space: apostrophes
#: (Swiss), thin, narrow no-break and no-break spaces.
GROUP_SPACES = "'’\u202f\u2009\u00a0"
_GROUP_RE = re.compile(f"[ {GROUP_SPACES}]")
#: More digits than this are an identifier (phone, account, serial number), not an amount;
#: a float holds no more, and turning a huge Decimal into an int takes quadratic time.
MAX_DIGITS = 18


def parse_digits(s: str, decimal_comma: bool) -> Decimal | None:
    """The value of a digit string such as ``4,8``, ``10.000``, ``10'000``, ``10 000``, ``1,000,000``.

    ``decimal_comma``: the language writes "," for the decimal mark (German).
    A single "." or "," followed by exactly three digits is read as a thousands
    separator when it is that language's thousands mark ("1.000" in German,
    "1,000" in English), else as the decimal mark; any other single mark is a
    decimal mark ("4.8" = 4.8 in both languages). Where both marks occur, the
    last one is the decimal mark.  More than :data:`MAX_DIGITS` digits: ``None``.
    """
    s = _GROUP_RE.sub("", s)
    if sum(c.isdigit() for c in s) > MAX_DIGITS:
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        other = "," if dec == "." else "."
        s = s.replace(other, "").replace(dec, ".")
    elif dots or commas:
        mark = "." if dots else ","
        if dots + commas > 1:
            s = s.replace(mark, "")
        else:
            head, tail = s.split(mark)
            thousands_mark = "." if decimal_comma else ","
            if len(tail) == 3 and mark == thousands_mark:
                s = head + tail
            else:
                s = f"{head}.{tail}"
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _morpheme_re(lex: QuantityLexicon) -> re.Pattern[str]:
    forms = list(lex.number_words) + list(lex.multipliers) + list(lex.fractions) + list(lex.connectors)
    alt = "|".join(re.escape(f) for f in sorted(set(forms), key=lambda s: (-len(s), s)))
    return re.compile(f"(?:{alt})")


_MORPH_CACHE: dict[str, re.Pattern[str]] = {}


def parse_words(phrase: str, lex: QuantityLexicon) -> Decimal | None:
    """The value of a number-word phrase ("dreihundertfünfzig", "twenty-five",
    "three hundred and fifty", "dreieinhalb"); ``None`` when it is not a well-formed one.

    Additive reading: units, teens and tens add up, "und" may join a unit to the
    tens after it (German "einundzwanzig"), hundert/hundred multiplies what
    precedes it (or 1), tausend/thousand closes a group of thousands, a fraction
    morpheme adds its value at the end.
    """
    pat = _MORPH_CACHE.get(lex.language)
    if pat is None:
        pat = _MORPH_CACHE[lex.language] = _morpheme_re(lex)
    words = phrase.lower().replace("-", " ").split()
    morphs: list[str] = []
    for w in words:
        pos = 0
        while pos < len(w):
            m = pat.match(w, pos)
            if m is None:
                return None
            morphs.append(m.group())
            pos = m.end()
    if not morphs or morphs[0] in lex.connectors:
        return None
    total = Decimal(0)
    current = Decimal(0)
    prev = ""  # kind of the previous morpheme: unit, ten, mult, conn, frac
    before_conn = ""
    for i, mo in enumerate(morphs):
        if mo in lex.connectors:
            if prev not in ("unit", "mult") or i == len(morphs) - 1:
                return None
            before_conn, prev = prev, "conn"
        elif mo in lex.fractions:
            if i != len(morphs) - 1 or prev == "conn":
                return None
            current += Decimal(str(lex.fractions[mo]))
            prev = "frac"
        elif mo in lex.multipliers:
            mult = Decimal(str(lex.multipliers[mo]))
            if prev == "conn":
                return None
            if mult >= 1000:
                total += (current or Decimal(1)) * mult
                current = Decimal(0)
            else:
                if current >= 100:
                    return None
                current = (current or Decimal(1)) * mult
            prev = "mult"
        else:
            v = Decimal(str(int(lex.number_words[mo])))
            kind = "unit" if v < 10 else "ten"
            if prev == "unit" or (prev == "ten" and (kind == "ten" or v >= 10)):
                return None  # "zweidrei", "zwanzig dreißig"
            if prev == "conn" and before_conn == "unit" and (v < 20 or v % 10):
                return None  # "und" after a unit only before the tens ("einundzwanzig")
            if prev == "ten" and kind == "unit" and lex.grammar.get("compound_number_words"):
                return None  # German writes units before tens
            if prev == "ten" and (current % 100) % 10:
                return None
            current += v
            prev = kind
    return total + current


def as_number(value: Decimal | None) -> int | float | None:
    """``int`` for an integral value, else ``float``; ``None`` stays ``None``."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
