"""Cross-script name matching: Latin, Russian and Ukrainian Cyrillic, Crimean Tatar spellings.

`search_key` folds a name to a skeleton where the usual transliterations meet: Ахтемов,
Akhtemov and Ahtemov all become 'ahtemov'; Абдулгазієв and Abdulgaziev become 'abdulhazev'.
The steps: NFC and lower case; Cyrillic letters to Latin (Ukrainian and Russian forms both, soft
and hard signs and apostrophes dropped); Crimean Tatar and other Latin diacritics stripped
(ç->ch, ş->sh, ğ->g, ı->i, q->k); then per word the Latin spellings are folded:
shch/sch->sh, dzh/dj->j, kh->h, g->h (Ukrainian h for Russian g), x->ks, ts/tz->c, w->v,
ph->f, ck->k, yo after a consonant->e, y->i, j at the end or before a consonant->i, doubled
letters->one, and iotated vowels ie/iu/ia->e/u/a (є, ю, я written ie, iu, ia or ye, yu, ya).
Keys are for finding, not for display; a few distinct names may share one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
        "є": "ie", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k",
        "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
        "ç": "ch", "ş": "sh", "ğ": "g", "ı": "i", "ñ": "n", "ß": "ss", "æ": "ae", "ø": "o",
        "'": "", "’": "", "ʼ": "", "`": "", "´": "", "ʻ": "",
    }
)  # fmt: skip

_CONSONANT = "bcdfghjklmnpqrstvwxz"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sch", "sh"),
        (r"dzh|dj", "j"),
        (r"kh", "h"),
        (r"g", "h"),
        (r"x", "ks"),
        (r"ts|tz", "c"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"ck|q", "k"),
        (rf"(?<=[{_CONSONANT}])yo", "e"),
        (r"y", "i"),
        (rf"j(?=[{_CONSONANT}]|$)", "i"),
        (r"(.)\1+", r"\1"),
        (r"i(?=[eua])", ""),
        (r"(.)\1+", r"\1"),
    )
)
_NOT_LETTER = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """The skeleton of a name or query: words folded as above, joined by single spaces."""
    return " ".join(_words(text))


def name_keys(name: str, variants: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """Keys of the name and each variant in full, then of each of their words; no repeats."""
    keys: dict[str, None] = {}
    for text in (name, *variants):
        words = _words(text)
        if words:
            keys[" ".join(words)] = None
    for full in list(keys):
        keys.update((word, None) for word in full.split(" "))
    return tuple(keys)


def matches(query: str, keys: tuple[str, ...] | list[str]) -> bool:
    """True when every word of the query, folded, is found within some key (so a word's
    beginning is enough: 'Ahtem' finds Akhtemov). An empty query matches every name."""
    return all(any(word in key for key in keys) for word in _words(query))


@lru_cache(maxsize=65_536)
def _fold_word(word: str) -> str:
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[str, ...]:
    lowered = unicodedata.normalize("NFC", text).lower()
    if lowered.isascii():  # the table's only ASCII keys drop ' and `; nothing to decompose
        stripped = lowered.replace("'", "").replace("`", "")
    else:
        decomposed = unicodedata.normalize("NFKD", lowered.translate(_CYRILLIC))
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        stripped = stripped.translate(_CYRILLIC)
    folded = (_fold_word(w) for w in _NOT_LETTER.split(stripped) if w)
    return tuple(w for w in folded if w)


__all__ = ["matches", "name_keys", "search_key"]
