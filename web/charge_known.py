"""Whether a charge typed into a form's picker is in the shared vocabulary, and how it reads."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tracker.domain import charges
from tracker.domain.values import Charge


def charge_known(values: dict[str, Any], group: str) -> dict[str, Any] | None:
    """Whether the charge typed in a picker is in the vocabulary, and how it reads; None when
    nothing (or nothing valid) is typed yet."""
    data = {
        name: values.get(f"{group}.{name}", "") or None
        for name in ("code", "article", "part", "clause")
    }
    if not data["article"]:
        return None
    try:
        charge = Charge.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError:
        return None
    return {"in_list": charges.in_vocabulary(charge), "text": charges.describe(charge)}


__all__ = ["charge_known"]
