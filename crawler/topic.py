"""Topic filters: which releases are about the subject a researcher studies.

A topic is a plain text file of keywords and lemma-like stems (crawler/topics/*.txt,
or a file of the user's own), so a researcher can read, cite and change what
"relevant" meant in a crawl. Every release is stored either way; the topic only
sets documents.relevant. Swedish inflects by endings and builds compounds, hence
stems (segregation*) and parts of words (*segregation*) besides plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from crawler.errors import CrawlError

# Endings a plain word may take: definite, plural and genitive forms, participles.
ENDINGS = "(?:en|et|n|t|na|a|e|r|d|de|er|ar|or|erna|arna|orna|ns|ts|s|ens|ets|ernas|arnas|ade|at|ad|ande)?"


class TopicError(CrawlError, ValueError):
    """A topic that cannot be found or read; the message says which and why."""


def _term_regex(term: str) -> str:
    words = term.lower().split()
    parts = []
    for word in words:
        lead, trail = word.startswith("*"), word.endswith("*") and len(word) > 1
        core = re.escape(word.strip("*"))
        if lead and trail:
            parts.append(rf"\w*{core}\w*")
        elif trail:
            parts.append(rf"\b{core}\w*")
        elif lead:
            parts.append(rf"\w*{core}{ENDINGS}\b")
        else:
            parts.append(rf"\b{core}{ENDINGS}\b")
    return r"\s+".join(parts)


@dataclass(frozen=True)
class Topic:
    """A named list of terms; relevant(text) is True when any term occurs."""

    name: str
    terms: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.terms:
            raise TopicError(f"topic {self.name!r} has no terms")
        pieces = [f"(?P<t{i}>{_term_regex(t)})" for i, t in enumerate(self.terms)]
        object.__setattr__(self, "_pattern", re.compile("|".join(pieces)))

    def matches(self, text: str) -> list[str]:
        """The terms that occur in text, in the order of the topic file."""
        found: set[int] = set()
        for m in self._pattern.finditer(text.lower()):  # type: ignore[attr-defined]
            found.add(int(m.lastgroup[1:]))
        return [self.terms[i] for i in sorted(found)]

    def relevant(self, *texts: str | None) -> bool:
        return any(self._pattern.search(t.lower()) for t in texts if t)  # type: ignore[attr-defined]


def parse_topic(name: str, text: str) -> Topic:
    terms = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(" ".join(line.split()))
    return Topic(name, tuple(dict.fromkeys(terms)))


def bundled_topics() -> list[str]:
    folder = resources.files("crawler").joinpath("topics")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".txt"))


def load_topic(name_or_path: str) -> Topic:
    """A bundled topic by name (segregation) or a topic file by path."""
    path = Path(name_or_path)
    if path.suffix == ".txt" or path.exists():
        if not path.is_file():
            raise TopicError(f"topic file {name_or_path} does not exist")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise TopicError(f"cannot read topic file {name_or_path}: {e}") from None
        return parse_topic(path.stem, text)
    bundled = resources.files("crawler").joinpath("topics", f"{name_or_path}.txt")
    if not bundled.is_file():
        known = ", ".join(bundled_topics())
        raise TopicError(f"unknown topic {name_or_path!r}: give a topic file or one of {known}")
    return parse_topic(name_or_path, bundled.read_text(encoding="utf-8"))
