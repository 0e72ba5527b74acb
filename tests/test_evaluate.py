"""`kommunpress evaluate` and nlp.evaluate give the figures of the reference scorer (score.py)."""

from __future__ import annotations

import copy
import json
import random

import pytest
from conftest import DATA, SEEDS_DIR
from nlp_eval import _scorer

from nlp.evaluate import GoldFileError, evaluate, load_records

GOLD = DATA / "seeds.gold.jsonl"


def perturbed(gold: dict[str, dict], seed: int) -> dict[str, dict]:
    """Predictions that differ from gold in the ways an analyser errs: misses, extras, wrong attributes."""
    rng = random.Random(seed)
    pred = copy.deepcopy(gold)
    for record in pred.values():
        for amount in record.get("amounts", []):
            if rng.random() < 0.3:
                amount["year_start"] = rng.choice([None, 2018, 2020])
            if rng.random() < 0.3:
                amount["status"] = rng.choice([None, "granted", "eligible"])
            if rng.random() < 0.2:
                amount["recipient"] = rng.choice(["national", "0180", None])
            if rng.random() < 0.2:
                amount["per_year"] = not amount.get("per_year")
        if record.get("amounts") and rng.random() < 0.5:
            record["amounts"].pop(rng.randrange(len(record["amounts"])))
        if rng.random() < 0.5:
            record.setdefault("amounts", []).append({"value_sek": 32, "text": "32"})
        for person in record.get("persons", []):
            if rng.random() < 0.3:
                person["party"] = rng.choice([None, "M", "s"])
            if rng.random() < 0.3:
                person["role"] = rng.choice([None, "ordförande", "x"])
            if rng.random() < 0.2:
                person["name"] = person["name"].upper() + "\xa0"
        if rng.random() < 0.5:
            record.setdefault("persons", []).append({"name": "Extra Person"})
        if rng.random() < 0.5:
            record["organizations"] = [{"name": "delmos"}, {"name": "Okänd AB"}, {"name": "Delegation mot segregation"}]
        if rng.random() < 0.5:
            record["municipalities"] = [*record.get("municipalities", []), "0114"]
        if rng.random() < 0.5:
            record["categories"] = [*record.get("categories", [])[1:], "halsa"]
        if rng.random() < 0.3:
            record["municipality"] = rng.choice([None, "1880"])
        if rng.random() < 0.3:
            record["published"] = None
    if rng.random() < 0.5:
        pred.pop(next(iter(pred)))
    return pred


@pytest.mark.parametrize("seed", range(25))
def test_figures_equal_the_reference_scorer(seed):
    gold = load_records(GOLD)
    pred = perturbed(gold, seed)
    reference, reference_errors = _scorer().score(gold, pred)
    ours = evaluate(gold, pred)
    assert ours.figures() == reference
    assert len(ours.disagreements) == len(reference_errors)


def test_perfect_prediction_scores_one():
    gold = load_records(GOLD)
    figures = evaluate(gold, copy.deepcopy(gold)).figures()
    assert all(v == 1.0 for k, v in figures.items() if not k.endswith(".n"))


def test_bad_gold_files_are_named_with_their_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match=r"bad.jsonl:2: not JSON"):
        load_records(bad)
    (tmp_path / "noid.jsonl").write_text('{"municipality": null}\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match='needs an "id"'):
        load_records(tmp_path / "noid.jsonl")
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(GoldFileError, match="no records"):
        load_records(tmp_path / "empty.jsonl")


def test_cli_evaluate_matches_score_py_on_the_analysers_output(cli, tmp_path):
    analyzed = cli("analyze", SEEDS_DIR)
    pred = {r["id"]: r for r in map(json.loads, analyzed.stdout.splitlines())}
    reference, _ = _scorer().score(load_records(GOLD), pred)
    result = cli("evaluate", GOLD, SEEDS_DIR, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["figures"] == reference
    assert payload["documents"] == 5
    table = cli("evaluate", GOLD, SEEDS_DIR).stdout
    amounts_row = next(line for line in table.splitlines() if "amounts" in line)
    assert f"{reference['amounts.f1']:.3f}" in amounts_row


def test_cli_evaluate_bad_gold_is_one_line(cli, tmp_path):
    (tmp_path / "gold.jsonl").write_text("nonsense\n", encoding="utf-8")
    result = cli("evaluate", tmp_path / "gold.jsonl", SEEDS_DIR)
    assert result.exit_code == 2
    assert "gold.jsonl:1: not JSON" in result.stderr
