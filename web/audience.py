"""Who will read each field of a form: the form says, next to every field, whether advocates
(readers of public fields) will see it. The codes are explained in `_macros.html`."""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel

from tracker.domain.events import NoteAdded, RelativeContactRecorded, SourceRegistered
from web.forms import FormField

PUBLIC = "public"
"""Advocates see it once it is approved."""
INTERNAL_FLAG = "internal_flag"
"""The box that keeps the whole entry from advocates (ticked by default)."""
IF_PUBLIC = "if_public"
"""Advocates see it only if the entry is deliberately made public."""
CONFIDENTIAL_FLAG = "confidential_flag"
"""The box that hides a source, and every citation of it, from advocates."""
IF_NOT_CONFIDENTIAL = "if_not_confidential"
"""Advocates see it unless the source is marked confidential."""
CITATION = "citation"
"""Advocates see it unless the cited source is confidential."""

_FLAGGED: dict[type[BaseModel], tuple[str, str, str]] = {
    NoteAdded: ("internal", INTERNAL_FLAG, IF_PUBLIC),
    RelativeContactRecorded: ("internal", INTERNAL_FLAG, IF_PUBLIC),
    SourceRegistered: ("confidential", CONFIDENTIAL_FLAG, IF_NOT_CONFIDENTIAL),
}


def audience_of(model: type[BaseModel], name: str) -> str:
    """The audience code of one field of `model`'s form."""
    flagged = _FLAGGED.get(model)
    if flagged is not None:
        flag, flag_code, others = flagged
        return flag_code if name == flag else others
    if name.startswith("citations."):
        return CITATION
    return PUBLIC


def with_audience(model: type[BaseModel], fields: list[FormField]) -> list[FormField]:
    """The fields, each told who will read it."""
    return [replace(f, audience=audience_of(model, f.name)) for f in fields]


__all__ = ["audience_of", "with_audience"]
