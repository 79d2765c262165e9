"""Forms built from the event models: one field per model field, nested models flattened into
dotted names ('charge.article', 'citations.0.source_id'), and the posted form turned back into
the model's data with an error message per field.
"""

from __future__ import annotations

import enum
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from tracker.domain.dates import PartialDate
from tracker.domain.events import DetentionRecorded
from tracker.domain.values import SHORT, Charge, Citation
from tracker.domain.vocabulary import ACTS, DETENTION_ACTS, RELIABILITY, SOURCE_KINDS, label

Choices = tuple[tuple[str, str], ...]
Values = dict[str, Any]
"""Form values by field name: text for most fields, a list for multiple choices."""

_VOCABULARIES = {"reliability": RELIABILITY, "kind": SOURCE_KINDS}


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a form."""

    name: str
    label: str
    kind: str
    """text, textarea, date, select, checkbox, number, lines or checkboxes"""
    required: bool = False
    choices: Choices = ()
    help: str = ""
    max_length: int | None = None
    optional_group: str | None = None
    """The dotted name of an optional nested model this field belongs to (None if all empty)."""
    default: str = ""
    """What a new form shows (an enum's default value, 'on' for a box ticked by default)."""
    picker: str | None = None
    """The dotted name of the charge this field is part of (the form shows a charge picker)."""
    audience: str = ""
    """Who will read it (see web.audience): the form says so next to the field."""


_LABELS = {"source_id": "Source", "case_id": "Case", "about_event_id": "About event (id)"}


def words(name: str) -> str:
    """'name_variants' -> 'Name variants'; 'DetentionRecorded' -> 'Detention recorded'."""
    if name in _LABELS:
        return _LABELS[name]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:].lower()


def _optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _limits(info: Any) -> tuple[int | None, int]:
    max_length = min_length = None
    for item in info.metadata:
        max_length = getattr(item, "max_length", max_length)
        min_length = getattr(item, "min_length", min_length)
    return max_length, min_length or 0


def _enum_choices(name: str, cls: type[enum.Enum]) -> Choices:
    vocabulary = _VOCABULARIES.get(name)
    return tuple(
        (str(m.value), label(str(m.value), vocabulary) if vocabulary else words(str(m.value)))
        for m in cls
    )


def form_fields(
    model: type[BaseModel],
    *,
    choices: Mapping[str, Choices] | None = None,
    citation_slots: int = 1,
    charge_slots: int = 1,
    prefix: str = "",
    group: str | None = None,
    label_prefix: str = "",
    picker: str | None = None,
) -> list[FormField]:
    """The fields of a form for `model`; `choices` gives select options by field name
    (e.g. 'source_id', 'case_id'); a tuple of citations or charges gets that many slots."""
    choices = choices or {}
    out: list[FormField] = []
    for name, info in model.model_fields.items():
        annotation, nullable = _optional(info.annotation)
        path = f"{prefix}{name}"
        max_length, min_length = _limits(info)
        required = (info.is_required() and group is None) or min_length > 0
        text: dict[str, Any] = {
            "label": label_prefix + words(name),
            "help": info.description or "",
            "optional_group": group,
            "picker": picker,
        }
        origin = get_origin(annotation)
        if annotation is PartialDate:
            out.append(FormField(path, kind="date", **text))
        elif annotation is bool:
            ticked = "on" if info.default is True else ""
            out.append(FormField(path, kind="checkbox", default=ticked, **text))
        elif annotation is int:
            out.append(FormField(path, kind="number", **text))
        elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            options = _enum_choices(name, annotation)
            top = not prefix and isinstance(info.default, enum.Enum)
            default = str(info.default.value) if top else ""
            out.append(
                FormField(
                    path, kind="select", choices=options, required=required, default=default, **text
                )
            )
        elif annotation is str and name == "act":
            codes = DETENTION_ACTS if model is DetentionRecorded else tuple(t.code for t in ACTS)
            options = tuple((c, label(c, ACTS)) for c in codes)
            out.append(FormField(path, kind="select", choices=options, required=True, **text))
        elif annotation is str and name in choices:
            out.append(
                FormField(path, kind="select", choices=choices[name], required=required, **text)
            )
        elif annotation is str:
            kind = "textarea" if (max_length or 0) > SHORT else "text"
            out.append(FormField(path, kind=kind, required=required, max_length=max_length, **text))
        elif origin is tuple and get_args(annotation)[0] is Citation:
            for slot in range(citation_slots):
                out += form_fields(
                    Citation,
                    choices=choices,
                    prefix=f"{path}.{slot}.",
                    group=f"{path}.{slot}",
                    label_prefix=f"Citation {slot + 1}: ",
                )
        elif origin is tuple and get_args(annotation)[0] is Charge:
            for slot in range(charge_slots):
                out += form_fields(
                    Charge,
                    prefix=f"{path}.{slot}.",
                    group=f"{path}.{slot}",
                    label_prefix=f"Charge {slot + 1}: ",
                    picker=f"{path}.{slot}",
                )
        elif origin is tuple and name == "acts":
            options = tuple((t.code, t.label) for t in ACTS)
            out.append(FormField(path, kind="checkboxes", choices=options, **text))
        elif origin is tuple:
            out.append(FormField(path, kind="lines", **text))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            inner = path if nullable else group
            out += form_fields(
                annotation,
                choices=choices,
                prefix=f"{path}.",
                group=inner,
                label_prefix=f"{words(name)}: ",
                picker=path if annotation is Charge else picker,
            )
    return out


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _listify(node: Any) -> Any:
    """Turn {'0': {...}, '1': {...}} maps (citation slots) into lists, recursively."""
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_listify(node[k]) for k in sorted(node, key=int)]
    return {key: _listify(value) for key, value in node.items()}


