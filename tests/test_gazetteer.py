from collections import defaultdict

import pytest

from nlp import gazetteer


def test_all_290_municipalities_with_32_grant_municipalities():
    ms = gazetteer.municipalities()
    assert len(ms) == 290
    assert len({m.code for m in ms}) == 290
    assert sum(m.delmos_2018 for m in ms) == 32
    assert all(len(m.code) == 4 and m.code[:2] == m.county_code for m in ms)


@pytest.mark.parametrize(
    "form, code",
    [
        ("Örebro", "1880"),
        ("Örebros", "1880"),
        ("Örebro kommun", "1880"),
        ("Helsingborgs stad", "1283"),
        ("Göteborgs Stad", "1480"),
        ("Katrineholms kommun", "0483"),
        ("Borås stad", "1490"),  # no genitive -s after a sibilant
        ("Malmö stad", "1280"),
        ("Upplands Väsbys", "0114"),
        ("Region Gotland", "0980"),
        ("0114", "0114"),
    ],
)
def test_name_forms_resolve(form, code):
    assert gazetteer.lookup(form).code == code


def test_no_name_form_belongs_to_two_municipalities():
    owners = defaultdict(set)
    for m in gazetteer.municipalities():
        for form, _kind in gazetteer.name_forms(m):
            owners[form.casefold()].add(m.code)
    assert {f: c for f, c in owners.items() if len(c) > 1} == {}


def test_unknown_name_is_none():
    assert gazetteer.lookup("Atlantis") is None
