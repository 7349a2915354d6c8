"""Fixtures for the reliability tests."""

from __future__ import annotations

from types import ModuleType

import pytest
from reliability_support import load_generate


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    """The hostile-input generators of tests/hostile/generate.py."""
    return load_generate()
