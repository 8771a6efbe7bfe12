"""Inputs → Article or Reject records: file discovery, decoding, header parsing, pages, jsonl/csv records.

Every input ends as exactly one Article or one Reject (documents + rejects = inputs): a bad input
is a reject with a reason from REJECT_REASONS, a doubtful one an Article with `warnings`; nothing
raises. This module reads files (never more than the size limit, never a FIFO or device) but does
no NLP and writes nothing; a record's `id` only ever becomes the `source` string, never a path.

The body of a .txt, .jsonl or .csv input is kept verbatim apart from line endings (CRLF and CR
become LF) and the surrounding whitespace: HTML entities, stray tags, zero-width characters and
tabs stay as published, so offsets point into what the source said and a text can be found again
in its source; such remnants are noted in `warnings`. Only web pages (.html, .htm, or a .txt that
is a saved page) are converted to text, by broadsheet.html.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from broadsheet import html
from broadsheet.config import Settings
from broadsheet.extract.ids import doc_id_for

SUPPORTED_SUFFIXES = {".txt", ".jsonl", ".csv", ".html", ".htm"}
PAGE_SUFFIXES = {".html", ".htm"}

# The fixed list of reasons a reject row may carry (documented in README and docs/tables.md).
REJECT_REASONS = {
    "empty": "the file or record has no visible text (only whitespace or invisible characters, or a header)",
    "binary": "the file is binary (NUL bytes or a known binary signature such as PDF or PNG)",
    "undecodable": "the bytes are not text in any encoding we can detect",
    "bad_json": "a jsonl line that is not a JSON object",
    "bad_csv": "a csv file that cannot be parsed or has no text column",
    "no_text": "a jsonl/csv record without a non-empty string `text`, or a web page without article text",
    "duplicate": "the text repeats an earlier input's (detail names the doc_id), or the file is one already read",
    "too_large": "the input is larger than the configured limit",
    "unreadable": "the file could not be read (permissions, vanished, I/O error)",
    "unsupported": "the file type is not one Broadsheet reads (or not a regular file: FIFO, device, socket)",
    "internal_error": "extraction failed on the article or produced rows that break the table contract",
}

_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
# A header line: "date 2023-12-14" (or "Date: 14 Dec 2023") alone on the first line.
_HEADER_LINE = re.compile(r"\A[\ufeff\s]*date:?[ \t]+(?P<value>[^\r\n]{1,40}?)[ \t]*(?:\r\n|\n|\r|\Z)",
                          re.IGNORECASE)
# The inline form the seed uses: " date 2023-12-14 Tom Cruise ..." (only with an ISO date, so that
# a body opening "Date palms ..." is never taken for a header).
_HEADER_INLINE = re.compile(r"\A[\ufeff\s]*date:?[ \t]+(?P<value>\d{4}-\d{2}-\d{2})[ \t]+", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Markup a scraper left in plain text: a character entity (&amp; &#8217;) or a common tag (<p>, </a>).
_HTML_REMNANT = re.compile(r"&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});"
                           r"|</?(?:p|br|div|span|a|b|i|em|strong|li|ul|h[1-6])\b[^<>]{0,200}>", re.IGNORECASE)
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
EARLIEST_PLAUSIBLE_DATE = date(1900, 1, 1)


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


@dataclass(frozen=True)
class ArticleRef:
    """An accepted input as planning sees it: which text (`doc_id`) from which input, without the text.

    A run scans its inputs into refs, plans on them, and reads in full only the articles it processes,
    a batch at a time (read_articles), so no step holds every input's text."""

    doc_id: str
    source: str
    input_path: str


@dataclass
class Reject:
    """A rejected input and why."""

    source: str
    reason: str
    detail: str
    input_path: str
    # an article that failed in extraction: which text and pipeline version, so a rerun need not retry it
    doc_id: str | None = None
    pipeline_version: str | None = None

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


@dataclass(frozen=True)
class Header:
    """The header lines at the start of a .txt input, and the body after them."""

    published: date | None
    body: str
    found: bool
    warnings: tuple[str, ...] = ()


def split_header(raw: str) -> tuple[date | None, str]:
    """(published, body) of a .txt input whose first line may be `date YYYY-MM-DD`.

    The header may stand alone on the first line or sit inline before the body. An invalid date
    keeps the header removed and gives None; no header at all leaves the body whole.
    """
    header = parse_header(raw)
    return header.published, header.body


