"""Controlled vocabularies as data: codes with English, Ukrainian and Russian labels.

Codes are stored in events; labels are for people. To extend a vocabulary, add a Term; never
change or reuse a code that events may already hold.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a vocabulary."""

    code: str
    label: str
    uk: str
    ru: str
    description: str = ""

    def label_in(self, language: str) -> str:
        """The label in 'en', 'uk' or 'ru'; English for any other language."""
        return {"uk": self.uk, "ru": self.ru}.get(language, self.label)


STATUSES: tuple[Term, ...] = (
    Term("pre_trial_detention", "Pre-trial detention", "Досудове ув’язнення",
         "Предварительное заключение", "Held in custody before a verdict."),
    Term("house_arrest", "House arrest or other restrictions",
         "Домашній арешт або інші обмеження", "Домашний арест или иные ограничения",
         "Not in custody, but under house arrest, a travel ban or another restriction."),
    Term("serving_sentence", "Serving a sentence", "Відбуває покарання", "Отбывает наказание",
         "Convicted and held under a custodial sentence."),
    Term("released", "Released", "Звільнено", "Освобождён(а)",
         "Freed from custody or restrictions."),
    Term("missing", "Missing (whereabouts unknown)",
         "Зниклий безвісти (місце перебування невідоме)",
         "Пропал(а) без вести (местонахождение неизвестно)",
         "Disappeared; where the person is, is not known."),
    Term("deceased", "Deceased", "Помер(ла)", "Умер(ла)", "Died; no later fact changes this."),
    Term("persecuted_at_liberty", "Persecuted at liberty", "Переслідується на волі",
         "Преследуется на свободе", "Searched, fined or charged, but not detained."),
    Term("in_custody", "In custody (stage unknown)", "Під вартою (стадія невідома)",
         "Под стражей (стадия неизвестна)",
         "Sources say the person is held, not whether tried or sentenced."),
    Term("not_established", "Not established", "Не встановлено", "Не установлен",
         "No approved fact yet says what happened."),
)  # fmt: skip

ACTS: tuple[Term, ...] = (
    Term("arrest", "Arrest", "Арешт", "Арест"),
    Term("detention", "Detention", "Затримання", "Задержание"),
    Term("enforced_disappearance", "Enforced disappearance", "Насильницьке зникнення",
         "Насильственное исчезновение"),
    Term("abduction", "Abduction", "Викрадення", "Похищение"),
    Term("house_arrest", "House arrest", "Домашній арешт", "Домашний арест"),
    Term("travel_ban", "Travel ban", "Заборона виїзду", "Запрет на выезд"),
    Term("restriction_of_freedom", "Restriction of freedom", "Обмеження волі",
         "Ограничение свободы"),
    Term("search_raid", "Search or raid", "Обшук", "Обыск"),
    Term("torture_ill_treatment", "Torture or ill-treatment", "Катування або жорстоке поводження",
         "Пытки или жестокое обращение"),
    Term("denial_of_fair_trial", "Denial of a fair trial", "Порушення права на справедливий суд",
         "Нарушение права на справедливый суд"),
    Term("dismissal_from_work", "Dismissal from work", "Звільнення з роботи",
         "Увольнение с работы"),
    Term("deportation", "Deportation or forcible transfer", "Депортація або примусове переміщення",
         "Депортация или принудительное перемещение"),
    Term("forced_passportization", "Forced passportization", "Примусова паспортизація",
         "Принудительная паспортизация"),
    Term("unlawful_conscription", "Unlawful conscription", "Незаконний призов",
         "Незаконный призыв"),
    Term("persecution_of_media", "Persecution of media", "Переслідування медіа",
         "Преследование СМИ"),
    Term("persecution_of_religious_community", "Persecution of a religious community",
         "Переслідування релігійної громади", "Преследование религиозной общины"),
    Term("ban_of_representative_institution", "Ban of a representative institution",
         "Заборона представницького органу", "Запрет представительного органа",
         "E.g. the ban of the Mejlis of the Crimean Tatar people (2016)."),
    Term("illegal_elections_coercion", "Coercion over illegal elections",
         "Примус щодо незаконних виборів", "Принуждение в связи с незаконными выборами",
         "Pressure to take part in, or punishment for ignoring, elections held by the occupier."),
    Term("illegal_elections", "Illegal elections held by the occupier",
         "Незаконні вибори, проведені окупантом", "Незаконные выборы, проведённые оккупантом",
         "So-called elections organised by the occupying power, e.g. the 2019 'local elections'."),
    Term("fine", "Fine", "Штраф", "Штраф"),
    Term("other", "Other", "Інше", "Другое"),
)  # fmt: skip

