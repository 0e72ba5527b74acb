"""The 290 Swedish municipalities and the name forms Swedish text uses for them.

The list is the project's copy of SCB's municipality codes (``data/kommuner.csv``).
Name forms are generated, not listed, so that all 290 municipalities get the same
treatment: "Örebro", "Örebros", "Örebro kommun", "Örebros kommun", "Helsingborgs stad".
Pure Python, no spaCy, so it is cheap to import anywhere.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county: str
    delmos_2018: bool


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """All municipalities, sorted by code."""
    with resources.files("nlp").joinpath("data/kommuner.csv").open(encoding="utf-8") as f:
        return tuple(
            Municipality(
                code=row["kommunkod"],
                name=row["kommun"],
                county_code=row["lanskod"],
                county=row["lan"],
                delmos_2018=row["delmos_2018"] == "1",
            )
            for row in csv.DictReader(f)
        )


def genitive(name: str) -> str:
    """Swedish genitive: add -s unless the name already ends in a sibilant (Borås, Kalix)."""
    return name if name[-1].lower() in "sxz" else name + "s"


def name_forms(m: Municipality) -> list[tuple[str, str]]:
    """Every written form of a municipality's name, as (form, kind) pairs.

    kind is one of name, genitive, kommun, stad, region. "Stad" is produced with both
    the genitive ("Helsingborgs stad") and the bare name ("Malmö stad"), because both
    are official styles. Case is left to the matcher ("Göteborgs Stad").
    """
    gen = genitive(m.name)
    forms = [
        (m.name, "name"),
        (gen, "genitive"),
        (f"{m.name} kommun", "kommun"),
        (f"{gen} kommun", "kommun"),
        (f"{gen} stad", "stad"),
        (f"{m.name} stad", "stad"),
    ]
    if m.name == "Gotland":
        forms.append(("Region Gotland", "region"))
    seen: set[str] = set()
    unique = []
    for form, kind in forms:
        if form not in seen:
            seen.add(form)
            unique.append((form, kind))
    return unique


@lru_cache(maxsize=1)
def form_index() -> dict[str, str]:
    """Case-folded name form -> municipality code."""
    return {form.casefold(): m.code for m in municipalities() for form, _ in name_forms(m)}


def lookup(name_or_code: str) -> Municipality | None:
    """A municipality by code ("1880") or any of its name forms ("Örebro kommun")."""
    key = name_or_code.strip()
    by_code = {m.code: m for m in municipalities()}
    if key in by_code:
        return by_code[key]
    code = form_index().get(key.casefold())
    return by_code.get(code) if code else None


GOTLAND = "0980"  # the one municipality that is also a region: "Region Gotland"


def written_variants(name: str) -> list[str]:
    """A multi-word name as writers spell it: "Upplands Väsby" / "Upplands-Väsby", "Dals-Ed" / "Dals Ed"."""
    variants = [name]
    if " " in name:
        variants.append(name.replace(" ", "-"))
    if "-" in name:
        variants.append(name.replace("-", " "))
    return variants


def match_forms(m: Municipality) -> list[str]:
    """The name forms a text matcher looks for: each written variant and its genitive.

    "kommun", "stad" and "Region" are left to the matcher's context rules, which also need to
    see them to tell "Örebro kommun" from "Örebro län".
    """
    forms: list[str] = []
    for variant in written_variants(m.name):
        for form in (variant, genitive(variant)):
            if form not in forms:
                forms.append(form)
    return forms


_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def domain_slug(name: str) -> str:
    """The municipality's usual web/e-mail domain label: "Örebro" -> "orebro" (orebro.se)."""
    return name.casefold().translate(_ASCII).replace(" ", "")
