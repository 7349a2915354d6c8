"""A ceiling on entities split within an article (bench/fragments.py) on the first 300 10kGNAD articles.

Measured when the rules of ``_local.local_surnames`` and ``_local.local_variants`` were written
(twentieth session): 100 local entities in those articles named another entity of their article in
the genitive or by its bare surname before the rules, 9 after (over 10kGNAD test and the Wikinews
texts: 488 → 47).  Most of the 9 are two people sharing a surname, which stay apart.  The ceiling
leaves room for a few such changes, and fails if the rules stop working.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REPO, load_script

from lagebild.extract.entities import entities_of_text
from lagebild.kb import load_kb

pytestmark = pytest.mark.shared

CEILING = 15


def _bench():
    return load_script(REPO / "bench" / "fragments.py")


def test_few_entities_are_split_within_an_article(shared: Path) -> None:
    bench = _bench()
    texts = bench.load_texts(shared / "data" / "10kgnad" / "test.csv", None, 300)
    assert len(texts) == 300
    kb = load_kb()
    found = [row for _, text in texts for row in bench.split_entities(entities_of_text(text, "de", kb=kb, ner=True))]
    assert len(found) <= CEILING, found


def test_the_count_sees_a_split() -> None:
    # the measure itself, on entities as the stage writes them: a genitive, a bare surname and its genitive
    ents = [
        {"id": "local:karl-sternwald", "type": "PER", "kb": False,
         "mentions": [{"text": "Karl Sternwald"}]},
        {"id": "local:sternwalds", "type": "PER", "kb": False, "mentions": [{"text": "Sternwalds"}]},
        {"id": "local:anna-pohlmann", "type": "PER", "kb": False, "mentions": [{"text": "Anna Pohlmann"}]},
        {"id": "local:pohlmann", "type": "PER", "kb": False, "mentions": [{"text": "Pohlmann"}]},
        {"id": "local:brakmont", "type": "ORG", "kb": False, "mentions": [{"text": "Brakmont"}]},
        {"id": "local:brakmonts", "type": "ORG", "kb": False, "mentions": [{"text": "Brakmonts"}]},
    ]
    kinds = sorted(k for k, *_ in _bench().split_entities(ents))
    assert kinds == ["genitive", "genitive_surname", "surname"], kinds
