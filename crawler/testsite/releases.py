"""Release records the simulator publishes: plain data, so any list of releases can be served.

A record is what a newsroom editor writes (title, date, body, municipality) plus
where it is published (style) and the quirks a crawler must survive (another copy on
another site, a Latin-1 page, broken markup). Tests, the benchmark and `kommunpress
demo` build their sites from such lists.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

STYLES = ("sitevision", "wordpress", "mynewsdesk", "mynewsdesk_old", "cision", "viatt", "newsmachine")
# Other names for a style: what a newsroom offers ("feed", "sitemap") or who runs it.
STYLE_ALIASES = {"feed": "wordpress", "sitemap": "sitevision", "newspaper": "wordpress", "government": "sitevision"}


@dataclass
class Release:
    """One release as published.

    body: paragraphs separated by blank lines. style: the newsroom it stands in
    (one of STYLES). also_on: further styles where the same release is published,
    e.g. ("mynewsdesk",) for a release on the municipal site and on Mynewsdesk.
    encoding: the charset the page is served in ("iso-8859-1", "windows-1252").
    malformed: serve the page with broken markup (unclosed tags, stray bytes).
    """

    title: str
    date: str
    body: str
    municipality: str = "Örebro"
    style: str = "sitevision"
    lead: str | None = None
    contact: str | None = None
    kind: str = "Pressmeddelande"
    time: str = "10:00"
    also_on: tuple[str, ...] = ()
    encoding: str = "utf-8"
    malformed: bool = False
    attachment: str | None = None  # label of a PDF attached to the release
    slug: str | None = None
    site: str | None = None  # the newsroom it belongs to (default "<municipality>-<style>")
    publisher: str | None = None  # the newsroom's name (default "<municipality> kommun")
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        date.fromisoformat(self.date)
        self.style = STYLE_ALIASES.get(self.style, self.style)
        if self.style not in STYLES:
            raise ValueError(f"unknown style {self.style!r}: one of {', '.join(STYLES)}")
        self.also_on = tuple(self.also_on)
        if not self.slug:
            self.slug = slugify(self.title)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Release:
        """A release from a plain mapping (JSON); "text" is accepted for "body", unknown keys go to extra."""
        data = dict(data)
        if "body" not in data and "text" in data:
            data["body"] = data.pop("text")
        names = {f.name for f in fields(cls)}
        known = {k: v for k, v in data.items() if k in names}
        known.setdefault("extra", {}).update({k: v for k, v in data.items() if k not in names})
        return cls(**known)

    @property
    def ident(self) -> int:
        """A stable number for URLs that carry an id (Mynewsdesk, Cision, Via TT)."""
        digest = hashlib.sha1(f"{self.title}|{self.date}|{self.municipality}".encode()).hexdigest()
        return 1_000_000 + int(digest[:8], 16) % 8_000_000

    @property
    def hexid(self) -> str:
        return hashlib.sha1(f"{self.title}|{self.date}".encode()).hexdigest()[:20]

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.body.strip()) if p.strip()]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.date)

    def expected_text(self) -> str:
        """The text a perfect extractor returns: title, lead and body paragraphs."""
        parts = [self.title, *([self.lead] if self.lead else []), *self.paragraphs]
        return "\n\n".join(parts)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80] or "release"


# Building blocks for generated releases: Swedish municipal prose of the kind the tool reads.
_SUBJECTS = [
    "Kommunen",
    "Socialnämnden",
    "Barn- och utbildningsförvaltningen",
    "Kommunstyrelsen",
    "Arbetsmarknadsenheten",
    "Fritidsförvaltningen",
    "Stadsbyggnadskontoret",
]
_VERBS = ["satsar", "avsätter", "söker", "får", "fördelar", "planerar att använda"]
_AREAS = ["Vivalla", "Rosengård", "Hässleholmen", "Navestad", "Araby", "Brandkärr", "Skäggetorp", "Fittja"]
_PURPOSES = [
    "för att minska segregationen",
    "till tidiga insatser för barn och unga",
    "för ökad trygghet i bostadsområdena",
    "till fler feriejobb för unga",
    "för att fler ska komma i arbete",
    "till föreningslivet och mötesplatser",
    "för att stärka skolresultaten",
]
_TOPICS = [
    "Ny mötesplats",
    "Miljoner till",
    "Satsning på",
    "Fler feriejobb i",
    "Tryggare kvällar i",
    "Läxhjälp växer i",
    "Nytt bibliotek i",
]


def generate_releases(
    n: int,
    *,
    municipality: str = "Örebro",
    style: str = "sitevision",
    start: str = "2018-01-08",
    seed: int = 1,
    paragraphs: int = 5,
) -> list[Release]:
    """n plausible releases, one every few days from start, the same for the same arguments."""
    rng = random.Random(seed)
    day = date.fromisoformat(start)
    out = []
    for i in range(n):
        area = rng.choice(_AREAS)
        title = f"{rng.choice(_TOPICS)} {area} ({i + 1})"
        body = []
        for _ in range(paragraphs):
            millions = rng.randint(1, 40) + rng.choice([0, 0.5])
            sentence = (
                f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {str(millions).replace('.', ',')} miljoner kronor "
                f"{rng.choice(_PURPOSES)} i {area} under {day.year}."
            )
            follow = (
                f"Arbetet sker tillsammans med bostadsbolaget, skolorna och föreningarna i {area}, "
                f"och följs upp varje år av kommunens egna utvärderare."
            )
            body.append(f"{sentence} {follow}")
        quote_person = rng.choice(["Anna Lind (S)", "Erik Berg (M)", "Sara Holm (C)", "Johan Ek (L)"])
        body.append(f"– Det här gör skillnad för de boende, säger {quote_person}, kommunalråd.")
        out.append(
            Release(
                title=title,
                date=day.isoformat(),
                body="\n\n".join(body),
                municipality=municipality,
                style=style,
                lead=f"{area} får ett lyft under {day.year}.",
                contact=f"{quote_person.split(' (')[0]}, kommunalråd, 019-21 {10 + i % 80:02d} 00",
                time=f"{8 + i % 9:02d}:{(i * 7) % 60:02d}",
            )
        )
        day += timedelta(days=rng.randint(1, 4))
    return out


def load_sample(folder: str | Path) -> list[Release]:
    """Releases from a folder with manifest.csv and releases/<id>.txt (title on the first line).

    The shape of corpus/sample: manifest columns id, publisher, style, site, published,
    slug and optionally municipality (else the publisher names the newsroom).
    """
    folder = Path(folder)
    out = []
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = (folder / "releases" / f"{row['id']}.txt").read_text(encoding="utf-8").strip()
            title, _, body = text.partition("\n")
            publisher = row.get("publisher") or None
            out.append(
                Release(
                    title=title.strip(),
                    date=row["published"],
                    body=body.strip(),
                    municipality=row.get("municipality") or publisher or "Okänd",
                    style=row.get("style") or "sitevision",
                    slug=row.get("slug") or None,
                    site=row.get("site") or None,
                    publisher=publisher,
                    extra={
                        k: v for k, v in row.items() if k not in ("published", "slug", "site", "publisher", "style")
                    },
                )
            )
    return out
