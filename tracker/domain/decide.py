"""Deciding: a command, its stream's history and the actor in; new events out, or a DomainError.

Pure: ids and times come in with the command and the history; nothing is read from a clock,
a random source or a database. The caller appends the events at `history.version`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from tracker.domain import codec
from tracker.domain.commands import (
    Command,
    Correct,
    OpenCase,
    OpenReport,
    Record,
    RegisterSource,
    Retract,
    Review,
)
from tracker.domain.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from tracker.domain.events import (
    DetentionRecorded,
    DomainEvent,
    EventCorrected,
    EventRetracted,
    EventReviewed,
    PersecutionRecorded,
    ReportLinkedToCase,
    ReportOpened,
    SourceCited,
)
from tracker.domain.review import Entry, ReviewState, StreamHistory
from tracker.domain.roles import Action, Actor
from tracker.domain.streams import OPENING, RECORDABLE, StreamKind, stream_kind
from tracker.domain.values import Citation
from tracker.domain.vocabulary import DETENTION_ACTS, is_act, unknown_act_message

E = TypeVar("E", bound=DomainEvent)

_COMMAND_ONLY = {
    EventReviewed: "the Review command",
    EventCorrected: "the Correct command",
    EventRetracted: "the Retract command",
}


def decide(command: Command, history: StreamHistory, actor: Actor) -> list[DomainEvent]:
    """The events that carry out `command` on the stream whose history is given.

    Raises NotAllowed, NotFound, Invalid or Conflict (all DomainError) with a plain message and
    the command field at fault; ValueError if `history` is of another stream (a caller's bug).
    """
    if command.stream_id != history.stream_id:
        raise ValueError(f"command for {command.stream_id} with history of {history.stream_id}")
    if isinstance(command, OpenCase):
        return _open(command.opened, StreamKind.CASE, "case_id", "opened", history, actor)
    if isinstance(command, OpenReport):
        return _open(command.opened, StreamKind.REPORT, "report_id", "opened", history, actor)
    if isinstance(command, RegisterSource):
        return _open(
            command.registered, StreamKind.SOURCE, "source_id", "registered", history, actor
        )
    if isinstance(command, Record):
        return [_record(command, history, actor)]
    if isinstance(command, Review):
        return [_review(command, history, actor)]
    if isinstance(command, Correct):
        return [_correct(command, history, actor)]
    return [_retract(command, history, actor)]


def stream_of(command: Command) -> str:
    """The id of the stream a command works on (the new stream's id for an opening)."""
    return command.stream_id


def _open(
    event: DomainEvent,
    kind: StreamKind,
    id_field: str,
    event_field: str,
    history: StreamHistory,
    actor: Actor,
) -> list[DomainEvent]:
    _require(actor, Action.WRITE, f"open a {kind}")
    stream_id = history.stream_id
    if stream_kind(stream_id) is not kind:
        raise Invalid(
            f"{stream_id!r} is not a {kind} id: use '{kind}-' then up to 91 letters, digits, "
            "'_', '.', ':' or '-'",
            id_field,
        )
    if history.version:
        raise Conflict(f"{stream_id} already exists", id_field)
    _check_content(event, event_field, history)
    return [event]


def _record(command: Record, history: StreamHistory, actor: Actor) -> DomainEvent:
    _require(actor, Action.WRITE, "record events")
    kind = _opened(history)
    event = command.event
    cls = type(event)
    if cls not in RECORDABLE[kind]:
        if cls is OPENING[kind]:
            message = f"{history.stream_id} is already open; correct its {cls.TYPE} instead"
        elif cls in _COMMAND_ONLY:
            message = f"a {cls.TYPE} comes only from {_COMMAND_ONLY[cls]}"
        else:
            message = f"a {cls.TYPE} does not belong on a {kind} stream"
        raise Invalid(message, "event")
    opening = history.opening
    if opening is not None and (opening.review is ReviewState.REJECTED or opening.retracted_by):
        state = "rejected in review" if opening.retracted_by is None else "retracted"
        raise Conflict(f"{history.stream_id} was {state}; nothing more can be recorded on it")
    _check_content(event, "event", history)
    return event


def _review(command: Review, history: StreamHistory, actor: Actor) -> DomainEvent:
    _require(actor, Action.REVIEW, "review")
    _opened(history)
    entry = _target(history, command.target_event_id, "reviewed")
    if entry.recorded.actor == actor.id:
        raise NotAllowed(
            f"four eyes: you recorded {command.target_event_id} yourself; "
            "another reviewer must review it",
            "target_event_id",
        )
    if entry.review is not ReviewState.PENDING:
        raise Conflict(
            f"{command.target_event_id} was already {entry.review} by {entry.reviewer}",
            "target_event_id",
        )
    if entry.retracted_by is not None:
        raise Conflict(f"{command.target_event_id} was retracted; nothing to review")
    return _build(
        EventReviewed,
        target_event_id=command.target_event_id,
        decision=command.decision,
        note=command.note,
    )


def _correct(command: Correct, history: StreamHistory, actor: Actor) -> DomainEvent:
    entry = _amendable(command.target_event_id, "corrected", history, actor)
    current = entry.effective
    data = current.model_dump(mode="json")
    data.update(command.replacement)
    try:
        replaced = codec.validate(current.TYPE, data)
    except ValidationError as exc:
        raise _invalid(exc, "replacement") from None
    replacement = replaced.model_dump(mode="json")
    if replacement == current.model_dump(mode="json"):
        raise Invalid(f"the replacement does not change {command.target_event_id}", "replacement")
    _check_content(replaced, "replacement", history)
    return _build(
        EventCorrected,
        target_event_id=command.target_event_id,
        replacement=replacement,
        reason=command.reason,
        replacement_schema_version=type(current).SCHEMA_VERSION,
    )


def _retract(command: Retract, history: StreamHistory, actor: Actor) -> DomainEvent:
    _amendable(command.target_event_id, "retracted", history, actor)
    return _build(EventRetracted, target_event_id=command.target_event_id, reason=command.reason)


def _amendable(target_id: str, done: str, history: StreamHistory, actor: Actor) -> Entry:
    _require(actor, Action.WRITE, "correct or retract events")
    _opened(history)
    entry = _target(history, target_id, done)
    if entry.is_amendment:
        raise Invalid(
            f"{target_id} is a {entry.event.TYPE}: it cannot be {done}; "
            "reject it in review or amend the original event",
            "target_event_id",
        )
    if entry.review is ReviewState.REJECTED:
        raise Conflict(f"{target_id} was rejected in review, not to be {done}", "target_event_id")
    if entry.retracted_by is not None:
        raise Conflict(f"{target_id} was already retracted", "target_event_id")
    return entry


def _target(history: StreamHistory, target_id: str, done: str) -> Entry:
    if history.is_review(target_id):
        raise Invalid(f"{target_id} is a review; a review cannot be {done}", "target_event_id")
    entry = history.entry(target_id)
    if entry is None:
        raise NotFound(f"no event {target_id} in {history.stream_id}", "target_event_id")
    return entry


def _opened(history: StreamHistory) -> StreamKind:
    kind = stream_kind(history.stream_id)
    if kind is None:
        raise Invalid(f"{history.stream_id!r} is not a case, report or source id", "stream_id")
    if history.version == 0:
        raise NotFound(f"there is no {kind} {history.stream_id}", "stream_id")
    return kind


def _require(actor: Actor, action: Action, doing: str) -> None:
    if not actor.may(action):
        raise NotAllowed(f"the {actor.role} role may not {doing}")


def _check_content(event: DomainEvent, where: str, history: StreamHistory) -> None:
    """Rules pydantic cannot check alone: vocabulary codes and the kinds of referenced ids."""
    if isinstance(event, DetentionRecorded) and event.act not in DETENTION_ACTS:
        raise Invalid(
            f"{where}.act: a detention's act is one of {', '.join(DETENTION_ACTS)}, "
            f"not {event.act!r}",
            f"{where}.act",
        )
    if isinstance(event, PersecutionRecorded) and not is_act(event.act):
        raise Invalid(f"{where}.act: {unknown_act_message(event.act)}", f"{where}.act")
    if isinstance(event, ReportOpened):
        for i, code in enumerate(event.acts):
            if not is_act(code):
                raise Invalid(f"{where}.acts.{i}: {unknown_act_message(code)}", f"{where}.acts.{i}")
    if isinstance(event, ReportLinkedToCase):
        _check_link(event, where, history)
    if isinstance(event, SourceCited):
        _check_citation(event.citation, f"{where}.citation")
        about = event.about_event_id
        if about is not None and history.entry(about) is None:
            raise NotFound(f"no event {about} in {history.stream_id}", f"{where}.about_event_id")
    citations: tuple[Citation, ...] = getattr(event, "citations", ())
    for i, citation in enumerate(citations):
        _check_citation(citation, f"{where}.citations.{i}")


def _check_link(event: ReportLinkedToCase, where: str, history: StreamHistory) -> None:
    if stream_kind(event.case_id) is not StreamKind.CASE:
        raise Invalid(
            f"{where}.case_id: {event.case_id!r} is not a case id (case-...)", f"{where}.case_id"
        )
    for entry in history.entries:
        linked = entry.effective
        if (
            isinstance(linked, ReportLinkedToCase)
            and linked.case_id == event.case_id
            and entry.review is not ReviewState.REJECTED
            and entry.retracted_by is None
        ):
            raise Conflict(f"{history.stream_id} is already linked to {event.case_id}")


def _check_citation(citation: Citation, where: str) -> None:
    if stream_kind(citation.source_id) is not StreamKind.SOURCE:
        raise Invalid(
            f"{where}.source_id: {citation.source_id!r} is not a source id (source-...)",
            f"{where}.source_id",
        )


def _build(cls: type[E], **fields: Any) -> E:
    try:
        return cls.model_validate(fields)
    except ValidationError as exc:
        raise _invalid(exc, "") from None


def _invalid(exc: ValidationError, prefix: str) -> Invalid:
    """An Invalid naming the first bad field's path and saying what is wrong with up to three."""
    errors = exc.errors()
    paths = [".".join([prefix, *(str(p) for p in e["loc"])]).strip(".") for e in errors]
    messages = [e["msg"].removeprefix("Value error, ") for e in errors]
    shown = "; ".join(f"{p}: {m}" for p, m in list(zip(paths, messages, strict=True))[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return Invalid(shown + more, paths[0] if paths else prefix or None)


__all__ = [
    "Conflict",
    "DomainError",
    "Invalid",
    "NotAllowed",
    "NotFound",
    "decide",
    "stream_of",
]
