"""Actor-less event mentions ("der Angriff auf die Stadt") merge with an event of their story — and no further."""

from __future__ import annotations

from typing import Any

from lagebild.model import Article, Published
from lagebild.picture._events import merge_events


def _art(aid: str, clause: str, trigger: str, date: str | None, *, actors: tuple[str, ...] = (),
         targets: tuple[str, ...] = (), event: str = "ASSAULT", published: str = "2024-03-06") -> Article:
    text = clause + "."
    t0 = text.index(trigger)
    ev: dict[str, Any] = {
        "start": 0, "end": len(clause), "text": clause, "event": event, "mode": None, "context": [],
        "trigger": {"start": t0, "end": t0 + len(trigger), "text": trigger, "lemma": trigger.casefold()},
        "actors": [{"id": i, "text": i, "start": 0, "end": 1} for i in actors],
        "targets": [{"id": i, "text": i, "start": 0, "end": 1} for i in targets],
        "date": {"value": date, "mod": None, "precision": None, "anchor": "clause" if date else "none", "time": None},
        "place": None, "status": "asserted", "negated": False, "background": False, "claim": None, "evidence": [],
    }
    ents = [{"id": i, "name": i, "type": "GPE", "kb": True, "mentions": [{"start": 0, "end": 1, "text": "x", "form": "name"}]}
            for i in (*actors, *targets)]
    return Article(id=aid, outlet=f"outlet-{aid}", language="de", text=text, sentences=[[0, len(text)]],
                   events=[ev], entities=ents, published=Published(value=published))


WITH = _art("a", "Der Angriff russischer Truppen auf die Stadt Charkiw am Dienstag", "Angriff", "2024-03-05",
            actors=("gpe:ru",), targets=("gpe:ua",))
LOOSE = _art("b", "Der Angriff auf die Stadt Charkiw mit Raketen am Dienstag", "Angriff", "2024-03-05")


def _groups(events: list[dict]) -> list[list[str]]:
    return sorted(sorted(m["article"] for m in e["mentions"]) for e in events)


def test_actorless_mention_joins_the_event_of_its_story() -> None:
    evs = merge_events([WITH, LOOSE], story_of_article={"a": "story:a", "b": "story:a"})
    assert _groups(evs) == [["a", "b"]]
    (ev,) = evs
    assert ev["actors"] == ["gpe:ru"] and ev["targets"] == ["gpe:ua"] and ev["independent_sources"] == 2


def test_actorless_mention_stays_alone_outside_its_story() -> None:
    assert _groups(merge_events([WITH, LOOSE])) == [["a"], ["b"]]  # no stories known: other articles stay apart
    assert _groups(merge_events([WITH, LOOSE], story_of_article={"a": "story:a", "b": "story:b"})) == [["a"], ["b"]]


def test_two_attacks_on_different_dates_stay_apart() -> None:
    later = _art("c", "Der Angriff auf die Stadt Charkiw mit Raketen am Samstag", "Angriff", "2024-04-20",
                 published="2024-04-21")
    undated = _art("d", "Der Angriff auf die Stadt Charkiw mit Raketen", "Angriff", None, published="2024-04-22")
    stories = {k: "story:a" for k in "abcd"}
    assert _groups(merge_events([WITH, LOOSE, later, undated], story_of_article=stories)) == [
        ["a", "b"], ["c"], ["d"]]


def test_dissimilar_clauses_stay_apart() -> None:
    other = _art("e", "Die Armee meldete einen Angriff auf Lagerhallen im Hafen am Dienstag", "Angriff", "2024-03-05")
    stories = {"a": "story:a", "e": "story:a"}
    assert _groups(merge_events([WITH, other], story_of_article=stories)) == [["a"], ["e"]]
