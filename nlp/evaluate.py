"""Scoring analyser records against a researcher's own annotations.

The rules are those of SCHEMA.md (tests/data/SCHEMA.md), the same as the project's
reference scorer: amounts are paired by equal value in order of appearance and
their attributes compared over the pairs; people by folded name; organisations
by any shared name or alias; municipalities and categories as sets per document.
A gold field that is absent or null is not scored, except the document's
municipality, where null means "national or many".
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class GoldFileError(Exception):
    """A gold file that cannot be used; the message says which line and why."""


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    ok: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.ok += bool(ok)

    @property
    def value(self) -> float:
        return self.ok / self.n if self.n else 1.0


@dataclass
class Evaluation:
    fields: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    attributes: dict[str, Accuracy] = field(default_factory=lambda: defaultdict(Accuracy))
    disagreements: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        """Flat figures named as the reference scorer names them (amounts.f1, persons.party, ...)."""
        out: dict[str, float | int] = {}
        for name, c in self.fields.items():
            out[f"{name}.p"], out[f"{name}.r"], out[f"{name}.f1"] = (
                round(c.precision, 4),
                round(c.recall, 4),
                round(c.f1, 4),
            )
            out[f"{name}.n"] = c.tp + c.fn
        for name, a in self.attributes.items():
            out[name] = round(a.value, 4)
            out[f"{name}.n"] = a.n
        return out


def fold(text: Any) -> str | None:
    """Compare names as a reader would: Unicode form, spaces and case do not matter."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ")
    return " ".join(text.split()).casefold()


