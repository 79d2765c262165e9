"""The chain's fast paths give exactly what the plain recipe gives."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.eventstore.chain import (
    canonical_event,
    canonical_event_from_json,
    canonical_json,
    canonical_text,
    check_json,
)
from tracker.eventstore.model import InvalidEvent

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)
objects = st.dictionaries(text, json_values, max_size=5)


def reference_check(value: Any, where: str = "data", depth: int = 0) -> None:
    """check_json as first written: slower, plainly correct."""
    if depth > 32:
        raise InvalidEvent(f"{where}: nested deeper than 32 levels")
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidEvent(f"{where}: text contains a NUL character")
        value.encode("utf-8")
        return
    if isinstance(value, float):
        reason = "not a finite number" if not math.isfinite(value) else "a float"
        raise InvalidEvent(f"{where}: {value!r} is {reason}; store numbers as integers or text")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidEvent(f"{where}: key {key!r} is not text")
            if "\x00" in key:
                raise InvalidEvent(f"{where}: key contains a NUL character")
            reference_check(item, f"{where}.{key}", depth + 1)
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            reference_check(item, f"{where}[{index}]", depth + 1)
        return
    raise InvalidEvent(f"{where}: {type(value).__name__} is not a JSON value")


def outcome(check: Any, value: Any) -> str | None:
    try:
        check(value)
    except InvalidEvent as exc:
        return str(exc)
    return None


@settings(max_examples=200, deadline=None)
@given(
    data=objects,
    metadata=objects,
    stream_id=text,
    event_id=text,
    type_=text,
    version=st.integers(min_value=1, max_value=2**40),
    schema_version=st.integers(min_value=1, max_value=99),
)
def test_splicing_json_text_gives_the_canonical_event_bytes(
    data: dict[str, Any],
    metadata: dict[str, Any],
    stream_id: str,
    event_id: str,
    type_: str,
    version: int,
    schema_version: int,
) -> None:
    fields: dict[str, Any] = {
        "stream_id": stream_id,
        "version": version,
        "event_id": event_id,
        "type": type_,
        "schema_version": schema_version,
        "recorded_at": "2026-11-22T12:07:45.123456Z",
    }
    spliced = canonical_event_from_json(
        **fields, data_json=canonical_text(data), metadata_json=canonical_text(metadata)
    )
    assert spliced == canonical_event(**fields, data=data, metadata=metadata)


@settings(max_examples=200, deadline=None)
@given(objects)
def test_canonical_json_is_sorted_compact_utf8(value: dict[str, Any]) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == expected.encode("utf-8")


bad_leaves = st.sampled_from([1.5, float("nan"), float("inf"), "a\x00b", {1, 2}, b"x", object()])
maybe_bad = st.recursive(
    json_values | bad_leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(text | st.integers(), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(maybe_bad)
def test_check_json_refuses_what_the_reference_refuses(value: Any) -> None:
    assert outcome(check_json, value) == outcome(reference_check, value)


@pytest.mark.parametrize("depth", [31, 32, 33, 40])
def test_check_json_limits_nesting_like_the_reference(depth: int) -> None:
    leaves: list[Any] = ["x", 1, None, [], {}]
    for leaf in leaves:
        value: Any = leaf
        for _ in range(depth):
            value = {"k": value}
        assert outcome(check_json, value) == outcome(reference_check, value)
