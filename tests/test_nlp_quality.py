"""The analyser against gold, with the floors of issue 3, on the seeds and on our own documents.

Figures are computed by the project's score.py (tests/tools), exactly as
`python3 tests/tools/score.py GOLD PRED` would. To see every disagreement:
    kommunpress analyze tests/data/gold/docs/*.txt > /tmp/pred.jsonl
    python3 tests/tools/score.py tests/data/gold/gold.jsonl /tmp/pred.jsonl --show-errors
"""

from __future__ import annotations

import pytest
from nlp_eval import GOLD, SEEDS, below_floors, score

GROUPS = {
    "money": [
        "amounts.f1",
        "amounts.period",
        "amounts.per_year",
        "amounts.recipient",
        "amounts.qualifier",
        "amounts.status",
        "amounts.tentative",
    ],
    "dates": ["published"],
    "people": ["persons.f1", "persons.party", "persons.role"],
    "organizations": ["organizations.f1"],
    "places": ["municipalities.f1", "municipality"],
    "measures": ["categories.f1"],
}
# Groups whose component is still being built. Remove a group from here when it meets its floors.
NOT_YET_BUILT: set[str] = set()


@pytest.fixture(scope="module", params=[SEEDS, GOLD], ids=["seeds", "gold"])
def figures(request):
    gold_path, docs_dir = request.param
    if not gold_path.exists():
        pytest.skip(f"{gold_path} not written yet")
    return score(gold_path, docs_dir)[0]


@pytest.mark.parametrize("group", list(GROUPS))
def test_floors(figures, group):
    if group in NOT_YET_BUILT:
        pytest.xfail(f"{group}: component not built yet")
    assert below_floors(figures, GROUPS[group]) == {}
