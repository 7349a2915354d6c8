#!/usr/bin/env python3
"""Copy the front-end files the web app serves from ``node_modules/`` into the package.

``make assets`` runs ``npm ci`` (versions pinned in package-lock.json) and then
this script, which copies only the files the pages load, plus each library's
licence, into ``src/lagebild/web/static/vendor/<lib>/`` (git-ignored).  Running
it again copies only what changed.  Usage::

    python scripts/vendor_assets.py [--node-modules DIR] [--dest DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
from pathlib import Path

__all__ = ["VENDOR", "vendor"]

ROOT = Path(__file__).resolve().parent.parent

#: lib folder under vendor/ -> (npm package, [(file in the package, name under vendor/<lib>/)])
VENDOR: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "htmx": ("htmx.org", [
        ("dist/htmx.min.js", "htmx.min.js"),
        ("LICENSE", "LICENSE"),
    ]),
    "vis-timeline": ("vis-timeline", [
        ("standalone/umd/vis-timeline-graph2d.min.js", "vis-timeline-graph2d.min.js"),
        ("styles/vis-timeline-graph2d.min.css", "vis-timeline-graph2d.min.css"),
        ("LICENSE.md", "LICENSE.md"),
        ("LICENSE.MIT.txt", "LICENSE.MIT.txt"),
        ("LICENSE.Apache-2.0.txt", "LICENSE.Apache-2.0.txt"),
    ]),
    "cytoscape": ("cytoscape", [
        ("dist/cytoscape.min.js", "cytoscape.min.js"),
        ("LICENSE", "LICENSE"),
    ]),
    "swagger-ui": ("swagger-ui-dist", [
        ("swagger-ui-bundle.js", "swagger-ui-bundle.js"),
        ("swagger-ui.css", "swagger-ui.css"),
        ("LICENSE", "LICENSE"),
        ("NOTICE", "NOTICE"),
    ]),
}


def vendor(node_modules: Path, dest: Path) -> list[Path]:
    """Copy the files in :data:`VENDOR`; return the ones written (unchanged files are skipped)."""
    if not node_modules.is_dir():
        raise SystemExit(
            f"vendor_assets: {node_modules} not found — run `npm ci --no-audit --no-fund` in {ROOT} first "
            "(or `make assets`, which does both)"
        )
    missing = [
        f"{pkg}/{src}" for pkg, files in VENDOR.values() for src, _ in files if not (node_modules / pkg / src).is_file()
    ]
    if missing:
        raise SystemExit(
            "vendor_assets: missing in node_modules: " + ", ".join(missing)
            + " — run `npm ci --no-audit --no-fund` again (package-lock.json pins the versions this script expects)"
        )
    written: list[Path] = []
    for lib, (pkg, files) in VENDOR.items():
        out = dest / lib
        out.mkdir(parents=True, exist_ok=True)
        for src, name in files:
            source, target = node_modules / pkg / src, out / name
            if target.is_file() and filecmp.cmp(source, target, shallow=False):
                continue
            shutil.copyfile(source, target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    ap.add_argument("--dest", type=Path, default=ROOT / "src" / "lagebild" / "web" / "static" / "vendor")
    args = ap.parse_args(argv)
    written = vendor(args.node_modules, args.dest)
    print(f"vendor_assets: {len(written)} file(s) updated in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