def parse_header(raw: str) -> Header:
    """The header of a .txt input with what was wrong with it; repeated header lines are all removed.

    The first valid date wins; an invalid one ("date 2023-02-30", "date yesterday") and a second
    header line are removed from the body and noted in `warnings`.
    """
    values: list[str] = []
    rest = raw
    while (match := _match_header(rest)) is not None and len(values) < 5:
        values.append(match.group("value").strip())
        rest = rest[match.end():]
    if not values:
        return Header(None, raw.strip(), found=False)
    dates = [parse_header_date(value) for value in values]
    valid = [day for day in dates if day is not None]
    warnings = [f"header date {value!r} is not a valid date" for value, day in zip(values, dates, strict=True)
                if day is None]
    if len(values) > 1:
        warnings.append(f"{len(values)} header lines ({', '.join(map(repr, values))}); "
                        + ("the first valid date is used" if len(set(valid)) > 1 or len(valid) < len(values)
                           else "they agree"))
    return Header(valid[0] if valid else None, rest.strip(), found=True, warnings=tuple(warnings))


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
    """Input files under `paths` (files or folders, searched recursively, symlinks followed safely).

    Hidden files and folders are skipped; a folder reached again through a symlink is not walked
    twice (no loops). A path that does not exist is an `unreadable` Reject, and a second name for a
    file already found (a symlink to it) a `duplicate` one, so every file seen is accounted for.
    """
    rejects: list[Reject] = []
    by_real: dict[str, list[Path]] = {}
    spelled: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            rejects.append(Reject(path.name or str(path), "unreadable", f"no such file or folder: {path}",
                                  str(path.absolute())))
            continue
        for file in _walk_files(path, rejects) if path.is_dir() else [path]:
            absolute = os.path.abspath(file)
            if absolute not in spelled:  # the same path given twice (a file and its folder): one input
                spelled.add(absolute)
                by_real.setdefault(os.path.realpath(file), []).append(file)
    found = []
    for real, names in by_real.items():
        # the file's own path is read; links to it are accounted for as duplicates
        names.sort(key=lambda name: (os.path.abspath(name) != real, str(name)))
        found.append(names[0])
        rejects.extend(Reject(link.name, "duplicate", f"the same file as {names[0]} (through a symlink); "
                              "read once", str(link.absolute())) for link in names[1:])
    return sorted(found, key=str), rejects


def _walk_files(folder: Path, rejects: list[Reject]) -> Iterator[Path]:
    """Every non-hidden entry under `folder` that is not a folder: files, broken links, FIFOs.

    A folder that cannot be listed (permissions, vanished) becomes an `unreadable` Reject.
    """

    def unlistable(error: OSError) -> None:
        where = Path(error.filename or folder)
        rejects.append(Reject(where.name, "unreadable", f"cannot list the folder: {error.strerror or error}",
                              str(where.absolute())))

    visited: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unlistable):
        real = os.path.realpath(root)
        if real in visited:  # a symlink loop or a second link to a folder: do not descend again
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # broken symlinks and FIFOs are listed too: read_file turns them into rejects, never a silent drop
        yield from (Path(root) / name for name in sorted(files) if not name.startswith("."))


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


def scan_inputs(files: Iterable[Path], settings: Settings | None = None) -> Iterator[ArticleRef | Reject]:
    """read_inputs with each Article reduced to its ArticleRef as it is read: memory follows the number
    of inputs (three short strings each), not their text."""
    for record in read_inputs(files, settings):
        yield ArticleRef(record.doc_id, record.source, record.input_path) if isinstance(record, Article) else record


def read_articles(refs: Iterable[ArticleRef], settings: Settings | None = None) -> list[Article | Reject]:
    """The Articles of `refs`, read again from their input files (each file once), in the refs' order.

    The text read now is the text processed: an input whose text changed since the scan gives its new
    Article (its new doc_id), one that turned unreadable its Reject, and a record that is gone an
    `unreadable` Reject saying so; every ref gives exactly one record."""
    settings = settings or Settings()
    refs = list(refs)
    by_file: dict[str, dict[str, Article | Reject]] = {}
    for path in dict.fromkeys(ref.input_path for ref in refs):
        records: dict[str, Article | Reject] = {}
        for record in read_file(Path(path), settings):
            records.setdefault(record.source, record)  # a source repeated in one file: the scan kept the first
        by_file[path] = records
    return [by_file[ref.input_path].get(ref.source)
            or Reject(ref.source, "unreadable", "the record was gone when the run read it again to process it",
                      ref.input_path)
            for ref in refs]


