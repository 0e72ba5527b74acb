"""The attributes of a sum: period, per year, recipient, qualifier, status, tentative.

Releases state these around the sum, not in it, and in no fixed order, so every attribute is
decided by a few general mechanisms over sentence windows (nlp/money_windows.py), never by
patterns for one sentence:

- Scope, nearest first: the clause of the sum; the nearest earlier clause of the sentence ("Stödet
  betalas ut till och med 2027 och som mest kan staden få 69 miljoner"); a later clause without a
  sum of its own, unless "men" turns the sentence ("får 13 miljoner men det kan bli mer fram till
  2027"); a sentence ending in ":" that heads a list of sums; the sentence before, in the same
  paragraph, when it only sets the scene ("... sitt förslag till budget för 2020. Budgeten omfattar
  totalt 6,9 miljarder kronor."), or the one after that names the year ("Det är den första
  utbetalningen för 2019.").
- The text as a whole (Discourse): a sum that is part of an earlier one ("Av bidraget fördelas
  500 tkr", "Den största summan, 81,2 miljoner kronor"), adds to it ("Dessutom satsas 5 miljoner")
  or totals it (", totalt 12,9 miljoner kronor") shares its owner, decision and period; other sums
  without a period keep the period of the last firm sum, or of the lead ("Så användes pengarna
  2019"); a sum restated elsewhere (a headline) takes what the other mention states.
- Tentative reaches forward from its cue to the end of the sentence ("Eventuellt blir det mer ...:
  1,3 miljarder ... och 2,2 miljarder"), back from a remark on the figures ("Beloppen är
  preliminära."), over a conditional ("Om bidraget försvinner ..."), over an application not yet
  granted ("har sökt"), and over the whole text when its lead presents a proposal ("presenterar
  sitt förslag till budget"), except for what the text says was already granted.
- The recipient is a municipality in the clause, else the one the sentence names with "för"
  ("för Örebros del", "För Katrineholm"), else programme wording ("kommunerna", "dela på") makes
  it national, "vi"/"kommunen"/"staden" the document's own municipality and associations or
  companies nobody's; else a municipality nearer to this sum than to any other ("81,2 miljoner
  kronor, går till Göteborg och den minsta, 1,6 miljoner kronor, till Perstorp"); else the owner
  of the sum it continues; money set aside without an owner is the budget's (the document's
  municipality) or the programme's; else the document's municipality (national when it has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.cues import Cue
from nlp.money_windows import Context, Window, lexicon

NATIONAL = "national"

Years = tuple[int | None, int | None]
_NO_YEARS: Years = (None, None)
_NO_DECISION = frozenset({"spent", "applied"})  # cue labels reported as status None


@dataclass
class Discourse:
    """What the text as a whole says about its sums, updated as the sums are read in order."""

    doc_municipality: str | None
    frame_tentative: bool = False  # the lead presents a proposal
    topic: Years | None = None  # period of the last firm sum with a closed period
    sums: list[dict] = field(default_factory=list)  # attributes of the sums read so far

    def antecedent(self, window: Window, start: int, value: int) -> dict | None:
        """The earlier sum this one continues: the whole it is part of ("Av bidraget fördelas 500 tkr",
        "Den största summan, 81,2 miljoner kronor"), or the sum it adds to ("Dessutom satsas 5 miljoner")."""
        clause = window.clause[start]
        if any(window.clause[c.start] in (clause, clause - 1) for c in window.cues("part_of")):
            return next((s for s in reversed(self.sums) if s["value_sek"] > value), None)
        if self.sums and any(s < start for s, _ in window.money) and _in_clause(window, "total", start):
            return self.sums[-1]  # "4,3 miljoner kronor per år under 2019–2021, totalt 12,9 miljoner kronor"
        if self.sums and not lexicon().additive.isdisjoint(window.forms):
            return self.sums[-1]
        return None


def lead_frames_proposal(windows: Iterable[Window]) -> bool:
    """Whether the lead (sentences up to the end of the first full sentence) presents a proposal."""
    for w in windows:
        if w.cues("frame"):
            return True
        if w.text.rstrip().endswith((".", "!", "?")) and len(w.forms) >= 6:
            return False
    return False


def attributes(window: Window, index: int, value: int, ctx: Context, doc: Discourse, own_qualifier: str | None) -> dict:
    """All attributes of the index-th sum of window, in the light of the sums read before it."""
    start, end = window.money[index]
    own_money = _in_clause(window, "own_money", start) is not None
    antecedent = None if own_money else doc.antecedent(window, start, value)
    status = _status(window, start, end, ctx)
    offered, applied = status == "eligible", status == "applied"
    # spent, or applied for and not yet granted: no decision, whatever the whole it is part of was
    status = None if status in _NO_DECISION else status or (antecedent or {}).get("status")
    decided = status == "granted"  # a past grant ("fick", "har beviljats") stands against a proposal
    if status == "granted_present":
        status = "granted"
    recipient = _recipient(window, start, end, status, ctx, doc, antecedent)
    if own_money and recipient in (None, NATIONAL) and doc.doc_municipality:
        recipient = doc.doc_municipality  # "Utöver statsbidraget avsätter kommunen själv 2 miljoner"
    if status is None and recipient == NATIONAL and _in_clause(window, "total", start):
        status = "allocated"  # "Totalt/sammanlagt ... N kronor" at programme level is money set aside
    own_tentative = _tentative(window, start, ctx, offered)
    (year_start, year_end), firm = _period(window, start, end, ctx)
    if firm and not own_tentative and year_start and year_end:
        doc.topic = (year_start, year_end)
    elif not firm and antecedent and (antecedent["year_start"] or antecedent["year_end"]):
        year_start, year_end = antecedent["year_start"], antecedent["year_end"]
    elif not firm and doc.topic and not own_money:
        year_start, year_end = doc.topic  # the municipality's own money is not the grant of that period
    found = {
        "value_sek": value,
        "per_year": _per_year(window, index),
        "year_start": year_start,
        "year_end": year_end,
        "recipient": recipient,
        "qualifier": own_qualifier or _qualifier(window, start),
        "status": status,
        "tentative": own_tentative or (doc.frame_tentative and not decided),
        "_firm": firm,  # the text states the period for this very sum (see share_repeated)
        "_applied": applied,  # an application, uncertain unless another mention offers or grants it
    }
    doc.sums.append(found)
    return found


# --- helpers over cues -------------------------------------------------------------------------


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


def _in_clause(window: Window, kind: str, start: int, labels: set[str] | None = None) -> Cue | None:
    clause = window.clause[start]
    same = [c for c in window.cues(kind) if window.clause[c.start] == clause and (labels is None or c.label in labels)]
    return min(same, key=lambda c: _distance(c.start, c.end, start, start + 1)) if same else None


def _nearest_cue(window: Window, kind: str, start: int, end: int, labels: set[str] | None = None) -> Cue | None:
    """A cue in the sum's clause (nearest, earlier wins a tie), else in the nearest earlier clause,
    else in a later clause the sum's clause continues into."""
    return _nearest(window, [c for c in window.cues(kind) if labels is None or c.label in labels], start, end)


