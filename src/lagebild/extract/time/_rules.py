"""Rule handlers: one regex match → one candidate time expression.

Each ``h_<rule>`` method of :class:`Rules` gets the match of the rule of that
name (see :mod:`._patterns`) and returns a :class:`Cand` or None (the match is
not a time expression after all: an amount, an age, a name …).  Relative
meanings are described in ``Cand.rel`` (the ``relative`` dict of the output);
``rel["direction"] == "tense"`` is filled in from the clause tense later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ._calendar import format_year
from ._patterns import Patterns

__all__ = ["Cand", "Rules"]

TENSE = "tense"  # placeholder direction, set from the clause tense
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
_DIGIT_BEFORE = re.compile(r"\d[ \t]$")
_DIGIT_AFTER = re.compile(r"^[ \t]*\d")
_RANGE_BEFORE = re.compile(r"\d{4}\s*[–—/-]\s*$")


#: one rule as :func:`._select.scan` tries it: its anchored match, its handler, its name
Step = tuple[Callable[[str, int], "re.Match[str] | None"], Callable[["re.Match[str]", str], "Cand | None"], str]


@dataclass(slots=True)
class Cand:
    """A candidate expression before overlap resolution and resolution."""

    start: int
    end: int
    type: str
    value: str | None = None
    rel: dict[str, Any] | None = None
    mod: str | None = None
    rule: str = ""
    point: bool = False  #: a DATE point that part words and prepositions may modify
    duration_reading: tuple[int, str, str | None] | None = None  #: (start, value, mod) if past tense
    parts: list[Cand] = field(default_factory=list)
    tense: str | None = None

    @property
    def length(self) -> int:
        return self.end - self.start


def _low(s: str | None) -> str:
    return (s or "").lower().rstrip(".")


class Rules:
    """Handlers for one language's patterns."""

    def __init__(self, pats: Patterns) -> None:
        self.p = pats
        lex = pats.lex
        self.T = lex.table
        self.g = lex.grammar
        self.months = {**{k: v for k, v in self.T("months").items()}, **self.T("month_abbrevs")}
        self.ambiguous_months = self.T("ambiguous_months")
        self.weekdays = self.T("weekdays")
        self.units = self.T("units")
        self.plural = self.T("plural_units")
        self.seasons = self.T("seasons")
        self.pods = self.T("parts_of_day")
        self.dirs = self.T("directions")
        self.parts = {" ".join(k.split()): v for k, v in self.T("parts").items()}
        self.part_adj = self.T("part_adjectives")
        self.quant = {" ".join(k.split()): v for k, v in {**self.T("approx"), **self.T("quantifiers")}.items()}
        self.eras = {" ".join(k.split()): v for k, v in self.T("eras").items()}
        self.year_ctx = set(lex.words("year_context"))
        self.year_ctx_weak = set(lex.words("year_context", "weak"))
        self.year_right_units = set(lex.words("year_context", "right_units"))
        self.qty_ctx = set(lex.words("quantity_context"))
        self.year_right = set(lex.words("year_context", "right"))
        self.caps_nouns = bool(self.g("capitalised_nouns", False))
        self.months_caps = bool(self.g("months_capitalised", True))
        self.pod_before = set(self.g("pod_before", []))
        self.same_preps = set(self.g("same_prepositions", []))
        self.determiners = set(self.g("determiners", []))
        self.dir_determiners = set(self.g("direction_determiners", self.g("determiners", [])))
        # words before a counted unit ("vor zwei Tagen", "in drei Monaten", "nach zwei Tagen", "seit Jahren")
        self.ago_before = set(self.g("ago_before", []))
        self.ahead_before = set(self.g("ahead_before", []))
        self.after_before = set(self.g("after_before", []))
        self.vague_plural_after = set(self.g("vague_plural_after", []))
        self.narrative = False
        self.handlers = tuple(getattr(self, "h_" + name) for name, _ in pats.rules)
        # what :func:`._select.scan` tries at a trigger word, or at digits by what follows them:
        # (the rule's anchored match, its handler, its name), the rules in order
        steps = tuple((rx.match, h, name) for (name, rx), h in zip(pats.rules, self.handlers))
        self.word_steps: dict[str, tuple[Step, ...]] = {w: tuple(steps[i] for i in idx)
                                                        for w, idx in pats.triggers.items()}
        self.digit_steps: dict[str, tuple[Step, ...]] = {k: tuple(steps[i] for i in idx)
                                                         for k, idx in pats.digit_rules.items()}

    # -- helpers -----------------------------------------------------------------------------
    def num(self, s: str | None) -> float | None:
        if not s:
            return None
        s = s.strip().lower().rstrip("-")
        if s[:1].isdigit():
            return float(s.replace(",", "."))
        words = s.split()
        n = self.p.numbers.get(words[0])
        f = self.p.fractions.get(words[-1]) if len(words) > 1 else None
        if n is None:
            return self.p.fractions.get(words[0])
        if f is not None:
            return f if n == 1 else n + f
        return n

    def _dir_of(self, word: str) -> dict[str, Any] | None:
        w = word.lower()
        for stem in sorted(self.dirs, key=len, reverse=True):
            if w.startswith(stem):
                return self.dirs[stem]
        return None

    def _ofrel(self, text: str) -> dict[str, Any]:
        words = text.lower().split()
        for w in words:
            d = self._dir_of(w) if w not in ("des", "der", "of", "the") else None
            if d is not None:
                return {"year_offset": int(d["offset"]), "ref": d["ref"]}
        return {"year_offset": 0, "ref": "previous"}

    def _month(self, m: re.Match[str], group: str = "month") -> int | None:
        raw = m.group(group)
        if raw is None:
            return None
        if self.months_caps and not raw[:1].isupper():
            return None
        v = self.months.get(_low(raw))
        return int(v) if v else None

    def _year_era(self, m: re.Match[str]) -> int | None:
        gd = m.groupdict()
        if gd.get("year"):
            return int(gd["year"])
        if gd.get("eyear") and gd.get("era"):
            n = int(gd["eyear"])
            return -n if self.eras.get(" ".join(gd["era"].lower().split())) == "BC" else n
        return None

    @staticmethod
    def _ymd(y: int, mo: int | None = None, d: int | None = None) -> str:
        out = format_year(y)
        if mo:
            out += f"-{mo:02d}"
            if d:
                out += f"-{d:02d}"
        return out

    def _mod_of(self, q: str | None) -> str | None:
        return self.quant.get(" ".join(q.lower().split())) if q else None

    def left_det(self, text: str, pos: int) -> re.Match[str]:
        """Determiner / "ganze" / "frühen" words right before ``pos`` (groups det, whole, pa)."""
        m = self.p.search_left("left_det", text, max(0, pos - 40), pos)
        assert m is not None  # every group is optional
        return m

    def left_word(self, text: str, pos: int) -> str:
        """The word (or sign) right before ``pos``, lower-cased ("" if none within 30 characters)."""
        m = self.p.left_word.search(text[max(0, pos - 30): pos])
        return m.group(1).lower() if m else ""

    # -- dates ---------------------------------------------------------------------------------
    def h_iso(self, m: re.Match[str], text: str) -> Cand | None:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        v = self._ymd(y, mo, d)
        if m["H"]:
            return Cand(m.start(), m.end(), "TIME", f"{v}T{m['H']}:{m['M']}{(m['tz'] or '').replace(':', '')}")
        return Cand(m.start(), m.end(), "DATE", v, point=True)

    def h_numeric(self, m: re.Match[str], text: str) -> Cand | None:
        mo, d, y = int(m["m"]), int(m["d"]), m["y"]
        if y and len(y) == 4:
            return Cand(m.start(), m.end(), "DATE", self._ymd(int(y), mo, d), point=True)
        if y:
            return Cand(m.start(), m.end(), "DATE", rel={"year2": int(y), "month_of": mo, "day_of": d, "ref": "previous"}, point=True)
        if text[m.end(): m.end() + 1].isdigit():
            return None
        return Cand(m.start(), m.end(), "DATE", rel={"month": mo, "day": d, "direction": TENSE, "ref": "publication"}, point=True)

    def _daymonth(self, m: re.Match[str], start: int, end: int, text: str) -> Cand | None:
        mo = self._month(m)
        if mo is None:
            return None
        d = int(m["day"])
        if d > 31:
            return None
        gd = m.groupdict()
        lw = self.p.left_wd.search(text, max(0, start - 30), start)
        if lw is not None and lw["wd"][:1].isupper() and end - start > len(m["day"]) + 1:
            start = lw.start()
        y = self._year_era(m)
        clock = f"T{int(gd['H']):02d}:{gd['M']}" if gd.get("H") else ""
        tz = self.T("timezones").get(" ".join((gd.get("tz") or "").lower().split()), "") if gd.get("tz") else ""
        typ = "TIME" if clock else "DATE"
        if y is not None:
            return Cand(start, end, typ, self._ymd(y, mo, d) + clock + tz, point=not clock)
        if gd.get("ofrel"):
            rel = {"month": mo, "day": d, **self._ofrel(gd["ofrel"])}
        else:
            rel = {"month": mo, "day": d, "direction": TENSE, "ref": "publication"}
        if clock:
            rel["time"] = clock[1:]
            if tz:
                rel["tz"] = tz
        return Cand(start, end, typ, rel=rel, point=not clock)

    def h_daymonth(self, m: re.Match[str], text: str) -> Cand | None:
        return self._daymonth(m, m.start(), m.end(), text)

    h_monthday = h_daymonth

    def h_daylist(self, m: re.Match[str], text: str) -> Cand | None:
        return self._daymonth(m, m.start(), m.end("day") + len(self.g("day_suffix", "").replace("\\", "")), text)

    def h_monthlist(self, m: re.Match[str], text: str) -> Cand | None:
        mo = self._month(m)
        return Cand(m.start(), m.end("month"), "DATE", self._ymd(int(m["year"]), mo), point=True) if mo else None

    def h_month(self, m: re.Match[str], text: str) -> Cand | None:
        mo = self._month(m)
        if mo is None:
            return None
        y = self._year_era(m)
        gd = m.groupdict()
        if y is None and not gd.get("ofrel"):
            raw = m["month"]
            if raw.lower() in self.ambiguous_months and self._looks_like_name(m, text):
                return None
            if raw.endswith(".") and self.left_word(text, m.start())[:1].isdigit():
                return None
            return Cand(m.start(), m.end(), "DATE", rel={"month": mo, "direction": TENSE, "ref": "publication"}, point=True)
        if y is None:
            return Cand(m.start(), m.end(), "DATE", rel={"month": mo, **self._ofrel(gd["ofrel"])}, point=True)
        return Cand(m.start(), m.end(), "DATE", self._ymd(y, mo), point=True)

    def _looks_like_name(self, m: re.Match[str], text: str) -> bool:
        """"August Bebel", "Theresa May": a month name between capitalised name words."""
        nxt = self.p.right_word.match(text[m.end(): m.end() + 40])
        if nxt and nxt.group(1)[:1].isupper() and nxt.group(1).lower().rstrip(".,;:") not in self.year_ctx:
            return True
        before = text[max(0, m.start() - 40): m.start()]
        prev = _WORD_BEFORE.search(before)
        if prev and prev.group(1)[:1].isupper() and not self.caps_nouns:
            word = prev.group(1).lower()
            return word not in self.year_ctx and word not in self.determiners and word not in self.T("prepositions")
        return False

    def h_year(self, m: re.Match[str], text: str) -> Cand | None:
        digits = m["year"]
        n = int(digits)
        era_word = m["era"]
        if not era_word:  # "449/448 v. Chr.": the era after a second year counts for both
            nxt = self.p.year_pair.match(text, m.end())
            era_word = nxt["era"] if nxt and nxt["era"] else None
        era = self.eras.get(" ".join(era_word.lower().split())) if era_word else None
        yw = m["yw"]
        if era:
            return Cand(m.start(), m.end(), "DATE", format_year(-n if era == "BC" else n), point=True) if n else None
        if len(digits) == 4 and digits[0] != "0" and (yw or 1000 <= n <= 2100):
            if not yw and not self._year_context_ok(m, text):
                return None
            c = Cand(m.start(), m.end(), "DATE", f"{n:04d}", point=True)
            short = self.p.year_short.match(text, m.end())
            if short:  # "1926–28", "1918/19": the second year in the first's century
                y2 = n // 100 * 100 + int(short["yy"])
                if y2 > n:
                    c2 = Cand(short.start("yy"), short.end("yy"), "DATE", f"{y2:04d}", point=True)
                    return Cand(c.start, c2.end, "DATE", c.value, point=True, parts=[c, c2])
            return c
        if yw and 1 <= n and digits[0] != "0":
            if self.narrative:
                return Cand(m.start(), m.end(), "DATE", rel={"year_num": n, "ref": "previous"}, point=True)
            return Cand(m.start(), m.end(), "DATE", format_year(n), point=True)
        return None

    def _year_context_ok(self, m: re.Match[str], text: str) -> bool:
        s, e = m.start(), m.end()
        before = text[max(0, s - 3): s]
        if _DIGIT_BEFORE.search(before):
            return False  # "+49 30 2022": part of a longer number
        left = self.left_word(text, s)
        if left in self.qty_ctx:
            return False
        after = text[e: e + 40]
        if _DIGIT_AFTER.match(after):
            return False  # "2022 1234": a phone number or a list of numbers
        if left in self.year_ctx:
            return True
        line_start = text.rfind("\n", 0, s) + 1
        if not text[line_start:s].strip(" \t*-•–"):
            return True  # a list item or heading starting with the year
        if _RANGE_BEFORE.search(text[max(0, s - 8): s]):
            return True  # the end of "2014–2016"
        nxt = self.p.right_word.match(after)
        if not nxt or "\n" in after[: nxt.start(1)]:
            return True
        w = nxt.group(1)
        if not w[:1].isalpha():
            return True
        core = w.lower().rstrip(".,;:!?")
        if core in self.year_right_units:
            return False
        if self.caps_nouns:
            return not w[:1].isupper() or core in self.year_ctx or core in self.months
        return w[:1].isupper() or core in self.year_right or w[-1:] in ".,;:!?"

    def h_decade(self, m: re.Match[str], text: str) -> Cand | None:
        gd = m.groupdict()
        core = m.start("num") if gd.get("num") else m.start("dw")
        left = self.left_det(text, core)
        start = left.start() if (left["det"] or left["pa"]) else core
        pa = left["pa"]
        mod = self.part_adj.get(self._stem(pa, self.part_adj)) if pa else None
        era = self.eras.get(" ".join(gd["era"].lower().split())) if gd.get("era") else None
        gd["det"] = left["det"]
        if gd.get("dw"):
            if not (gd.get("noun") or gd.get("det")):
                return None
            digit = int(self.T("decade_words")[gd["dw"].lower()])
            return Cand(start, m.end(), "DATE", rel={"decade": digit, "ref": "publication"}, mod=mod, point=True)
        if not gd.get("suf"):
            # no "-er"/"-s": a decade only after its noun ("les années 1950")
            pre = self.p.left_decade_pre.search(text, max(0, core - 30), core)
            if pre is None:
                return None
            start = min(start, pre.start())
        raw = gd["num"]
        apos = raw[0] in "'’"
        digits = raw.lstrip("'’")
        n = int(digits)
        if len(digits) == 4:
            if not 1000 <= n <= 2100:
                return None
            return Cand(start, m.end(), "DATE", f"{n // 10:03d}X", mod=mod, point=True)
        if len(digits) == 3:
            if era == "BC":
                return Cand(start, m.end(), "DATE", f"BC{n // 10:03d}X", mod=mod, point=True)
            if not gd.get("noun"):
                return None
            return Cand(start, m.end(), "DATE", rel={"decade_num": n // 10, "ref": "previous"}, mod=mod, point=True)
        if not (gd.get("noun") or apos or (gd.get("det") and not self.caps_nouns)):
            return None
        return Cand(start, m.end(), "DATE", rel={"decade": n // 10, "ref": "publication"}, mod=mod, point=True)

    @staticmethod
    def _stem(word: str | None, table: dict[str, Any]) -> str:
        w = (word or "").lower()
        for stem in sorted(table, key=len, reverse=True):
            if w.startswith(stem):
                return stem
        return w

    def h_century(self, m: re.Match[str], text: str) -> Cand | None:
        n = int(m["n"])
        if not 1 <= n <= 22:
            return None
        era = self.eras.get(" ".join(m["era"].lower().split())) if m["era"] else None
        return Cand(m.start(), m.end(), "DATE", ("BC" if era == "BC" else "") + f"{n - 1:02d}", point=True)

    def h_part(self, m: re.Match[str], text: str) -> Cand | None:
        mod = self.parts.get(" ".join(m["part"].lower().split()))
        unit = self.g("part_periods", {}).get(m["period"].lower())
        if not unit:
            return None
        if m["year"] and unit == "Y":
            return Cand(m.start(), m.end(), "DATE", m["year"], mod=mod, point=True)
        offset, ref = 0, "publication"
        d = self._dir_of(m["dir"]) if m["dir"] else None
        if d:
            offset, ref = int(d["offset"]), d["ref"]
        return Cand(m.start(), m.end(), "DATE", rel={"unit": unit, "offset": offset, "ref": ref}, mod=mod, point=True)
