"""axe-core in the browser tests: the npm package installed by .ci/run under tests/browser,
injected into pages of a context that bypasses the CSP (the app's own pages never allow an
injected script)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def require_axe() -> Path:
    """The axe-core script; skips without it, or fails under CI=true."""
    if AXE.is_file():
        return AXE
    problem = f"{AXE} is missing: run `npm install` in tests/browser (.ci/run does)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(problem, pytrace=False)
    pytest.skip(problem)


def violations(page: Any) -> list[str]:
    """axe-core's violations of any impact on the page as it stands, one line per node."""
    page.add_script_tag(path=str(require_axe()))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [f"{v['id']} ({v['impact']}): {node}" for v in found for node in v["nodes"][:5]]


__all__ = ["AXE", "require_axe", "violations"]
