"""Shared fixtures: one spaCy model for the whole session (loading it costs about a second)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from broadsheet.config import DEFAULT_MODEL

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def nlp():
    from broadsheet.nlp import load_nlp

    return load_nlp(os.environ.get("BROADSHEET_MODEL", DEFAULT_MODEL))


@pytest.fixture(scope="session")
def seed_body() -> str:
    """The seed article's body, the header removed the way ingest removes it."""
    from broadsheet.ingest import split_header

    _, body = split_header(SEED.read_text(encoding="utf-8"))
    return body
