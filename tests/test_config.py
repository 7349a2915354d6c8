"""Configuration: packaged defaults → user file → overrides, every key declared once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lagebild.config import defaults, load_config, parse_override
from lagebild.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def test_defaults_load_and_pipeline_is_valid():
    from lagebild.pipeline import Pipeline

    cfg = load_config()
    assert cfg["pipeline"]["stages"][0] == "clean"
    Pipeline.from_config(cfg)  # raises if a stage's needs are unmet


def test_user_file_then_overrides(tmp_path):
    f = tmp_path / "my.toml"
    f.write_text('[stages.dedup]\nthreshold = 0.5\n[executor]\nkind = "inline"\n', encoding="utf-8")
    cfg = load_config(f, ["stages.dedup.threshold=0.7", "executor.workers=3"])
    assert cfg["stages"]["dedup"]["threshold"] == 0.7
    assert cfg["executor"] == {**defaults()["executor"], "kind": "inline", "workers": 3}


@pytest.mark.parametrize(
    "override, message",
    [
        ("executor.kindd=inline", "unknown setting 'executor.kindd'"),
        ("executor.workers=many", "'executor.workers' must be int"),
        ("nodots", "write it as section.key=value"),
        ("executor=1", "name a section and a key"),
    ],
)
def test_bad_overrides(override, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(None, [override])


def test_bad_user_files(tmp_path):
    missing = tmp_path / "none.toml"
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("[executor\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)


def test_parse_override_values():
    assert parse_override("stages.dedup.threshold=0.9") == {"stages": {"dedup": {"threshold": 0.9}}}
    assert parse_override('pipeline.stages=["clean"]') == {"pipeline": {"stages": ["clean"]}}
    assert parse_override("executor.kind=inline") == {"executor": {"kind": "inline"}}


def test_every_setting_is_documented():
    doc = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    cfg = defaults()

    def leaves(table, prefix):  # every setting, however deep its table ([picture.stories] → picture.stories.x)
        for k, v in table.items():
            if isinstance(v, dict):
                yield from leaves(v, f"{prefix}{k}.")
            else:
                yield f"{prefix}{k}"

    keys = list(leaves(cfg, ""))
    assert "picture.stories.story_threshold" in keys and "stages.dedup.threshold" in keys
    missing = [k for k in keys if f"`{k}`" not in doc]
    assert not missing, f"settings not documented in docs/config.md: {missing}"


def test_user_stage_tables_are_free_builtin_ones_strict():
    cfg = load_config(None, ["stages.mystage.anything=1"])
    assert cfg["stages"]["mystage"] == {"anything": 1}
    with pytest.raises(ConfigError, match="unknown setting 'stages.dedup.treshold'"):
        load_config(None, ["stages.dedup.treshold=0.5"])
