"""The word lists kp_persons reads: first names, parties, role words, credit and contact labels.

Loaded once per process from nlp/patterns/ (persons_*.txt, parties.txt, roles.txt), so the lists
can be extended without touching code. Pure Python, no spaCy: the role and name parsers that use
it can be tested on plain strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


def _lines(name: str) -> list[str]:
    text = resources.files("nlp").joinpath(f"patterns/{name}").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _sections(name: str) -> dict[str, list[str]]:
    """An INI-like file of [section] headers followed by one entry a line."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in _lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


@dataclass(frozen=True)
class Party:
    abbreviation: str
    names: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class PeopleLexicon:
    first_names: frozenset[str]
    ambiguous_first_names: frozenset[str]
    parties: tuple[Party, ...]
    party_by_abbreviation: dict[str, str]  # casefolded abbreviation -> as the party writes it
    party_by_word: dict[str, str]  # casefolded member word or party name (and genitive) -> abbreviation
    role_heads: tuple[str, ...]  # longest first, for suffix matching
    role_modifiers: frozenset[str]
    role_bodies: frozenset[str]
    not_roles: frozenset[str]
    credits: dict[str, str]  # "foto" -> "fotograf"
    contact_labels: frozenset[str]
    not_names: frozenset[str]  # capitalised words never in a name
    place_after: frozenset[str]  # "gata" in "Karl Johans gata": the name is a place's
    place_endings: tuple[str, ...]  # "-gatan" in "Karl Johansgatan"

    def is_first_name(self, word: str) -> bool:
        """True for a listed first name, or a hyphenated one whose parts are listed (Per-Åke)."""
        if word in self.first_names:
            return True
        if "-" in word:
            parts = word.split("-")
            return all(p in self.first_names for p in parts if p)
        return False

    def is_ambiguous(self, word: str) -> bool:
        return word in self.ambiguous_first_names

    def party_from_abbreviation(self, text: str) -> str | None:
        return self.party_by_abbreviation.get(text.casefold())


@lru_cache(maxsize=1)
def lexicon() -> PeopleLexicon:
    parties: list[Party] = []
    by_abbr: dict[str, str] = {}
    by_word: dict[str, str] = {}
    for line in _lines("parties.txt"):
        abbr, names, members = (field.strip() for field in line.split("|"))
        party = Party(
            abbr,
            tuple(n.strip() for n in names.split(",") if n.strip()),
            tuple(m.strip() for m in members.split(",") if m.strip()),
        )
        parties.append(party)
        by_abbr[abbr.casefold()] = abbr
        for name in party.names:
            by_word[name.casefold()] = abbr
            by_word[name.casefold() + "s"] = abbr
        for member in party.members:
            by_word[member.casefold()] = abbr
    roles = _sections("roles.txt")
    not_names = _sections("persons_not_names.txt")
    credits = {}
    for line in roles.get("credits", []):
        label, _, role = line.partition(":")
        credits[label.strip().casefold()] = role.strip()
    return PeopleLexicon(
        first_names=frozenset(_lines("persons_first_names.txt")),
        ambiguous_first_names=frozenset(_lines("persons_ambiguous_first_names.txt")),
        parties=tuple(parties),
        party_by_abbreviation=by_abbr,
        party_by_word=by_word,
        role_heads=tuple(sorted(set(roles.get("heads", [])), key=len, reverse=True)),
        role_modifiers=frozenset(roles.get("modifiers", [])),
        role_bodies=frozenset(roles.get("bodies", [])),
        not_roles=frozenset(roles.get("not_roles", [])),
        credits=credits,
        contact_labels=frozenset(label.casefold() for label in roles.get("contact", [])),
        not_names=frozenset(w for line in not_names.get("words", []) for w in line.split()),
        place_after=frozenset(w for line in not_names.get("after", []) for w in line.split()),
        place_endings=tuple(w for line in not_names.get("endings", []) for w in line.split()),
    )


def lemma_table(nlp: Any) -> Mapping[str, str] | None:
    """The lookup lemmatizer's table in a loaded pipeline, if it has one."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_lookup"):
        return None
    return lookups.get_table("lemma_lookup")


_LEMMAS: dict[int, tuple[Any, frozenset[str]]] = {}


def _lemmas(table: Any) -> frozenset[str]:
    """The table's lemmas, built once per table (kp_persons and kp_organizations share them)."""
    cached = _LEMMAS.get(id(table))
    if cached is None or cached[0] is not table:
        cached = _LEMMAS[id(table)] = (table, frozenset(table.values()))
    return cached[1]


def common_word_test(table: Mapping[str, str] | None) -> Callable[[str], bool]:
    """A test for lower-case Swedish dictionary words, from the lemmatizer's lookup table.

    A capitalised word that is an ordinary word ("Delegationen", "Bildbyrå") does not start a
    name that only its context suggests. The table's keys are inflected forms and its values
    lemmas; without a table nothing counts as common.
    """
    if table is None:
        return lambda word: False
    lemmas = _lemmas(table)
    return lambda word: word in lemmas or word in table
