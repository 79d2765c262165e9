"""Without chromium the browser tests skip, saying why; under CI=true they fail instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import conftest


def test_a_missing_chromium_skips_locally_and_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-chromium is missing"):
        conftest.require_chromium()


def test_a_missing_chromium_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: the browser tests must run"):
        conftest.require_chromium()