def _nearest(window: Window, cues: list[Cue], start: int, end: int) -> Cue | None:
    """The cue of cues that scopes over the sum at [start, end) (see _nearest_cue)."""
    clause = window.clause[start]
    same = [c for c in cues if window.clause[c.start] == clause]
    if same:
        return min(same, key=lambda c: (_distance(c.start, c.end, start, end), c.start > start))
    earlier = [c for c in cues if window.clause[c.start] < clause]
    if earlier:
        return max(earlier, key=lambda c: c.end)
    later = [
        c for c in cues if window.clause[c.start] > clause and window.reachable_later(clause, window.clause[c.start])
    ]
    return min(later, key=lambda c: c.start) if later else None


# --- the attributes ----------------------------------------------------------------------------


def _per_year(window: Window, index: int) -> bool:
    """A per-year cue in the clause; a compared sum ("198 000 kronor per år, jämfört med 389 000
    kronor") is counted the same way as the sum it is compared with."""
    start = window.money[index][0]
    if _in_clause(window, "per_year", start) is not None:
        return True
    if index and window.clause_first_word(window.clause[start]) in lexicon().comparison:
        return _per_year(window, index - 1)
    return False


def _qualifier(window: Window, start: int) -> str:
    lex = lexicon()
    for cue in window.cues("prefix"):
        gap = range(cue.end, start)
        if cue.end <= start and len(gap) <= 1 and all(window.forms[k] in lex.qualifier_gap for k in gap):
            return cue.label
    clause = window.clause[start]
    before = [c for c in window.cues("clause_qualifier") if window.clause[c.start] == clause and c.end <= start]
    return before[-1].label if before else "exact"


