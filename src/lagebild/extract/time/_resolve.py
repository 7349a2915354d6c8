"""Resolution of relative expressions: walks the output dicts in text order,
tracking the last mentioned date (used by :func:`.tagger.find_times` and
:func:`.tagger.resolve_times`)."""

from __future__ import annotations

from typing import Any

from ._calendar import format_year, parse_value, resolve_relative
from ._rules import TENSE
from ._select import DAY as _DAY
from ._select import PREP_MODS as _PREP_MODS
from ._select import REFS as _REFS

__all__ = ["Resolver", "set_direction", "norm_anchor"]


def set_direction(rel: dict[str, Any], tense: str | None, narrative: bool) -> None:
    if rel.get("direction") != TENSE:
        return
    if narrative:
        rel["direction"] = 0 if "weekday" in rel else None
    else:
        rel["direction"] = {"past": -1, "future": 1}.get(tense or "", 0)


def _unresolved(rel: dict[str, Any]) -> str | None:
    if "month" in rel and "year_offset" not in rel:
        v = f"XXXX-{int(rel['month']):02d}" + (f"-{int(rel['day']):02d}" if rel.get("day") else "")
    elif "holiday" in rel:
        v = f"XXXX-{rel['holiday']}"
    elif "season" in rel and "year_offset" not in rel:
        v = f"XXXX-{rel['season']}"
    elif "time" in rel or "pod" in rel:
        return f"XXXX-XX-XXT{rel.get('time') or rel.get('pod')}{rel.get('tz') or ''}"
    else:
        return None
    if "pod" in rel or "time" in rel:
        v += f"T{rel.get('time') or rel.get('pod')}"
    return v


class Resolver:
    """Resolves relative expressions in text order, tracking the last mentioned date."""

    def __init__(self, anchor: str | None, inferred: bool) -> None:
        self.anchor = norm_anchor(anchor)
        self.inferred = inferred
        self.last: tuple[str, bool] | None = None  # (value, rests on an inferred anchor)
        self.last_day: tuple[str, bool] | None = None
        self.items: list[dict[str, Any]] = []
        self.pos = 0

    def run(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        deferred: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            self.pos = i
            for x in item.get("parts") or [item]:
                x.setdefault("type", item.get("type"))
                rel = x.get("relative")
                if rel and rel.get("ref") in ("expression", "event") and int(rel.get("index", -1)) > i:
                    deferred.append(x)  # "um 15 Uhr am Freitag": resolved once Friday is
                    continue
                self._one(x)
            if item.get("parts"):
                self._range(item)
        for x in deferred:
            self._one(x)

    def _base(self, rel: dict[str, Any]) -> tuple[str | None, bool, str]:
        ref = rel.get("ref", "publication")
        if ref == "expression":
            k = int(rel.get("index", -1))
            v = self.items[k].get("value") if 0 <= k < len(self.items) else None
            if v and _DAY.match(v):
                return v[:10], bool(self.items[k].get("anchor_inferred")), "previous"
            return self.anchor, self.inferred, "publication"
        src = self.last if ref == "previous" else self.last_day if ref == "day" else None
        if src is not None:
            return src[0], src[1], "previous"
        return self.anchor, self.inferred, "publication"

    def _one(self, item: dict[str, Any]) -> None:
        rel = item.get("relative")
        if rel is None:
            self._note(item, False)
            return
        if rel.get("ref") == "event":
            self._event(item, rel)
            return
        base, dep, used = self._base(rel)
        if base is None:
            used = "publication" if rel.get("ref", "publication") == "publication" else "previous"
        if "year_num" in rel or "decade_num" in rel:
            p = parse_value(base)
            bc = p is not None and p.year < 0
            n = int(rel.get("year_num") or rel.get("decade_num") or 0)
            item["value"] = (("BC" if bc else "") + f"{n:03d}X") if "decade_num" in rel else format_year(-n if bc else n)
            item["anchor"] = used if bc else "absolute"
            dep = dep and bc
        else:
            value = resolve_relative(rel, base) if base else None
            item["value"] = value if value is not None or base else _unresolved(rel)
            item["anchor"] = used
        if self.inferred and base is not None and dep:
            item["anchor_inferred"] = True
        else:
            item.pop("anchor_inferred", None)
        self._note(item, bool(base is not None and dep))

    def _event(self, item: dict[str, Any], rel: dict[str, Any]) -> None:
        """"drei Tage vor der Wahl": the event's date (an expression in the text) moved by the offset, or None."""
        k = int(rel.get("index", -1))
        ev = self.items[k] if 0 <= k < len(self.items) else None
        base = ev.get("value") if ev is not None else None
        value = None
        if base and parse_value(base) is not None:
            shift = {"unit": rel.get("unit", "D"), "offset": rel.get("offset", 0)}
            value = resolve_relative(shift, base) if rel.get("offset") else base
        item["value"] = value
        item["anchor"] = "event"
        dep = bool(value and ev is not None and ev.get("anchor_inferred"))
        if dep:
            item["anchor_inferred"] = True
        else:
            item.pop("anchor_inferred", None)
        self._note(item, dep)

    def _note(self, item: dict[str, Any], dep: bool) -> None:
        """Remember the item's value as the last mentioned date, unless it only looks back or bounds."""
        value = item.get("value")
        if item.get("type") not in ("DATE", "TIME") or not value or value in _REFS:
            return
        if item.get("mod") in _PREP_MODS:
            return
        rel = item.get("relative") or {}
        back = min(float(rel.get("offset", 0) or 0), float(rel.get("year_offset", 0) or 0)) < 0
        if back and rel.get("ref") == "previous":
            return
        if parse_value(value) is None:
            return
        self.last = (value, dep)
        if _DAY.match(value):
            self.last_day = (value[:10], dep)

    def _range(self, item: dict[str, Any]) -> None:
        parts = item["parts"]
        first = parts[0]
        if first.get("value") and parse_value(first["value"]):
            self.last = (first["value"], bool(first.get("anchor_inferred")))
        item["value"] = first.get("value")
        item["range_end"] = parts[-1].get("value")
        item["anchor"] = first.get("anchor", "absolute")
        if any(p.get("anchor_inferred") for p in parts):
            item["anchor_inferred"] = True
        else:
            item.pop("anchor_inferred", None)


def norm_anchor(anchor: str | None) -> str | None:
    if not anchor:
        return None
    a = anchor.strip().replace(" ", "T")
    return a if parse_value(a) else None


