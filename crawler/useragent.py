"""The User-Agent: the tool's name and version, and how a site owner reaches the researcher."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def user_agent(contact: str | None) -> str:
    """kommunpress/0.1.0 (research crawler; +mailto:anna@uni.se): what a webmaster sees in their logs."""
    try:
        v = version("kommunpress")
    except PackageNotFoundError:
        v = "dev"
    who = contact.strip() if contact and contact.strip() else None
    if who and "@" in who and not who.startswith(("mailto:", "http")):
        who = f"mailto:{who}"
    return f"kommunpress/{v} (research crawler of municipal press releases; +{who or 'no contact given'})"