def _anaphoric(window: Window) -> bool:
    return any(f in lexicon().anaphora for f in window.forms)


def _granted_in_clause(window: Window, clause: int) -> bool:
    return any(c.label.startswith("granted") and window.clause[c.start] == clause for c in window.cues("status"))


def _negated(window: Window, cue: Cue) -> bool:
    return any(f in lexicon().negation for f in window.forms[max(0, cue.start - 2) : cue.end])


def _status_of(window: Window, cue: Cue) -> str:
    """The status a cue gives ("granted_present" is reported as "granted", "applied" and "spent" as
    None by attributes()). An application is no offer (SCHEMA: "applications" get no status) until
    the clause says it was granted ("har beviljat kommunens ansökan om 13,4 miljoner")."""
    if cue.label == "applied" and _granted_in_clause(window, window.clause[cue.start]):
        return "granted"
    return cue.label


def _transfer(window: Window, cue: Cue) -> bool:
    """A spending cue followed by a municipality ("går till Göteborg") hands the sum over to it:
    that says who receives it, not that it was spent."""
    return cue.label == "spent" and any(cue.end <= ps <= cue.end + 1 for ps, _, _ in window.places)


def _status(window: Window, start: int, end: int, ctx: Context) -> str | None:
    cue = _nearest(window, [c for c in window.cues("status") if not _transfer(window, c)], start, end)
    if cue:
        return _status_of(window, cue)
    # a heading introduces its list even when it states the total ("kan fem kommuner söka
    # sammanlagt 74,1 miljoner kronor:"); a sentence before only when it holds no sum of its own
    previous = ctx.previous if _anaphoric(window) and ctx.previous and not ctx.previous.money else None
    for other in (ctx.heading, previous):
        if other and other.cues("status"):
            return _status_of(other, other.cues("status")[-1])
    return None


def _tentative_cues(window: Window, with_applied: bool = True) -> list[Cue]:
    """Uncertainty cues that are not negated; an application counts until the clause says it was granted."""
    cues = [c for c in window.cues("tentative") if not _negated(window, c)]
    if with_applied:
        cues += [
            c
            for c in window.cues("tentative_applied")
            if not _negated(window, c) and not _granted_in_clause(window, window.clause[c.start])
        ]
    return cues


def _tentative(window: Window, start: int, ctx: Context, offered: bool = False) -> bool:
    """Whether a cue makes the sum uncertain; an offer ("Kommuner som söker kan få upp till ...")
    stays firm even when the sentence also speaks of applying."""
    clause = window.clause[start]
    if any(window.clause[c.start] <= clause for c in _tentative_cues(window, with_applied=not offered)):
        return True
    conditional = lexicon().conditional
    if any(window.clause_first_word(c) in conditional for c in range(clause + 1)):
        return True  # "Om bidraget försvinner förlorar vi 6 miljoner"
    return bool(ctx.heading and _tentative_cues(ctx.heading))


def remark_words() -> frozenset[str]:
    """Every sentence that is_pending_decision or is_tentative_remark holds one of these words: a
    sentence without one need not be looked at."""
    lex = lexicon()
    return lex.figure_nouns | lex.decision_nouns


def is_pending_decision(window: Window) -> bool:
    """A sentence without a sum saying a decision is still to come ("Beslut väntas i juni.",
    "Besked om bidraget kommer i höst."): the undecided sums before it become tentative."""
    lex = lexicon()
    if window.money or not any(f in lex.decision_nouns for f in window.forms):
        return False
    return any(window.clause[c.start] == 0 for c in _tentative_cues(window, with_applied=False))


def is_tentative_remark(window: Window) -> bool:
    """A sentence that only says the figures before it are uncertain: "Beloppen är preliminära."
    (no sum of its own, the figures as its subject, an uncertainty cue in its first clause). Talk
    of more money to come ("Det kan bli mer pengar", "beloppet väntas öka") is no such remark."""
    lex = lexicon()
    subject = next((f for f in window.forms if f.isalpha()), None)
    if window.money or subject not in lex.figure_nouns or any(f in lex.growth for f in window.forms):
        return False
    return any(window.clause[c.start] == 0 for c in _tentative_cues(window, with_applied=False))


