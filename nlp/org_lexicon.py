"""The organisation gazetteer and the word lists of the organisation patterns.

organizations_gazetteer.txt lists organisations with a canonical name and aliases; every written
form of them (genitives, lower-case forms of names prose writes in lower case) is generated here
once per process, as word tuples, so the finder can look them up word by word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

WORD = re.compile(r"\w+(?:[-:'’]\w+)*[-'’]?")


def words_of(text: str) -> tuple[str, ...]:
    return tuple(m.group() for m in WORD.finditer(text))


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...]

    @property
    def key(self) -> str:
        return "org:" + self.name.casefold()


@dataclass(frozen=True)
class Form:
    """One written form: the words to match, the organisation, and whether a sentence may start with it."""

    words: tuple[str, ...]
    org: Organisation
    not_sentence_start: bool
    pattern: re.Pattern[str] | None  # for forms of several words: the words on one line, spaces between


def _genitives(form: str, exact: bool) -> list[str]:
    """The form and its genitives: "Tillväxtverkets", "Delmos'", "SCB:s", "Brå:s"."""
    acronym = form.isupper() or bool(re.fullmatch(r"[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]*[A-ZÅÄÖ]", form))
    if exact:
        return [form, form + ":s"] if acronym or len(form) <= 5 else [form]
    if acronym:
        return [form, form + ":s", form + "s"]
    if " " not in form and len(form) <= 5:
        return [form, form + ":s", form + "s"]
    if form[-1] in "sxz":
        return [form, form + "'"]
    return [form, form + "s"]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, list[Form]]:
    """First word of a form -> the forms starting with it, longest first."""
    text = resources.files("nlp").joinpath("patterns/organizations_gazetteer.txt").read_text(encoding="utf-8")
    index: dict[str, list[Form]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        raw = [f.strip() for f in line.split("|") if f.strip()]
        clean = [f.lstrip("~=?") for f in raw]
        org = Organisation(clean[0], tuple(dict.fromkeys(a for a in clean[1:] if a != clean[0])))
        for flagged, form in zip(raw, clean, strict=True):
            flags = flagged[: len(flagged) - len(form)]
            variants = _genitives(form, "=" in flags)
            if "~" in flags:
                variants += [v[0].lower() + v[1:] for v in variants]
            for variant in variants:
                ws = words_of(variant)
                if ws:
                    pattern = (
                        re.compile(r"[ \u00a0]+".join(re.escape(w) for w in ws) + r"(?![\w'’:-])")
                        if len(ws) > 1
                        else None
                    )
                    index.setdefault(ws[0], []).append(Form(ws, org, "?" in flags, pattern))
    for forms in index.values():
        forms.sort(key=lambda f: len(f.words), reverse=True)
    return index


def trie_regex(words: Iterable[str], after_first: str = "") -> str:
    """One regex alternation for many literal words, shaped as a character trie so that the
    regex engine tests each position in a few steps instead of once per word. after_first goes
    after the first character of every word (a look-behind there, not before it, still lets the
    engine skip ahead to the characters words start with)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, first: bool = False) -> str:
        ends = "" in node
        branches = [
            re.escape(ch) + (after_first if first else "") + build(child) for ch, child in sorted(node.items()) if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie, first=True)


@lru_cache(maxsize=1)
def first_words() -> re.Pattern[str]:
    """Where a gazetteer form can start: any first word of a form, as a whole word."""
    # not inside a word, an e-mail address or a web address ("sara@regeringskansliet.se", "delmos.se")
    return re.compile(r"(?<![\w'’:@./-])(?:" + trie_regex(gazetteer()) + r")(?![\w'’:-]|\.\w)")


class FirstWordScan:
    """first_words().finditer, faster: the same matches, in the same order.

    A first word is made of [\\w'’:-] (WORD), and first_words() takes it only where no such
    character stands before or after it: every match is a whole run of those characters, so matches
    never overlap and may be looked for in parts. Words starting with a capital (nearly all) are
    looked for with their look-behind after the capital, so the regex engine skips from capital to
    capital instead of trying every position; the few lower-case ones ("regeringen") only where
    str.find sees one of them start.
    """

    def __init__(self, words: Iterable[str]) -> None:
        words = list(words)
        capital = [w for w in words if w[:1].isupper()]
        other = [w for w in words if not w[:1].isupper()]
        self.capital = _first_word_regex(capital, r"(?<![\w'’:@./-].)") if capital else None
        self.other = _first_word_regex(other) if other else None
        # where any other word starts, one of these does ("regeringen" for "regeringens" too)
        self.other_starts = tuple(w for w in other if not any(v != w and w.startswith(v) for v in other))

    def finditer(self, text: str) -> list[re.Match[str]]:
        found = list(self.capital.finditer(text)) if self.capital else []
        if self.other is None:
            return found
        starts = set()
        for word in self.other_starts:
            pos = text.find(word)
            while pos >= 0:
                starts.add(pos)
                pos = text.find(word, pos + 1)
        if not starts:
            return found
        more = [m for pos in sorted(starts) if (m := self.other.match(text, pos))]
        return sorted(found + more, key=lambda m: m.start()) if more else found


def _first_word_regex(words: list[str], after_first: str = "") -> re.Pattern[str]:
    before = "" if after_first else r"(?<![\w'’:@./-])"
    return re.compile(before + "(?:" + trie_regex(words, after_first) + r")(?![\w'’:-]|\.\w)")


@lru_cache(maxsize=1)
def first_word_scan() -> FirstWordScan:
    """first_words() as a FirstWordScan."""
    return FirstWordScan(gazetteer())


@lru_cache(maxsize=1)
def pattern_lists() -> dict[str, list[str]]:
    """The [sections] of organizations_patterns.txt, as lists of words."""
    text = resources.files("nlp").joinpath("patterns/organizations_patterns.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        entries = [line] if current == "university_words" else line.split()
        sections.setdefault(current, []).extend(entries)
    return sections