def read_file(path: Path, settings: Settings) -> Iterator[Article | Reject]:
    """The Articles/Rejects of one input file (one for .txt and pages, one per record for .jsonl/.csv)."""
    # The absolute path identifies an input across runs, however the user spelled it.
    name, where = path.name, str(path.absolute())
    suffix = path.suffix.lower()
    try:
        data = _read_bounded(path, settings.max_input_bytes)
    except _NotRead as problem:
        yield Reject(name, problem.reason, problem.detail, where)
        return
    except OSError as exc:
        detail = (f"a broken symlink (to {os.readlink(path)})" if path.is_symlink() and not path.exists()
                  else f"{type(exc).__name__}: {exc.strerror or exc}")
        yield Reject(name, "unreadable", detail, where)
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
    decoded = _decode(data)
    if decoded is None:
        yield Reject(name, "undecodable", "not UTF-8 and no text encoding could be detected", where)
        return
    source = _Source(name, where, decoded.encoding, decoded.warnings, settings)
    if suffix in PAGE_SUFFIXES or (suffix == ".txt" and html.looks_like_page(parse_header(decoded.text).body)):
        yield _article_from_page(decoded.text, source)
    elif suffix == ".txt":
        yield _article_from_txt(decoded.text, source)
    elif suffix == ".jsonl":
        yield from _records_from_jsonl(decoded.text, source)
    else:
        yield from _records_from_csv(decoded.text, source)


class _NotRead(Exception):
    """A file deliberately not read: too large, or not a regular file."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, never more than `limit` + 1 of them in memory, never blocking on a FIFO."""
    info = os.stat(path)  # follows symlinks; a broken one raises FileNotFoundError (unreadable)
    if not stat.S_ISREG(info.st_mode):
        raise _NotRead("unsupported", "not a regular file (FIFO, socket or device): not read")
    if info.st_size > limit:
        raise _NotRead("too_large", f"{info.st_size} bytes > limit {limit} (not read)")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)  # the file may have grown since stat
    if len(data) > limit:
        raise _NotRead("too_large", f"more than {limit} bytes (limit; stopped reading)")
    return data


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_codec(head):  # UTF-16 is text with NULs
        return False
    return head.startswith(_BINARY_SIGNATURES) or b"\x00" in head


def _utf16_codec(data: bytes) -> str | None:
    """'utf-16-le' or '-be' when BOM-less bytes read as UTF-16 text (NULs in every other byte), else None."""
    head = data[:4096]
    head = head[:len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):  # mostly ASCII-range text: one byte of each pair is NUL
            sample = head.decode(codec, errors="replace")  # the cut may split a surrogate pair
            printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
            if "\x00" not in sample and printable >= 0.95 * len(sample):
                return codec
    return None