def _combine(chosen: dict, others: list[dict]) -> Years:
    """A start and an end stated apart make a range: "från 2020 ... fram till 2027", "därefter ... till 2027"."""
    start, end = chosen.get("year_start"), chosen.get("year_end")
    for kp in others:
        if start is None and end is not None and kp.get("kind") in ("from", "after", "now") and kp.get("year_start"):
            start = kp["year_start"]
        if end is None and start is not None and kp.get("kind") == "until":
            end = kp.get("year_end")
    return start, end


RELATIVE_REACH = 4  # words between a sum and the "som" of a clause describing it ("20 miljoner kronor i stöd som")
RELATIVE_YEAR_REACH = 10  # words between that "som" and a year it names


def _described_sums(window: Window) -> dict[int, int]:
    """_find_described_sums, once per window (every sum of the sentence asks)."""
    found = window.memo.get("described")
    if found is None:
        found = window.memo["described"] = _find_described_sums(window)
    return found


def _find_described_sums(window: Window) -> dict[int, int]:
    """{start of a year: start of the sum whose relative clause names it}.

    "de 20 miljoner kronor som aviserades i fjol": the year of the clause is that sum's, whatever
    other sum of the sentence is nearer ("Utöver de 20 miljoner kronor som aviserades i fjol får
    Lund nu 5 miljoner"). The clause opens with "som" (", som") right after the sum and the year
    stands in the same clause as that "som"."""
    if not window.years or "som" not in window.forms:
        return {}
    punct = lexicon().punct
    bound: dict[int, int] = {}
    for i, (ms, me) in enumerate(window.money):
        limit = window.money[i + 1][0] if i + 1 < len(window.money) else len(window.forms)
        som = next((k for k in range(me, min(me + RELATIVE_REACH + 1, limit)) if window.forms[k] == "som"), None)
        if som is None or any(window.forms[k] in punct for k in range(me, som - 1)):
            continue  # a comma may stand right before "som", nothing else may break the phrase
        # the first year of the clause only: "som aviserades i fjol får Lund nu ..." goes on in the main clause
        ys = next((y[0] for y in window.years if som < y[0] < min(limit, som + RELATIVE_YEAR_REACH + 1)), None)
        if ys is not None and window.clause[ys] == window.clause[som]:
            bound.setdefault(ys, ms)
    return bound


def _stated(window: Window) -> list[tuple[int, int, dict]]:
    """Dated years of a sentence around the sum's, without "nu": the "nu" of another sentence
    ("Nu kan föreningar söka bidrag. Varje förening kan få 50 000 kronor.") says when something
    happens, not what year that sentence's sums are for."""
    return [y for y in window.dated_years() if y[2].get("kind") != "now"]


