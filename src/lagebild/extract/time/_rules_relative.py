"""Rule handlers for relative expressions, durations, times of day and sets
(continues :mod:`._rules`, which handles calendar dates)."""

from __future__ import annotations

import re
from typing import Any

from ._calendar import duration_value
from ._rules import TENSE, Cand, Rules

__all__ = ["AllRules"]

_DIGIT_NEXT = re.compile(r"\s+\d")


class AllRules(Rules):
    """Every rule handler of one language."""

    # -- direction words: "im vergangenen Jahr", "kommende Woche", "nächsten Montag" -----------
    def h_direction(self, m: re.Match[str], text: str) -> Cand | None:
        d = self._dir_of(m["dir"])
        if d is None:
            return None
        offset, ref = int(d["offset"]), str(d["ref"])
        target = m["target"].lower()
        only = d.get("only")
        left = self.left_det(text, m.start("dir"))
        det = (left["det"] or "").lower()
        start = left.start() if (left["det"] or left["whole"]) else m.start("dir")
        if det in self.determiners and det not in self.dir_determiners:
            start = left.start("whole") if left["whole"] else m.start("dir")
        if det in self.same_preps and not (offset == 0 and (ref == "previous" or m["dir"].lower().startswith("dies"))):
            start = left.start("whole") if left["whole"] else m.start("dir")
        if m["num"] or target in self.plural:
            unit = self.units.get(target)
            if unit is None:
                return None
            n: float | str | None = self.num(m["num"]) if m["num"] else "X"
            return Cand(start, m.end(), "DURATION", duration_value(n if n is not None else "X", unit))
        if only and self.units.get(target) not in only:
            return None
        if target in self.units:
            unit = self.units[target]
            if unit in ("H", "MIN", "S"):
                return None  # "in letzter Sekunde", "in der nächsten Stunde": no calendar value
            if unit == "D" and d.get("day_ref"):
                ref = str(d["day_ref"])
            return Cand(start, m.end(), "DATE", rel={"unit": unit, "offset": offset, "ref": ref}, point=True)
        if target in ("wochenende", "weekend"):
            return Cand(start, m.end(), "DATE", rel={"unit": "WE", "offset": offset, "direction": TENSE, "ref": ref})
        if target in self.weekdays:
            if not m["target"][:1].isupper():
                return None
            rel = {"weekday": int(self.weekdays[target]), "direction": offset if offset else 0,
                   "strict": offset != 0, "ref": ref}
            return Cand(start, m.end(), "DATE", rel=rel)
        if target in self.months:
            mo = self._month(m, "target")
            if mo is None:
                return None
            rel = {"month": mo, "direction": offset, "strict": offset != 0, "ref": ref} if offset else \
                {"month": mo, "year_offset": 0, "ref": ref}
            return Cand(start, m.end(), "DATE", rel=rel, point=True)
        if target in self.seasons:
            rel = {"season": self.seasons[target], "direction": offset, "strict": True, "ref": ref} if offset else \
                {"season": self.seasons[target], "year_offset": 0, "ref": ref}
            return Cand(start, m.end(), "DATE", rel=rel, point=True)
        if target in self.pods and offset == 0 and ref == "previous":
            return Cand(start, m.end(), "TIME", rel={"pod": self.pods[target], "ref": "day"})
        return None

    # -- counted units: "vor zwei Tagen", "in drei Monaten", "nach zwei Tagen", "zwei Tage später",
    #    "drei Monate", "seit Jahren" — found at the unit word, read leftwards and rightwards
    def h_unit(self, m: re.Match[str], text: str) -> Cand | None:
        s, e = m.start("unit"), m.end("unit")
        unit_word = m["unit"].lower()
        unit = self.units.get(unit_word)
        if unit is None:
            return None
        L = self.p.search_left("left_unit", text, max(0, s - 60), s)
        R = self.p.right_unit.match(text, e)
        if L is None:
            return None
        pre = (L["pre"] or "").lower()
        has_num = bool(L["num"] or L["vague"])
        core = L.start("q") if L["q"] else L.start("num") if L["num"] else L.start("vague") if L["vague"] else s
        plural = unit_word in self.plural
        mod = self._mod_of(L["q"])
        if R is not None and R["later"]:
            return self._later(L, R, unit, plural, core, s, text)
        if R is not None and R["ago"] and has_num:
            return self._ago(L, unit, core, R.end())
        if pre in self.ago_before and (has_num or plural):
            return self._ago(L, unit, L.start("pre"), e) if has_num else Cand(L.start("pre"), e, "DATE", "PAST_REF")
        if not has_num:
            if plural and pre in self.vague_plural_after and not _DIGIT_NEXT.match(text, e, e + 3):
                return Cand(s, e, "DURATION", duration_value("X", unit))
            return None
        n: float | str | None = "X" if L["vague"] else self.num(L["num"])
        if n is None:
            return None
        dur_start = core
        if pre in self.ahead_before:
            if mod:
                return Cand(dur_start, e, "DURATION", duration_value(n, unit), mod=mod)
            if n == "X":
                return Cand(L.start("pre"), e, "DATE", "FUTURE_REF")
            c = Cand(L.start("pre"), e, "DATE", rel={"unit": unit, "offset": n, "ref": "publication"}, rule="ahead")
            c.duration_reading = (dur_start, duration_value(n, unit), None)
            return c
        if pre in self.after_before and (not mod or mod == "APPROX"):
            if n == "X" or unit in ("H", "MIN", "S"):
                return Cand(dur_start, e, "DURATION", duration_value(n, unit), mod=mod)
            rel = {"unit": "D", "offset": 7 * n, "ref": "previous"} if unit == "W" else {"unit": unit, "offset": n, "ref": "previous"}
            c = Cand(L.start("pre"), e, "DATE", rel=rel, mod=mod, rule="after")
            c.duration_reading = (dur_start, duration_value(n, unit), mod)
            return c
        # a plain duration
        if L["num"] and L["num"].lower() == "eines":
            return None  # "eines Tages" = some day
        if self.p.age_right.match(text, e) or self.p.age_left.search(text[max(0, core - 20): core]):
            return None
        if L["num"] and L["num"][:1].isdigit() and len(L["num"]) == 4 and not plural:
            return None
        return Cand(dur_start, e, "DURATION", duration_value(n, unit), mod=mod)

    def _ago(self, L: re.Match[str], unit: str, start: int, end: int) -> Cand | None:
        if L["vague"]:
            return Cand(start, end, "DATE", "PAST_REF")
        n = self.num(L["num"])
        if n is None:
            return None
        return Cand(start, end, "DATE", rel={"unit": unit, "offset": -n, "ref": "publication"}, mod=self._mod_of(L["q"]))

    def _later(self, L: re.Match[str], R: re.Match[str], unit: str, plural: bool, core: int, s: int,
               text: str) -> Cand | None:
        sign = int(self.T("later").get(R["later"].lower(), 0))
        if not sign:
            return None
        end = R.end()
        if L["vague"]:
            return Cand(core, end, "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF")
        if not L["num"]:
            if plural:
                return Cand(s, end, "DURATION", duration_value("X", unit))
            sp = (L["pre"] or "").lower() in self.same_preps
            if not sp and self.left_word(text, s) not in self.determiners:
                return None
            start = L.start("pre") if sp else s
            n: float | None = 1
        else:
            start, n = core, self.num(L["num"])
        if n is None:
            return None
        rel = {"unit": "D", "offset": 7 * sign * n, "ref": "previous"} if unit == "W" else \
            {"unit": unit, "offset": sign * n, "ref": "previous"}
        return Cand(start, end, "DATE", rel=rel, mod=self._mod_of(L["q"]))

    def h_unitadj(self, m: re.Match[str], text: str) -> Cand | None:
        u = self.T("unit_adjectives").get(m["u"].lower())
        n = self.num(m["num"])
        if u is None or n is None or m["u"].lstrip("-")[:1].isupper():
            return None
        if self.p.age_right.match(text, m.end()) or text[m.end(): m.end() + 4] == "-old":
            return None  # "a 45-year-old": an age
        if u == "Y" and (n >= 14 or (self.caps_nouns and m.group(0)[:1].isupper() and not m["num"][:1].isdigit())):
            return None  # "der 45-jährige …", "die Zehnjährige": an age
        return Cand(m.start(), m.end(), "DURATION", duration_value(n, u))

    def h_unitlong(self, m: re.Match[str], text: str) -> Cand | None:
        w = m["w"].lower()
        for stem, unit in self.T("unit_long").items():
            if w.startswith(stem):
                return Cand(m.start(), m.end(), "DURATION", duration_value("X", unit))
        return None

    def h_compounddur(self, m: re.Match[str], text: str) -> Cand | None:
        unit = self.T("compound_durations").get(m["w"].lower())
        return Cand(m.start(), m.end(), "DURATION", duration_value("X", unit)) if unit else None

    # -- words relative to now ---------------------------------------------------------------
    def h_deictic(self, m: re.Match[str], text: str) -> Cand | None:
        entry = self.T("deictic").get(" ".join(m["w"].lower().split()))
        if not entry:
            return None
        case = entry.get("case")
        if case == "lower" and not m["w"].islower():
            return None
        if self.narrative and entry["unit"] == "D" and entry["offset"] == 0 and not m["pod"]:
            return Cand(m.start(), m.end(), "DATE", "PRESENT_REF")
        rel: dict[str, Any] = {"unit": entry["unit"], "offset": entry["offset"], "ref": "publication"}
        if m["pod"] or entry.get("pod"):
            rel["pod"] = self.pods[m["pod"].lower()] if m["pod"] else entry["pod"]
            return Cand(m.start(), m.end(), "TIME", rel=rel)
        return Cand(m.start(), m.end(), "DATE", rel=rel, point=entry["unit"] != "D")

    def h_presadj(self, m: re.Match[str], text: str) -> Cand | None:
        nxt = self.p.right_word.match(text, m.end())
        noun = nxt.group(1).lower().rstrip(".,;:") if nxt else ""
        if m["unit"] is None and noun and noun not in self.g("present_adjective_nouns", []) and nxt.group(1)[:1].isupper():
            return None  # "im heutigen Griechenland": a place now, not a time
        return Cand(m.start(), m.end(), "DATE", "PRESENT_REF")

    def h_ref(self, m: re.Match[str], text: str) -> Cand | None:
        phrase = " ".join(m["w"].lower().split())
        v = self.T("refs").get(phrase)
        if v and " " in phrase:
            nxt = self.p.right_word.match(text, m.end())
            if nxt and nxt.group(1).lower() in self.g("ref_not_before", []):
                return None
        return Cand(m.start(), m.end(), "DATE", v) if v else None

    def h_compound(self, m: re.Match[str], text: str) -> Cand | None:
        e = self.T("compounds").get(m["w"].lower())
        if not e:
            return None
        if m["year"]:
            if e["unit"] != "Y":
                return None
            v = m["year"] + (f"-{e['day']}" if e.get("day") else "")
            return Cand(m.start(), m.end(), "DATE", v, mod=e.get("mod"), point=True)
        rel: dict[str, Any] = {"unit": e["unit"], "offset": e["offset"], "ref": e.get("ref", "publication")}
        if e.get("day"):
            rel["fixed_day"] = e["day"]
        if e["unit"] == "WE":
            rel["direction"] = TENSE
        return Cand(m.start(), m.end(), "DATE", rel=rel, mod=e.get("mod"), point=e["unit"] != "WE")

    # -- clock times and parts of the day ----------------------------------------------------
    def _tz(self, m: re.Match[str]) -> str:
        tz = m.groupdict().get("tz")
        return self.T("timezones").get(" ".join(tz.lower().split()), "") if tz else ""

    def _clock(self, m: re.Match[str], start: int, h: int, mi: int) -> Cand | None:
        if h > 24 or mi > 59 or (h == 24 and mi):
            return None
        rel: dict[str, Any] = {"time": f"{h:02d}:{mi:02d}", "ref": "day"}
        tz = self._tz(m)
        if tz:
            rel["tz"] = tz
        return Cand(start, m.end(), "TIME", rel=rel)

    def h_clock(self, m: re.Match[str], text: str) -> Cand | None:
        h = int(m["H"])
        mi = int(m["M"] or m.groupdict().get("M2") or 0)
        ampm = (m.groupdict().get("ampm") or "").lower().replace(".", "")
        if ampm:
            h = h % 12 + (12 if ampm.startswith("p") else 0)
        return self._clock(m, m.start(), h, mi)

    def h_clockbare(self, m: re.Match[str], text: str) -> Cand | None:
        return self._clock(m, m.start("H"), int(m["H"]), int(m["M"]))

    def h_clockword(self, m: re.Match[str], text: str) -> Cand | None:
        v = self.T("clock_words").get(m["w"].lower())
        return Cand(m.start(), m.end(), "TIME", rel={"time": v, "ref": "day"}) if v else None

    def h_podday(self, m: re.Match[str], text: str) -> Cand | None:
        mo = self._month(m)
        pod = self.pods.get(m["pod"].lower())
        if mo is None or pod is None:
            return None
        d = int(m["day"])
        mod = self.part_adj.get(self._stem(m["pa"], self.part_adj)) if m["pa"] else None
        if m["year"]:
            return Cand(m.start(), m.end(), "TIME", f"{self._ymd(int(m['year']), mo, d)}T{pod}", mod=mod)
        return Cand(m.start(), m.end(), "TIME", rel={"month": mo, "day": d, "pod": pod, "direction": TENSE,
                                                     "ref": "publication"}, mod=mod)

    def h_nightinto(self, m: re.Match[str], text: str) -> Cand | None:
        wd = self.weekdays.get(m["wd"].lower())
        if not wd or not m["wd"][:1].isupper():
            return None
        return Cand(m.start(), m.end(), "TIME", rel={"weekday": int(wd), "direction": TENSE, "night_before": True,
                                                     "pod": "NI", "ref": "publication"})

    def h_nightfrom(self, m: re.Match[str], text: str) -> Cand | None:
        mo = self._month(m)
        if mo is None:
            return None
        d = int(m["day"])
        if m["year"]:
            return Cand(m.start(), m.end(), "TIME", f"{self._ymd(int(m['year']), mo, d)}TNI")
        return Cand(m.start(), m.end(), "TIME", rel={"month": mo, "day": d, "pod": "NI", "direction": TENSE,
                                                     "ref": "publication"})

    def h_pod(self, m: re.Match[str], text: str) -> Cand | None:
        pod = self.pods.get(m["pod"].lower())
        if pod is None or (self.caps_nouns and not m["pod"][:1].isupper()):
            return None
        start = m.start("pa") if m["pa"] else m.start("pod")
        if self.left_word(text, start) not in self.pod_before:
            return None
        mod = self.part_adj.get(self._stem(m["pa"], self.part_adj)) if m["pa"] else None
        return Cand(start, m.end(), "TIME", rel={"pod": pod, "ref": "day"}, mod=mod)

    def h_podadv(self, m: re.Match[str], text: str) -> Cand | None:
        pod = self.T("pod_adverbs").get(m["w"].lower())
        if pod is None or not m["w"].islower():
            return None
        return Cand(m.start(), m.end(), "TIME", rel={"pod": pod, "ref": "day"})

    # -- weekdays, seasons, quarters, holidays ----------------------------------------------
    def h_weekday(self, m: re.Match[str], text: str) -> Cand | None:
        wd = self.weekdays.get(m["wd"].lower())
        if not wd or (self.g("weekdays_capitalised", True) and not m["wd"][:1].isupper()):
            return None
        rel: dict[str, Any] = {"weekday": int(wd), "direction": TENSE, "strict": False, "ref": "publication"}
        if m["podc"]:
            rel["pod"] = self.pods[m["podc"].lower()]
            return Cand(m.start(), m.end(), "TIME", rel=rel)
        return Cand(m.start(), m.end(), "DATE", rel=rel)

    def h_wdadverb(self, m: re.Match[str], text: str) -> Cand | None:
        wd = self.T("weekday_adverbs").get(m["w"].lower())
        if wd is None or (self.caps_nouns and not m["w"].islower()):
            return None
        return Cand(m.start(), m.end(), "SET", f"XXXX-WXX-{wd}")

    def h_season(self, m: re.Match[str], text: str) -> Cand | None:
        code = self.seasons.get(m["season"].lower())
        if code is None or (self.caps_nouns and not (m["pre"] or m["season"])[:1].isupper()):
            return None
        need = self.g("season_before", [])
        if need and not (m["pre"] or m["pa"]) and not _ends_with_any(text[max(0, m.start() - 24): m.start()], need):
            return None  # French "a été" (a participle), not "en été" (summer)
        mod = None
        for adj in (m["pa"], m["pre"]):
            if adj:
                mod = self.part_adj.get(self._stem(adj, self.part_adj)) or mod
        y = self._year_era(m)
        if y is not None:
            from ._calendar import format_year

            return Cand(m.start(), m.end(), "DATE", f"{format_year(y)}-{code}", mod=mod, point=True)
        if m["ofrel"]:
            return Cand(m.start(), m.end(), "DATE", rel={"season": code, **self._ofrel(m["ofrel"])}, mod=mod, point=True)
        return Cand(m.start(), m.end(), "DATE", rel={"season": code, "direction": TENSE, "ref": "publication"},
                    mod=mod, point=True)

    def h_quarter(self, m: re.Match[str], text: str) -> Cand | None:
        o = m["ord"].lower().rstrip(".")
        n = int(o) if o.isdigit() else self.T("ordinals").get(self._stem(o, self.T("ordinals")))
        code = self.T("quarters").get(m["q"].lower())
        if not n or not code or (code == "H" and n > 2):
            return None
        key = "quarter" if code == "Q" else "half"
        if m["year"]:
            return Cand(m.start(), m.end(), "DATE", f"{m['year']}-{code}{n}", point=True)
        if m["ofrel"]:
            return Cand(m.start(), m.end(), "DATE", rel={key: n, **self._ofrel(m["ofrel"])}, point=True)
        return Cand(m.start(), m.end(), "DATE", rel={key: n, "direction": TENSE, "ref": "publication"}, point=True)

    def h_quartercode(self, m: re.Match[str], text: str) -> Cand | None:
        if m["code"] == "H" and int(m["n"]) > 2:
            return None
        return Cand(m.start(), m.end(), "DATE", f"{m['year']}-{m['code'].upper()}{m['n']}", point=True)

    def h_holiday(self, m: re.Match[str], text: str) -> Cand | None:
        md = self.T("holidays").get(" ".join(m["h"].lower().split()))
        if not md:
            return None
        if m["year"]:
            return Cand(m.start(), m.end(), "DATE", f"{m['year']}-{md}", point=True)
        return Cand(m.start(), m.end(), "DATE", rel={"holiday": md, "direction": TENSE, "ref": "publication"}, point=True)

    # -- sets ----------------------------------------------------------------------------------
    def h_set(self, m: re.Match[str], text: str) -> Cand | None:
        v = self.T("sets").get(" ".join(m["w"].lower().split()))
        return Cand(m.start(), m.end(), "SET", v) if v else None

    def h_every(self, m: re.Match[str], text: str) -> Cand | None:
        t = m["target"].lower()
        n = self.num(m["num"]) if m["num"] else 1
        if n is None:
            return None
        if t in self.units:
            if m["ev"].lower() == "alle" and not m["num"] and t not in self.plural:
                return None
            return Cand(m.start(), m.end(), "SET", duration_value(n, self.units[t]))
        if t in self.weekdays:
            return Cand(m.start(), m.end(), "SET", f"XXXX-WXX-{self.weekdays[t]}")
        if t in self.months:
            return Cand(m.start(), m.end(), "SET", f"XXXX-{int(self.months[t]):02d}")
        if t in self.seasons:
            return Cand(m.start(), m.end(), "SET", f"XXXX-{self.seasons[t]}")
        if t in self.pods:
            return Cand(m.start(), m.end(), "SET", f"XXXX-XX-XXT{self.pods[t]}")
        return None


def _ends_with_any(before: str, words: list[str]) -> bool:
    """``before`` ends with one of ``words`` (then optional spaces), starting at a word boundary."""
    b = before.rstrip().lower()
    return any(b.endswith(w.lower()) and (len(b) == len(w) or not b[-len(w) - 1].isalnum()) for w in words)