@dataclass(frozen=True)
class _Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) of the bytes: a BOM's, UTF-8, Windows-1252 when it reads as Western text, else
    the legacy code page charset-normalizer detects (a guess, noted in the article's warnings)."""
    decoded = _decode(data)
    return None if decoded is None else (decoded.text, decoded.encoding)


def _decode(data: bytes) -> _Decoded | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _replacing(data, "utf-16")  # a truncated file ends in half a character
    codec = _utf16_codec(data)
    if codec:
        return _replacing(data, codec)
    try:
        return _Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    try:
        # Windows-1252 is what non-UTF-8 English news nearly always is (Latin-1 text reads the same
        # under it), and detectors guessing on a short text often pick a sibling code page that
        # turns its curly quotes into other letters. So it is kept whenever it reads as Western text.
        western = data.decode("cp1252")
        if _reads_as_western(western):
            return _Decoded(western, "cp1252")
    except UnicodeDecodeError:
        pass
    return _detected(data)


# Legacy code pages of news sites besides Windows-1252, for charset-normalizer to choose among when the
# bytes do not read as Western text: Cyrillic, Central European, Greek, Turkish, Hebrew, Arabic, Baltic.
LEGACY_CODE_PAGES = ("cp1251", "koi8_r", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
                     "iso8859_2", "iso8859_5", "iso8859_7")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _reads_as_western(text: str) -> bool:
    """Whether text decoded as Windows-1252 looks like a Western language: accented letters sit in
    mostly-ASCII words ("façade", "Zürich"). Cyrillic or Greek bytes read that way make words of
    accented letters only ("Ïðåçèäåíò")."""
    foreign = [w for w in _LETTER_RUN.findall(text) if not w.isascii()]
    if not foreign:
        return True
    garbled = sum(1 for w in foreign if len(w) >= 3 and sum(not ch.isascii() for ch in w) * 2 >= len(w))
    return garbled * 10 < len(foreign) * 3  # fewer than 30% of the accented words made of accents


def _detected(data: bytes) -> _Decoded | None:
    """The legacy code page charset-normalizer finds most coherent, with a warning that it is a guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_CODE_PAGES)).best() or from_bytes(data).best()
    if best is None:
        return None
    return _Decoded(str(best), best.encoding, (f"not UTF-8: the encoding {best.encoding} is a guess from the bytes "
                                               f"({', '.join(best.languages[:2]) or 'language unknown'})",))


def _replacing(data: bytes, codec: str) -> _Decoded:
    """The bytes decoded with invalid sequences replaced by U+FFFD, and a warning counting them."""
    text = data.decode(codec, errors="replace")
    replaced = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
    name = codec.removesuffix("-sig")
    warning = f"{replaced} invalid {name.upper()} sequence(s) replaced by U+FFFD"
    return _Decoded(text, name, (warning,) if replaced else ())


def _mostly_utf8(data: bytes) -> _Decoded | None:
    """UTF-8 with a few broken bytes (a truncated character, a stray byte): decoded, the bytes replaced.

    Only when the file also holds well-formed multi-byte characters: otherwise the high bytes are
    more likely a single-byte encoding's letters.
    """
    decoded = _replacing(data, "utf-8-sig")
    replaced = decoded.text.count("\ufffd")
    well_formed = sum(1 for ch in decoded.text if ord(ch) > 0x7F and ch != "\ufffd")
    return decoded if well_formed and replaced <= max(3, well_formed // 10) else None


@dataclass(frozen=True)
class _Source:
    """Where records come from: the file's name and path, its encoding, and the run settings."""

    name: str
    where: str
    encoding: str
    warnings: tuple[str, ...]
    settings: Settings


def _article_from_txt(text: str, source: _Source) -> Article | Reject:
    header = parse_header(text)
    return _make_article(header.body, source, source.name, published=header.published,
                         warnings=list(header.warnings),
                         missing_detail="a header and no body" if header.found else "no visible text")


def _article_from_page(text: str, source: _Source) -> Article | Reject:
    """A saved web page: a header line's date if the scraper wrote one, else the page metadata's."""
    header = parse_header(text)
    page = html.extract_page(header.body)
    published = header.published if header.found else page.published
    warnings = list(header.warnings)
    if header.found and page.published and page.published != header.published:
        warnings.append(f"the page's metadata date {page.published} differs from the header's")
    return _make_article(page.text, source, source.name, published=published, title=page.title,
                         url=page.url, outlet=page.outlet, warnings=warnings, missing_reason="no_text",
                         missing_detail="no article text found in the web page", verbatim=False)


def _make_article(body: str, source: _Source, name: str, *, published: date | None,
                  missing_reason: str = "empty", missing_detail: str = "no visible text",
                  title: str | None = None, url: str | None = None, outlet: str | None = None,
                  warnings: list[str] | None = None, verbatim: bool = True) -> Article | Reject:
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not _has_visible_text(body):
        return Reject(name, missing_reason, missing_detail, source.where)
    if len(body) > source.settings.max_chars:
        return Reject(name, "too_large", f"{len(body)} characters > limit {source.settings.max_chars}",
                      source.where)
    notes = [*source.warnings, *(warnings or []), *_date_warnings(published)]
    if verbatim and _HTML_REMNANT.search(body):
        notes.append("HTML remnants (tags or character entities) kept verbatim in the text")
    return Article(doc_id=doc_id_for(body), source=name, input_path=source.where, text=body,
                   published=published, title=title, url=url, outlet=outlet, encoding=source.encoding,
                   warnings=notes)


def _has_visible_text(body: str) -> bool:
    """True when the body has a letter, digit, punctuation mark or symbol (not only zero-width marks)."""
    return any(ch not in _INVISIBLE and unicodedata.category(ch)[0] in "LNPS" for ch in body)


def _date_warnings(published: date | None) -> list[str]:
    """An implausible publication date is kept (it may be right) and flagged for the analyst."""
    if published is None:
        return []
    # a day of slack: an article stamped in a time zone ahead of ours is not from the future
    if published > datetime.now(UTC).date() + timedelta(days=1):
        return [f"published date {published.isoformat()} is in the future"]
    if published < EARLIEST_PLAUSIBLE_DATE:
        return [f"published date {published.isoformat()} is before {EARLIEST_PLAUSIBLE_DATE.year}"]
    return []


def _article_from_record(record: dict, name: str, source: _Source, extra: list[str]) -> Article | Reject:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        kind = "missing" if text is None else f"a {type(text).__name__}" if not isinstance(text, str) else "empty"
        return Reject(name, "no_text", f"record has no non-empty string field `text` ({kind})", source.where)
    warnings = list(extra)
    published = None
    raw_date = record.get("date")
    if raw_date not in (None, ""):
        published = parse_header_date(raw_date) if isinstance(raw_date, str) else None
        if published is None:
            warnings.append(f"date {raw_date!r} is not a valid date")
    return _make_article(_no_surrogates(text), source, name, published=published, missing_reason="no_text",
                         title=_optional_str(record.get("title")), url=_optional_str(record.get("url")),
                         outlet=_optional_str(record.get("source")), warnings=warnings)


def _optional_str(value: object) -> str | None:
    return _no_surrogates(value.strip()) or None if isinstance(value, str) else None


def _no_surrogates(text: str) -> str:
    """JSON may escape a lone surrogate (\\ud800), which no UTF-8 writer accepts: it becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


class _RecordNames:
    """Each record's `source`: its `id`, or file:position when it has none or repeats one in the file.

    Sources must be unique within a file: (input_path, source) identifies an input across runs.
    The id is only ever a string in the tables, never a path.
    """

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.first_at: dict[str, str] = {}

    def name(self, record: dict, position: str) -> tuple[str, list[str]]:
        record_id = record.get("id")
        if not isinstance(record_id, (str, int)) or isinstance(record_id, bool) or not str(record_id).strip():
            warnings = [] if record_id is None else [f"id {record_id!r} is not a string or integer"]
            return self._claim(f"{self.file_name}:{position}", position), warnings
        record_id = _no_surrogates(str(record_id).strip())
        if record_id in self.first_at:
            warning = f"id {record_id!r} repeats the id of {self.file_name}:{self.first_at[record_id]}"
            return self._claim(f"{self.file_name}:{position}", position), [warning]
        return self._claim(record_id, position), []

    def _claim(self, name: str, position: str) -> str:
        unique, n = name, 1
        while unique in self.first_at:  # an id that happens to read like another record's file:position
            n += 1
            unique = f"{name}#{n}"
        self.first_at[unique] = position
        return unique


def _records_from_jsonl(text: str, source: _Source) -> Iterator[Article | Reject]:
    names = _RecordNames(source.name)
    if not text.strip():
        yield Reject(source.name, "empty", "the file holds only whitespace", source.where)
    # split on newlines only: str.splitlines would also cut at U+2028 and \x0c, legal inside JSON strings
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        position = f"{source.name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(position, "bad_json", f"line {lineno}: {exc.msg}", source.where)
            continue
        except (ValueError, RecursionError) as exc:  # nesting too deep, numbers too long
            yield Reject(position, "bad_json", f"line {lineno}: {type(exc).__name__}", source.where)
            continue
        if not isinstance(record, dict):
            yield Reject(position, "bad_json", f"line {lineno} is not a JSON object", source.where)
            continue
        name, warnings = names.name(record, str(lineno))
        yield _article_from_record(record, name, source, warnings)


def _records_from_csv(text: str, source: _Source) -> Iterator[Article | Reject]:
    # an article may be longer than the csv module's default field limit (128 KiB)
    csv.field_size_limit(max(csv.field_size_limit(), source.settings.max_input_bytes))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = reader.fieldnames or []
        if "text" not in fields:
            yield Reject(source.name, "bad_csv", f"no `text` column (columns: {', '.join(fields) or 'none'})",
                         source.where)
            return
        rows = list(reader)
    except csv.Error as exc:
        yield Reject(source.name, "bad_csv", f"csv error: {exc}", source.where)
        return
    if not rows:
        yield Reject(source.name, "empty", "the csv has a header but no rows", source.where)
    names = _RecordNames(source.name)
    for rowno, row in enumerate(rows, start=2):
        name, warnings = names.name(row, f"row{rowno}")
        yield _article_from_record(row, name, source, warnings)