def _period(window: Window, start: int, end: int, ctx: Context) -> tuple[Years, bool]:
    """(year_start, year_end) and whether the text states it for this sum (not carried from afar).

    A year in a relative clause describing a sum is that sum's alone; "nu" ("Nu får kommunen ...")
    is the publication year only when the sentence states no other year for the sum."""
    clause = window.clause[start]
    bound = _described_sums(window)
    own = [y for y in window.years if bound.get(y[0]) == start]
    if own:
        chosen = min(own, key=lambda y: _distance(y[0], y[1], start, end))
        return _combine(chosen[2], [y[2] for y in own if y is not chosen]), True
    free = [y for y in window.years if y[0] not in bound]
    now = [y for y in free if y[2].get("kind") == "now"]
    years = [y for y in free if y[2].get("kind") != "now"]
    same = [y for y in years if window.clause[y[0]] == clause]
    if same:
        # a period the clause states but that cannot be resolved ("nästa år" with no publication
        # date) leaves the sum's period unknown, rather than borrowing one from elsewhere
        chosen = min(same, key=lambda y: (_distance(y[0], y[1], start, end), y[0] < start))
        others = [y[2] for y in same if y is not chosen] + [y[2] for y in now if window.clause[y[0]] <= clause]
        return _combine(chosen[2], others), True
    now_here = [y for y in now if window.clause[y[0]] == clause]
    if now_here:  # "Kommunen fick 4 miljoner kronor 2021 och nu får den 6 miljoner kronor"
        kp = now_here[-1][2]
        return (kp.get("year_start"), kp.get("year_end")), True
    usable = [y for y in years if y[2].get("year_start") or y[2].get("year_end")]
    earlier = [y for y in usable if window.clause[y[0]] < clause]
    if earlier:
        chosen = max(earlier, key=lambda y: y[1])
        same_clause = [y[2] for y in earlier if window.clause[y[0]] == window.clause[chosen[0]] and y is not chosen]
        return _combine(chosen[2], same_clause), True
    lex = lexicon()
    for y in sorted(usable, key=lambda y: y[0]):
        c = window.clause[y[0]]
        if c > clause and window.reachable_later(clause, c):
            return (y[2].get("year_start"), y[2].get("year_end")), True
        if c > clause and window.clause_first_word(c) in lex.period_openers and not window.clause_has_money(c):
            return (y[2].get("year_start"), y[2].get("year_end")), True
    now_here = [y for y in now if window.clause[y[0]] < clause]
    if now_here:
        kp = now_here[-1][2]  # "Redan nu, när beslutet är fattat, får kommunen 3 miljoner kronor"
        return (kp.get("year_start"), kp.get("year_end")), True
    heading = ctx.heading if ctx.has_years("heading") else None  # no year there: no need to build its window
    previous = ctx.previous if ctx.has_years("previous") else None
    for other in (heading, previous if previous and not previous.money else None):
        if other and _stated(other):
            kp = _stated(other)[-1][2]
            return (kp.get("year_start"), kp.get("year_end")), True
    follow = ctx.following if ctx.has_years("following") else None
    if follow and not follow.money and _stated(follow) and _opens_with_anaphor(follow):
        kp = _stated(follow)[0][2]  # "... fått 13 miljoner kronor. Det är den första utbetalningen för 2019."
        return (kp.get("year_start"), kp.get("year_end")), True
    return _NO_YEARS, False


def _opens_with_anaphor(window: Window) -> bool:
    return next((f for f in window.forms if f.isalpha()), None) in lexicon().anaphora


def _owned_place(window: Window, start: int, end: int, labelling: set[int]) -> str | None:
    """A municipality of the sentence that is nearer to this sum than to any other sum in it (and
    labels no other sum)."""
    best = None
    for ps, pe, code in window.places:
        if ps in labelling:
            continue
        d = _distance(ps, pe, start, end)
        if all(d < _distance(ps, pe, ms, me) for ms, me in window.money if ms != start) and (
            best is None or d < best[0]
        ):
            best = (d, code)
    return best[1] if best else None


_LABEL_GAP = frozenset({":", "–", "-", "—"})


def _labels(window: Window) -> dict[int, tuple[int, str]]:
    """_find_labels, once per window (every sum of the sentence asks)."""
    found = window.memo.get("labels")
    if found is None:
        found = window.memo["labels"] = _find_labels(window)
    return found


def _find_labels(window: Window) -> dict[int, tuple[int, str]]:
    """{start of a sum: (start, code) of the municipality that labels it}.

    A list of sums names each recipient right before its sum ("Botkyrka: 17,2 miljoner kronor",
    "Huddinge 11,5 miljoner kronor"); run in on one line, the next label follows the previous sum
    in the same clause ("17,2 miljoner kronor Huddinge: 11,5 miljoner"), so the label must win
    over mere nearness. Only a colon or dash and qualifier words may stand between label and sum.
    """
    if not window.places or not window.money:
        return {}
    gap_words = _LABEL_GAP | lexicon().qualifier_gap | lexicon().label_qualifiers
    labels: dict[int, tuple[int, str]] = {}
    for ps, pe, code in window.places:
        for ms, _ in window.money:
            if pe <= ms <= pe + 3 and all(window.forms[k] in gap_words for k in range(pe, ms)):
                labels.setdefault(ms, (ps, code))
                break
    return labels


