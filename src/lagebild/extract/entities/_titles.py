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

The holder (see :mod:`._roles`) is the one holder named elsewhere in the
article who held the role during the publication interval, else the one KB
person holding it over the whole interval (``published.value``, or
``earliest``..``latest``); otherwise the title becomes an ambiguous local
entity ("defence minister of Russia") with ``candidates``, never a guess.  A title directly followed by a name ("Präsident Wladimir
Putin", "le président russe Vladimir Poutine") is no mention of its own: the
name is.
"""

from __future__ import annotations

from typing import Any

from ._roles import resolve_role

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
    c = f.cues
    phrases, roles = c.role_phrases or {}, c.roles
    for i, w in enumerate(f.W):
        if not w.is_word:
            continue
        t = w.text
        if not t[:1].isupper() and t not in roles and t.casefold() not in phrases:
            continue  # :func:`role_at`'s common case, without the call
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
        holder, candidates = resolve_role(f.kb, role, states, f.span, named)
        if not candidates:
            continue  # the KB knows nobody in that role then: nothing to link or offer
        start = w.start if head is None else w.start + w.text.rfind("-") + 1
        end = f.W[last].end if inner is None else w.end  # "defence minister"; "ministre" of "ministre russe de …"
        stop = last if inner is None else i
        if holder is not None:
            m = mention(i, stop, start, end, "title", [holder])
        else:  # several holders possible, or no date: left ambiguous, never guessed
            state = f.kb.entities.get(states[0])
            local = f"{role.replace('_', ' ')} of {state.name if state is not None else states[0]}"
            m = mention(i, stop, start, end, "title", [], "PER", local, {"candidates": sorted(candidates)})
        f.mentions.append(m)
        for k in range(i, stop + 1):
            f.covered.setdefault(k, m)
