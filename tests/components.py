"""Tests that need a real component outside Python's reach (Debian's chromium, the `ray` extra,
root for mount or chattr). Under CI=true a missing one fails the test with a message naming it, so
CI never goes green without running it; elsewhere the test skips with the same message."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(available: bool, piece: str) -> None:
    """Skip, or under CI fail, unless `available`; `piece` names what is missing, how to get it."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{piece} is missing (under CI=true a missing component fails the test)",
                    pytrace=False)
    pytest.skip(f"{piece} is missing")


def require_module(name: str, piece: str) -> ModuleType:
    """The module `name`, or skip/fail as `require` does."""
    try:
        return importlib.import_module(name)
    except ImportError:
        require(False, piece)
        raise  # not reached: require() skipped or failed
