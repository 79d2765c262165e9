"""What the import pages read from their forms: the uploaded file (checked, kept server-side),
the sealed reference to it that later forms carry, the column mapping chosen per column, and
a fingerprint of the preview a person saw, so the commit does what was shown or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from starlette.datastructures import FormData, UploadFile

from tracker.domain.errors import Invalid
from tracker.importing import FIELDS, IGNORE, ImportPreview
from tracker.importing.headers import resolve
from tracker.uploads import Uploads
from web.security import seal, seal_ok

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
_PURPOSE = "import-upload"


@dataclass(frozen=True)
class Upload:
    """A file kept on the server: its bytes, name and SHA-256, and the seal later forms carry."""

    data: bytes
    filename: str
    digest: str
    seal: str


def clean_name(raw: str) -> str:
    """The file's own name, without any folder, control characters or excess length."""
    name = PurePosixPath(raw.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _sealed(key: bytes, session_id: str, digest: str, filename: str) -> str:
    return seal(key, _PURPOSE, f"{session_id}\x00{digest}\x00{filename}")


def received(form: FormData, uploads: Uploads, key: bytes, session_id: str) -> Upload | None:
    """The file posted in the `file` field, kept; None when no file was chosen.
    Invalid (422) for a file that is empty or not named as a CSV or XLSX file."""
    posted = form.get("file")
    if not isinstance(posted, UploadFile) or not posted.filename:
        return None
    filename = clean_name(posted.filename)
    if not filename.lower().endswith(SUFFIXES):
        raise Invalid(
            f"file: {filename[:80]!r} is not a CSV or XLSX file; choose a file ending in "
            + ", ".join(SUFFIXES),
            "file",
        )
    data = posted.file.read()
    if not data:
        raise Invalid(f"file: {filename[:80]!r} is empty", "file")
    digest = uploads.put(data)
    return Upload(data, filename, digest, _sealed(key, session_id, digest, filename))


def kept(form: FormData, uploads: Uploads, key: bytes, session_id: str) -> Upload:
    """The file an earlier preview kept, named by the sealed fields of its form. Invalid when
    the fields were changed, or the file is gone (committed, or kept too long)."""
    digest, filename, sent = (_text(form, name) for name in ("upload", "filename", "seal"))
    if not digest:
        raise Invalid("file: choose a CSV or XLSX file to import", "file")
    if not seal_ok(key, _PURPOSE, f"{session_id}\x00{digest}\x00{filename}", sent):
        raise Invalid("upload: this form does not name a file you uploaded; upload it again")
    data = uploads.get(digest)
    if data is None:
        raise Invalid(
            "upload: the uploaded file is no longer kept (it was imported, or the preview is "
            "more than two hours old); upload it again"
        )
    return Upload(data, filename, digest, sent)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def chosen_mapping(form: FormData, headers: list[str]) -> dict[str, str]:
    """{header: field or 'ignore'} from the per-column selects (`map-<index>`), only where the
    choice differs from what the header is recognised as. Invalid for an unknown field."""
    automatic = resolve(headers, {})
    mapping: dict[str, str] = {}
    for use in automatic:
        choice = _text(form, f"map-{use.index}")
        if not choice:
            continue
        if choice != IGNORE and choice not in FIELDS:
            raise Invalid(
                f"column {use.header[:80]!r}: no field {choice[:40]!r}; choose one of "
                f"{', '.join(FIELDS)} or {IGNORE}"
            )
        if choice != (use.field or IGNORE):
            mapping[use.header] = choice
    return mapping


def fingerprint(preview: ImportPreview) -> str:
    """A digest of what the preview said: columns, file problems, and per row its outcome,
    case, match and changes."""
    said = {
        "columns": [(u.index, u.field) for u in preview.columns],
        "problems": list(preview.problems),
        "rows": [
            (r.row, r.outcome.value, r.case_id, r.match.case_id if r.match else "", r.changes)
            for r in preview.rows
        ],
    }
    return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode()).hexdigest()


def confirmed(form: FormData) -> str:
    return _text(form, "confirm")


__all__ = [
    "SUFFIXES",
    "Upload",
    "chosen_mapping",
    "clean_name",
    "confirmed",
    "fingerprint",
    "kept",
    "received",
]
