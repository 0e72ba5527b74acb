"""Finding the organisations a release names, with a canonical name and aliases.

Two sources: the gazetteer (organizations_gazetteer.txt: agencies, government, national bodies,
universities, civil society, housing companies, with their aliases, matched word by word), and
productive patterns for the organisations no list can hold: "X universitet", "X högskola",
"Högskolan i X", "X AB", "AB X", housing companies ("Familjebostäder", "Svenska Bostäder",
"Helsingborgshem"), "Föreningen X", "Stiftelsen X", sports clubs ("X IF", "IFK X"),
agencies by their endings ("Jämställdhetsmyndigheten"), "Länsstyrelsen i X", "Region X".
An acronym in parentheses after a name ("(MUCF)", "(tidigare SABO)") becomes an alias, and
its later use is the same organisation. Municipalities and political parties are never
organisations here. Plain text in, OrgMentions out, so it is testable without spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nlp.gazetteer import form_index
from nlp.org_lexicon import first_word_scan, gazetteer, pattern_lists, trie_regex
from nlp.people_lexicon import lexicon as people_lexicon
from nlp.text_lines import sentence_start

U = "A-ZÅÄÖÉÜ"
_W = r"[\wÅÄÖåäöéü&'-]"
_SP = r"[ \u00a0]+"
_CAP = rf"[{U}]{_W}*"
# A capitalised word that starts a match: the class first lets the regex engine skip ahead to
# capitals; the look-behind (two characters wide, after the capital) keeps it a whole word.
_CAP_START = rf"[{U}](?<![\w-].){_W}*"
# The same before a space: possessive, as giving back word characters cannot make a space match.
_CAP_WORD = rf"[{U}](?<![\w-].){_W}*+"
# The same test at the start of a literal word: after its first character, where the regex engine
# can skip ahead to that character ("(?<![\w-])Region" would have it try every position).
_GUARD = r"(?<![\w-].)"
_ACRONYM_PAREN = re.compile(
    rf"^[ \u00a0]*\([ \u00a0]*(?:tidigare[ \u00a0]+|f\.d\.[ \u00a0]+|förkortat[ \u00a0]+|förk\.[ \u00a0]+)?"
    rf"([{U}][{U}a-zåäö0-9&-]{{1,11}})[ \u00a0]*\)"
)


_APPOSITION = re.compile(rf"[ \u00a0]+[{U}]")
_SPACES = re.compile(r"[ \u00a0]+")
_COMPANY_FORM = re.compile(r"(?:^AB\s+|\s+(?:AB|Aktiebolag)(?:\s+\(publ\))?$)")


@dataclass
class OrgMention:
    start: int
    end: int
    name: str
    aliases: list[str] = field(default_factory=list)
    key: str = ""
    source: str = "gazetteer"


def _word_start(words: list[str]) -> str:
    """(?<![\\w-])(?:w1|w2|...) as an alternation in the same order, the look-behind after each first character."""
    return "(?:" + "|".join(re.escape(w[0]) + _GUARD + re.escape(w[1:]) for w in words) + ")"


def _compile(lists: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    uni = "|".join(sorted((re.escape(w).replace(r"\ ", _SP) for w in lists["university_words"]), key=len, reverse=True))
    clubs = "|".join(lists["club_suffixes"])
    club_prefixes = _word_start(lists["club_prefixes"])
    heads = _word_start(lists["association_heads"])
    housing_words = "|".join(lists["housing_words"])
    company_words = "|".join(lists["company_words"])
    housing_suffixes = "|".join(lists["housing_suffixes"] + lists["housing_municipal_suffixes"])
    housing_place_words = "|".join(lists["housing_municipal_words"])
    company_heads = "|".join(lists["company_heads"])
    return {
        "university": re.compile(rf"(?P<name>{_CAP_WORD}{_SP}(?:{uni}))(?P<gen>s)?(?![\w-])"),
        "hogskolan": re.compile(rf"(?P<name>H{_GUARD}ögskolan(?:{_SP}i)?{_SP}{_CAP})(?![\w-])"),
        "company": re.compile(
            rf"(?P<name>{_CAP_WORD}{_SP}(?:(?:(?:i|och|&|för){_SP})?{_CAP}{_SP}){{0,2}}(?:AB|Aktiebolag)(?:{_SP}\(publ\))?)(?![\w-])"
        ),
        "company_ab_first": re.compile(rf"(?P<name>A{_GUARD}B{_SP}{_CAP}(?:{_SP}{_CAP}){{0,2}})(?![\w-])"),
        "housing_two": re.compile(rf"(?P<name>{_CAP_WORD}{_SP}(?:{housing_words}))(?P<gen>s)?(?![\w-])"),
        "housing_one": re.compile(rf"(?P<name>[{U}](?<![\w-].)[a-zåäö]+(?:{housing_suffixes}))(?P<gen>s)?(?![\w-])"),
        "company_two": re.compile(rf"(?P<name>{_CAP_WORD}{_SP}(?:{company_words}))(?P<gen>s)?(?![\w-])"),
        "housing_place": re.compile(
            rf"(?P<place>{_CAP_WORD}){_SP}(?P<word>(?:{housing_place_words})|{_CAP}(?:{housing_suffixes}))(?![\w-])"
        ),
        "company_head": re.compile(
            rf"(?<![\w-])[{U}]?[a-zåäö]*(?:{company_heads}){_SP}(?P<name>{_CAP}(?:{_SP}(?:{_CAP}|AB))*)(?![\w-])"
        ),
        "local_association": re.compile(
            rf"(?P<name>{_CAP_WORD}{_SP}[a-zåäö]+(?:förening|förbund|sällskap))(?P<gen>s)?(?![\w-])"
        ),
        "association": re.compile(
            rf"(?P<head>{heads}){_SP}(?P<name>{_CAP}(?:{_SP}{_CAP}){{0,3}}(?:{_SP}i{_SP}{_CAP})?)(?![\w-])"
        ),
        "club": re.compile(rf"(?P<name>{_CAP_WORD}{_SP}(?:{_CAP}{_SP})?(?:{clubs}))(?P<gen>s|:s)?(?![\w-])"),
        "club_first": re.compile(rf"(?P<name>{club_prefixes}{_SP}{_CAP})(?P<gen>s)?(?![\w-])"),
        "agency": re.compile(
            rf"(?P<name>[{U}](?<![\w-].)[a-zåäö-]+(?:{'|'.join(lists['agency_suffixes'])}))(?P<gen>s)?(?![\w-])"
        ),
        "stadsmission": re.compile(rf"(?P<name>{_CAP_START}s{_SP}[Ss]tadsmission)(?P<gen>s)?(?![\w-])"),
        "region": re.compile(
            rf"(?P<name>R{_GUARD}egion{_SP}(?:Västra{_SP}Götaland|{_CAP}(?:{_SP}län)?))(?P<gen>s)?(?![\w-])"
        ),
        "lansstyrelsen": re.compile(
            rf"(?P<head>[Ll]{_GUARD}änsstyrelsen)s?(?:(?:{_SP}i)?{_SP}(?P<county>(?:Västra{_SP}Götalands?|{_CAP}))"
            rf"(?P<lan>{_SP}län)?)?(?![\w-])"
        ),
    }


def _triggers(lists: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Substrings without which a pattern cannot match: a cheap test that skips most regex scans."""
    return {
        "university": tuple(w.split()[-1] for w in lists["university_words"]),
        "hogskolan": ("Högskolan",),
        "company": ("AB", "Aktiebolag"),
        "company_ab_first": ("AB",),
        "housing_two": tuple(lists["housing_words"]),
        "housing_one": tuple(lists["housing_suffixes"] + lists["housing_municipal_suffixes"]),
        "company_two": tuple(lists["company_words"]),
        "housing_place": tuple(
            lists["housing_municipal_words"] + lists["housing_suffixes"] + lists["housing_municipal_suffixes"]
        ),
        "company_head": tuple(lists["company_heads"]),
        "local_association": ("förening", "förbund", "sällskap"),
        "association": tuple(lists["association_heads"]),
        "club": tuple(lists["club_suffixes"]),
        "club_first": tuple(lists["club_prefixes"]),
        "agency": tuple(lists["agency_suffixes"]),
        "stadsmission": ("tadsmission",),
        "region": ("Region",),
        "lansstyrelsen": ("änsstyrelse",),
    }