def _code(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("code") or value.get("kommunkod")
    return None if value is None else str(value)


def load_records(path: str | Path) -> dict[str, dict]:
    """Records of a JSONL file by id; raises GoldFileError naming the bad line."""
    records: dict[str, dict] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise GoldFileError(f"{path}: cannot be read as UTF-8 text ({e.__class__.__name__})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldFileError(f"{path}:{number}: not JSON ({e.msg})") from None
        if not isinstance(record, dict) or "id" not in record:
            raise GoldFileError(f'{path}:{number}: a record needs an "id"')
        records[str(record["id"])] = record
    if not records:
        raise GoldFileError(f"{path}: holds no records")
    return records


def _amounts(ev: Evaluation, doc: str, gold: list[dict], pred: list[dict]) -> None:
    used: set[int] = set()
    pairs = []
    for g in gold:
        for j, p in enumerate(pred):
            if j in used:
                continue
            try:
                same = int(p.get("value_sek")) == int(g["value_sek"])
            except (TypeError, ValueError):
                same = False
            if same:
                used.add(j)
                pairs.append((g, p))
                break
    ev.fields["amounts"].add(len(pairs), len(pred) - len(used), len(gold) - len(pairs))
    if len(pairs) != len(gold) or len(used) != len(pred):
        ev.disagreements.append(
            f"{doc}: amounts gold={[g['value_sek'] for g in gold]} predicted={[p.get('value_sek') for p in pred]}"
        )
    for g, p in pairs:
        value = g["value_sek"]
        if g.get("year_start") is not None or g.get("year_end") is not None:
            ok = all(g.get(k) is None or g.get(k) == p.get(k) for k in ("year_start", "year_end"))
            ev.attributes["amounts.period"].add(ok)
            if not ok:
                ev.disagreements.append(
                    f"{doc}: {value} period gold={g.get('year_start')}-{g.get('year_end')} "
                    f"predicted={p.get('year_start')}-{p.get('year_end')}"
                )
        for attr in ("per_year", "qualifier", "status", "tentative"):
            if g.get(attr) is None:
                continue
            ok = g[attr] == p.get(attr) or (attr in ("per_year", "tentative") and not g[attr] and not p.get(attr))
            ev.attributes[f"amounts.{attr}"].add(ok)
            if not ok:
                ev.disagreements.append(f"{doc}: {value} {attr} gold={g[attr]} predicted={p.get(attr)}")
        if g.get("recipient") is not None:
            ok = str(g["recipient"]) == str(_code(p.get("recipient")))
            ev.attributes["amounts.recipient"].add(ok)
            if not ok:
                ev.disagreements.append(
                    f"{doc}: {value} recipient gold={g['recipient']} predicted={p.get('recipient')}"
                )


def _persons(ev: Evaluation, doc: str, gold: list[dict], pred: list) -> None:
    gold_by_name = {fold(x["name"]): x for x in gold}
    pred_by_name: dict[str, dict] = {}
    for x in pred:
        name = fold(x.get("name") if isinstance(x, dict) else x)
        if name and name not in pred_by_name:
            pred_by_name[name] = x if isinstance(x, dict) else {"name": x}
    both = set(gold_by_name) & set(pred_by_name)
    ev.fields["persons"].add(len(both), len(set(pred_by_name) - both), len(set(gold_by_name) - both))
    if set(gold_by_name) ^ set(pred_by_name):
        ev.disagreements.append(
            f"{doc}: persons missing={sorted(set(gold_by_name) - both)} extra={sorted(set(pred_by_name) - both)}"
        )
    for name in both:
        g, p = gold_by_name[name], pred_by_name[name]
        if g.get("party") is not None:
            ok = fold(g["party"]) == fold(p.get("party"))
            ev.attributes["persons.party"].add(ok)
            if not ok:
                ev.disagreements.append(f"{doc}: {name} party gold={g['party']} predicted={p.get('party')}")
        if g.get("role") is not None:
            gold_role, pred_role = fold(g["role"]), fold(p.get("role")) or ""
            ok = bool(pred_role) and (gold_role in pred_role or pred_role in gold_role)
            ev.attributes["persons.role"].add(ok)
            if not ok:
                ev.disagreements.append(f"{doc}: {name} role gold={g['role']} predicted={p.get('role')}")


def _names(org: Any) -> set[str]:
    if isinstance(org, str):
        return {fold(org)}
    names = {fold(org.get("name"))} | {fold(a) for a in org.get("aliases") or []}
    return {n for n in names if n}


def _organizations(ev: Evaluation, doc: str, gold: list[dict], optional: list[dict], pred: list) -> None:
    gold_names = [_names(g) for g in gold]
    optional_names = set().union(*(_names(o) for o in optional)) if optional else set()
    found: set[int] = set()
    tp = fp = 0
    for p in pred:
        names = _names(p)
        hit = next((i for i, g in enumerate(gold_names) if i not in found and g & names), None)
        if hit is not None:
            found.add(hit)
            tp += 1
        elif not (names & optional_names or any(g & names for g in gold_names)):
            fp += 1  # neither optional nor another name of an organisation already found
    ev.fields["organizations"].add(tp, fp, len(gold) - len(found))
    if fp or len(found) < len(gold):
        predicted = [p.get("name") if isinstance(p, dict) else p for p in pred]
        ev.disagreements.append(f"{doc}: organizations gold={[g['name'] for g in gold]} predicted={predicted}")


def _sets(ev: Evaluation, doc: str, name: str, gold: set, pred: set) -> None:
    ev.fields[name].add(len(gold & pred), len(pred - gold), len(gold - pred))
    if gold ^ pred:
        ev.disagreements.append(f"{doc}: {name} missing={sorted(gold - pred)} extra={sorted(pred - gold)}")


def evaluate(gold: dict[str, dict], predicted: dict[str, dict]) -> Evaluation:
    """Compare predicted records with gold records, matched on id."""
    ev = Evaluation()
    for doc, g in gold.items():
        p = predicted.get(doc) or {}
        if not p:
            ev.disagreements.append(f"{doc}: no prediction")
        if "amounts" in g:
            _amounts(ev, doc, g["amounts"], p.get("amounts") or [])
        if "persons" in g:
            _persons(ev, doc, g["persons"], p.get("persons") or [])
        if "organizations" in g:
            _organizations(
                ev, doc, g["organizations"], g.get("organizations_optional") or [], p.get("organizations") or []
            )
        if "municipalities" in g:
            predicted_codes = {_code(x) for x in p.get("municipalities") or []} - {None}
            _sets(ev, doc, "municipalities", {str(x) for x in g["municipalities"]}, predicted_codes)
        if "categories" in g:
            optional = set(g.get("categories_optional") or [])
            _sets(ev, doc, "categories", set(g["categories"]), set(p.get("categories") or []) - optional)
        if "municipality" in g:
            ok = _code(g.get("municipality")) == _code(p.get("municipality"))
            ev.attributes["municipality"].add(ok)
            if not ok:
                ev.disagreements.append(
                    f"{doc}: municipality gold={g.get('municipality')} predicted={p.get('municipality')}"
                )
        if g.get("published") is not None:
            ok = str(p.get("published") or "")[:10] == g["published"]
            ev.attributes["published"].add(ok)
            if not ok:
                ev.disagreements.append(f"{doc}: published gold={g['published']} predicted={p.get('published')}")
    return ev
