"""Configuration as data: packaged defaults → user file → command-line overrides.

Every setting is declared once, in ``defaults.toml`` beside this module; a user
file or an override naming a key that is not declared there is an error (a typo
must not be silently ignored), and a value must have the declared type.
"""

from __future__ import annotations

import copy
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ConfigError

__all__ = ["load_config", "defaults", "parse_override"]

# Sections whose keys are free-form (user stages may add their own settings).
_OPEN_SECTIONS = ("stages",)


def defaults() -> dict[str, Any]:
    """The packaged defaults (a fresh copy)."""
    text = resources.files(__package__).joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _merge(
    base: dict[str, Any], over: Mapping[str, Any], where: str, path: tuple[str, ...] = (), free: bool = False
) -> None:
    """Merge ``over`` into ``base``; keys must be declared unless the table is ``free``.

    ``[stages]`` may gain tables for stages the defaults do not know (user
    stages); inside those any key goes.  A built-in stage's table is strict.
    """
    for key, value in over.items():
        here = path + (key,)
        dotted = ".".join(here)
        declared = key in base
        if not declared and not free and not (path and path[0] in _OPEN_SECTIONS and len(path) == 1):
            raise ConfigError(f"{where}: unknown setting {dotted!r} — see docs/config.md for the settings lagebild knows")
        if isinstance(value, Mapping):
            target = base.setdefault(key, {})
            if not isinstance(target, dict):
                raise ConfigError(f"{where}: {dotted!r} must be a single value, not a table")
            _merge(target, value, where, here, free or not declared)
            continue
        if declared:
            expected = base[key]
            if isinstance(expected, dict):
                raise ConfigError(f"{where}: {dotted!r} is a table of settings, not a single value")
            if not _same_kind(expected, value):
                raise ConfigError(
                    f"{where}: {dotted!r} must be {type(expected).__name__}, got {value!r}"
                )
        base[key] = value


def _same_kind(expected: Any, value: Any) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool)
    if isinstance(expected, (int, float)) and isinstance(value, (int, float)):
        return isinstance(expected, float) or isinstance(value, int)
    return isinstance(value, type(expected))


def parse_override(text: str) -> dict[str, Any]:
    """``section.key=value`` → nested dict; the value is read as JSON, else as a string."""
    if "=" not in text:
        raise ConfigError(f"override {text!r}: write it as section.key=value, e.g. stages.dedup.threshold=0.9")
    dotted, raw = text.split("=", 1)
    parts = [p for p in dotted.strip().split(".") if p]
    if len(parts) < 2:
        raise ConfigError(f"override {text!r}: name a section and a key, e.g. executor.kind=inline")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    out: dict[str, Any] = {}
    cur = out
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = value
    return out


def load_config(
    user_file: str | Path | None = None,
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Defaults, then ``user_file`` (TOML), then ``overrides`` (``a.b=c`` strings or a nested dict)."""
    config = defaults()
    if user_file is not None:
        path = Path(user_file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found — check the path given to --config") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file ({exc}) — pass a readable UTF-8 TOML file") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}) — fix the syntax at the place named") from None
        _merge(config, data, str(path))
    if overrides:
        if isinstance(overrides, Mapping):
            _merge(config, copy.deepcopy(dict(overrides)), "override")
        else:
            for item in overrides:
                _merge(config, parse_override(item), f"--set {item}")
    return config
