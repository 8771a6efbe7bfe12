"""Stable content-derived ids: documents from their text, entities from type + name, spans from offsets."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def short_hash(*parts: object, length: int = 16) -> str:
    """A hex digest of the parts joined by a separator that cannot occur in them."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def doc_id_for(text: str) -> str:
    """The id of an article: a hash of its (whitespace-normalised) text, so reruns agree."""
    return short_hash(" ".join(text.split()))


def name_key(name: str) -> str:
    """Case- and diacritic-insensitive matching key: 'Tsvetkóv' and 'TSVETKOV' give 'tsvetkov'."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", re.sub(r"[^\w' ]+", " ", text)).strip()


def entity_id_for(entity_type: str, canonical_name: str) -> str:
    """Stable id of an entity: same type and normalised name give the same id in every run."""
    return "E" + short_hash(entity_type, name_key(canonical_name))


def place_entity_id(place_key: str) -> str:
    """Id of a place entity from its gazetteer identity ("geonames:2643743"), not its written name: every
    article's "London" that is the English capital gets this id, and "London", Ontario, another."""
    return "E" + short_hash("PLACE", place_key)


def span_id_for(prefix: str, doc_id: str, start: int, end: int) -> str:
    """Id of a span-anchored record (quote, event) from its document and offsets."""
    return prefix + short_hash(doc_id, start, end)
