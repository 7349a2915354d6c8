"""A re-run over stored articles must not change them: corpus stages are idempotent on their own output.

Found by tests/reliability/test_crash.py: after a crash the re-run sees the
already merged articles again, and ``entity_merge`` renamed a merged person
("Seehofer" + "Horst Seehofer" in one article → ``local:horst-seehofer`` named
"Seehofer") back to ``local:seehofer``, because it keys entities by name.
"""

from __future__ import annotations

import copy
from typing import Any

from lagebild.link.entities import merge_local_entities


def _ent(eid: str, name: str, *spans: tuple[int, int]) -> dict[str, Any]:
    return {"id": eid, "name": name, "type": "PER", "kb": False,
            "mentions": [{"start": s, "end": e, "text": name, "form": "name"} for s, e in spans]}


def test_entity_merge_is_idempotent_on_its_own_output() -> None:
    # "Seehofer sagte … Horst Seehofer …": the short name first, the full name later in the same article
    one = [_ent("local:seehofer", "Seehofer", (0, 8), (40, 48)), _ent("local:horst-seehofer", "Horst Seehofer", (20, 34))]
    # another article: only the short name
    two = [_ent("local:seehofer", "Seehofer", (5, 13))]
    when = ["2024-01-02", "2024-01-03"]
    once = merge_local_entities(copy.deepcopy([one, two]), when)
    assert [[e["id"] for e in doc] for doc in once] == [["local:horst-seehofer"], ["local:horst-seehofer"]]
    assert [(m["start"], m["end"]) for m in once[0][0]["mentions"]] == [(0, 8), (20, 34), (40, 48)]
    assert once[0][0]["name"] == "Horst Seehofer"
    twice = merge_local_entities(copy.deepcopy(once), when)
    assert twice == once
