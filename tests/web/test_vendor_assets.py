"""scripts/vendor_assets.py: copies exactly the listed npm files, idempotently, and says what to do without them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from support import REPO


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_assets", REPO / "scripts" / "vendor_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_copies_the_listed_files_once(tmp_path: Path) -> None:
    va = load_script()
    nm = tmp_path / "node_modules"
    for pkg, files in va.VENDOR.values():
        for src, _ in files:
            f = nm / pkg / src
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(f"{pkg}/{src}\n")
    (nm / "htmx.org" / "dist" / "htmx.js").write_text("not served\n")
    dest = tmp_path / "vendor"
    written = va.vendor(nm, dest)
    expected = {dest / lib / name for lib, (_, files) in va.VENDOR.items() for _, name in files}
    assert set(written) == expected
    assert {p for p in dest.rglob("*") if p.is_file()} == expected
    assert (dest / "htmx" / "htmx.min.js").read_text() == "htmx.org/dist/htmx.min.js\n"
    assert va.vendor(nm, dest) == []  # nothing changed: nothing written
    (nm / "cytoscape" / "dist" / "cytoscape.min.js").write_text("new version\n")
    assert va.vendor(nm, dest) == [dest / "cytoscape" / "cytoscape.min.js"]
    # every library ships its licence
    for lib in va.VENDOR:
        assert any(p.name.upper().startswith("LICENSE") for p in (dest / lib).iterdir()), lib


def test_clear_errors_without_node_modules(tmp_path: Path) -> None:
    va = load_script()
    with pytest.raises(SystemExit, match=r"not found — run `npm ci --no-audit --no-fund`"):
        va.vendor(tmp_path / "node_modules", tmp_path / "vendor")
    (tmp_path / "node_modules" / "htmx.org").mkdir(parents=True)
    with pytest.raises(SystemExit, match=r"missing in node_modules: htmx.org/dist/htmx.min.js"):
        va.vendor(tmp_path / "node_modules", tmp_path / "vendor")
