"""Inputs → Article or Reject records: file discovery, decoding, header parsing, jsonl/csv records, ids.

Every input ends as exactly one Article or one Reject (documents + rejects = inputs). This module
reads files but does no NLP; it never writes anything.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from broadsheet.config import Settings
from broadsheet.extract.ids import doc_id_for

SUPPORTED_SUFFIXES = {".txt", ".jsonl", ".csv"}

# The fixed list of reasons a reject row may carry (documented in README and docs/tables.md).
REJECT_REASONS = {
    "empty": "the file or record has no text at all (or only whitespace / a header)",
    "binary": "the file is binary (NUL bytes or a known binary signature such as PDF or PNG)",
    "undecodable": "the bytes are not text in any encoding we can detect",
    "bad_json": "a jsonl line that is not a JSON object",
    "bad_csv": "a csv file that cannot be parsed or has no text column",
    "no_text": "a jsonl/csv record without a non-empty string `text`",
    "duplicate": "the text repeats an earlier input's; detail names the doc_id it repeats",
    "too_large": "the input is larger than the configured limit",
    "unreadable": "the file could not be read (permissions, vanished, I/O error)",
    "unsupported": "the file type is not one Broadsheet reads",
    "extraction_error": "extraction failed on the article or produced rows that break the table contract",
}

_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
# A header line: "date 2023-12-14" (or "Date: 14 Dec 2023") alone on the first line.
_HEADER_LINE = re.compile(r"\A[\ufeff\s]*date:?[ \t]+(?P<value>[^\r\n]{1,40}?)[ \t]*(?:\r\n|\n|\r|\Z)",
                          re.IGNORECASE)
# The inline form the seed uses: " date 2023-12-14 Tom Cruise ..." (only with an ISO date, so that
# a body opening "Date palms ..." is never taken for a header).
_HEADER_INLINE = re.compile(r"\A[\ufeff\s]*date:?[ \t]+(?P<value>\d{4}-\d{2}-\d{2})[ \t]+", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Article:
    """An accepted input, ready for NLP."""

    doc_id: str
    source: str
    input_path: str
    text: str
    published: date | None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


@dataclass
class Reject:
    """A rejected input and why."""

    source: str
    reason: str
    detail: str
    input_path: str

    def __post_init__(self) -> None:
        if self.reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason {self.reason!r}")


def parse_iso_date(value: object) -> date | None:
    """A date from 'YYYY-MM-DD' (or a longer ISO timestamp); None when absent or invalid."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(0))
    except ValueError:
        return None


def split_header(raw: str) -> tuple[date | None, str]:
    """(published, body) of a .txt input whose first line may be `date YYYY-MM-DD`.

    The header may stand alone on the first line or sit inline before the body. An invalid date
    keeps the header removed and gives None; no header at all leaves the body whole.
    """
    match = _match_header(raw)
    if not match:
        return None, raw.strip()
    return parse_header_date(match.group("value")), raw[match.end():].strip()


def _match_header(raw: str) -> re.Match | None:
    """The header at the start of `raw`, if any.

    A one-line header counts when its value is a date or a single token ("date 2023-02-30",
    "date yesterday": malformed headers are removed and flagged); "Date night ideas" is body text.
    """
    inline = _HEADER_INLINE.match(raw)
    if inline:
        return inline
    line = _HEADER_LINE.match(raw)
    if line and (len(line.group("value").split()) == 1 or parse_header_date(line.group("value"))):
        return line
    return None


def parse_header_date(value: str) -> date | None:
    """The date of a header value: ISO first, else an unambiguous written date ("14 Dec 2023")."""
    iso = parse_iso_date(value)
    if iso or _ISO_DATE.match(value.strip()):
        return iso
    from dateutil import parser as date_parser

    try:
        # Two different defaults: a value missing its day or year gives two answers and is refused.
        first = date_parser.parse(value, default=date_parser.parse("1900-01-01"))
        second = date_parser.parse(value, default=date_parser.parse("1901-02-02"))
    except (ValueError, OverflowError):
        return None
    return first.date() if first == second else None


def discover_inputs(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Reject]]:
    """Input files under `paths` (files or folders, searched recursively, symlinks followed once).

    Hidden files and folders are skipped; a path that does not exist becomes a Reject.
    """
    found: list[Path] = []
    rejects: list[Reject] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            rejects.append(Reject(path.name or str(path), "unreadable", f"no such file or folder: {path}",
                                  str(path.absolute())))
            continue
        candidates = [path] if path.is_file() else _walk_files(path)
        for file in candidates:
            real = file.resolve()
            if real not in seen:
                seen.add(real)
                found.append(file)
    return sorted(found, key=str), rejects


def _walk_files(folder: Path) -> Iterator[Path]:
    visited: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = Path(root).resolve()
        if real in visited:  # a symlink loop: do not descend again
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                file = Path(root) / name
                if file.is_file():
                    yield file


