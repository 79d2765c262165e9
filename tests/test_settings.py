"""The secret key is checked in one place, for every part that signs with it."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from tracker.settings import MIN_SECRET, Settings


def test_a_missing_or_short_secret_key_is_refused_saying_what_it_is_for() -> None:
    for key in (None, SecretStr("x" * (MIN_SECRET - 1))):
        with pytest.raises(ValueError, match=r"TRACKER_SECRET_KEY .* \(it signs the links\)"):
            Settings(secret_key=key).signing_key("it signs the links")


def test_a_long_enough_secret_key_is_given_as_bytes() -> None:
    key = "k" * MIN_SECRET
    assert Settings(secret_key=SecretStr(key)).signing_key("any") == key.encode()