class _TriggerScan:
    """Which patterns' triggers a text holds: exactly {kind: any(t in text for t in triggers[kind])},
    without a substring test per trigger (about a hundred of them, most absent).

    The triggers starting with a capital are found in one regex pass that skips from capital to
    capital: it finds the longest trigger at the leftmost position, the triggers inside that one count
    as found too ("Bostadsbolag" holds "Bostad"), and the next search starts early
    enough to see one that begins inside it and ends after it. The others are tested one by one.
    """

    def __init__(self, triggers: dict[str, tuple[str, ...]]) -> None:
        capital = sorted({t for ts in triggers.values() for t in ts if t[:1].isupper()})
        self.regex = re.compile(trie_regex(capital)) if capital else None
        self.kinds = {
            t: frozenset(k for k, ts in triggers.items() if any(u in t for u in ts if u in capital)) for t in capital
        }
        self.next_start = {t: _next_start(t, capital) for t in capital}
        # short ones first: they are the likeliest to be found, and make the longer ones of the same
        # patterns needless to test
        self.others = [
            (t, frozenset(k for k, ts in triggers.items() if t in ts))
            for t in sorted(
                {t for ts in triggers.values() for t in ts if not t[:1].isupper()}, key=lambda t: (len(t), t)
            )
        ]

    def kinds_in(self, text: str) -> set[str]:
        found: set[str] = set()
        for t, kinds in self.others:
            if not kinds <= found and t in text:
                found |= kinds
        if self.regex is not None:
            search = self.regex.search
            m = search(text)
            while m:
                t = m.group()
                found |= self.kinds[t]
                m = search(text, m.start() + self.next_start[t])
        return found


