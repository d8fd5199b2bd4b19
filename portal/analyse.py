"""The one text analyser of the search: what a text is indexed under, and what a query looks
for. Both databases store and match the terms made here, so they find the same things.

A word becomes its stem and the stems of the known words inside it:

- Stemming is Snowball's Norwegian (3.x knows the nynorsk endings -a, -ane, -ar, -ene,
  -inga, -ingane). What it misses: nynorsk nouns that end in -ar in the singular (brukar,
  sjukepleiar, ansvar) lose it as if it were a plural ending, while "brukaren" keeps it, so
  a stem that still ends in -ar gets one more round and they meet. A doctor stays a doctor
  ("fastlegen" is not "fast"), and a contracted -el noun meets its base form ("legemidla"
  and "legemiddel", "reglane" and "regel").
- Compounds: nynorsk writes "samhandlingsavvik" and "delavtale" as one word. Against a word
  list from the portal's own vocabulary (compound_parts.txt), a word is also indexed under
  the known words it is made of, so "avvik" finds "samhandlingsavvik" and "avtalane" finds
  "delavtalane". A query word that is wholly made of known words ("hospiteringsavtale")
  also matches a text that has all its parts.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

TOKEN = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8
# Prefix matching on a query word's stem from this length: "utskrivinga" also finds
# "utskrivingsklare"; "sak" does not find "sakkunnig".
PREFIX_FROM = 4
# Compound parts: a known word at the start of a compound may be this short ("rus", "fag"),
# one at the end must be longer ("årsak" is not about a "sak"), and longer still unless the
# start is a known word too ("solheim" is not about a "heim").
MIN_HEAD = 3
MIN_TAIL = 4
MIN_TAIL_ALONE = 6
LINKS = ("s", "e")  # "samhandling-s-avvik", "kommun-e-lege"
# Words with these endings join the next word with an s, so an s after them is the link.
S_LINKED = ("ing", "sjon", "dom", "skap", "het", "heit", "leik", "nad", "tet")

# Words a question carries that a text need not contain: "kva vedtok FSU om hospitering?"
# looks for hospitering in FSU. Dropped from a query unless it has nothing else.
STOPWORDS = frozenset({
    "kva", "kven", "kvar", "korleis", "kvifor", "når", "om", "og", "i", "på", "til", "av",
    "for", "med", "det", "den", "dei", "ein", "eit", "er", "var", "vart", "har", "hadde",
    "vedtok", "vedtak", "vedteke", "vedtekne", "sa", "seier", "sak", "saka", "saker",
})  # fmt: skip

# "-lege" is a doctor in these compounds, not the adjective ending (-leg, like "vanleg").
_DOCTOR = re.compile(
    r"(fast|over|turnus|kommune|allmenn|spesialist|tilsyns|sjukeheims|sjukehus|lis)"
    r"leg(?:e|en|ar|ane|ene|er|a)?$"
)
# A noun in -el loses the e when inflected, and a double consonant with it: middel/midla.
_EL_NOUN = re.compile(r"^(.{2,}?)([^aeiouyæøå])\2?el$")
_local = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


def normalise(text: str) -> str:
    """Composed Unicode, so that "ø" typed one way matches "ø" stored another."""
    return unicodedata.normalize("NFC", text or "")


def tokens(text: str) -> list[re.Match]:
    """The words of ``text`` (already normalised), with their places, for highlighting."""
    return list(iter_tokens(text))


def iter_tokens(text: str) -> Iterator[re.Match]:
    """``tokens`` one at a time, for a reader that stops at the first it wants."""
    return (m for m in TOKEN.finditer(text) if len(m.group()) > 1)


def words(text: str) -> list[str]:
    return [m.group().lower() for m in tokens(normalise(text))]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one lower-case word; words with digits are kept as they are."""
    if not word.isalpha():
        return word
    doctor = _DOCTOR.search(word)
    if doctor:
        return word[: doctor.end(1)] + "leg"
    current = _snowball(word)
    if current != word and current.endswith("ar"):
        current = _snowball(current)
    contracted = _EL_NOUN.match(current) if len(current) >= 5 else None
    if contracted:
        current = contracted.group(1) + contracted.group(2) + "l"
    return current