DETENTION_ACTS: tuple[str, ...] = ("arrest", "detention", "abduction")
"""Acts a DetentionRecorded may name: the ways someone is taken into custody."""

RELIABILITY: tuple[Term, ...] = (
    Term("highly_reliable", "Highly reliable", "Цілком надійне", "Вполне надёжный"),
    Term("usually_reliable", "Usually reliable", "Зазвичай надійне", "Обычно надёжный"),
    Term("fairly_reliable", "Fairly reliable", "Досить надійне", "Довольно надёжный"),
    Term("not_usually_reliable", "Not usually reliable", "Зазвичай ненадійне",
         "Обычно ненадёжный"),
    Term("unreliable", "Unreliable", "Ненадійне", "Ненадёжный"),
    Term("cannot_be_judged", "Cannot be judged", "Неможливо оцінити", "Невозможно оценить"),
)  # fmt: skip

SOURCE_KINDS: tuple[Term, ...] = (
    Term("statement", "Statement", "Заява", "Заявление"),
    Term("article", "Article", "Стаття", "Статья"),
    Term("document", "Document", "Документ", "Документ"),
    Term("court_record", "Court record", "Судовий документ", "Судебный документ"),
    Term("witness", "Witness", "Свідок", "Свидетель"),
    Term("other", "Other", "Інше", "Другое"),
)

_ACTS = {t.code: t for t in ACTS}
_STATUSES = {t.code: t for t in STATUSES}
_RELIABILITY = {t.code: t for t in RELIABILITY}
_SOURCE_KINDS = {t.code: t for t in SOURCE_KINDS}


def is_act(code: str) -> bool:
    return code in _ACTS


def act(code: str) -> Term:
    """The act with this code; KeyError naming the code (and a close code) if unknown."""
    term = _ACTS.get(code)
    if term is None:
        raise KeyError(unknown_act_message(code))
    return term


def unknown_act_message(code: str) -> str:
    """'unknown act code 'serch_raid' (did you mean 'search_raid'?)', short whatever the list."""
    close = difflib.get_close_matches(code, _ACTS, n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return f"unknown act code {code!r}{hint}; see the acts vocabulary"


def status(code: str) -> Term:
    return _STATUSES[code]


def reliability(code: str) -> Term:
    return _RELIABILITY[code]


def source_kind(code: str) -> Term:
    return _SOURCE_KINDS[code]


_INDEXES: dict[int, tuple[tuple[Term, ...], dict[str, Term]]] = {}


def label(code: str, terms: tuple[Term, ...], language: str = "en") -> str:
    """The label of a code in a vocabulary, or the code itself if the vocabulary lacks it."""
    known = _INDEXES.get(id(terms))
    if known is None or known[0] is not terms:  # index a vocabulary once (first term wins)
        if len(_INDEXES) >= 64:  # callers pass the few vocabularies above; bound the rest
            _INDEXES.clear()
        index: dict[str, Term] = {}
        for term in terms:
            index.setdefault(term.code, term)
        known = _INDEXES[id(terms)] = (terms, index)
    found = known[1].get(code)
    return code if found is None else found.label_in(language)


__all__ = [
    "ACTS",
    "DETENTION_ACTS",
    "RELIABILITY",
    "SOURCE_KINDS",
    "STATUSES",
    "Term",
    "act",
    "is_act",
    "label",
    "reliability",
    "source_kind",
    "status",
    "unknown_act_message",
]
