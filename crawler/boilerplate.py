"""What is not the release: page parts to drop before extraction, and lines to drop after.

Swedish municipal pages (Sitevision, EPiServer, WordPress) and press services
(Mynewsdesk, Cision, Via TT, NewsMachine) wrap each release in the same furniture:
skip links ("Till sidans huvudinnehåll"), cookie banners ("Vi använder kakor"),
"Dela sidan på sociala medier", "Publicerad ..." and "Senast granskad ..." lines,
link annotations ("Länk till annan webbplats, öppnas i nytt fönster."), file labels
("Pdf, 964.7 kB."), tag blocks ("Ämnen", "Kategorier", "Nyckelord"), an "about us"
paragraph, contact blocks and related links. The rules are general (class names,
ARIA roles, headings, line shapes), not tied to one site, so they carry to sites
the crawler has not seen.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawler import dates

# Elements that never hold release text.
DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "aside",
    "dialog",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "figcaption",
    "label",
]

DROP_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
    "alert",
}

# Words in class or id names that mark furniture (split on - _ and camelCase, lower-cased).
DROP_TOKENS = frozenset(
    [
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "kakor",
        "cmp",
        "share",
        "sharing",
        "social",
        "socialmedia",
        "some",
        "dela",
        "delning",
        "breadcrumb",
        "breadcrumbs",
        "brodsmulor",
        "brodsmula",
        "brodsmulestig",
        "skip",
        "skiplink",
        "skiplinks",
        "skipnav",
        "related",
        "relaterade",
        "relaterat",
        "relaterad",
        "footer",
        "sidfot",
        "menu",
        "meny",
        "navbar",
        "navigation",
        "nav",
        "sidomeny",
        "sidebar",
        "advert",
        "advertisement",
        "annons",
        "ads",
        "newsletter",
        "nyhetsbrev",
        "prenumerera",
        "subscribe",
        "subscription",
        "tags",
        "tag",
        "taggar",
        "amnen",
        "keywords",
        "nyckelord",
        "categories",
        "kategorier",
        "print",
        "skrivut",
        "toolbar",
        "readspeaker",
        "lyssna",
        "rspkr",
        "feedback",
        "rating",
        "betyg",
        "pagination",
        "paging",
        "pager",
        "search",
        "sok",
        "popup",
        "modal",
        "kontaktcenter",
        "about",
        "omoss",
        "boilerplate",
        "date",
        "datum",
        "published",
        "publicerad",
        "pubdate",
        "dateline",
        "byline",
        "lastmodified",
        "lastupdated",
        "reviewed",
        "granskad",
        "metadata",
        "meta",
        "follow",
        "folj",
    ]
)

CONTACT_TOKENS = frozenset(
    [
        "contact",
        "contacts",
        "kontakt",
        "kontakter",
        "kontaktperson",
        "kontaktpersoner",
        "presskontakt",
        "presskontakter",
    ]
)

# Headings that open a section of furniture: everything from the heading to the next
# heading of the same or a higher level goes.
DROP_HEADING = re.compile(
    r"^(dela( sidan| artikeln| nyheten)?( på sociala medier)?|relaterade?( nyheter| länkar| sidor| artiklar)?"
    r"|läs (också|även|mer)|fler nyheter|senaste (nyheterna|pressmeddelandena?)( från .*)?|ämnen|kategorier"
    r"|regioner|taggar|nyckelord|om oss|om [a-zåäö\- ]+ (kommun|stad|region)|följ( oss| [a-zåäö\- ]+)?"
    r"|abonnera.*|prenumerera.*|bilagor|media|bilder|dokument|relaterat( innehåll)?|hitta snabbt"
    r"|genvägar|kontaktcenter.*|öppettider|hjälpte informationen dig\??|var sidan till hjälp\??|citat|pull quotes?)$",
    re.IGNORECASE,
)
CONTACT_HEADING = re.compile(
    r"^(kontakt|kontakta oss|kontakter|kontaktpersone?r?|presskontakte?r?|för mer information( kontakta)?"
    r"|mer information|ytterligare information|frågor( och svar)?|upplysningar)\s*:?$",
    re.IGNORECASE,
)

# Whole lines that are furniture wherever they stand.
DROP_LINE = re.compile(
    r"^(?:"
    r"till sidans (huvud)?innehåll|hoppa till (huvud)?innehåll(et)?|gå direkt till innehåll|gå till innehåll"
    r"|innehåll|meny|sök|stäng|lyssna|läs upp|lyssna på sidan|skriv ut|tillbaka|tillbaka till .{1,60}"
    r"|dela( sidan| artikeln| nyheten)?( på sociala medier)?:?|dela på \w+|kopiera länk(en)?"
    r"|((facebook|twitter|x|linkedin|e-post|email|e-mail|mejla|messenger|whatsapp)[\s,|]*){1,6}"
    r"|publicera(d|des|t|ngsdatum)?:?(\s.{0,45})?|senast (granskad|uppdaterad|ändrad|redigerad)\b.{0,60}"
    r"|uppdaterad:?\s.{0,40}|sidansvarig:?.{0,60}|sidan (granskades|uppdaterades) .{0,40}"
    r"|länk till annan webbplats,? öppnas i nytt fönster\.?|öppnas i nytt fönster\.?|extern länk\.?"
    r"|fyll i beskrivning av bilden\.?|media no image|ingen titel|ingen bild|bild saknas"
    r"|läs (vidare|mer)( »| >|\.\.\.)?|visa fler|visa alla( nyheter)?|nästa|föregående|fler nyheter"
    r"|foto:.{0,60}|fotograf:.{0,60}|bild:.{0,40}|.{0,80}\sfoto\.?"
    r"|(pdf|word|excel|powerpoint|docx?|xlsx?),? \d+([.,]\d+)? ?(kb|mb|kilobyte|megabyte)\.?"
    r"|_{3,}|-{3,}|\*{3,}"
    r"|vi använder (kakor|cookies).*|.{0,200}\b(använder|sparar) (kakor|cookies)\b.{0,200}"
    r"|(godkänn|acceptera|neka|tillåt) (alla )?(kakor|cookies)?|cookie-?inställningar|inställningar för kakor"
    r"|annons|senaste nytt|populärt just nu|pressmeddelande|pressinbjudan|nyhet|nyheter|nyhetsarkiv"
    r"|ämnen:.{0,120}|kategorier:.{0,120}|regioner:.{0,120}|taggar:.{0,120}|nyckelord:.{0,120}"
    r"|avsändare:.{0,120}|prenumerera.{0,80}|abonnera på .{0,120}|följ [a-zåäö ]{2,40}(kommun|stad)( på .{0,40})?"
    r")$",
    re.IGNORECASE,
)

# Annotations that screen-reader-friendly sites add inside a sentence, after a link.
INLINE = re.compile(
    r"\s*(?:\(?länk till annan webbplats,? öppnas i nytt fönster\.?\)?|\(?öppnas i nytt fönster\.?\)?"
    r"|\(?extern länk\)?|,?\s*\(?(?:pdf|word|excel|docx?|xlsx?),? \d+(?:[.,]\d+)? ?(?:kb|mb)\.?\)?\.?)",
    re.IGNORECASE,
)

# Lines after which the rest of a release is furniture: tags, the sender's "about us",
# the newsroom's follow/subscribe blocks, lists of other releases.
TAIL_LINE = re.compile(
    r"^(?:_{3,}|ämnen|kategorier|regioner|taggar:?|nyckelord|om oss|kontakter|relaterade? ?(nyheter|länkar|sidor)?"
    r"|senaste pressmeddelandena.*|senaste nyheterna.*|följ [a-zåäö\- ]{2,40}|abonnera på .*|prenumerera.*"
    r"|om [a-zåäö\- ]{2,40} (kommun|stad|region)|fler nyheter|läs också|läs även|dela|dela sidan.*|media)$",
    re.IGNORECASE,
)
# Lines that open a contact block: the block goes to Page.contact, not the text.
CONTACT_LINE = re.compile(
    r"^(?:kontakt|kontakta oss|kontakter|kontaktpersone?r?:?|presskontakte?r?:?|för mer information,? kontakta:?"
    r"|för mer information:?|mer information:?|ytterligare information:?|frågor besvaras av:?)(\s.{0,120})?$",
    re.IGNORECASE,
)
CONTACT_FIELD = re.compile(
    r"^(kontaktperson|titel|telefon|tel|mobil|e-post|epost|e-mail|mejl|mail|presskontakt)\s*[:.]", re.IGNORECASE
)
MAIL_OR_PHONE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+46|0)\d{1,3}[\s-]?\d{2,3}[\s-]?\d{2}[\s-]?\d{2}")

# A release that opens with its kind: "Pressmeddelande - Titel" (Mynewsdesk).
KIND_PREFIX = re.compile(r"^(?:pressmeddelande|nyhet)\s*[-–—|]\s*", re.IGNORECASE)


@lru_cache(maxsize=4096)
def class_tokens(value: str) -> frozenset[str]:
    """Words of a class or id attribute: "sv-skip-link shareBox" -> {sv, skip, link, share, box, ...}."""
    tokens: set[str] = set()
    for name in value.split():
        spaced = re.sub(r"([a-zåäö])([A-ZÅÄÖ])", r"\1 \2", name)
        parts = [p.lower() for p in re.split(r"[-_\s.:]+", spaced) if p]
        tokens.update(parts)
        tokens.add("".join(parts))
    return frozenset(tokens)


def normalize_line(line: str) -> str:
    lowered = line.lower()
    if "fönster" in lowered or "kb" in lowered or "mb" in lowered or "extern" in lowered:
        line = INLINE.sub("", line)
    return " ".join(line.split())


def is_drop_line(line: str) -> bool:
    return bool(DROP_LINE.match(line)) or _dateline(line)


def _dateline(line: str) -> bool:
    """A line that is a date and time alone ("22 april 2024", "2022-09-23 16:20:38"), or a
    press service's header that starts with one ("10.2.2025 14:24:42 CET | Norrköpings kommun | Pressinbjudan")."""
    if len(line) > 160 or not line[:1].isdigit():
        return False
    found = dates.find_dates(line[:45])
    if not found or found[0][0] != 0:
        return False
    rest = line[found[0][1] :].strip(" .,:")
    return not rest or (rest.startswith("|") and len(rest) < 120)


