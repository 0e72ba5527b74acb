"""What a comparison covers: which municipalities, which years, which status of money.

One Scope is passed to every table so that the money table, the charts and the exports
of one report always describe the same slice of the corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

STATUSES = ("eligible", "granted", "allocated")
UNSPECIFIED = "unspecified"  # the --status value for sums whose text gives no status


@dataclass(frozen=True)
class Scope:
    municipalities: tuple[str, ...] = ()  # SCB codes; empty: all
    year_from: int | None = None
    year_to: int | None = None
    status: str | None = None  # one of STATUSES, UNSPECIFIED, or None for all

    def sql_params(self) -> dict[str, str]:
        """Named parameters as Datasette would pass them: strings, '' meaning "no limit"."""
        return {
            "status": self.status or "",
            "year_from": "" if self.year_from is None else str(self.year_from),
            "year_to": "" if self.year_to is None else str(self.year_to),
            "municipalities": json.dumps(list(self.municipalities)) if self.municipalities else "",
        }

    def describe(self) -> str:
        parts = []
        if self.municipalities:
            parts.append(f"{len(self.municipalities)} municipalities")
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"years {self.year_from or '…'}–{self.year_to or '…'}")
        if self.status:
            parts.append(f"status {self.status}")
        return ", ".join(parts) or "everything in the corpus"