def _value(field: FormField, form: FormData) -> tuple[Any, bool]:
    """(the value to put in the data, whether the input was left empty)."""
    if field.kind == "checkboxes":
        picked = [v for v in form.getlist(field.name) if isinstance(v, str)]
        return picked, not picked
    raw = form.get(field.name)
    text = raw.strip() if isinstance(raw, str) else ""
    if field.kind == "checkbox":
        return bool(text), not text
    if field.kind == "lines":
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return lines, not lines
    if field.kind == "date":
        return PartialDate.parse(text).model_dump(), not text
    if field.kind == "number":
        if not text:
            return None, True
        if not re.fullmatch(r"-?[0-9]{1,9}", text):
            raise ValueError(f"{text[:40]!r} is not a whole number")
        return int(text), False
    return text, not text


def parse_form(
    model: type[BaseModel], fields: Sequence[FormField], form: FormData
) -> tuple[BaseModel | None, dict[str, str]]:
    """The model the form describes, or None and an error message per field name."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    empty_groups: dict[str, bool] = {}
    for field in fields:
        try:
            value, empty = _value(field, form)
        except ValueError as exc:
            errors[field.name] = str(exc)
            continue
        if field.optional_group is not None:
            empty_groups[field.optional_group] = empty_groups.get(field.optional_group, True) and (
                empty or field.kind == "checkbox"
            )
        if empty and field.kind in ("select", "number", "date", "text") and not field.required:
            continue
        _set(data, field.name, value)
    for group, empty in empty_groups.items():
        if empty:
            _drop(data, group)
    if errors:
        return None, errors
    try:
        return model.model_validate(_listify(data)), {}
    except ValidationError as exc:
        return None, field_errors(exc)


def _drop(data: dict[str, Any], path: str) -> None:
    """Remove a nested entry, and the parents it leaves empty."""
    *parents, last = path.split(".")
    trail = [data]
    for part in parents:
        if part not in trail[-1]:
            return
        trail.append(trail[-1][part])
    trail[-1].pop(last, None)
    for parent, part in reversed(list(zip(trail[:-1], parents, strict=True))):
        if not parent[part]:
            del parent[part]


def date_text(value: PartialDate) -> str:
    """A date as the form's text input takes it back: '2014-03', 'c. 2014', 'by 2026-02-26'."""
    if value.is_known:
        return value.display()
    return f"by {value.not_after}" if value.not_after else ""


def field_errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    """{dotted field name: message} from a pydantic error, first message per field."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(p) for p in error["loc"])
        name = name.removeprefix(prefix) if prefix else name
        errors.setdefault(name or "__all__", error["msg"].removeprefix("Value error, "))
    return errors


def flatten(data: Mapping[str, Any], prefix: str = "") -> Values:
    """Form values from a model's JSON dump (the inverse of parsing, for correction forms)."""
    values: Values = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) >= {"precision", "value"}:
            values[name] = date_text(PartialDate.model_validate(value))
        elif isinstance(value, dict):
            values.update(flatten(value, f"{name}."))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                values.update(flatten(item, f"{name}.{index}."))
        elif isinstance(value, list):
            values[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            values[name] = "on" if value else ""
        else:
            values[name] = "" if value is None else str(value)
    return values


def slots(keys: Iterable[str], name: str, least: int = 1) -> int:
    """How many slots of a repeated group ('citations', 'charges') the posted form (or its
    values) holds: one more than the highest index posted, at least `least`, at most 50."""
    found = [
        int(key.split(".")[1])
        for key in keys
        if key.startswith(f"{name}.") and key.split(".")[1][:3].isdigit() and len(key) < 200
    ]
    return min(max([least, *(i + 1 for i in found)]), 50)


def submitted(form: FormData) -> Values:
    """The posted values to show again in a form with errors."""
    values: Values = {}
    for key in form:
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = items if len(items) > 1 else (items[0] if items else "")
    return values


__all__ = [
    "FormField",
    "date_text",
    "field_errors",
    "flatten",
    "form_fields",
    "parse_form",
    "slots",
    "submitted",
    "words",
]
