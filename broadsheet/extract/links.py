"""Links of one article: web addresses, e-mail addresses, social-media handles and hashtags.

The worked example of a plug-in extractor (docs/extending.md): a spaCy component registered as
`broadsheet_links` (entry point in pyproject.toml), the `links` table declared in schemas/tables.yaml
with `extracted_by`, and nothing else edited. GDELT's knowledge graph gives analysts an article's
outlinks and social embeds; this is Broadsheet's version, with offsets.

What it does: matches the patterns of data/link_patterns.yaml with spaCy's Matcher (token attributes
LIKE_URL and LIKE_EMAIL, an "@handle" token, "#" touching a word) and normalises each match:
`target` is the URL with a scheme and a lower-case host, the lower-case e-mail address, or the handle
or hashtag in lower case without its sign; `domain` is the host (without "www.") of a URL or address.

What it does not do: follow or check links, tell a tweet's author from a handle merely mentioned, or
link a handle to the entity it belongs to.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from spacy.attrs import LIKE_EMAIL, LIKE_URL
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from broadsheet.extract.component import Extractor, doc_id_of, set_records
from broadsheet.extract.docs import doc_text
from broadsheet.extract.lexicon import load_yaml
from broadsheet.extract.records import Link

_SIGNS = {"handle": "@", "hashtag": "#"}


def link_patterns() -> dict[str, list[list[dict]]]:
    """The Matcher patterns by kind, from data/link_patterns.yaml (read once per process)."""
    return load_yaml("link_patterns.yaml")


def extract_links(doc: Doc, doc_id: str, matcher: Matcher) -> list[Link]:
    """The links of one article, in text order, none overlapping (the longest match wins)."""
    text = doc_text(doc)
    if "@" not in text and "#" not in text and not doc.to_array([LIKE_URL, LIKE_EMAIL]).any():
        return []  # most articles: the matcher would walk every token for nothing
    found: list[Link] = []
    taken: set[int] = set()
    matches = sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
    for match_id, start, end in matches:
        if taken.intersection(range(start, end)):
            continue
        kind = doc.vocab.strings[match_id]
        start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        if kind in _SIGNS and start_char and not (text[start_char - 1].isspace() or text[start_char - 1] in "([\"'“‘"):
            continue  # "C#", "user@": the sign does not start a word
        taken.update(range(start, end))
        written = text[start_char:end_char]
        target, domain = _normalised(kind, written)
        found.append(Link(doc_id=doc_id, start_char=start_char, end_char=end_char, text=written, kind=kind,
                          target=target, domain=domain))
    return found


def _normalised(kind: str, written: str) -> tuple[str, str | None]:
    if kind == "url":
        parts = urlsplit(written if "://" in written else "http://" + written)
        host = parts.hostname or ""
        target = parts._replace(netloc=parts.netloc.lower()).geturl()
        return target, host.removeprefix("www.") or None
    if kind == "email":
        return written.lower(), written.rsplit("@", 1)[-1].lower()
    return written.removeprefix(_SIGNS[kind]).lower(), None


class LinksComponent(Extractor):
    """`broadsheet_links`: sets `doc._.links`. Needs only the tokenizer."""

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        self.matcher = Matcher(nlp.vocab)
        for kind, patterns in link_patterns().items():
            self.matcher.add(kind, patterns)

    def annotate(self, doc: Doc) -> None:
        set_records(doc, "links", extract_links(doc, doc_id_of(doc), self.matcher))


@Language.factory("broadsheet_links", assigns=["doc._.links"])
def make_links(nlp: Language, name: str) -> LinksComponent:
    """The links extractor as a spaCy component."""
    return LinksComponent(nlp, name)
