"""Old stored events keep what they meant when the defaults change: restricted by default for
new notes and contacts, the detention stage unknown unless said, charges on detentions and
verdicts."""

from __future__ import annotations

from tracker.domain import codec
from tracker.domain.events import (
    CustodyStage,
    DetentionRecorded,
    NoteAdded,
    RelativeContactRecorded,
    VerdictDelivered,
)
from tracker.domain.values import Charge


def test_a_new_note_or_contact_is_restricted_unless_marked_public() -> None:
    assert NoteAdded(text="the family asks not to publish their address").is_restricted()
    contact = RelativeContactRecorded(name="Lilia", contact="+380 00 000 00 00")
    assert contact.is_restricted()
    assert not NoteAdded(text="public", internal=False).is_restricted()
    assert not RelativeContactRecorded(name="a", contact="b", internal=False).is_restricted()


def test_a_v1_note_keeps_its_stored_flag_and_one_without_it_stays_public() -> None:
    stored_public = codec.decode("NoteAdded", 1, {"text": "x", "internal": False})
    stored_internal = codec.decode("NoteAdded", 1, {"text": "x", "internal": True})
    bare = codec.decode("NoteAdded", 1, {"text": "x"})
    assert (stored_public.is_restricted(), stored_internal.is_restricted()) == (False, True)
    assert not bare.is_restricted()  # v1's default was public: that is what it meant
    assert codec.decode_json("NoteAdded", 1, '{"text": "x"}') == bare


def test_a_v1_contact_stays_restricted() -> None:
    event = codec.decode("RelativeContactRecorded", 1, {"name": "a", "contact": "b"})
    assert isinstance(event, RelativeContactRecorded)
    assert event.internal and event.is_restricted()


def test_a_new_detention_is_of_unknown_stage_and_a_v1_one_without_a_stage_was_pre_trial() -> None:
    assert DetentionRecorded().stage is CustodyStage.UNKNOWN
    old = codec.decode("DetentionRecorded", 1, {"act": "arrest"})
    assert isinstance(old, DetentionRecorded)
    assert old.stage is CustodyStage.PRE_TRIAL and old.charges == ()
    kept = codec.decode("DetentionRecorded", 1, {"stage": "sentenced"})
    assert isinstance(kept, DetentionRecorded) and kept.stage is CustodyStage.SENTENCED


def test_a_v1_verdict_names_no_charges_and_a_v2_one_may() -> None:
    old = codec.decode("VerdictDelivered", 1, {"outcome": "convicted"})
    assert isinstance(old, VerdictDelivered) and old.charges == ()
    charge = Charge(article="205.5", part="2")
    new = VerdictDelivered(charges=(charge,))
    kind, version, data = codec.encode(new)
    assert (kind, version) == ("VerdictDelivered", 2)
    assert codec.decode(kind, version, data) == new