def _next_start(t: str, triggers: list[str]) -> int:
    """The first offset in t where a trigger may start and go on past t's end."""
    return next(
        (i for i in range(1, len(t)) if any(len(u) > len(t) - i and u.startswith(t[i:]) for u in triggers)), len(t)
    )


def _after_listed(name: str, start: int, listed: list[OrgMention]) -> str:
    """The part of a company name after "och" when the part before ends another mention: in
    "Piteå Hem och Skövde Bostäder AB" the company is Skövde Bostäder AB."""
    for m in listed:
        if m.start < start < m.end and " och " in name:
            return name.split(" och ", 1)[1]
    return name


def _company_core(name: str) -> str:
    """ "Telgebostäder AB" -> "telgebostäder", "AB Volvo" -> "volvo": the name without its company form."""
    core = _COMPANY_FORM.sub("", name)
    return core.casefold()


class OrgFinder:
    """Finds OrgMentions in a text. Build once, call find() per text."""

    def __init__(self, is_common_word: Callable[[str], bool] | None = None) -> None:
        self.is_common = is_common_word or (lambda word: False)
        self.index = gazetteer()
        self.first_words = first_word_scan()
        self.lists = pattern_lists()
        self.patterns = _compile(self.lists)
        self.triggers = _triggers(self.lists)
        self.trigger_scan = _TriggerScan(self.triggers)
        self.function_words = frozenset(self.lists["function_words"])
        self.agency_exceptions = frozenset(self.lists["agency_exceptions"])
        self.municipality_forms = form_index()
        lex = people_lexicon()
        self.is_first_name = lex.is_first_name
        self.party_words = {k for k in lex.party_by_word if k[:1].isalpha()}
        self.gazetteer_forms = {" ".join(f.words).casefold(): f.org for forms in self.index.values() for f in forms}

    # -- gazetteer --------------------------------------------------------------------------------

    def _gazetteer(self, text: str) -> list[OrgMention]:
        found: list[OrgMention] = []
        resume = 0
        for word in self.first_words.finditer(text):
            start = word.start()
            forms = self.index.get(word.group())
            if not forms or start < resume:
                continue
            for form in forms:
                if form.pattern is None:
                    end = word.end()
                else:
                    m = form.pattern.match(text, start)
                    if not m:
                        continue
                    end = m.end()
                if form.not_sentence_start and (sentence_start(text, start) or _APPOSITION.match(text, end)):
                    continue  # "Framtiden ...", "bostadsbolaget Familjebostäder": the ordinary word
                found.append(OrgMention(start, end, form.org.name, list(form.org.aliases), form.org.key))
                resume = end
                break
        return found

    # -- patterns ---------------------------------------------------------------------------------

    def _pattern_mentions(self, text: str) -> Iterable[OrgMention]:
        present = self.trigger_scan.kinds_in(text)
        for kind in ("university", "hogskolan", "stadsmission", "club", "club_first", "local_association"):
            for m in self._scan(present, kind, text):
                # "Högskolan i Borås" starts a sentence with an ordinary word that is part of the name
                name = self._trim(text, m.start("name"), m.group("name"), common_words=kind == "local_association")
                if name:
                    yield OrgMention(m.end("name") - len(name), m.end("name"), name, source=kind)
        for m in self._scan(present, "association", text):
            # "föreningen Nattvandrarna i Järfälla" is Nattvandrarna i Järfälla; "Stiftelsen Friends" keeps its head
            head, name = m.group("head"), _SPACES.sub(" ", m.group("name"))
            full = head[0].upper() + head[1:] + " " + name
            key = "org:" + name.casefold()  # one organisation whichever way its head is written
            if head[0].isupper() and not sentence_start(text, m.start()):
                yield OrgMention(m.start(), m.end("name"), full, [name], key, source="association")
            else:
                yield OrgMention(m.start(), m.end("name"), name, [full], key, source="association")
        housing = list(self._housing_with_place(text, present))
        yield from housing
        for kind in ("company", "company_ab_first"):
            for m in self._scan(present, kind, text):
                name = self._trim(text, m.start("name"), m.group("name"))
                if name:  # "Piteå Hem och Skövde Bostäder AB" lists two companies
                    name = _after_listed(name, m.end("name") - len(name), housing)
                if name and name not in {"AB", "Aktiebolag"} and len(name.split()) >= 2:
                    yield OrgMention(m.end("name") - len(name), m.end("name"), name, source=kind)
        for m in self._scan(present, "company_two", text):
            name = self._trim(text, m.start("name"), m.group("name"))
            if name and len(name.split()) == 2 and not sentence_start(text, m.end("name") - len(name)):
                yield OrgMention(m.end("name") - len(name), m.end("name"), name, source="company")
        for m in self._scan(present, "housing_two", text):
            name = self._trim(text, m.start("name"), m.group("name"))
            if name and len(name.split()) == 2:
                yield OrgMention(m.end("name") - len(name), m.end("name"), name, source="housing")
        for m in self._scan(present, "company_head", text):
            name = _SPACES.sub(" ", m.group("name"))
            if name.casefold() not in self.municipality_forms and not self.is_first_name(name):
                yield OrgMention(m.start("name"), m.end("name"), name, source="company")
        for m in self._scan(present, "housing_one", text):
            name = m.group("name")
            if self._housing_word(name) and not (sentence_start(text, m.start()) and not self._municipal_stem(name)):
                yield OrgMention(m.start(), m.end("name"), name, source="housing")
        for m in self._scan(present, "agency", text):
            name = m.group("name")
            if name in self.agency_exceptions or sentence_start(text, m.start()):
                continue
            yield OrgMention(m.start(), m.end("name"), name, source="agency")
        for m in self._scan(present, "region", text):
            name = m.group("name")
            if name.casefold() not in self.municipality_forms:
                yield OrgMention(m.start(), m.end("name"), name, source="region")
        for m in self._scan(present, "lansstyrelsen", text):
            yield self._lansstyrelsen(m)

    def _housing_with_place(self, text: str, present: set[str]) -> Iterable[OrgMention]:
        """A municipality's name before a housing word is part of the company's name: "Piteå Hem",
        "Eskilstuna Kommunfastigheter" (the longer mention wins over "Kommunfastigheter")."""
        for m in self._scan(present, "housing_place", text):
            if m.group("place").casefold() in self.municipality_forms:
                name = _SPACES.sub(" ", m.group())
                yield OrgMention(m.start(), m.end(), name, source="housing")

    def _scan(self, present: set[str], kind: str, text: str) -> Iterable[re.Match[str]]:
        """The pattern's matches; none when the text lacks all its triggers (present: _TriggerScan)."""
        if kind in present:
            return self.patterns[kind].finditer(text)
        return ()

    def _housing_word(self, word: str) -> bool:
        """Familjebostäder, Botkyrkabyggen, Gavlegårdarna; "-hem"/"-hus" only after a municipality's name."""
        low = word.casefold()
        if low.endswith(tuple(self.lists["housing_municipal_suffixes"])):
            return self._municipal_stem(word)
        return not low.startswith(("hyres", "bostads", "student", "senior", "trygghets", "ungdoms", "äldre"))

    def _municipal_stem(self, word: str) -> bool:
        low = word.casefold()
        for suffix in self.lists["housing_suffixes"] + self.lists["housing_municipal_suffixes"]:
            if low.endswith(suffix):
                stem = low[: -len(suffix)]
                return stem in self.municipality_forms or stem.rstrip("s") in self.municipality_forms
        return False

    def _trim(self, text: str, start: int, name: str, *, common_words: bool = True) -> str | None:
        """Drop leading words that are capitalised only because a sentence starts with them
        ("Enligt Peab AB", "Nya Bostäder"); None when no capitalised name is left."""
        parts = name.split()
        offset = start
        while parts and (
            parts[0] in self.function_words
            or parts[0].casefold() in self.party_words
            or (common_words and sentence_start(text, offset) and self.is_common(parts[0].casefold()))
        ):
            offset = text.index(parts[0], offset) + len(parts[0])
            offset += len(text[offset:]) - len(text[offset:].lstrip(" \u00a0"))
            parts = parts[1:]
        if not parts or not parts[0][:1].isupper():
            return None
        trimmed = _SPACES.sub(" ", " ".join(parts))
        head = trimmed.split()[0]
        if head.casefold() in self.municipality_forms and len(parts) == 1:
            return None
        return trimmed

    def _lansstyrelsen(self, m: re.Match[str]) -> OrgMention:
        county = m.group("county")
        if not county:
            return OrgMention(m.start(), m.end(), "Länsstyrelsen", [], "org:länsstyrelsen", "lansstyrelsen")
        county = _SPACES.sub(" ", county)
        base = county[:-1] if m.group("lan") and county.endswith("s") else county
        written = _SPACES.sub(" ", m.group()).replace("länsstyrelsen", "Länsstyrelsen", 1)
        genitive = base if base.endswith("s") else base + "s"
        aliases = [
            f"Länsstyrelsen i {genitive} län",
            f"Länsstyrelsen {base}",
            f"Länsstyrelsen i {base}",
            f"Länsstyrelsen {base} län",
            f"Länsstyrelsen {genitive} län",
        ]
        aliases = [a for a in dict.fromkeys(aliases) if a.casefold() != written.casefold()]
        return OrgMention(m.start(), m.end(), written, aliases, "org:länsstyrelsen:" + base.casefold(), "lansstyrelsen")

    # -- the whole text ---------------------------------------------------------------------------

    def find(self, text: str, ner_orgs: Iterable[tuple[int, int]] = ()) -> list[OrgMention]:
        """Every mention of an organisation in text, in order, each with the key that merges
        mentions of one organisation (its canonical name)."""
        mentions = self._gazetteer(text)
        for m in self._pattern_mentions(text):
            known = self.gazetteer_forms.get(m.name.casefold()) or self.gazetteer_forms.get(_company_core(m.name))
            if known:
                written = m.name
                m.name, m.aliases, m.key = known.name, list(known.aliases), known.key
                if written.casefold() not in {a.casefold() for a in [m.name, *m.aliases]}:
                    m.aliases.append(written)  # "Telgebostäder AB" is Telgebostäder
            mentions.append(m)
        for s, e in ner_orgs:
            name = text[s:e].strip()
            if name:
                mentions.append(OrgMention(s, e, name, source="ner"))
        mentions = [m for m in mentions if self._allowed(m)]
        chosen = self._non_overlapping(mentions)
        for m in chosen:
            m.key = m.key or "org:" + m.name.casefold()
        chosen += self._acronyms(text, chosen)
        self._link_bare_lansstyrelsen(chosen)
        # every mention of one organisation carries all the names the text gives it
        aliases: dict[str, list[str]] = {}
        for m in chosen:
            known = aliases.setdefault(m.key, [])
            known.extend(a for a in m.aliases if a not in known)
        for m in chosen:
            m.aliases = [a for a in aliases[m.key] if a.casefold() != m.name.casefold()]
        return sorted(chosen, key=lambda m: m.start)

    def _allowed(self, m: OrgMention) -> bool:
        low = m.name.casefold()
        return low not in self.municipality_forms and low not in self.party_words

    @staticmethod
    def _non_overlapping(mentions: list[OrgMention]) -> list[OrgMention]:
        """Longest first; on equal spans the gazetteer wins (it knows the canonical name)."""
        ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), m.source != "gazetteer", m.start))
        chosen: list[OrgMention] = []
        for m in ranked:
            if not any(c.start < m.end and m.start < c.end for c in chosen):
                chosen.append(m)
        return chosen

    def _acronyms(self, text: str, mentions: list[OrgMention]) -> list[OrgMention]:
        """'(MUCF)' after a name is an alias; later uses of the acronym are the same organisation."""
        extra: list[OrgMention] = []
        for m in list(mentions):
            paren = _ACRONYM_PAREN.match(text[m.end : m.end + 40])
            if not paren:
                continue
            acronym = paren.group(1)
            if sum(c.isupper() for c in acronym) < 2 or acronym.casefold() in self.municipality_forms:
                continue
            known = self.gazetteer_forms.get(acronym.casefold())
            if known and known.key != m.key:
                continue
            if acronym not in m.aliases and acronym != m.name:
                m.aliases.append(acronym)
            if known:
                continue  # the gazetteer pass already found its uses
            taken = [(c.start, c.end) for c in mentions + extra]
            for use in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?::s|s)?(?![\w-])", text):
                if not any(a < use.end() and use.start() < b for a, b in taken) and use.start() != m.end + paren.start(
                    1
                ):
                    extra.append(OrgMention(use.start(), use.end(), m.name, list(m.aliases), m.key, "acronym"))
        return extra

    @staticmethod
    def _link_bare_lansstyrelsen(mentions: list[OrgMention]) -> None:
        """A bare "länsstyrelsen" in a release that names one county's board is that board."""
        counties = {m.key: m for m in mentions if m.key.startswith("org:länsstyrelsen:")}
        if len(counties) == 1:
            board = next(iter(counties.values()))
            for m in mentions:
                if m.key == "org:länsstyrelsen":
                    m.name, m.aliases, m.key = board.name, board.aliases, board.key
