"""The words side of the portal's search: the lemmas a record stores, a query's lemma
groups, and the snippet that marks the matched words (plain data: no Django, no database).

A record's search document is its lemmas, «ё» folded to «е», space-separated with a space
at both ends, so that the database matches a lemma as a whole word (``LIKE '% небо %'`` on
SQLite, the same words as a ``simple`` tsvector on PostgreSQL). The lemmas of its heading
(a meeting's title and topic, a member's name) come once more with ``HEADING_MARK`` in
front: a match there ranks above one in the text. «под открытым небом» is stored as
« открытый открыть небо », and «открытое небо», «открытым небом» and «под открытым небом»
all ask for (открытый | открыть) & небо.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import russian

HEADING_MARK = "#"
# How many words a snippet shows around its first matched word, and at most.
SNIPPET_BEFORE = 8
SNIPPET_WORDS = 30


@lru_cache(maxsize=100_000)
def _lemmas_of(word: str) -> tuple[str, ...]:
    """A word's lemmas; one in capitals is an abbreviation (ЦБС) and, if it is a word of the
    dictionary written in capitals (ФЁДОРОВА, ПОД), that word too."""
    if len(word) > 1 and word.isupper():
        low = word.lower()
        if russian.is_stop_word(low):
            return ()
        return tuple(dict.fromkeys(russian.word_lemmas(word) + russian.word_lemmas(low)))
    return () if russian.is_stop_word(word) else russian.word_lemmas(word)


def _word_groups(text: str) -> list[tuple[str, ...]]:
    """The lemmas of each content word; a hyphenated word gives its parts' lemmas too, so
    that «заседание» finds «онлайн-заседание» on both databases alike."""
    groups = []
    for word in russian.words(text):
        pieces = [word, *word.split("-")] if "-" in word else [word]
        group = tuple(dict.fromkeys(lemma for piece in pieces for lemma in _lemmas_of(piece)))
        if group:
            groups.append(group)
    return groups


def _word_lemmas(text: str) -> list[str]:
    return list(dict.fromkeys(lemma for group in _word_groups(text) for lemma in group))


def document(heading: str = "", text: str = "") -> str:
    """What a record stores in its search column: « lemma … #heading-lemma … »."""
    heading_lemmas = _word_lemmas(heading)
    body = dict.fromkeys(heading_lemmas + _word_lemmas(text))
    marked = [HEADING_MARK + lemma for lemma in heading_lemmas]
    stored = " ".join([*body, *marked])
    return f" {stored} " if stored else ""


def query_groups(query: str) -> list[tuple[str, ...]]:
    """The query as groups of alternative lemmas, one per content word: a record matches
    when its document holds a lemma of every group."""
    groups: list[tuple[str, ...]] = []
    for word in russian.words(query[:500]):
        group = _lemmas_of(word)
        if group and group not in groups:
            groups.append(group)
    return groups


@dataclass(frozen=True)
class Piece:
    text: str
    matched: bool = False


def snippet(text: str, groups, *, before: int = SNIPPET_BEFORE, size: int = SNIPPET_WORDS):
    """A stretch of ``text`` around its first matched word, as pieces of plain text, the
    matched words flagged (the template marks and escapes them). A short text is whole."""
    wanted = {lemma for group in groups for lemma in group}
    spans = []  # (start, end, matched) of every word
    for match in russian.WORD.finditer(text):
        word = match.group()
        parts = [word, *word.split("-")] if "-" in word else [word]
        hit = any(wanted.intersection(_lemmas_of(p)) for p in parts if p)
        spans.append((match.start(), match.end(), hit))
    if not spans:
        return [Piece(text)] if text else []
    first = next((i for i, span in enumerate(spans) if span[2]), 0)
    start_word = max(0, first - before) if len(spans) > size else 0
    end_word = min(len(spans), start_word + size)
    start = spans[start_word][0] if start_word else 0
    end = spans[end_word - 1][1] if end_word < len(spans) else len(text)
    pieces = [Piece("… ")] if start else []
    cursor = start
    for s, e, hit in spans[start_word:end_word]:
        if hit:
            if s > cursor:
                pieces.append(Piece(text[cursor:s]))
            pieces.append(Piece(text[s:e], matched=True))
            cursor = e
    if end > cursor:
        pieces.append(Piece(text[cursor:end]))
    if end < len(text):
        pieces.append(Piece(" …"))
    return pieces