def read_inputs(files: Iterable[Path], settings: Settings | None = None) -> Iterator[Article | Reject]:
    """Every Article and Reject of the files, in order; duplicates of earlier texts become Rejects."""
    settings = settings or Settings()
    first_source: dict[str, str] = {}
    for file in files:
        for record in read_file(file, settings):
            if isinstance(record, Article):
                if record.doc_id in first_source:
                    yield Reject(record.source, "duplicate",
                                 f"repeats doc_id {record.doc_id} (first seen as {first_source[record.doc_id]})",
                                 record.input_path)
                    continue
                first_source[record.doc_id] = record.source
            yield record


def read_file(path: Path, settings: Settings) -> Iterator[Article | Reject]:
    """The Articles/Rejects of one input file (one for .txt, one per record for .jsonl/.csv)."""
    # The absolute path identifies an input across runs, however the user spelled it.
    name, where = path.name, str(path.absolute())
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > settings.max_input_bytes:
            yield Reject(name, "too_large", f"{size} bytes > limit {settings.max_input_bytes}", where)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Reject(name, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}", where)
        return
    if not data.strip():
        yield Reject(name, "empty", "the file is empty" if not data else "the file holds only whitespace",
                     where)
        return
    if _looks_binary(data):
        yield Reject(name, "binary", "binary content (NUL bytes or a binary file signature)", where)
        return
    if suffix not in SUPPORTED_SUFFIXES:
        yield Reject(name, "unsupported", f"{suffix or 'no extension'} files are not read "
                     f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})", where)
        return
    decoded = decode_bytes(data)
    if decoded is None:
        yield Reject(name, "undecodable", "not UTF-8 and no text encoding could be detected", where)
        return
    text, encoding = decoded
    if suffix == ".txt":
        yield _article_from_txt(text, name, where, encoding, settings)
    elif suffix == ".jsonl":
        yield from _records_from_jsonl(text, name, where, encoding, settings)
    else:
        yield from _records_from_csv(text, name, where, encoding, settings)


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text with NULs
        return False
    return head.startswith(_BINARY_SIGNATURES) or b"\x00" in head


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) of the bytes: a BOM's, UTF-8, Windows-1252, else what charset-normalizer detects."""
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252 is what non-UTF-8 English news nearly always is, and detectors guessing on a
        # short text often pick a sibling code page that turns its curly quotes into other letters.
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


def _article_from_txt(text: str, name: str, where: str, encoding: str, settings: Settings) -> Article | Reject:
    published, body = split_header(text)
    has_header = _match_header(text) is not None
    warnings = ["header date is not a valid date"] if has_header and published is None else []
    return _make_article(body, name, where, encoding, settings, published=published, warnings=warnings)


def _make_article(body: str, source: str, where: str, encoding: str, settings: Settings, *,
                  published: date | None, missing_reason: str = "empty", title: str | None = None,
                  url: str | None = None, outlet: str | None = None,
                  warnings: list[str] | None = None) -> Article | Reject:
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        return Reject(source, missing_reason, "no article text after the header", where)
    if len(body) > settings.max_chars:
        return Reject(source, "too_large", f"{len(body)} characters > limit {settings.max_chars}", where)
    return Article(doc_id=doc_id_for(body), source=source, input_path=where, text=body, published=published,
                   title=title, url=url, outlet=outlet, encoding=encoding, warnings=list(warnings or []))


def _article_from_record(record: dict, source: str, where: str, encoding: str,
                         settings: Settings) -> Article | Reject:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Reject(source, "no_text", "record has no non-empty string field `text`", where)
    warnings = []
    published = parse_iso_date(record.get("date"))
    if record.get("date") and published is None:
        warnings.append(f"date {record.get('date')!r} is not a valid YYYY-MM-DD")
    return _make_article(text, source, where, encoding, settings, published=published,
                         missing_reason="no_text", title=_optional_str(record.get("title")),
                         url=_optional_str(record.get("url")), outlet=_optional_str(record.get("source")),
                         warnings=warnings)


def _optional_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _record_source(record: dict, name: str, position: str) -> str:
    record_id = record.get("id")
    if isinstance(record_id, (str, int)) and not isinstance(record_id, bool) and str(record_id).strip():
        return str(record_id).strip()
    return f"{name}:{position}"


def _records_from_jsonl(text: str, name: str, where: str, encoding: str,
                        settings: Settings) -> Iterator[Article | Reject]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(f"{name}:{lineno}", "bad_json", f"line {lineno}: {exc.msg}", where)
            continue
        if not isinstance(record, dict):
            yield Reject(f"{name}:{lineno}", "bad_json", f"line {lineno} is not a JSON object", where)
            continue
        yield _article_from_record(record, _record_source(record, name, str(lineno)), where, encoding, settings)


def _records_from_csv(text: str, name: str, where: str, encoding: str,
                      settings: Settings) -> Iterator[Article | Reject]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = reader.fieldnames or []
        if "text" not in fields:
            yield Reject(name, "bad_csv", f"no `text` column (columns: {', '.join(fields) or 'none'})", where)
            return
        rows = list(reader)
    except csv.Error as exc:
        yield Reject(name, "bad_csv", f"csv error: {exc}", where)
        return
    if not rows:
        yield Reject(name, "empty", "the csv has a header but no rows", where)
    for rowno, row in enumerate(rows, start=2):
        yield _article_from_record(row, _record_source(row, name, f"row{rowno}"), where, encoding, settings)