def _recipient(
    window: Window, start: int, end: int, status: str | None, ctx: Context, doc: Discourse, antecedent: dict | None
) -> str | None:
    labels = _labels(window)
    if start in labels:
        return labels[start][1]
    labelling = {ps for ps, _ in labels.values()}
    clause = window.clause[start]
    in_clause = [p for p in window.places if window.clause[p[0]] == clause and p[0] not in labelling]
    if in_clause:
        return min(in_clause, key=lambda p: _distance(p[0], p[1], start, end))[2]
    for s, _, code in window.places:
        if s > 0 and window.forms[s - 1] == "för":
            return code  # "för Örebros del", "För Katrineholm betyder det"
    if _passed_on(window, start, end):
        return None
    cue = _in_clause(window, "recipient", start)
    if cue and (cue.label != "local" or doc.doc_municipality):
        return _recipient_of(cue, doc)
    owned = _owned_place(window, start, end, labelling)
    if owned:
        return owned
    if antecedent and antecedent.get("recipient"):
        return antecedent["recipient"]
    cue = _nearest_cue(window, "recipient", start, end)
    if cue and (cue.label != "local" or doc.doc_municipality):
        return _recipient_of(cue, doc)
    if status == "allocated":
        if doc.doc_municipality and any("budget" in c.text for c in window.cues("status") if c.label == "allocated"):
            return doc.doc_municipality  # "Totalt omsluter budgeten 18,9 miljarder": the budget of the text's own
        # Set aside, and the sentence names no owner: whoever the sentence before is about,
        # else the programme ("2,2 miljarder kronor planeras avsättas årligen").
        return _scene_owner(ctx.previous, doc) or NATIONAL
    if ctx.heading:
        codes = {code for _, _, code in ctx.heading.places}
        if len(codes) == 1:
            return codes.pop()
    return doc.doc_municipality or NATIONAL


def _passed_on(window: Window, start: int, end: int) -> bool:
    """The sum goes on to associations or companies ("avsätter kommunen 500 tkr till en pott för
    idrottsföreningar"): whoever sets it aside, they are not who receives it."""
    clause = window.clause[start]
    for cue in window.cues("recipient"):
        if cue.label == "other" and cue.start >= end and window.clause[cue.start] == clause:
            return "till" in window.forms[end : cue.start]
    return False


def _recipient_of(cue: Cue, doc: Discourse) -> str | None:
    """national for the programme, the document's municipality for "vi"/"kommunen", None for an
    association or a company (neither a municipality nor the programme)."""
    if cue.label == "local":
        return doc.doc_municipality
    return NATIONAL if cue.label == NATIONAL else None


def _scene_owner(window: Window | None, doc: Discourse) -> str | None:
    """The last owner a sentence names outside its own sums: a municipality, the programme or "we"."""
    if window is None:
        return None
    candidates = [(s, code) for s, e, code in window.places if not window.clause_has_money(window.clause[s])]
    for cue in window.cues("recipient"):
        if cue.label == NATIONAL or (cue.label == "local" and doc.doc_municipality):
            candidates.append((cue.start, _recipient_of(cue, doc)))
    return max(candidates)[1] if candidates else None


def share_repeated(sums: list[dict]) -> None:
    """A sum restated elsewhere (a headline, a summary) is the same sum: where one mention lacks the
    period, the per-year flag or the status the text gives another mention of the same value, it
    takes them; an application for a sum the text states as offered or granted is no uncertainty."""
    by_value: dict[int, list[dict]] = {}
    for found in sums:
        by_value.setdefault(found["value_sek"], []).append(found)
    for mentions in by_value.values():
        if len(mentions) < 2:
            continue
        firm = [m for m in mentions if m["_firm"] and (m["year_start"] or m["year_end"])]
        for m in mentions:
            if not m["_firm"] and firm:
                source = min(firm, key=lambda f: abs(sums.index(f) - sums.index(m)))
                m["year_start"], m["year_end"] = source["year_start"], source["year_end"]
                m["per_year"] = m["per_year"] or source["per_year"]
            if m["_applied"] and any(f["status"] in ("eligible", "granted") and not f["tentative"] for f in mentions):
                m["tentative"] = False  # "Norrköping söker 12,9 miljoner" over "kan söka 12,9 miljoner kronor"
            if m["status"] is None:
                m["status"] = next((f["status"] for f in mentions if f["status"]), None)
