"""Saved web pages → article text, title, date, URL and outlet, with trafilatura.

trafilatura keeps the main text of the page and leaves menus, footers, related links, ads and
cookie banners out; entities are unescaped and tags dropped, one paragraph per line. The date
comes from the page's metadata only (`<meta>`, JSON-LD, `<time>`), never guessed from the body or
a copyright line. This module does no file I/O and no NLP; ingest decides what a page becomes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

# Metadata only: htmldate's extensive search would take "© 2021" in a footer for the date. The
# bounds are wide on purpose: an implausible date is kept and flagged by ingest, not dropped here.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "min_date": "1000-01-01",
                "max_date": "2999-12-31"}
# Elements that hold site furniture, never the article: pruned before extraction, so that a page
# with no article left (a menu, an index) gives no text rather than its menu.
_FURNITURE = ["//nav", "//footer", "//aside", "//*[@role='navigation']"]
_PAGE_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
                         re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    """What a web page holds for us; `text` is empty when no article text was found."""

    text: str
    title: str | None
    published: date | None
    url: str | None
    outlet: str | None


def looks_like_page(text: str) -> bool:
    """True when `text` is an HTML document (a page saved under another extension, say .txt)."""
    return _PAGE_START.match(text[:4096]) is not None


def extract_page(html: str) -> Page:
    """The article of a web page: main text without boilerplate, and metadata."""
    document = _bare_extraction(html)
    if document is None:
        return Page("", None, None, None, None)
    title = _clean(document.title)
    return Page(text=_without_title_line(document.text or "", title), title=title,
                published=_iso_date(document.date), url=_clean(document.url),
                outlet=_clean(document.sitename))


def _bare_extraction(html: str):
    import trafilatura  # imported on first use: it costs ~0.5 s and most runs read no HTML

    # a page trafilatura cannot use becomes a reject with a reason; its ERROR lines would only be noise
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    try:
        return trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=False, include_images=False,
                                           prune_xpath=_FURNITURE, date_extraction_params=_DATE_PARAMS)
    except Exception:  # noqa: BLE001 - a page lxml cannot parse is a page without article text
        return None


def _without_title_line(text: str, title: str | None) -> str:
    """The body without the headline trafilatura repeats as its first line (the title is kept apart)."""
    first, _, rest = text.strip().partition("\n")
    if title and first.strip() == title and rest.strip():
        return rest.strip()
    return text.strip()


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _iso_date(value: object) -> date | None:
    """The day of trafilatura's 'YYYY-MM-DD' date string; None when absent or not a date."""
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None
