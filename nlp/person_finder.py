"""Finding the people a release names, with party and role, without a trained NER.

A name is a run of capitalised words on one line. It is a person's name when it starts with a
known first name (persons_first_names.txt) and goes on with a surname, or, for names the list
lacks ("Nooshi Dadgostar"), when its context says so: a party in parentheses, a role before or
after it, a speech verb ("säger X"), a credit ("Foto: X"), a contact label, or a line of its own
followed by a title or a phone number (contact blocks). Later mentions by surname alone
("säger Dahlström") are linked to the person. Works on plain text with offsets, so it can be
tested without spaCy; kp_persons turns the mentions into spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nlp.gazetteer import form_index
from nlp.org_lexicon import gazetteer
from nlp.people_lexicon import PeopleLexicon, lexicon
from nlp.roles import party_after, role_after, role_before, role_head
from nlp.text_lines import line_bounds, next_line, previous_line, sentence_start

_UPPER = "A-ZÅÄÖÉÈÜÁÍÓÚÇÑØÆŠŽČĆŁ"
_LOWER = "a-zåäöéèüáíóúçñøæëïôâêîûãõšžčćđłńśźżōūğşıà"
_PART = rf"[{_UPPER}][{_LOWER}']+(?:[{_UPPER}][{_LOWER}']+)?"
_TOKEN = rf"(?:(?:[aeAE]l|bin)-)?{_PART}(?:-{_PART})*"
_INITIAL = rf"[{_UPPER}]\."
_PARTICLES = "von|af|van|der|den|de|da|di|del|della|la|le|du|bin|ibn|ben|al|el|zu|ter|ten|dos|das"
_SEP = r"[ \u00a0]+"
# Two or more capitalised words on one line (one is never a name here). It starts with a capital
# (a character class first lets the regex engine skip ahead quickly); the character before the
# run is checked in Python: not a letter, digit, "@", ".", "/" or "-". The first word is an atomic
# group: what may follow it (a space, a hyphen, a capital) is never a letter it is made of, so giving
# letters back could not make a match, only cost the engine time at every capital.
RUN = re.compile(
    rf"[{_UPPER}](?>[{_LOWER}']+(?:[{_UPPER}][{_LOWER}']+)?(?:-{_PART})*|\.)"
    rf"(?:{_SEP}(?:(?:{_PARTICLES}){_SEP})*(?:{_TOKEN}|{_INITIAL}))+(?![\w@-])"
)
_INITIAL_RE = re.compile(_INITIAL)
_NOT_BEFORE_RUN = re.compile(r"[\w@./\\-]")
_RUN_TOKEN = re.compile(rf"{_TOKEN}|{_INITIAL}|\b(?:{_PARTICLES})\b")
SPEECH_WORDS = frozenset(
    {
        "säger",
        "sa",
        "sade",
        "berättar",
        "berättade",
        "menar",
        "menade",
        "förklarar",
        "förklarade",
        "konstaterar",
        "konstaterade",
        "understryker",
        "betonar",
        "betonade",
        "framhåller",
        "poängterar",
        "skriver",
        "skrev",
        "svarar",
        "svarade",
        "fortsätter",
        "avslutar",
        "påpekar",
        "påpekade",
        "tillägger",
        "hoppas",
        "tror",
        "tycker",
        "anser",
        "ansåg",
        "uppger",
        "uppgav",
        "meddelar",
        "kommenterar",
        "summerar",
        "sammanfattar",
        "enligt",
        "intervjuade",
        "citerar",
    }
)


def after_speech_verb(before: str) -> bool:
    """True when before ends with a speech verb ("säger ", "säger också ", "enligt "): the name
    that follows is the speaker."""
    if not before[-1:].isspace():
        return False
    words = before[-40:].split()
    if not words:
        return False
    last = words[-1].casefold()
    return last in SPEECH_WORDS or (last == "också" and len(words) > 1 and words[-2].casefold() in SPEECH_WORDS)


_CREDITED_NAMES = re.compile(rf"(?:[{_UPPER}][\w'.-]*[ \u00a0]*|,[ \u00a0]*|och[ \u00a0]+|&[ \u00a0]*)*")
_CREDIT_AFTER = re.compile(
    rf"(?:[ \u00a0]*(?:och|&)[ \u00a0]+[{_UPPER}][\w'.-]*(?:[ \u00a0]+[{_UPPER}][\w'.-]*)*)*[ \u00a0]*(?:$|[,/|.(;])"
)
_BYLINE_AV = re.compile(r"\s*[Aa]v\s+")
_NEXT_LOWER_WORD = re.compile(r"[ \u00a0]+([a-zåäö]+)")
_GENITIVE_NAME = re.compile(r"[^aeiouyåäöAEIOUYÅÄÖs]s$")
_NOT_AFTER_GENITIVE = re.compile(r"[ \u00a0]+(?:säger|sa|sade|och|som|är|var|har|menar|tror|tycker)\b")
_SURNAME_TAIL = re.compile(r"(?:s|'s)?(?![\w-])")
_WORD_CHAR = re.compile(r"[\w-]")
_LAST_NAME_WORD = re.compile(r"([\w-]+)[ \u00a0]*$")
_SENTENCE_MARK = re.compile(r"[.!?]")
_TITLE_LABEL = re.compile(r"(?i)^\s*[/|,]?\s*(?:titel|befattning|roll|tjänst|funktion)\s*:\s*")
_PHONE_OR_MAIL = re.compile(
    r"(?i)^\s*(?:(?:telefon|tel|tfn|mobil|mobiltelefon|direkt|växel|e-post|epost|e-mail|email|mejl|mail)\b"
    r"|[+0(][\d\s()+-]{6,}|\S+@\S+\.\w+)"
)


def _last_word(before: str) -> str | None:
    """The word before the trailing spaces of before: what re.search(r"(\\S+)[ \\u00a0]+$") finds, without
    the regex engine trying every position of a long line."""
    words = before.rstrip(" \u00a0")
    if len(words) == len(before) or not words or words[-1].isspace():
        return None
    return words.rsplit(None, 1)[-1]


@dataclass
class PersonMention:
    """One mention of a person: where it is, the name as the person is known, party and role."""

    start: int
    end: int
    name: str
    party: str | None = None
    role: str | None = None
    key: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class _Found:
    """What the context of one candidate says: party, role, a title on the line above, evidence."""

    party: str | None = None
    role: str | None = None
    title_above: str | None = None
    evidence: list[str] = field(default_factory=list)


@dataclass
class _Candidate:
    start: int
    end: int
    tokens: list[str]
    first_name: bool
    sentence_start: bool
    ner: bool = False  # a trained NER labelled it a person


class PersonFinder:
    """Finds PersonMentions in a text. Build once (lists load once), call find() per text."""

    def __init__(
        self,
        lex: PeopleLexicon | None = None,
        is_common_word: Callable[[str], bool] | None = None,
    ) -> None:
        self.lex = lex or lexicon()
        self.is_common = is_common_word or (lambda word: False)
        self.municipality_forms = form_index()
        # organisation acronyms in parentheses are not local parties: "Anna Berg (TT)"; nor are
        # credit labels: "Anna Berg (Bild)"
        self.not_parties = frozenset(
            " ".join(f.words).casefold() for forms in gazetteer().values() for f in forms if len(f.words) == 1
        ) | {c.casefold() for c in self.lex.credits}
        labels = sorted(self.lex.credits, key=len, reverse=True)
        self._credit = re.compile(
            r"(?i)^.*(?:^|[\s(|/.])("
            + "|".join(re.escape(label) for label in labels if label != "av")
            + r")\s*:\s*(.*)$"
        )
        contacts = sorted(self.lex.contact_labels, key=len, reverse=True)
        self._contact_line = re.compile(
            r"(?i)^(?:[^:\n]{0,40}\b)?(?:" + "|".join(re.escape(c) for c in contacts) + r")\s*(?::.*|)$"
        )
        self._contact = re.compile(
            r"(?i)^\s*(?:" + "|".join(re.escape(c) for c in contacts) + r")\b[^:\n]{0,40}?(?::|,)?\s*(.*)$"
        )

    # -- candidates -------------------------------------------------------------------------------

    def _given(self, token: str) -> bool:
        return self.lex.is_first_name(token) or bool(_INITIAL_RE.fullmatch(token))

    def _name_like(self, token: str) -> bool:
        return (
            token not in self.lex.not_names
            and not token.endswith(self.lex.place_endings)
            and token.casefold() not in self.lex.party_by_word
        )

    def _candidates(self, text: str) -> Iterable[_Candidate]:
        lex = self.lex
        for run in RUN.finditer(text):
            if run.start() and _NOT_BEFORE_RUN.match(text, run.start() - 1):
                continue  # inside a word or an address
            # the run's tokens, read in place (the character before the run is no word character, so
            # \b at its start sees what it would see in run.group())
            toks = [(m.group(), m.start(), m.end()) for m in _RUN_TOKEN.finditer(text, run.start(), run.end())]
            first_names = [lex.is_first_name(t[0]) for t in toks]
            i = 0
            while i < len(toks):
                if not first_names[i]:
                    i += 1
                    continue
                j = i + 1
                while j < len(toks) and j - i < 4 and self._given(toks[j][0]):
                    j += 1  # more given names or initials: "Jan Erik", "Anna B."
                # surnames: the first may be any capitalised word, a second must not be a dictionary word
                k = j
                while k < len(toks) and k - j < 3:
                    tok = toks[k][0]
                    if tok[0].islower() and k + 1 < len(toks):  # particle: "von", "af", "al"
                        k += 1
                        continue
                    if not self._name_like(tok) or (
                        k > j and (self.is_common(tok.casefold()) or tok.casefold() in self.municipality_forms)
                    ):
                        break
                    k += 1
                if k == j and j - i < 2:
                    i = j  # a first name alone is not a name
                    continue
                # (k == j with two given names: "Ali Hassan", the last of them is the surname)
                span_toks = toks[i:k]
                while span_toks and span_toks[-1][0][0].islower():
                    span_toks = span_toks[:-1]
                if len(span_toks) >= 2 and not any(not self._name_like(t[0]) for t in span_toks):
                    yield _Candidate(
                        span_toks[0][1],
                        span_toks[-1][2],
                        [t[0] for t in span_toks],
                        True,
                        sentence_start(text, span_toks[0][1]),
                    )
                i = k
            # no known first name: a name only if its context says so (checked by the caller)
            if not any(first_names):
                rest = toks
                while rest and (role_head(rest[0][0], lex) or rest[0][0] in lex.not_names):
                    rest = rest[1:]
                if 2 <= len(rest) <= 4:
                    yield _Candidate(
                        rest[0][1], rest[-1][2], [t[0] for t in rest], False, sentence_start(text, rest[0][1])
                    )

    # -- context ----------------------------------------------------------------------------------

    def _credit_role(self, text: str, start: int, end: int, line_start: int, line_end: int) -> str | None:
        """Credits: "Foto: X" -> fotograf, also "Foto: X och Y", "Foto: X/TT", "Foto: X, Delmos". A name followed
        by more words ("Bild: Anna Berg på invigningen") is what the picture shows, not who took it.
        line_start, line_end: the bounds of the name's line."""
        before = text[line_start:start]
        if ":" not in before and not before.strip().lower().startswith("av"):
            return None
        m = self._credit.search(before)
        if m:
            between = m.group(2)
            after = text[end:line_end]
            if _CREDITED_NAMES.fullmatch(between) and _CREDIT_AFTER.match(after):
                return self.lex.credits[m.group(1).casefold()]
        if _BYLINE_AV.fullmatch(before):  # byline "Av Anna Berg"
            return self.lex.credits.get("av")
        return None

    def _contact_context(self, text: str, start: int, line_start: int) -> bool:
        before = text[line_start:start]
        if before.strip() and self._contact.match(before) and not _SENTENCE_MARK.search(before):
            return True
        if before.strip():
            return False
        # a label line of its own: "Kontakt:", "Kontakter", "För mer information, kontakta:" (not "Kontakta oss")
        previous = previous_line(text, start).strip()
        return bool(previous and len(previous) < 80 and self._contact_line.match(previous))

    def _is_place_name(self, text: str, end: int) -> bool:
        m = _NEXT_LOWER_WORD.match(text, end, end + 30)
        return bool(m and m.group(1) in self.lex.place_after)

    def _evaluate(self, text: str, cand: _Candidate, blocked: list[tuple[int, int]]) -> PersonMention | None:
        """The candidate as a PersonMention with party and role, or None when it is not a person."""
        start, end = cand.start, cand.end
        if any(s < end and start < e for s, e in blocked) or self._is_place_name(text, end):
            return None
        tokens = list(cand.tokens)
        after = text[end : end + 200]
        if _GENITIVE_NAME.search(tokens[-1]) and _NEXT_LOWER_WORD.match(after) and not _NOT_AFTER_GENITIVE.match(after):
            tokens[-1] = tokens[-1][:-1]  # "Kenneth Nilssons förslag": the genitive is not the name
        found = _Found()
        line_start, line_end = line_bounds(text, start)
        pos = self._read_after(text, end, line_end, found)
        before_start = self._read_before(text, start, line_start, found)
        if after_speech_verb(text[max(0, start - 60) : before_start]):
            found.evidence.append("speech")
        credit = self._credit_role(text, start, end, line_start, line_end)
        if credit:
            found.role = found.role or credit
            found.evidence.append("credit")
        if self._contact_context(text, start, line_start):
            found.evidence.append("contact")
        rest_of_line = text[pos:line_end].strip(" \t\u00a0.,")
        line_only = not text[line_start:start].strip(" \t\u00a0–—-•*") and not rest_of_line
        if line_only:
            found.evidence.append("line")
        if line_only or (not rest_of_line and "contact" in found.evidence):
            self._read_lines_below(text, start, found)
        if found.title_above and not found.role:
            found.role = found.title_above
            found.evidence.append("role_before")
        if cand.ner:
            found.evidence.append("ner")
        if not self._is_person(cand, tokens, found.evidence):
            return None
        return PersonMention(start, end, " ".join(tokens), found.party, found.role, "", found.evidence)

    def _read_after(self, text: str, end: int, line_end: int, found: _Found) -> int:
        """Party and role after the name on its line: "(S), kommunstyrelsens ordförande",
        " är direktör för ...", " / Titel: Enhetschef". Returns where the party or role ends."""
        lex = self.lex
        pos = end
        got = party_after(text[pos : min(pos + 20, line_end)], lex, self.not_parties)
        if got:
            found.party, used = got
            pos += used
            found.evidence.append("party")
        title = _TITLE_LABEL.match(text[pos : pos + 40])
        if title:
            got_role = role_after(" " + text[pos + title.end() : line_end], lex, capital_start=True)
        else:
            got_role = role_after(text[pos : min(pos + 160, line_end)], lex)
        if got_role:
            found.role, used = got_role
            found.evidence.append("role")
            if not found.party:  # "Anna Berg, kommunalråd (M)"
                got = party_after(text[pos + used : min(pos + used + 20, line_end)], lex, self.not_parties)
                if got:
                    found.party = got[0]
                    found.evidence.append("party")
            pos += used
        return pos

    def _read_before(self, text: str, start: int, line_start: int, found: _Found) -> int:
        """Role and party before the name: "kommunalrådet ", "socialdemokraten ", "S-kommunalrådet ",
        or a title on the line above. Returns where that role starts (the speech verb is before it)."""
        lex = self.lex
        window = max(line_start, start - 160)
        before = role_before(text[window:start], lex)
        before_start = start
        if before and before[0] in lex.contact_labels:
            # "Presskontakt Sofia Nordin, Motala kommun": a label for whom to contact, not a title
            found.evidence.append("contact")
            return window + before[1]
        if before:
            found.role = found.role or before[0]
            found.party = found.party or before[2]
            found.evidence.append("role_before")
            before_start = window + before[1]
        elif not text[line_start:start].strip():
            # a title on the line above: "Kommunstyrelsens ordförande\nGöran Dahlström"; but "Presskontakt"
            # above a name is a label, and a title below the name wins (see _evaluate)
            previous = previous_line(text, start).strip()
            whole = role_after(" " + previous, lex, capital_start=True)
            if whole and not previous[whole[1] - 1 :].strip(" .,") and not self._contact_line.match(previous):
                found.title_above = whole[0]
        if found.party is None:
            last = _last_word(text[line_start:start])
            if last and last.casefold() in lex.party_by_word:
                found.party = lex.party_by_word[last.casefold()]
                found.evidence.append("party_before")
        return before_start

    def _read_lines_below(self, text: str, start: int, found: _Found) -> None:
        """A contact block: the title on the next line ("Kommunalråd", "Titel: Projektledare",
        "Politisk sekreterare (M)"), and whether a phone number or e-mail address follows."""
        following = next_line(text, start)
        title = _TITLE_LABEL.match(following)
        title_text = following[title.end() :] if title else following
        if title and not title_text.strip():  # "Titel:" on a line of its own, the title below it
            following = next_line(text, text.index(following, start) + len(following) - 1)
            title_text = following
        if following and not found.role:
            got_role = role_after(" " + title_text.strip(), self.lex, capital_start=True)
            if got_role:
                found.role = got_role[0]
                found.evidence.append("title_line")
                if not found.party:
                    got = party_after(" " + title_text.strip()[got_role[1] - 1 :], self.lex, self.not_parties)
                    found.party = got[0] if got else None
        if following and _PHONE_OR_MAIL.match(following):
            found.evidence.append("contact_line")

    def _is_person(self, cand: _Candidate, tokens: list[str], evidence: list[str]) -> bool:
        """A listed first name is enough, unless it is also a word starting a sentence ("Bo Tryggt").
        A name the list lacks needs its context: a party, a role, a speech verb, a credit, a contact."""
        ev = set(evidence)
        if cand.first_name:
            ambiguous = self.lex.is_ambiguous(tokens[0]) or self.lex.is_ambiguous(tokens[0].split("-")[0])
            weak = not (ev - {"line"}) and len(tokens) < 3 and self.is_common(tokens[-1].casefold())
            return not (cand.sentence_start and ambiguous and weak)
        strong = ev & {"party", "role", "role_before", "credit", "speech", "contact", "title_line", "ner"}
        if {"line", "contact_line"} <= ev:
            strong.add("contact_line")
        return bool(strong) and (cand.ner or self._plausible_unknown_name(tokens))

    def _plausible_unknown_name(self, tokens: list[str]) -> bool:
        """A name with no listed first name: no dictionary word or municipality first ("Malmö Arena"),
        no label or organisation word in it. Surnames may be both ("Zrinka Berg")."""
        if self.is_common(tokens[0].casefold()):
            return False
        if tokens[0].casefold() in self.municipality_forms or not all(self._name_like(t) for t in tokens):
            return False
        return all(len(t) > 1 and not t.isupper() for t in tokens)

    # -- the whole text ---------------------------------------------------------------------------

    def find(
        self,
        text: str,
        blocked: Iterable[tuple[int, int]] = (),
        ner_persons: Iterable[tuple[int, int]] = (),
    ) -> list[PersonMention]:
        """Every mention of a person in text, in order. blocked: character ranges that belong to
        organisations (no person inside them); ner_persons: ranges a trained NER labelled PER."""
        blocked = list(blocked)
        mentions: list[PersonMention] = []
        taken: list[tuple[int, int]] = []
        cands = list(self._candidates(text))
        for s, e in ner_persons:
            overlapping = [c for c in cands if c.start < e and s < c.end]
            for c in overlapping:
                c.ner = True
            toks = text[s:e].split()
            if not overlapping and len(toks) >= 2:
                cands.append(_Candidate(s, e, toks, False, False, ner=True))
        for cand in sorted(cands, key=lambda c: c.start):
            if any(s < cand.end and cand.start < e for s, e in taken):
                continue
            mention = self._evaluate(text, cand, blocked)
            if mention:
                mentions.append(mention)
                taken.append((mention.start, mention.end))
        self._assign_keys(mentions)
        mentions.extend(self._surname_mentions(text, mentions, blocked + taken))
        return sorted(mentions, key=lambda m: m.start)

    @staticmethod
    def _assign_keys(mentions: list[PersonMention]) -> None:
        names = {m.name for m in mentions}
        for m in mentions:
            if m.name.endswith("s") and m.name[:-1] in names:
                m.name = m.name[:-1]
            m.key = "person:" + " ".join(m.name.split()).casefold()

    def _surname_mentions(
        self, text: str, mentions: list[PersonMention], taken: list[tuple[int, int]]
    ) -> list[PersonMention]:
        """'säger Dahlström': a surname alone, linked to the one person with that surname."""
        by_surname: dict[str, set[str]] = {}
        person: dict[str, PersonMention] = {}
        for m in mentions:
            surname = m.name.split()[-1]
            by_surname.setdefault(surname, set()).add(m.key)
            person.setdefault(m.key, m)
        usable = {
            surname: next(iter(keys)) for surname, keys in by_surname.items() if len(keys) == 1 and len(surname) >= 3
        }
        out: list[PersonMention] = []
        if not usable:
            return out
        hits: list[tuple[int, int, str]] = []
        for surname in usable:
            pos = text.find(surname)
            while pos >= 0:
                end = pos + len(surname)
                tail = _SURNAME_TAIL.match(text, end)
                if tail and not (pos and _WORD_CHAR.match(text, pos - 1)):
                    hits.append((pos, tail.end(), surname))
                pos = text.find(surname, end)
        for s, e, surname in sorted(hits):
            if any(a < e and s < b for a, b in taken):
                continue
            key = usable[surname]
            window = max(0, s - 40)
            prev = text[window:s]
            prev_word = _LAST_NAME_WORD.search(prev)
            if prev_word and prev_word.group(1)[:1].isupper() and not sentence_start(text, window + prev_word.start(1)):
                continue  # part of another name: "Anna Dahlström" is someone else
            got = party_after(text[e : e + 20], self.lex, self.not_parties)
            risky = self.is_common(surname.casefold()) or surname.casefold() in self.municipality_forms
            if risky and not (after_speech_verb(prev) or got):
                continue
            mention = PersonMention(s, e, person[key].name, got[0] if got else None, None, key, ["surname"])
            got_role = role_after(text[e + (got[1] if got else 0) : e + 180], self.lex)
            if got_role:
                mention.role = got_role[0]
            out.append(mention)
        return out
