"""docs/reliability.md names the test proving each promise: every named test must exist."""

from __future__ import annotations

import re

from support import REPO


def test_every_test_named_in_the_reliability_doc_exists() -> None:
    text = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    named, last = [], None
    for token in re.findall(r"`([^`]+)`", text):
        if token.startswith("tests/"):
            last, _, name = token.partition("::")
        elif token.startswith("::") and last:
            name = token[2:]
        else:
            continue
        path = REPO / last
        assert path.is_file(), f"docs/reliability.md names {last}, which does not exist"
        if name:
            assert re.search(rf"^\s*(async )?def {name}\(", path.read_text(encoding="utf-8"), re.M), f"{last}::{name} is gone"
            named.append(name)
    assert len(named) >= 25