def looks_like_contact(line: str) -> bool:
    return bool(CONTACT_FIELD.match(line) or (len(line) < 120 and MAIL_OR_PHONE.search(line)))


def clean_text(text: str, title: str | None = None) -> tuple[str, str]:
    """(body, contact): the lines of extracted text without furniture, and the contact lines.

    A contact or tail marker ends the body only once some body has been seen, so a
    release that opens with "Kontakt" in its first line keeps it.
    """
    body: list[str] = []
    contact: list[str] = []
    title_key = _key(title) if title else None
    mode = "body"
    for raw in text.splitlines():
        line = normalize_line(raw)
        if not line:
            if body and body[-1] != "" and mode == "body":
                body.append("")
            continue
        seen_body = any(b for b in body)
        if mode == "body" and seen_body and CONTACT_LINE.match(line):
            mode = "contact"
            rest = CONTACT_LINE.match(line).group(1)
            if rest and rest.strip():
                contact.append(rest.strip())
            continue
        if seen_body and TAIL_LINE.match(line):
            mode = "tail"
            continue
        if mode == "contact":
            if looks_like_contact(line) or len(line) < 80:
                contact.append(line)
                continue
            mode = "tail"
        if mode == "tail":
            if looks_like_contact(line):
                contact.append(line)
            continue
        if is_drop_line(line):
            continue
        if not seen_body:
            line = KIND_PREFIX.sub("", line)
            if title_key and _key(line) == title_key:
                continue
        if looks_like_contact(line) and CONTACT_FIELD.match(line):
            contact.append(line)
            continue
        body.append(line)
    while body and body[-1] == "":
        body.pop()
    return "\n\n".join(p for p in _paragraphs(body) if p), "\n".join(dict.fromkeys(contact))


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines joined into paragraphs separated by one blank line, repeated paragraphs dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if line == "":
            if out and out[-1] != "":
                out.append("")
            continue
        key = _key(line)
        if len(line) > 40 and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
