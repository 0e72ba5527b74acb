"""Reading a person's role and party from the words around their name.

Releases write a title after a name ("Kenneth Nilsson (S), kommunstyrelsens ordförande i Örebro",
"Inger Ashing är direktör för Delmos"), before it ("kommunalrådet Anna Berg (M)", "samordnings-
och energiminister Ibrahim Baylan"), or on the next line of a contact block. The role is given in
lower case, indefinite ("kommunalrådet" -> "kommunalråd") and without the organisation ("direktör
för Delegationen mot segregation" -> "direktör"), as SCHEMA.md asks. Pure functions on strings.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from nlp.people_lexicon import PeopleLexicon, lexicon

# A word of a role phrase: letters with inner hyphens ("HR-chef", "barn-"), or an abbreviation "t.f.".
_WORD = re.compile(r"t\.f\.|[^\W\d_]+(?:-[^\W\d_]+)*-?|[,;:()/|–—&]|\S", re.UNICODE)
_DEFINITE = ("en", "n", "et", "t", "na")
# What may stand between a name and the role that follows it.
_LINKS = re.compile(
    r"^(?:\s*,\s*|\s+)(?:\d{1,3}\s+år\s*,\s*)?(?:(?:som\s+(?:är|var|blir|arbetar\s+som|jobbar\s+som)|som|är|var|blir|blev|har\s+varit|"
    r"arbetar\s+som|jobbar\s+som|verkar\s+som|tjänstgör\s+som|till\s+vardags|numera)\s+)?",
)
_PARTY_PAREN = re.compile(r"^\s*,?\s*\(\s*([^\W\d_][^\W\d_-]{0,7}(?:-[^\W\d_]+)?)\s*\)")
_PREPOSITIONS = {"i", "på", "för", "vid", "hos", "inom", "med", "från", "till", "åt", "mot", "under", "över", "av"}
_COORD = {"och", "&", "samt"}
_ADJECTIVE_ENDINGS = ("isk", "iska", "iske", "ig", "iga", "ige", "ell", "ella", "elle")
_DEFINITE_GENITIVES = ("ens", "ets", "nas", "es")
_ACRONYM_PREFIXED = re.compile(r"^[A-ZÅÄÖ]{1,4}-[a-zåäö]")
_COORDINATED = re.compile(r"-\s+(och|&|samt)\s+")
_PARTY_PREFIXED = re.compile(r"^\(?([A-ZÅÄÖa-zåäö]{1,3})\)?-(.+)$")
_STRIP_FIRST = {"ny", "nya", "nye", "nyblivne", "nyblivna", "nytillträdd", "nytillträdda", "nytillträdde", "nyanställd"}


def words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for the words and punctuation of text."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def role_head(word: str, lex: PeopleLexicon | None = None) -> str | None:
    """The indefinite form of word if it is a role word ("kommunalrådet" -> "kommunalråd"), else None."""
    lex = lex or lexicon()
    w = word.casefold()
    cache = _HEAD_CACHE.setdefault(id(lex), {})
    if w not in cache:
        if len(cache) > 50_000:
            cache.clear()
        cache[w] = _role_head(w, lex)
    return cache[w]


_HEAD_CACHE: dict[int, dict[str, str | None]] = {}


def _role_head(w: str, lex: PeopleLexicon) -> str | None:
    if w in lex.not_roles or len(w) < 2:
        return None
    for form in [w] + [w[: -len(e)] for e in _DEFINITE if w.endswith(e) and len(w) > len(e) + 1]:
        if form not in lex.not_roles and form.endswith(lex.role_heads):
            return form
    if w.endswith("ordföranden"):
        return w[:-1]
    return None


def _is_modifier(word: str, lex: PeopleLexicon) -> bool:
    """A word that may stand before a role word. A capitalised word qualifies only as a definite
    genitive ("Kommunstyrelsens" at a line start), never as a name ("Örebros", "Delmos")."""
    w = word.casefold()
    if word[:1].isupper():  # only the first word of a title line is capitalised
        # "Kommunstyrelsens ordförande" names a political body; "Arbetsförmedlingens sektionschef" an
        # organisation, which the role leaves out
        body = w[:-1] if w.endswith("s") else w
        return (
            (len(w) > 5 and w.endswith(_DEFINITE_GENITIVES) and body.endswith(tuple(lex.role_bodies)))
            or w in lex.role_modifiers
            or w.endswith(_ADJECTIVE_ENDINGS)
        )
    if w in lex.role_modifiers or w.endswith("-"):  # "samordnings-" in "samordnings- och energiminister"
        return True
    if len(w) > 4 and w.endswith("s") and w[:-1] not in _PREPOSITIONS:
        return True  # genitive: "kommunstyrelsens", "socialnämndens"
    return w.endswith(_ADJECTIVE_ENDINGS) and len(w) > 4


def _lower_ok(word: str, first: bool) -> bool:
    """Role words are lower case; the first may be capitalised (line or sentence start), and
    acronym-prefixed words ("HR-chef", "KS-ordförande", "VD") are allowed anywhere."""
    if word[:1].islower() or first:
        return True
    if _ACRONYM_PREFIXED.match(word):
        return True
    return word in {"VD", "Vd"}


def _normalise(parts: list[str], lex: PeopleLexicon) -> str:
    out = [p.casefold() for p in parts]
    head = role_head(out[-1], lex)
    if head:
        out[-1] = head
    while len(out) > 1 and out[0] in _STRIP_FIRST:
        out = out[1:]
    text = " ".join(out)
    return _COORDINATED.sub(r"- \1 ", text) if "-" in text else text


def role_after(text: str, lex: PeopleLexicon | None = None, *, capital_start: bool = False) -> tuple[str, int] | None:
    """The role that text starts with, after a name and its party: (role, end offset in text).

    Reads ", kommunstyrelsens ordförande i Örebro" as "kommunstyrelsens ordförande" and
    " är direktör för Delegationen mot segregation" as "direktör". capital_start lets the first
    word be capitalised (the title line of a contact block).
    """
    lex = lex or lexicon()
    link = _LINKS.match(text)
    if not link:
        return None
    offset = link.end()
    capital_ok = capital_start or "," in link.group() or link.group().strip() == ""
    # most names are followed by no role: decide on the first word before reading the rest
    first = _WORD.search(text, offset, offset + 70)
    if first is None or not _may_start_role(first.group(), lex, capital_ok):
        return None
    toks = words(text[offset : offset + 70])
    return _scan_forward(toks, offset, lex, capital_ok)


def _may_start_role(word: str, lex: PeopleLexicon, capital_ok: bool) -> bool:
    """False when _scan_forward would stop at word, the first of its words, and find no role."""
    if not word[:1].isalpha() and word != "t.f.":
        return False
    if not _lower_ok(word, capital_ok):
        return False
    w = word.casefold()
    if w in _COORD or w in _PREPOSITIONS:
        return False
    return bool(role_head(word, lex)) or _is_modifier(word, lex)


def _scan_forward(toks: list[tuple[str, int, int]], offset: int, lex: PeopleLexicon, capital_ok: bool):
    parts: list[str] = []
    last_head = -1
    end = 0
    i = 0
    while i < len(toks) and len(parts) < 8:
        word = toks[i][0]
        first = not parts
        if not word[:1].isalpha() and word != "t.f.":
            if word in _COORD and parts and parts[-1].endswith("-"):
                parts.append(word)
                i += 1
                continue
            break
        if not _lower_ok(word, first and capital_ok):
            break
        w = word.casefold()
        if w in _COORD:
            # "samordnings- och energiminister", or a second role: "ordförande och kommunalråd"
            nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
            if (parts and parts[-1].endswith("-")) or (last_head >= 0 and nxt[:1].islower() and role_head(nxt, lex)):
                parts.append(word)
                i += 1
                continue
            break
        if w in _PREPOSITIONS:
            # "ordförande i socialnämnden" keeps a political body; any other organisation is left out
            nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
            if w == "i" and last_head >= 0 and nxt[:1].islower() and _is_body(nxt, lex):
                parts.extend([word, nxt])
                end = toks[i + 1][2]
                i += 2
                last_head = len(parts) - 1
                continue
            break
        head = role_head(word, lex)
        if head:
            parts.append(word)
            last_head = len(parts) - 1
            end = toks[i][2]
        elif _is_modifier(word, lex) and last_head < 0:
            parts.append(word)
        else:
            break
        i += 1
    if last_head < 0:
        return None
    return _normalise(parts[: last_head + 1], lex), offset + end


def _is_body(word: str, lex: PeopleLexicon) -> bool:
    w = word.casefold()
    return any(w.endswith(b) for b in lex.role_bodies)


def role_before(text: str, lex: PeopleLexicon | None = None) -> tuple[str, int, str | None] | None:
    """The role that text ends with, just before a name: (role, start offset, party or None).

    "säger kommunalrådet " -> ("kommunalråd", ...); "samordnings- och energiminister " ->
    "samordnings- och energiminister"; "socialdemokratiska kommunalrådet " gives party S too;
    "Delmos direktör " -> "direktör" (a capitalised organisation is left out).
    """
    lex = lex or lexicon()
    tail = text[-50:]
    base = len(text) - len(tail)
    if not tail[-1:].isspace():
        return None
    # most names have no role before them: look at the last word (words never hold a space, so the
    # last whitespace-separated chunk is read alone as in the whole tail) before reading the rest
    chunks = tail.rsplit(None, 1)
    if not chunks or chunks[-1].isspace() or not _may_end_role(words(chunks[-1].strip())[-1][0], lex):
        return None
    toks = words(tail)
    if not toks:
        return None
    word, start, _ = toks[-1]
    party = None
    # "S-kommunalrådet Anna Berg", "(S)-kommunalrådet"
    prefixed = _PARTY_PREFIXED.match(word)
    if prefixed and lex.party_from_abbreviation(prefixed.group(1)) and role_head(prefixed.group(2), lex):
        party = lex.party_from_abbreviation(prefixed.group(1))
        word = prefixed.group(2)
    head = role_head(word, lex)
    if not head or not _lower_ok(word, _starts_line(tail, start)):
        return None
    parts = [word]
    first_start = start
    j = len(toks) - 2
    while j >= 0:
        w, s, _ = toks[j]
        wl = w.casefold()
        if wl in _COORD and parts and j >= 1 and toks[j - 1][0].endswith("-"):
            parts.insert(0, w)
            parts.insert(0, toks[j - 1][0])
            first_start = toks[j - 1][1]
            j -= 2
            continue
        if not w[:1].isalpha():
            break
        line_start = _starts_line(tail, s)
        if w[:1].isupper() and not line_start:
            break  # "Delmos direktör", "Örebros kommundirektör": the organisation is not the role
        if party is None and lex.party_by_word.get(wl):
            party = lex.party_by_word[wl]
            first_start = first_start if parts else s
            break
        if _is_modifier(w, lex):
            parts.insert(0, w)
            first_start = s
            j -= 1
            continue
        break
    # party words before the role: "socialdemokratiska kommunalrådet", "Moderaternas gruppledare"
    if j >= 0 and party is None:
        w = toks[j][0].casefold()
        if w in lex.party_by_word:
            party = lex.party_by_word[w]
    while parts and lex.party_by_word.get(parts[0].casefold()):
        party = party or lex.party_by_word[parts[0].casefold()]
        parts = parts[1:]
    if not parts:
        return None
    return _normalise(parts, lex), base + first_start, party


def _may_end_role(word: str, lex: PeopleLexicon) -> bool:
    """False when role_before finds no role word in word, the last word before a name."""
    prefixed = _PARTY_PREFIXED.match(word)
    if prefixed and lex.party_from_abbreviation(prefixed.group(1)) and role_head(prefixed.group(2), lex):
        word = prefixed.group(2)
    return bool(role_head(word, lex))


def _starts_line(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\u00a0–—-\"”“'")
    return before == "" or before.endswith(("\n", ".", "!", "?", ":"))


def party_after(
    text: str, lex: PeopleLexicon | None = None, not_parties: Collection[str] = ()
) -> tuple[str, int] | None:
    """A party in parentheses at the start of text ("(S), kommunalråd"): (party, end offset).

    Known parties come back in their usual spelling ("(s)" -> "S"); a local party as written
    ("(SPI)"). Parenthesised words that do not look like an abbreviation are not parties, nor
    are the acronyms in not_parties (casefolded; "(TT)" after a reporter's name is an agency).
    """
    lex = lex or lexicon()
    m = _PARTY_PAREN.match(text)
    if not m:
        return None
    raw = m.group(1)
    known = lex.party_from_abbreviation(raw)
    if known:
        return known, m.end()
    if raw.casefold() in not_parties:
        return None
    if _looks_like_party(raw, lex):
        return raw, m.end()
    return None


_VOWELS = frozenset("aeiouyåäöéü")


def _looks_like_party(raw: str, lex: PeopleLexicon) -> bool:
    """An abbreviation, not a word: mostly capitals ("SPI", "ÖrP"), or, as local parties are often
    written ("Sjvp", "Vägv"), a short capitalised run with at most one vowel. Names and words in
    parentheses ("(Lasse)", "(Bild)") have more vowels or are known first names."""
    if not raw[:1].isupper():
        return False
    letters = raw.replace("-", "")
    upper = sum(c.isupper() for c in letters)
    if (upper >= 2 or len(letters) <= 2) and upper * 2 >= len(letters):
        return True
    vowels = sum(c in _VOWELS for c in letters.casefold())
    return len(letters) <= 5 and vowels <= 1 and letters.isalpha() and not lex.is_first_name(raw)