def _snowball(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("norwegian")
    return stemmer.stemWord(word)


# --- Compounds ---


@cache
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(the known words as written, their stems) from compound_parts.txt."""
    path = Path(__file__).with_name("compound_parts.txt")
    lemmas = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            lemmas.add(normalise(word))
    return frozenset(lemmas), frozenset(stem(w) for w in lemmas)


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """Stems of the known words inside ``word`` (not its own stem): "samhandlingsavvika"
    gives ("avvik", "samhandling"). Generous, since this is what a text is indexed under."""
    if len(word) < MIN_HEAD + MIN_TAIL or not word.isalpha():
        return ()
    lemmas, stems = _lexicon()
    found: set[str] = set()

    def heads(rest: str) -> None:
        for end in range(MIN_HEAD, len(rest) - MIN_HEAD + 1):
            if rest[:end] in lemmas:
                found.add(stem(rest[:end]))
                tail = rest[end:]
                if tail[:1] == "s" and rest[:end].endswith(S_LINKED):
                    heads(tail[1:])  # "utviklings-aktivitet", never "utvikling-saktivitet"
                    continue
                heads(tail)
                if tail[:1] in LINKS:
                    heads(tail[1:])

    heads(word)
    for start in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
        tail = word[start:]
        if stem(tail) in stems and (len(tail) >= MIN_TAIL_ALONE or _known_modifier(word[:start])):
            found.add(stem(tail))
    found.discard(stem(word))
    return tuple(sorted(found))


def _known_modifier(head: str) -> bool:
    """Whether ``head``, the first part of a compound, is a known word (with its link):
    only then may a short known word at the end count ("innsatsområde" has no "råde")."""
    lemmas, _ = _lexicon()
    return head in lemmas or (head[-1:] in LINKS and head[:-1] in lemmas)


@lru_cache(maxsize=16384)
def split_whole(word: str) -> tuple[str, ...]:
    """The stems of the known words ``word`` is wholly made of, if there are at least two:
    "hospiteringsavtalen" gives ("hospitering", "avtal"); "delavtalen" gives () unless
    "del" is a known word. Strict, since a query then needs every part."""
    if not word.isalpha():
        return ()
    lemmas, stems = _lexicon()

    @cache
    def rest(start: int) -> tuple[str, ...] | None:
        tail = word[start:]
        if len(tail) >= MIN_TAIL and stem(tail) in stems:
            return (stem(tail),)
        for end in range(len(word) - MIN_HEAD, start + MIN_HEAD - 1, -1):
            if word[start:end] in lemmas:
                for skip in (0, 1):
                    if skip and word[end : end + 1] not in LINKS:
                        continue
                    after = rest(end + skip) if end + skip < len(word) else None
                    if after:
                        return (stem(word[start:end]), *after)
        return None

    parts = rest(0)
    return parts if parts and len(parts) > 1 else ()


# --- What a text is indexed under ---


def word_terms(word: str) -> tuple[str, ...]:
    """Everything one word is indexed under: its stem first, then its known parts."""
    return (stem(word), *compound_parts(word))


def terms(text: str) -> list[str]:
    """The distinct terms of ``text``, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in words(text):
        for term in word_terms(word):
            seen.setdefault(term, None)
    return list(seen)


# --- What a query looks for ---


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: a text matches it when one of its terms is ``term`` (or starts
    with it, when ``prefix``), or when it has every one of ``parts``."""

    word: str
    term: str
    prefix: bool
    parts: tuple[str, ...] = ()

    def matches(self, candidates) -> bool:
        """Whether a word indexed under ``candidates`` (its terms) matches this one."""
        for candidate in candidates:
            if candidate == self.term or (self.prefix and candidate.startswith(self.term)):
                return True
            if candidate in self.parts:
                return True
        return False


def parse(query: str) -> list[QueryWord]:
    """The words a query looks for, every one required: question words dropped (unless
    nothing else is left), repeats dropped, at most MAX_QUERY_WORDS."""
    found = words(query)
    kept = [w for w in found if w not in STOPWORDS] or found
    result: list[QueryWord] = []
    seen = set()
    for word in kept:
        term = stem(word)
        if term in seen:
            continue
        seen.add(term)
        prefix = len(term) >= PREFIX_FROM and term.isalpha()
        result.append(QueryWord(word, term, prefix, split_whole(word)))
    return result[:MAX_QUERY_WORDS]
