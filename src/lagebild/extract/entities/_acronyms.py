"""An acronym defined in parentheses right after a name is that name's entity.

"das Institut für Höhere Studien (IHS)", "die Japan Aerospace Exploration Agency (JAXA)": the
article then writes the acronym alone, and both name one organisation.  Without this rule the finder
gives the acronym a local entity of its own.  The acronym is taken when its letters are those of the
name in order, the first letters equal ("Deutschen Fußball Liga (DFL)", "Lesben- und
Schwulenverband Deutschland (LSVD)", "Verwaltungsgerichtshof (VwGH)"), and neither is a person (a
party after a politician's name, "Petra Hinz (SPD)", is another entity).  A translated acronym
("Organisation für wirtschaftliche Zusammenarbeit und Entwicklung (OECD)") does not spell the name
and is left alone.

Where the KB knows the name, the acronym takes its entity ("Reporter ohne Grenzen (RoG)" → the KB's
RSF).  Where it knows only the acronym, the name takes the acronym's entity if it is written nearly
as one of that entity's names ("Europäischer Zentralbank (EZB)" → the ECB); otherwise the article
defines the acronym anew and its mentions here become the name's local entity ("Internet Watch
Foundation (IWF)" is not the IMF).  Where the KB knows both, nothing changes.  Every mention of
the acronym (and of the name) in the article follows, since local mentions are grouped by name.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

__all__ = ["acronym_definitions", "spells"]


def spells(acronym: str, name: str) -> bool:
    """Whether ``acronym``'s letters are ``name``'s in order, its first letter the name's first (case
    folded): "DFL" / "Deutschen Fußball Liga", "VwGH" / "Verwaltungsgerichtshof"."""
    letters = [c for c in acronym.casefold() if c.isalpha()]
    folded = name.casefold()
    if len(letters) < 2 or not folded or letters[0] != folded[0]:
        return False
    k = 1
    for ch in folded[1:]:
        if k < len(letters) and ch == letters[k]:
            k += 1
    return k == len(letters)


def _acronym(word: str) -> bool:
    """One word with at least two capitals ("IHS", "VwGH", "BPol", "GPA-djp")."""
    return " " not in word and sum(c.isupper() for c in word) >= 2


def acronym_definitions(f: Any) -> None:
    """Join each "Name (ACR)" pair of finder ``f``'s mentions (see the module doc)."""
    text = f.text
    if " (" not in text:
        return
    starts = {m.start: m for m in f.mentions}
    pairs = []
    for m in f.mentions:
        if text[m.end : m.end + 2] != " (":
            continue
        a = starts.get(m.end + 2)
        if a is None or a is m or text[a.end : a.end + 1] != ")":
            continue
        if _person(f, m) or _person(f, a) or not _acronym(text[a.start : a.end]):
            continue
        if spells(text[a.start : a.end], text[m.start : m.end]):
            pairs.append((m, a))
    for name, acr in pairs:
        if name.ids and acr.ids:
            continue  # both known to the KB: their own entities (the same one, or different ones)
        if name.ids:  # "Reporter ohne Grenzen (RoG)": the acronym is the KB entity's
            if len(name.ids) == 1 and "candidates" not in acr.extra:
                _join_kb(f, acr.local, name.ids)
        elif acr.ids:
            if "candidates" in name.extra or not name.local:
                continue
            if len(acr.ids) == 1 and _names_alike(f.kb, acr.ids[0], name.local):
                _join_kb(f, name.local, acr.ids)  # "Europäischer Zentralbank (EZB)": a form of the KB's name
            else:  # "Internet Watch Foundation (IWF)": the article defines the acronym, the KB's IMF is not meant
                surface, ids = text[acr.start : acr.end], list(acr.ids)
                for m in f.mentions:
                    if m.ids == ids and text[m.start : m.end] == surface:
                        m.ids, m.local, m.type = [], name.local, name.type
        elif name.local and acr.local and "candidates" not in name.extra and "candidates" not in acr.extra:
            old = acr.local
            for m in f.mentions:
                if not m.ids and m.local == old:
                    m.local = name.local
                    m.type = name.type if name.type not in (None, "MISC") else m.type


def _names_alike(kb: Any, eid: str, name: str) -> bool:
    """Whether ``name`` is written nearly as one of KB entity ``eid``'s names (difflib ratio ≥ 0.8,
    case folded): an inflected or respelled form ("Europäischer Zentralbank", "Islamischen Staates")."""
    ent = kb.entities.get(eid)
    if ent is None:
        return False
    folded = name.casefold()
    return any(SequenceMatcher(None, folded, n.casefold()).ratio() >= 0.8 for n in ent.all_names())


def _person(f: Any, m: Any) -> bool:
    if m.ids:
        return any(f._type(x) == "PER" for x in m.ids)
    return m.type == "PER"


def _join_kb(f: Any, local: str | None, ids: list[str]) -> None:
    """Every local mention named ``local`` becomes a mention of the KB entity ``ids[0]``."""
    if not local:
        return
    for m in f.mentions:
        if not m.ids and m.local == local and "candidates" not in m.extra:
            m.ids, m.local, m.type = list(ids), None, None
