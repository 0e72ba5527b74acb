"""Looking up an imported indicator for a municipality and year, for per-inhabitant sums and sorting.

Indicators are rarely published for every year a sum is for (population for 2024 is not out
when a 2025 sum is announced), so a value is taken from the same year, else the nearest
earlier year, else the nearest later year, else the value without a year.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections import defaultdict

import sqlite_utils

from corpus.indicators import indicator_names, indicator_values
from reports.errors import ReportError

POPULATION_NAMES = ("population", "folkmängd", "folkmangd", "befolkning", "invånare", "invanare", "antal invånare")


class Indicator:
    """One named indicator, ready to answer "what was it for this municipality in this year?"."""

    def __init__(self, name: str, values: list) -> None:
        self.name = name
        self._by_code: dict[str, dict[int | None, float | str | None]] = defaultdict(dict)
        numeric = True
        for v in values:
            if v.value is None:
                numeric = False
            value = v.value if v.value is not None else v.text
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # 152872, not 152872.0
            self._by_code[v.municipality_code][v.year] = value
        self.numeric = numeric and bool(values)
        self._years = {code: sorted(y for y in by_year if y is not None) for code, by_year in self._by_code.items()}

    def value(self, code: str | None, year: int | None = None) -> float | str | None:
        by_year = self._by_code.get(code or "")
        if not by_year:
            return None
        years = self._years[code or ""]
        if years:
            if year is None:
                return by_year[years[-1]]
            if year in by_year:
                return by_year[year]
            i = bisect_right(years, year)
            return by_year[years[i - 1]] if i > 0 else by_year[years[0]]
        return by_year.get(None)

    def per(self, amount: int, code: str | None, year: int | None) -> float | None:
        """amount divided by the indicator (kronor per inhabitant), or None when unknown or zero."""
        denominator = self.value(code, year)
        if not isinstance(denominator, (int, float)) or not denominator:
            return None
        return round(amount / denominator, 2)


def load_indicator(db: sqlite_utils.Database | sqlite3.Connection, name: str) -> Indicator:
    """An indicator by name; a name that is not in the corpus is one clear error listing the names that are."""
    db = db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(db)
    values = indicator_values(db, name)
    if not values:
        names = indicator_names(db)
        known = ", ".join(names) if names else "none yet (kommunpress indicators import FILE.csv)"
        raise ReportError(f"no indicator named {name!r} in the corpus; indicators: {known}")
    return Indicator(values[0].name, values)


def find_population(db: sqlite_utils.Database | sqlite3.Connection) -> str | None:
    """The name of a population indicator, if one was imported (for per-inhabitant sums by default)."""
    db = db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(db)
    names = {n.casefold(): n for n in indicator_names(db)}
    return next((names[p] for p in POPULATION_NAMES if p in names), None)
