"""Bare titles ("Russlands Verteidigungsminister", "le ministre russe de la Défense") → the role holder.

A title word (``[roles]`` in the cue file; lower-case keys match lower-case
words, as French writes titles) or a title phrase (``[role_phrases]``,
"ministre de la Défense", possibly with a state adjective after its first
word) names a role; the state it is a role *of* comes from

* the compound it heads ("Kreml-Sprecher"), or
* the mention right before it ("Russlands Verteidigungsminister", "der
  russische Verteidigungsminister"), or
* a state adjective right after it ("le président russe"), or
* a mention after an ``of_words`` word ("le porte-parole du Kremlin").

The holder is the one KB person holding that role at the publication date,
or the one holder named elsewhere in the article (without a date only the
latter counts).  A title directly followed by a name ("Präsident Wladimir
Putin", "le président russe Vladimir Poutine") is no mention of its own: the
name is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["find_titles", "role_at"]


def role_at(f: Any, i: int) -> tuple[str | None, int, Any]:
    """The role named at word ``i``, the index of the phrase's last word, and a state
    adjective inside the phrase ("ministre russe de la Défense"); ``(None, i, None)`` if none."""
    c, W = f.cues, f.W
    w = W[i].text
    phrases = c.role_phrases.get(w.casefold(), ()) if c.role_phrases else ()
    if not phrases and not w[:1].isupper() and w not in c.roles:
        return None, i, None  # the common case, cheaply
    for words, role in phrases:
        k = f._next_word(i)
        adj = f.covered.get(k) if k is not None else None
        if adj is not None and adj.form == "adjective" and adj.first == k:
            k = f._next_word(adj.last)
        else:
            adj = None
        last = i
        for want in words:
            if k is None or W[k].text.casefold() != want:
                break
            last, k = k, f._next_word(k)
        else:
            return role, last, adj
    if not (w[:1].isupper() or w in c.roles):
        return None, i, None
    return c.role_of(w), i, None


def _mention_after(f: Any, i: int) -> tuple[Any, int | None]:
    """A state adjective right after word ``i``, or a mention after an of-word ("du Kremlin"):
    ``(mention, index of the word after it)``; ``(None, index of the next word)`` otherwise."""
    c = f.cues
    nx = f._next_word(i)
    if nx is None:
        return None, None
    m = f.covered.get(nx)
    if m is not None and m.first == nx and m.form == "adjective":
        return m, f._next_word(m.last)
    k = nx
    for _ in range(2):  # "du", "de la"
        if k is None or f.W[k].text.casefold() not in c.of_words:
            break
        k = f._next_word(k)
        m = f.covered.get(k) if k is not None else None
        if m is not None and m.first == k and m.ids:
            return m, f._next_word(m.last)
    return None, nx


def find_titles(f: Any, mention: Any) -> None:
    """Add title mentions to finder ``f`` (``mention``: its mention class)."""
    named = {m.ids[0] for m in f.mentions if m.ids and m.form in ("name", "short")}
    for i, w in enumerate(f.W):
        if not w.is_word:
            continue
        role, last, inner = role_at(f, i)
        if role is None:
            continue
        head = f.covered.get(i)
        if head is not None and head.form != "compound":
            continue
        after, nx = _mention_after(f, last)
        if nx is not None and (f._is_person_at(nx) or (nx not in f.covered and f._name_like(nx) and not f.W[nx].sent_start)):
            continue  # "Präsident Wladimir Putin": the name is the mention
        of: list[str] = []
        if head is not None and head.ids:
            of = head.ids
        else:
            p = f._prev_word(i)
            if p is not None and p in f.covered and f.covered[p].ids:
                of = f.covered[p].ids
            elif inner is not None:
                of = inner.ids
            elif after is not None:
                of = after.ids
        if len(of) != 1:
            continue
        ent = f.kb.entities.get(of[0])
        states = [of[0]] + ([ent.metonym_of] if ent is not None and ent.metonym_of else [])
        holders: list[str] = []
        for st in states:
            holders += [h for h in f.kb.role_holders(role, st, f.date) if h not in holders]
        if len(holders) > 1 or f.date is None:
            # without a date the KB's holders are no evidence: only a holder named here counts
            holders = [h for h in holders if h in named]
        if len(holders) != 1:
            continue
        start = w.start if head is None else w.start + w.text.rfind("-") + 1
        m = mention(i, i, start, w.end, "title", holders)
        f.mentions.append(m)
        f.covered.setdefault(i, m)
