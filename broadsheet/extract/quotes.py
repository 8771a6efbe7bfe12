"""Quotations and their speakers: direct quotes, reported speech, who said them and to whom.

What it does:
- Direct quotes: text between quotation marks (straight, curly, guillemets, two apostrophes ''...'';
  single marks only at the top level, since single marks inside double ones belong to the one
  quotation). Content offsets exclude the marks. A paragraph whose quotation opens and never closes
  runs on: the quotation opening the next paragraph continues it and both are one row (the span then
  holds the paragraph break and the inner opening mark). A quote interrupted by its cue ("“Fine,” he
  said, “but only if ...”") is ONE row spanning both parts, the cue inside, as news annotation (PolNeAR)
  does; partial quotes of one sentence with only the writer's words between them ('was “disgusting”
  and “a con”') are one row of kind `mixed`. Marked text that is no quotation is dropped: titles (CNN’s
  “State of the Union”, the episode of “The Steve Harvey Morning Show”, his “Keepin’ It Real” radio
  program), a transcript's stage directions ("(CROSSTALK)"), nicknames inside names (Robert C. “Bobby”
  Scott), markup attribute values (author="..."), and cue-less scare quotes labelling the noun after
  them (the “sex tape” reference).
- Reported speech: the clausal complement of a reporting verb ("Tsvetkov said he learned ..."), the
  object of a stance verb ("urged members to reject the offer"), the that-clause of a claim noun
  ("Trump's claim that ..."), the clause an "according to X" phrase qualifies, and a short "Name: ..."
  headline, as `indirect` rows. A reported clause that holds partial
  direct quotes ("said they were “inseparable” at the party") is one row of kind `mixed` with the inner
  marks balanced. No two rows overlap.
- Speakers, in order: a transcript label ("PENCE: ...") or dash byline ("“...” ― Karen Smith"); the
  subject of the cue that governs the quotation in the parse, else of the nearest cue in its sentence
  (climbing from "adding"/"saying" to the verb they hang on; the agent of a passive cue; the object of
  "according to"; the noun next to the cue when the parse gives none); a colon introduction ("He
  added:"); the latest speaker of a quotation or reported clause for a quote that stands alone in its
  paragraph; for a quote opening a sentence, the subject of the sentence before it in its paragraph when
  that names a person or organisation; a headline label; the subject of the sentence a partial quote
  sits in. `speaker_text` and its offsets are the speaker as written near the cue ("he", "a source");
  `speaker_entity_id` is the entity of a mention covering it (`doc._.mentions` from broadsheet_names:
  names, descriptors, pronouns), else, for "he"/"she", the most recent person named as a speaker or
  subject; for "they"/"it", the organisation or group of the nearest subject agreeing in number in the
  sentence or the one before (else a named organisation there); for "who"/"which"/"that", the noun the
  relative clause hangs on. Unnamed sources and pronouns with nothing to stand for keep a null entity. A
  passive cue names no speaker ("a box labeled “...”", "it was labeled “...”", "was accused of ...":
  what its subject names was said or named, not said by it), nor does an expletive "it".
- Addressees ("told the outlet", "said to the TV", "in an interview with The Telegraph") are emitted as
  addressee_* columns once schemas/tables.yaml declares them.

What it does not do: no file I/O beyond loading data/quote_cues.yaml once (all marks, cue verbs and
word lists live there), no coreference beyond the pronoun fallback, no quotes across articles, and no
attribution of scare quotes that have no cue and no subject.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from broadsheet.extract.component import Extractor, doc_id_of, records_on, set_records
from broadsheet.extract.docs import doc_text, token_range, view
from broadsheet.extract.ids import span_id_for
from broadsheet.extract.lexicon import declared_columns, load_yaml
from broadsheet.extract.records import Entity, Mention, Quotation

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NOMINALS = ("PROPN", "NOUN", "PRON")
# Tags of "who", "which", "that" as relative pronouns (not "that" as a demonstrative: "That is false").
_RELATIVE_TAGS = ("WP", "WDT")
# "’s" read as a passive auxiliary is as often "has" ("he’s said"): alone it makes no passive.
_CONTRACTED_IS = ("'s", "’s")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A word of a title, which may be a number ("13th", "1984").
_TITLE_WORD = re.compile(r"[^\W_][\w'’-]*")
# Dependencies through which a subject-less cue ("adding", "saying", "and told") borrows its head's subject.
_CLIMB_DEPS = ("xcomp", "advcl", "conj", "pcomp", "ccomp", "parataxis", "dep", "prep")
# Characters trimmed from the ends of a content span besides the quotation marks themselves.
_EDGE_PUNCT = " \t\n\u00a0,;:.—–-"


_PARAGRAPH_SENTENCES = "broadsheet_paragraph_sentences"


@Language.component(_PARAGRAPH_SENTENCES)
def paragraph_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: news paragraphs never share one, but spaCy's parser otherwise runs a
    headline or a dateline into the next paragraph ("The Latest: ...\n\n7 p.m.\n\nDonald Trump is ...")."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@dataclass(frozen=True)
class Lexicon:
    """The contents of data/quote_cues.yaml, as sets and maps."""

    double_marks: dict[str, tuple[str, ...]]
    single_marks: dict[str, tuple[str, ...]]
    speech_verbs: frozenset[str]
    turn_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    clause_needs_that: frozenset[str]
    source_prepositions: dict[str, tuple[str, ...]]
    person_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    animate_relative_pronouns: frozenset[str]
    animate_entity_types: frozenset[str]
    group_pronouns: dict[str, str]
    group_entity_types: frozenset[str]
    collective_entity_types: frozenset[str]
    group_pronoun_reach_sentences: int
    passive_speaker_verbs: frozenset[str]
    previous_subject_entity_types: frozenset[str]
    speaker_pronouns: frozenset[str]
    non_speakers: frozenset[str]
    non_speaker_entity_types: frozenset[str]
    non_reporters: frozenset[str]
    weak_speakers: frozenset[str]
    addressee_verbs: frozenset[str]
    addressee_prepositions: frozenset[str]
    interview_nouns: frozenset[str]
    min_reported_words: int
    inherit_max_paragraphs: int
    split_quote_max_gap: int
    byline_dashes: frozenset[str]
    partial_quote_connectors: frozenset[str]
    stance_verbs: frozenset[str]
    stance_prepositions: frozenset[str]
    claim_nouns: frozenset[str]
    title_max_words: int
    title_small_words: frozenset[str]
    title_cue_words: frozenset[str]
    title_cue_of: frozenset[str]
    title_nouns_after: frozenset[str]
    stage_direction_brackets: dict[str, str]
    nickname_max_words: int
    modifier_quote_max_words: int
    attribute_value_prefixes: tuple[str, ...]
    transcript_label: re.Pattern[str]
    paragraph_label: re.Pattern[str]
    label_paragraph_max_words: int
    cue_subject_max_climb: int
    byline_reach_chars: int
    byline_max_tokens: int
    title_cue_reach_chars: int
    mixed_max_quoted_share: float

    @cached_property
    def cue_lemmas(self) -> frozenset[str]:
        """Every lemma that can head reported content: claim nouns, reporting and stance verbs."""
        return self.claim_nouns | self.reporting_verbs | self.stance_verbs

    @cached_property
    def mark_pattern(self) -> re.Pattern[str]:
        """Any quotation mark, longest first (two apostrophes '' are one double mark)."""
        marks = sorted({*self.double_marks, *self.single_marks, *self.closing_marks}, key=len, reverse=True)
        return re.compile("|".join(re.escape(m) for m in marks))

    @cached_property
    def closing_marks(self) -> frozenset[str]:
        """Every mark that may close a quotation."""
        return frozenset(c for cs in (*self.double_marks.values(), *self.single_marks.values()) for c in cs)

    @cached_property
    def all_marks(self) -> frozenset[str]:
        """Every opening and closing mark."""
        marks = set(self.double_marks) | set(self.single_marks)
        for closers in (*self.double_marks.values(), *self.single_marks.values()):
            marks.update(closers)
        return frozenset(marks)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The cue lexicon (data/quote_cues.yaml), built once per process."""
    raw = load_yaml("quote_cues.yaml")
    return Lexicon(
        double_marks={k: tuple(v) for k, v in raw["double_marks"].items()},
        single_marks={k: tuple(v) for k, v in raw["single_marks"].items()},
        speech_verbs=frozenset(raw["speech_verbs"]),
        turn_verbs=frozenset(raw["turn_verbs"]),
        reporting_verbs=frozenset(raw["reporting_verbs"]),
        clause_needs_that=frozenset(raw["clause_needs_that"]),
        source_prepositions={k: tuple(v or ()) for k, v in raw["source_prepositions"].items()},
        person_pronouns=frozenset(raw["person_pronouns"]),
        relative_pronouns=frozenset(raw["relative_pronouns"]),
        animate_relative_pronouns=frozenset(raw["animate_relative_pronouns"]),
        animate_entity_types=frozenset(raw["animate_entity_types"]),
        group_pronouns={k: str(v) for k, v in raw["group_pronouns"].items()},
        group_entity_types=frozenset(raw["group_entity_types"]),
        collective_entity_types=frozenset(raw["collective_entity_types"]),
        group_pronoun_reach_sentences=int(raw["group_pronoun_reach_sentences"]),
        passive_speaker_verbs=frozenset(raw["passive_speaker_verbs"]),
        previous_subject_entity_types=frozenset(raw["previous_subject_entity_types"]),
        speaker_pronouns=frozenset(raw["speaker_pronouns"]),
        non_speakers=frozenset(raw["non_speakers"]),
        non_speaker_entity_types=frozenset(raw["non_speaker_entity_types"]),
        non_reporters=frozenset(raw["non_reporters"]),
        weak_speakers=frozenset(raw["weak_speakers"]),
        addressee_verbs=frozenset(raw["addressee_verbs"]),
        addressee_prepositions=frozenset(raw["addressee_prepositions"]),
        interview_nouns=frozenset(raw["interview_nouns"]),
        min_reported_words=int(raw["min_reported_words"]),
        inherit_max_paragraphs=int(raw["inherit_max_paragraphs"]),
        split_quote_max_gap=int(raw["split_quote_max_gap"]),
        byline_dashes=frozenset(raw["byline_dashes"]),
        partial_quote_connectors=frozenset(raw["partial_quote_connectors"]),
        stance_verbs=frozenset(raw["stance_verbs"]),
        stance_prepositions=frozenset(raw["stance_prepositions"]),
        claim_nouns=frozenset(raw["claim_nouns"]),
        title_max_words=int(raw["title_max_words"]),
        title_small_words=frozenset(raw["title_small_words"]),
        title_cue_words=frozenset(raw["title_cue_words"]),
        title_cue_of=frozenset(raw["title_cue_of"]),
        title_nouns_after=frozenset(raw["title_nouns_after"]),
        stage_direction_brackets={str(k): str(v) for k, v in raw["stage_direction_brackets"].items()},
        nickname_max_words=int(raw["nickname_max_words"]),
        modifier_quote_max_words=int(raw["modifier_quote_max_words"]),
        attribute_value_prefixes=tuple(raw["attribute_value_prefixes"]),
        transcript_label=re.compile(raw["transcript_label"]),
        paragraph_label=re.compile(raw["paragraph_label"]),
        label_paragraph_max_words=int(raw["label_paragraph_max_words"]),
        cue_subject_max_climb=int(raw["cue_subject_max_climb"]),
        byline_reach_chars=int(raw["byline_reach_chars"]),
        byline_max_tokens=int(raw["byline_max_tokens"]),
        title_cue_reach_chars=int(raw["title_cue_reach_chars"]),
        mixed_max_quoted_share=float(raw["mixed_max_quoted_share"]),
    )


# ---------------------------------------------------------------- direct quotes from the marks


@dataclass
class Marked:
    """One quotation between marks: content offsets (marks excluded) and the marks' extent."""

    start: int
    end: int
    outer_start: int  # the opening mark
    outer_end: int  # after the closing mark, or the paragraph end when it never closes
    paragraph: int
    closed: bool
    opens_paragraph: bool  # the opening mark is the paragraph's first character
    continues: bool = False  # the previous paragraph's quotation never closed: this one goes on with it
    kind: str = "direct"  # "mixed" once partial quotes joined by "and"/"or" make one row


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, whitespace trimmed: news paragraphs are lines."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        pos += len(line) + 1
    return spans


def _single_can_open(text: str, i: int) -> bool:
    """A single opening mark starts a quotation only at a word start (not "‘90s")."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isdigit() and not after.isspace()


def _single_can_close(text: str, i: int) -> bool:
    """A single closing mark ends a quotation only where it cannot be an apostrophe ("don’t")."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalpha()


def _trimmed(text: str, start: int, end: int, marks: frozenset[str] = frozenset()) -> tuple[int, int]:
    """A reported clause without the punctuation, marks and spaces at its ends (a final full stop goes,
    an abbreviation's stays: "the U.S.")."""
    while start < end and (text[start] in _EDGE_PUNCT or text[start] in marks or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE_PUNCT or text[end - 1] in marks):
        if text[end - 1] == "." and end - start > 1 and text[end - 2].isupper():
            break
        end -= 1
    return start, end


def find_marked_quotes(text: str, lex: Lexicon) -> list[Marked]:
    """Every quotation between marks, paragraph by paragraph, in text order."""
    found: list[Marked] = []
    previous_open = False
    for p, (p_start, p_end) in enumerate(paragraph_spans(text)):
        in_paragraph = _scan_paragraph(text, p, p_start, p_end, lex)
        if in_paragraph and previous_open and in_paragraph[0].opens_paragraph:
            in_paragraph[0].continues = True
        previous_open = bool(in_paragraph) and not in_paragraph[-1].closed
        found.extend(in_paragraph)
    return found


def _scan_paragraph(text: str, p: int, p_start: int, p_end: int, lex: Lexicon) -> list[Marked]:
    out: list[Marked] = []
    open_at, opener, closers, single = -1, "", (), False
    skip_to = p_start
    for found in lex.mark_pattern.finditer(text, p_start, p_end):
        i, mark = found.start(), found.group()
        if i < skip_to:
            continue
        skip_to = i + len(mark)
        if open_at < 0:
            if mark in lex.double_marks and text.endswith(lex.attribute_value_prefixes, p_start, i):
                skip_to = _attribute_value_end(text, i + len(mark), p_end, lex.double_marks[mark])
                continue
            if mark in lex.double_marks:
                open_at, opener, closers, single = i, mark, lex.double_marks[mark], False
            elif mark in lex.single_marks and _single_can_open(text, i):
                open_at, opener, closers, single = i, mark, lex.single_marks[mark], True
        elif mark in closers and (not single or _single_can_close(text, i)):
            _add_marked(out, text, p, p_start, (open_at, len(opener)), (i, len(mark)), closed=True)
            open_at = -1
    # An unclosed double mark runs to the paragraph end (and on into the next paragraph's quote);
    # an unclosed single mark was an apostrophe or a stray.
    if open_at >= 0 and not single:
        _add_marked(out, text, p, p_start, (open_at, len(opener)), (p_end, 0), closed=False)
    return out


def _attribute_value_end(text: str, start: int, end: int, closers: tuple[str, ...]) -> int:
    """Where the value of a markup attribute (author="...") ends: after its closing mark, else at the
    paragraph end."""
    found = [(j, c) for c in closers if (j := text.find(c, start, end)) >= 0]
    if not found:
        return end
    j, closer = min(found)
    return j + len(closer)


def _add_marked(out: list[Marked], text: str, p: int, p_start: int, opening: tuple[int, int],
                closing: tuple[int, int], closed: bool) -> None:
    # stray double marks and spaces at the edges are not content; nested single marks are
    open_at, close_at = opening[0], closing[0]
    start, end = open_at + opening[1], close_at
    while start < end and (text[start].isspace() or text[start] in lex_double_marks()):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in lex_double_marks()):
        end -= 1
    if end > start:
        outer_end = close_at + closing[1]
        out.append(Marked(start, end, open_at, outer_end, p, closed, opens_paragraph=open_at == p_start))


# ---------------------------------------------------------------- inside a quotation: the one definition
# names.py asks it too (pronouns inside a quotation speak from the quoted person's view).


def quoted_ranges(text: str, closed_only: bool = False) -> list[tuple[int, int]]:
    """The (start, end) character extents, marks included, of the quotations between marks, sorted: what
    find_marked_quotes finds (the marks of data/quote_cues.yaml; single marks only where they cannot be
    apostrophes, and not inside double ones; an unclosed double mark runs to its paragraph's end, unless
    `closed_only` leaves out quotations whose closing mark never comes)."""
    marked = find_marked_quotes(text, load_lexicon())
    return sorted((q.outer_start, q.outer_end) for q in marked if q.closed or not closed_only)


def in_quotation(ranges: list[tuple[int, int]], char: int) -> bool:
    """Whether the character at offset `char` lies inside one of the quotations `ranges` (from
    quoted_ranges; the marks themselves count as inside)."""
    i = bisect.bisect_right(ranges, (char, 10**12)) - 1
    return i >= 0 and ranges[i][0] <= char < ranges[i][1]


@lru_cache(maxsize=1)
def lex_double_marks() -> frozenset[str]:
    """Every double quotation mark, opening or closing."""
    lex = load_lexicon()
    return frozenset(lex.double_marks) | frozenset(c for cs in lex.double_marks.values() for c in cs)


# ---------------------------------------------------------------- speakers


@dataclass
class Speaker:
    """A speaker as written near the cue, with the entity it resolves to (if any)."""

    start: int
    end: int
    text: str
    entity_id: str | None


@dataclass
class Context:
    """Per-document lookups shared by the attribution steps."""

    doc: Doc
    text: str  # doc.text, which spaCy rebuilds from the tokens on every access
    lex: Lexicon
    quoted: list[tuple[int, int]]  # outer extents of the marked quotes, sorted
    mention_at: dict[int, Mention]  # token index -> the mention covering it (names before others)
    entity_type: dict[str, str]
    subject_people: list[tuple[int, str]] = field(default_factory=list)  # (char, entity_id), sorted
    labels: list[tuple[int, int]] = field(default_factory=list)  # "The Latest:" before a paragraph's colon
    paragraph_starts: list[int] = field(default_factory=list)

    def in_quote(self, char: int) -> bool:
        """Whether `char` lies inside a marked quotation (its marks included)."""
        return in_quotation(self.quoted, char)

    def same_paragraph(self, a: Token, b: Token) -> bool:
        """Whether two tokens sit in the same paragraph (line)."""
        return bisect.bisect_right(self.paragraph_starts, a.idx) == bisect.bisect_right(self.paragraph_starts, b.idx)

    def remember_person(self, char: int, entity_id: str | None) -> None:
        """Note a PERSON speaker at `char`, as an antecedent for later "he"/"she"."""
        if entity_id and self.entity_type.get(entity_id) == "PERSON":
            bisect.insort(self.subject_people, (char, entity_id))

    def person_before(self, char: int) -> str | None:
        """The latest PERSON speaker or subject before `char`."""
        i = bisect.bisect_left(self.subject_people, (char, ""))
        return self.subject_people[i - 1][1] if i else None


def _mention_index(doc: Doc, mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> covering mention; name mentions win over descriptors and pronouns."""
    rank = {"name": 0, "descriptor": 1, "pronoun": 2}
    index: dict[int, Mention] = {}
    for m in sorted(mentions, key=lambda m: -rank.get(m.mention_kind or "name", 3)):
        for i in token_range(doc, m.start_char, m.end_char):
            index[i] = m
    return index


def _person_subjects(doc: Doc, ctx: Context) -> list[tuple[int, str]]:
    """PERSON mentions that are the subject of a verb outside quotes: antecedents for "he"/"she"."""
    found = []
    for i in ctx.mention_at:  # only tokens inside a mention can be one
        tok = doc[i]
        if tok.dep_ in _SUBJECT_DEPS and not ctx.in_quote(tok.idx):
            m = ctx.mention_at[tok.i]
            is_name = (m.mention_kind or "name") == "name"
            if is_name and ctx.entity_type.get(m.entity_id) == "PERSON":
                found.append((tok.idx, m.entity_id))
    return sorted(found)


def speaker_from_token(tok: Token, ctx: Context) -> Speaker | None:
    """The speaker phrase headed by `tok`, resolved to an entity where possible."""
    lower = tok.lower_
    if lower in ctx.lex.non_speakers or ctx.in_quote(tok.idx) or tok.pos_ in ("VERB", "AUX"):
        return None
    if tok.ent_type_ in ctx.lex.non_speaker_entity_types:  # "12:15 p.m. ... says"
        return None
    if any(start <= tok.idx < end for start, end in ctx.labels):  # "The Latest: Trump urges ..."
        return None
    if lower in ctx.lex.relative_pronouns and tok.tag_ in _RELATIVE_TAGS:
        antecedent = _relative_antecedent(tok, ctx)
        entity = _antecedent_entity(antecedent, ctx) if antecedent is not None else None
        return Speaker(tok.idx, tok.idx + len(tok), tok.text, entity)
    if lower in ctx.lex.group_pronouns and _is_expletive(tok):
        return None  # "it is expected that ...", "it was labeled ...": no one speaks
    mention = ctx.mention_at.get(tok.i)
    if mention is not None:
        entity = mention.entity_id
        start, end = mention.start_char, mention.end_char
    else:
        start, end = _noun_phrase(tok)
        entity = _entity_of_head(tok, ctx)
    if entity is None and lower in ctx.lex.person_pronouns:
        entity = ctx.person_before(tok.idx)
    if entity is None and lower in ctx.lex.group_pronouns:
        entity = _group_antecedent(tok, ctx)
    return Speaker(start, end, ctx.text[start:end], entity)


def _relative_antecedent(tok: Token, ctx: Context) -> Token | None:
    """The noun a relative pronoun stands for: the head of its relative clause, else (when the parse
    makes the clause something else: "the Chicago Police Department which reported ...") the noun right
    before it. "who" passes over a place or thing its noun is attached to by a preposition ("Democrats
    on Capitol Hill, who", "listeners to his radio program who") to the person or group."""
    if tok.head.dep_ == "relcl" and tok.head.head.i < tok.i:
        antecedent = tok.head.head
    else:
        i = tok.i - 1
        while i >= 0 and (ctx.doc[i].is_space or ctx.doc[i].text == ","):
            i -= 1
        if i < 0 or ctx.doc[i].pos_ not in ("NOUN", "PROPN") or ctx.in_quote(ctx.doc[i].idx):
            return None
        antecedent = ctx.doc[i]
        while antecedent.dep_ in ("compound", "flat") and antecedent.head.i > antecedent.i:
            antecedent = antecedent.head
    if tok.lower_ in ctx.lex.animate_relative_pronouns:
        while (antecedent.dep_ == "pobj" and antecedent.head.dep_ == "prep"
               and antecedent.head.head.pos_ in ("NOUN", "PROPN")
               and ctx.entity_type.get(_entity_of_head(antecedent, ctx) or "") not in ctx.lex.animate_entity_types):
            antecedent = antecedent.head.head
    return antecedent


def _is_expletive(tok: Token) -> bool:
    """"it" that stands for no one: the subject of a clause whose real subject comes after ("it is clear
    that ...", "it was expected to ...") or of a passive ("it was labeled ...", which names what was said)."""
    if tok.lower_ != "it" or tok.dep_ not in _SUBJECT_DEPS:
        return False
    verb = tok.head
    if tok.dep_ == "nsubjpass":
        return True
    extraposed = any(c.dep_ in ("ccomp", "csubj") and c.i > verb.i for c in verb.children)
    predicative = verb.lemma_ == "be" and any(c.dep_ in ("acomp", "attr") for c in verb.children)
    cleft = verb.lemma_ == "be" and any(c.dep_ == "attr" for c in verb.children)  # "it was the questioner"
    return (extraposed and predicative) or cleft


def _group_antecedent(pronoun: Token, ctx: Context, depth: int = 0) -> str | None:
    """The organisation or group a speaker "they"/"it" stands for: the nearest subject before it, in its
    sentence or the sentences just before, that agrees in number ("they": a plural noun, or the name of
    an organisation; "it": a singular noun that is no person), when that subject is an entity of
    `group_entity_types`. Nothing else: an organisation merely named nearby (as an object, "asked
    Google ... they said") was right about half the time on polnear-train, and a wrong speaker is worse
    for an analyst than `speaker_kind` pronoun with no entity. A nearer agreeing subject that is no such
    entity ("The farmers ... they", "Politifact checked ... They", when Politifact is no entity) means
    no entity. The same pronoun as an earlier subject stands for what that one stands for."""
    lex = ctx.lex
    plural_wanted = lex.group_pronouns[pronoun.lower_] == "plural"
    for tok in _tokens_back(pronoun, ctx):
        if tok.dep_ not in _SUBJECT_DEPS:
            continue
        entity = _entity_of_head(tok, ctx)
        kind = ctx.entity_type.get(entity or "")
        if tok.sent.start != pronoun.sent.start and not _in_main_clause(tok):
            continue  # in a sentence before, the main clause's subject: "Republicans say Democrats ..."
        if tok.lower_ == pronoun.lower_ and depth < 2 and not _is_expletive(tok):
            return _group_antecedent(tok, ctx, depth + 1)
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        plural = tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children)
        if kind == "PERSON" and not plural:
            continue
        if plural_wanted and not plural:
            # a singular name may be a group ("Politifact ... They"); a singular common noun is not
            if tok.pos_ != "PROPN":
                continue
            return entity if kind in lex.collective_entity_types else None
        if not plural_wanted and plural:
            continue
        return entity if kind in lex.group_entity_types else None
    return None


def _tokens_back(pronoun: Token, ctx: Context):  # -> Iterator[Token]
    """The tokens before `pronoun`, nearest first, outside quotes, in its sentence and the
    `group_pronoun_reach_sentences` sentences before it that have words outside quotes (a quoted
    passage of several sentences counts for none)."""
    doc = ctx.doc
    sent = pronoun.sent
    end = pronoun.i
    counted = -1
    while True:
        outside = [doc[i] for i in range(end - 1, sent.start - 1, -1) if not ctx.in_quote(doc[i].idx)]
        yield from outside
        if outside or counted < 0:
            counted += 1
        if counted >= ctx.lex.group_pronoun_reach_sentences or sent.start == 0:
            return
        end = sent.start
        sent = doc[sent.start - 1].sent


def _in_main_clause(subject: Token) -> bool:
    """Whether a subject is that of its sentence's main verb (or of a verb joined to it by "and")."""
    verb = subject.head
    while verb.dep_ == "conj":
        verb = verb.head
    return verb.dep_ == "ROOT"


def _antecedent_entity(antecedent: Token, ctx: Context) -> str | None:
    """The entity a relative pronoun stands for: its antecedent's, or, when the antecedent is a title
    in apposition ("Alan Greenberg, the chairman of Bear Stearns, who said"), the name it describes;
    when it is a name's title ("Bear Stearns chairman Alan Greenberg, who"), the name's."""
    entity = _entity_of_head(antecedent, ctx)
    if entity is not None:
        return entity
    if antecedent.dep_ == "appos" and (entity := _entity_of_head(antecedent.head, ctx)) is not None:
        return entity
    return next((e for c in antecedent.children if c.dep_ in ("appos", "compound")
                 and (e := _entity_of_head(c, ctx)) is not None and ctx.entity_type.get(e) == "PERSON"), None)


def _entity_of_head(tok: Token, ctx: Context) -> str | None:
    mention = ctx.mention_at.get(tok.i)
    return mention.entity_id if mention is not None else None


def _noun_phrase(tok: Token) -> tuple[int, int]:
    """From the phrase's left edge to its head (appositions, relative clauses and commas left out)."""
    if tok.ent_type_ and tok.ent_iob_ != "O":
        for ent in view(tok.doc).ents:
            if ent.start <= tok.i < ent.end:
                return ent.start_char, ent.end_char
    left = tok.left_edge
    while left.i < tok.i and (left.is_punct or left.is_space):
        left = left.doc[left.i + 1]
    end_tok = tok
    # keep "of"/"for" attachments that name the speaker ("a spokesman for the campaign")
    for child in tok.rights:
        if child.dep_ in ("prep",) and child.lower_ in ("for", "of", "at", "with") and not child.is_punct:
            end_tok = child.right_edge
            break
        if child.dep_ in ("compound", "flat", "nummod"):
            end_tok = child
    return left.idx, end_tok.idx + len(end_tok)


def subject_of_cue(verb: Token, ctx: Context, depth: int = 0) -> Token | None:
    """The subject of a cue verb (the agent of a passive one: "was criticized by his rivals");
    subject-less cues ("adding", "and told") borrow their head's."""
    for child in verb.children:
        if child.dep_ == "agent":
            agent = next((g for g in child.children if g.dep_ == "pobj"), None)
            if agent is not None and not ctx.in_quote(agent.idx):
                return agent
    # parses run sentences over paragraph breaks; a subject is never in another paragraph
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and not ctx.in_quote(c.idx)
                and ctx.same_paragraph(c, verb)]
    if depth == 0 and _is_passive(verb) and verb.lemma_.lower() not in ctx.lex.passive_speaker_verbs:
        return None  # the subject of a passive cue is what was said or named, or who was spoken to
    if subjects:
        # "the many reasons that Trump refuses": a relative pronoun the parse also makes a subject
        return next((c for c in subjects if c.tag_ not in _RELATIVE_TAGS), subjects[0])
    if verb.dep_ == "dep" and (before := _noun_right_before(verb, ctx)) is not None:
        return before  # "the $20 million experts say it costs": the parse left the cue hanging
    if verb.dep_ == "relcl" and verb.head.pos_ in _NOMINALS and verb.lemma_ in ctx.lex.reporting_verbs:
        return verb.head
    if verb.dep_ in _CLIMB_DEPS and depth < ctx.lex.cue_subject_max_climb and verb.head is not verb:
        return subject_of_cue(verb.head, ctx, depth + 1)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.lemma_ in ctx.lex.reporting_verbs:
        return verb.head  # "a statement saying ..." (but not "a box labeled ...")
    return None


def _is_passive(verb: Token) -> bool:
    """A passive verb: with a passive auxiliary ("was labeled"; not a bare "’s", more often "has": "he’s
    said"), or a past participle right after the noun it modifies, with no object of its own besides
    the name it gives ("a box labeled ‘...’"; not "one lawmaker called Trump ‘...’", nor "Beruff, a
    Scott ally, called ...", which the parser also makes modifiers)."""
    if verb.tag_ == "VBN" and verb.dep_ == "acl":
        before = verb.doc[verb.i - 1] if verb.i else None
        complements = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr", "ccomp")]
        return before is not None and not before.is_punct and len(complements) <= 1
    # a passive subject with no passive auxiliary is a misread inversion ("Stated Stone: ...")
    return any(c.dep_ == "auxpass" and c.lower_ not in _CONTRACTED_IS for c in verb.children)


def _noun_right_before(verb: Token, ctx: Context) -> Token | None:
    """The noun right before a verb (adverbs between allowed), outside quotes."""
    i = verb.i - 1
    while i >= 0 and ctx.doc[i].pos_ in ("ADV", "AUX", "PART"):
        i -= 1
    tok = ctx.doc[i] if i >= 0 else None
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or ctx.in_quote(tok.idx):
        return None
    return None if tok.ent_type_ in ctx.lex.non_speaker_entity_types else tok


def adjacent_subject(verb: Token, ctx: Context) -> Token | None:
    """When the parse gives a cue no subject ("“...,” Tulsa police Chief Jordan said"), the noun right
    before it, else the noun right after it ("said Jordan"), within the same clause. A passive cue has
    none: the noun by it is what was named or said ("a box labeled ‘...’", "it was labeled ‘...’")."""
    if _is_passive(verb) and verb.lemma_.lower() not in ctx.lex.passive_speaker_verbs:
        return None
    doc = ctx.doc
    i = verb.i - 1
    while i >= 0 and not ctx.in_quote(doc[i].idx) and doc[i].pos_ in ("ADV", "AUX", "PART"):
        i -= 1
    if i > 0 and doc[i].text == ",":  # "Flynn, a top Trump surrogate, said"
        i -= 1
    if i >= 0 and not ctx.in_quote(doc[i].idx) and doc[i].pos_ in _NOMINALS:
        noun = doc[i]
        while noun.dep_ == "appos" and noun.head.pos_ == "PROPN" and not ctx.in_quote(noun.head.idx):
            noun = noun.head
        return noun
    j = verb.i + 1
    while j < len(doc) and doc[j].pos_ in ("DET", "ADJ", "PROPN", "NOUN", "PRON", "NUM", "PUNCT"):
        if doc[j].is_punct or ctx.in_quote(doc[j].idx):
            break
        if doc[j].pos_ in _NOMINALS and (j + 1 == len(doc) or doc[j + 1].pos_ not in ("PROPN", "NOUN")):
            return doc[j]
        j += 1
    return None


def addressee_of(cue: Token, ctx: Context) -> Speaker | None:
    """Who a cue addresses: the object of "told"/"asked", the object of "said to", or X in
    "in an interview with X" attached to the cue."""
    lex = ctx.lex
    for child in cue.children:
        if ctx.in_quote(child.idx):
            continue
        if child.dep_ in ("dobj", "dative") and cue.lemma_ in lex.addressee_verbs and child.pos_ in _NOMINALS:
            return _phrase_speaker(child, ctx)
        if child.dep_ == "prep" and child.lower_ in lex.addressee_prepositions:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return _phrase_speaker(obj, ctx)
        if child.dep_ == "prep":
            for noun in (g for g in child.children if g.dep_ == "pobj" and g.lemma_ in lex.interview_nouns):
                partner = next((p for p in noun.children if p.dep_ == "prep" and p.lower_ == "with"), None)
                obj = next((g for g in partner.children if g.dep_ == "pobj"), None) if partner else None
                if obj is not None:
                    return _phrase_speaker(obj, ctx)
    return None


def _phrase_speaker(tok: Token, ctx: Context) -> Speaker:
    """A noun phrase as a Speaker: the mention covering its head, else the phrase itself."""
    mention = ctx.mention_at.get(tok.i)
    if mention is not None:
        return Speaker(mention.start_char, mention.end_char, mention.text, mention.entity_id)
    start, end = _noun_phrase(tok)
    return Speaker(start, end, ctx.text[start:end], None)


def source_of_preposition(tok: Token, ctx: Context) -> Token | None:
    """The object of "according to X" (or another source preposition in the lexicon)."""
    follow = ctx.lex.source_prepositions.get(tok.lower_)
    if follow is None:
        return None
    if follow:
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is None or nxt.lower_ not in follow:
            return None
        heads = [nxt, tok]
    else:
        heads = [tok]
    for head in heads:
        for child in head.children:
            if child.dep_ == "pobj":
                return child
    return None


def cue_text(tok: Token, prepositions: frozenset[str] = frozenset()) -> str:
    """The cue as written: the verb with its particle ("pointed out") or with one of `prepositions`
    ("called on"), or "according to"."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and (
            (nxt.dep_ == "prt" and nxt.head == tok)
            or (nxt.dep_ == "prep" and nxt.head == tok and nxt.lower_ in prepositions)
            or (tok.lower_ == "according" and nxt.lower_ == "to")):
        return tok.doc[tok.i:nxt.i + 1].text
    return tok.text


# ---------------------------------------------------------------- attributing a direct quote


@dataclass
class Attribution:
    speaker: Speaker | None
    cue: str | None
    cue_at: int | None = None  # char offset of the cue token, when the quotation has its own cue
    addressee: Speaker | None = None  # who it was said to: "told the outlet", "in an interview with X"
    # the quotation names something ("a box labeled ‘...’"): no speaker, and none to look for elsewhere
    unspoken: bool = False


def _is_cue(tok: Token, ctx: Context) -> bool:
    if ctx.in_quote(tok.idx):
        return False
    if tok.lower_ in ctx.lex.source_prepositions:
        return source_of_preposition(tok, ctx) is not None
    return tok.pos_ == "VERB" and tok.lemma_.lower() in ctx.lex.speech_verbs


def _frame_tokens(q: Marked, ctx: Context, paragraphs: list[tuple[int, int]]) -> list[Token]:
    """Tokens outside quotes in the sentences the quotation touches, within its paragraph."""
    p_start, p_end = paragraphs[q.paragraph]
    doc = ctx.doc
    shared = view(doc)
    touched = token_range(doc, q.outer_start, q.outer_end)
    if not touched:
        return []
    first, last = shared.sent_of(touched[0]).start, shared.sent_of(touched[-1]).end
    # "“... now?” Clinton said." is often parsed as two sentences: a quote that ends without a full
    # stop takes the next sentence too, since its cue usually follows.
    if last < len(doc) and ctx.text[q.end - 1:q.end] not in (".", "") and not q.continues:
        last = shared.sent_of(last).end
    starts = shared.idx
    return [shared.token(i) for i in range(first, last)
            if p_start <= starts[i] < p_end and not ctx.in_quote(starts[i])]


def _distance(tok: Token, q: Marked) -> int:
    if tok.idx >= q.outer_end:
        return tok.idx - q.outer_end
    return max(0, q.outer_start - (tok.idx + len(tok)))


def attribute_from_tokens(tokens: list[Token], q: Marked, ctx: Context) -> Attribution | None:
    """The nearest cue among `tokens` that yields a speaker (or the nearest cue at all)."""
    # a cue the quotation hangs on in the parse ("X said Y was “right” when he said ...") comes
    # before a nearer one that does not govern it
    anchor = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    governors = {t.i for t in anchor[0].ancestors} if anchor is not None and len(anchor) else set()
    cues = sorted((t for t in tokens if _is_cue(t, ctx)),
                  key=lambda t: (t.i not in governors, _distance(t, q)))
    fallback = weak = None
    for cue in cues:
        if cue.lower_ in ctx.lex.source_prepositions:
            source = source_of_preposition(cue, ctx)
        else:
            source = subject_of_cue(cue, ctx)
        speaker = speaker_from_token(source, ctx) if source is not None else None
        if speaker is None and (nearby := adjacent_subject(cue, ctx)) is not None:
            speaker = speaker_from_token(nearby, ctx)
        if speaker is not None and speaker.text.casefold() in ctx.lex.weak_speakers and cue.i in governors:
            # "Obama said it would tell ‘...’": a higher cue with a real speaker wins over "it"
            weak = weak or Attribution(speaker, cue_text(cue), cue.idx, addressee_of(cue, ctx))
            continue
        if speaker is not None:
            return Attribution(speaker, cue_text(cue), cue.idx, addressee_of(cue, ctx))
        if fallback is None:
            passive = cue.lower_ not in ctx.lex.source_prepositions and _is_passive(cue) and (
                cue.lemma_.lower() not in ctx.lex.passive_speaker_verbs)
            fallback = Attribution(None, cue_text(cue), cue.idx, unspoken=passive and cue.i in governors)
    return weak or fallback


def _dash_byline(q: Marked, ctx: Context) -> Attribution | None:
    """“...” ― Karen Smith: a name after a dash that follows the closing mark signs the quotation."""
    text = ctx.text
    i = q.outer_end
    while i < len(text) and text[i] in " \u00a0\t":
        i += 1
    if not q.closed or i >= len(text) or text[i] not in ctx.lex.byline_dashes:
        return None
    span = ctx.doc.char_span(i, min(len(text), i + ctx.lex.byline_reach_chars), alignment_mode="expand")
    if span is None:
        return None
    names = [t for t in span[1:] if not t.is_space][:ctx.lex.byline_max_tokens]
    run: list[Token] = []
    for tok in names:
        if tok.is_punct and tok.text not in (".", "-") or ctx.in_quote(tok.idx) or "\n" in tok.text:
            break
        if not (tok.pos_ == "PROPN" or tok.is_title or tok.text == "." or tok.is_upper):
            break
        run.append(tok)
    while run and run[-1].is_punct:
        run.pop()
    if not run:
        return None
    mention = next((ctx.mention_at[t.i] for t in run if t.i in ctx.mention_at), None)
    start, end = run[0].idx, run[-1].idx + len(run[-1])
    entity = mention.entity_id if mention and start <= mention.start_char < end else None
    return Attribution(Speaker(start, end, text[start:end], entity), text[i], i)


def _transcript_label(q: Marked, ctx: Context) -> tuple[int, Attribution] | None:
    """A quoted transcript line "PENCE: Well, ..." names its speaker before the colon; returns the
    content start after the label and the attribution."""
    match = ctx.lex.transcript_label.match(ctx.text, q.start, q.end)
    if match is not None:
        start, end = match.span(1)
        entity = _entity_named(ctx.text[start:end], ctx)
    else:  # "Chris Matthews: Seriously, ..." counts only when the label is a person's name
        match = ctx.lex.paragraph_label.match(ctx.text, q.start, q.end)
        if match is None:
            return None
        start, end = match.span(1)
        entity = _person_mention_in(start, end, ctx)
        if entity is None:
            return None
    return match.end(), Attribution(Speaker(start, end, ctx.text[start:end], entity), ":", end)


def _person_mention_in(start: int, end: int, ctx: Context) -> str | None:
    """The PERSON entity of a name mention inside [start, end), if any."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    for tok in span or ():
        mention = ctx.mention_at.get(tok.i)
        if mention and start <= mention.start_char < end and ctx.entity_type.get(mention.entity_id) == "PERSON":
            return mention.entity_id
    return None


def _paragraph_label(q: Marked, ctx: Context, paragraphs: list[tuple[int, int]]) -> Attribution | None:
    """A headline "Rush Limbaugh: Hillary ... ‘Reeks of Fear’" names the speaker before its colon."""
    p_start = paragraphs[q.paragraph][0]
    match = ctx.lex.paragraph_label.match(ctx.text, p_start, q.outer_start)
    if match is None:
        return None
    start, end = match.span(1)
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    mention = next((ctx.mention_at[t.i] for t in span if t.i in ctx.mention_at), None) if span else None
    entity = mention.entity_id if mention and start <= mention.start_char < end else None
    return Attribution(Speaker(start, end, ctx.text[start:end], entity), ":", end)


def _entity_named(label: str, ctx: Context) -> str | None:
    """The PERSON/ORG entity whose name ends with `label` (case-insensitive), when exactly one does."""
    key = label.casefold()
    hits = {m.entity_id for m in ctx.mention_at.values()
            if m.text.casefold().split()[-1:] == key.split()[-1:]}
    return hits.pop() if len(hits) == 1 else None


def _colon_intro(q: Marked, ctx: Context) -> list[Token]:
    """The sentence just before the quotation when it ends in a colon ("He added:")."""
    i = q.outer_start - 1
    text = ctx.text
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] != ":":
        return []
    span = ctx.doc.char_span(i, i + 1, alignment_mode="expand")
    if span is None:
        return []
    sent = span[0].sent
    return [t for t in sent if t.idx < i and not ctx.in_quote(t.idx)]


def _stands_alone(q: Marked, text: str, paragraphs: list[tuple[int, int]], lex: Lexicon) -> bool:
    """The quotation fills its paragraph (nothing but punctuation outside the marks)."""
    p_start, p_end = paragraphs[q.paragraph]
    outside = text[p_start:q.outer_start] + text[q.outer_end:p_end]
    return all(not ch.isalnum() for ch in outside)


def _sentence_subject(q: Marked, ctx: Context) -> Token | None:
    """The subject of the sentence a partial quote sits in ("X called them “deplorables”")."""
    span = ctx.doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
    if span is None:
        return None
    root = span[0].sent.root
    for child in root.children:
        if child.dep_ in _SUBJECT_DEPS and not ctx.in_quote(child.idx) and ctx.same_paragraph(child, span[0]):
            return child
    return None


def attribute_marked(quotes: list[Marked], ctx: Context, paragraphs: list[tuple[int, int]],
                     reported: list[Reported]) -> list[Attribution]:
    """Speaker and cue of every marked quotation, in text order (later ones may inherit).

    In order: a transcript label or dash byline; a cue in the quotation's sentence; the previous
    quotation's speaker for a paragraph that continues it; a colon introduction; the latest speaker
    (of a quotation or of reported speech) for a quotation that stands alone in its paragraph; a
    headline label; the subject of the sentence a partial quote sits in.
    """
    out: list[Attribution] = []
    earlier = sorted(((r.end, _paragraph_of(r.start, paragraphs), r.attribution)
                      for r in reported if r.attribution.speaker is not None), key=lambda e: e[0])
    for k, q in enumerate(quotes):
        found = _own_attribution(q, ctx, paragraphs)
        if _lacks_speaker(found) and q.continues and out:
            found = replace(out[-1], cue_at=None)
        if _lacks_speaker(found) and (intro := _colon_intro(q, ctx)):
            found = attribute_from_tokens(intro, q, ctx) or _intro_subject(intro, ctx) or found
        if _lacks_speaker(found):
            found = _inherited(q, quotes[:k], out, earlier, ctx, paragraphs) or found
        if _lacks_speaker(found):
            found = _previous_sentence_subject(q, ctx, paragraphs) or found
        if _lacks_speaker(found) and (label := _paragraph_label(q, ctx, paragraphs)):
            found = label
        if _lacks_speaker(found):
            found = _subject_attribution(q, ctx, found)
        found = found or Attribution(None, None)
        if found.speaker is not None:
            ctx.remember_person(found.speaker.start, found.speaker.entity_id)
        out.append(found)
    return out


def _intro_subject(intro: list[Token], ctx: Context) -> Attribution | None:
    """The subject of a sentence that introduces a quotation with a colon but no speech verb
    ("Sanders made the following comment:")."""
    root = intro[0].sent.root if intro else None
    subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS), None) if root is not None else None
    speaker = speaker_from_token(subject, ctx) if subject is not None and subject in intro else None
    return Attribution(speaker, ":") if speaker is not None else None


def _lacks_speaker(att: Attribution | None) -> bool:
    return att is None or (att.speaker is None and not att.unspoken)


def _own_attribution(q: Marked, ctx: Context, paragraphs: list[tuple[int, int]]) -> Attribution | None:
    """What the quotation's own paragraph says: transcript label, dash byline, else a cue nearby."""
    if (label := _transcript_label(q, ctx)) is not None:
        q.start = label[0]
        return label[1]
    if (byline := _dash_byline(q, ctx)) is not None:
        return byline
    return attribute_from_tokens(_frame_tokens(q, ctx, paragraphs), q, ctx)


def _previous_sentence_subject(q: Marked, ctx: Context, paragraphs: list[tuple[int, int]]) -> Attribution | None:
    """A quotation with no cue that opens a sentence right after one of its paragraph whose subject is a
    named person or organisation is that subject's ("Schiff said. “The other factor ...”", "Sanders
    identified ... as one of the reasons. “The younger people are ...”")."""
    p_start = paragraphs[q.paragraph][0]
    before = ctx.text[p_start:q.outer_start].rstrip()
    if not before or before[-1] not in ".!?":
        return None
    span = ctx.doc.char_span(p_start, len(before) + p_start, alignment_mode="expand")
    if span is None or not len(span):
        return None
    sent = span[-1].sent
    subject = next((c for c in sent.root.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None or subject.idx < p_start or ctx.in_quote(subject.idx):
        return None
    entity = _entity_of_head(subject, ctx)
    if ctx.entity_type.get(entity or "") not in ctx.lex.previous_subject_entity_types:
        return None
    speaker = speaker_from_token(subject, ctx)
    return Attribution(speaker, None) if speaker is not None else None


def _inherited(q: Marked, before: list[Marked], atts: list[Attribution],
               earlier: list[tuple[int, int, Attribution]], ctx: Context,
               paragraphs: list[tuple[int, int]]) -> Attribution | None:
    """The latest speaker before a quotation that stands alone in its paragraph (or follows another
    quotation in the same paragraph): that of the previous quotation or of reported speech."""
    prev_q = before[-1] if before else None
    same_paragraph = prev_q is not None and prev_q.paragraph == q.paragraph
    if not (same_paragraph or _stands_alone(q, ctx.text, paragraphs, ctx.lex)):
        return None
    candidates = []
    if prev_q is not None and atts[-1].speaker is not None:
        candidates.append((prev_q.outer_end, prev_q.paragraph, atts[-1]))
    i = bisect.bisect_right(earlier, q.outer_start, key=lambda e: e[0]) - 1
    if i >= 0 and not same_paragraph:
        candidates.append(earlier[i][:3])
    if not candidates:
        return None
    since, paragraph, att = max(candidates, key=lambda c: c[0])
    if q.paragraph - paragraph > ctx.lex.inherit_max_paragraphs:
        return None
    if _someone_else_between(since, q.outer_start, att, ctx):
        return None
    return replace(att, cue_at=None)


def _someone_else_between(start: int, end: int, att: Attribution, ctx: Context) -> bool:
    """A sentence between the last speaker and a bare quotation brings in someone else: its subject,
    outside any quotation, is another person or organisation ("Clinton paused. Sanders looked on."),
    or anyone at all who speaks ("The mayor spoke next."). Pronouns ("He paused."), things ("The
    choice was ...") and the speaker himself leave the speaker as it was."""
    span = ctx.doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return False
    speaker = att.speaker.entity_id if att.speaker is not None else None
    for sent in span.sents:
        subject = next((c for c in sent.root.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None or ctx.in_quote(subject.idx) or not (start <= subject.idx < end):
            continue
        if subject.pos_ not in ("NOUN", "PROPN"):
            continue
        entity = _entity_of_head(subject, ctx)
        if entity is not None and entity == speaker:
            continue
        if entity is not None and ctx.entity_type.get(entity) in ("PERSON", "ORG"):
            return True
        if sent.root.lemma_ in ctx.lex.speech_verbs or sent.root.lemma_ in ctx.lex.turn_verbs:
            return True
    return False


def _paragraph_of(char: int, paragraphs: list[tuple[int, int]]) -> int:
    return max(0, bisect.bisect_right(paragraphs, (char, 10**12)) - 1)


def _subject_attribution(q: Marked, ctx: Context, found: Attribution | None) -> Attribution | None:
    """The subject of the sentence a partial quote sits in, keeping any cue already found."""
    subject = _sentence_subject(q, ctx)
    speaker = speaker_from_token(subject, ctx) if subject is not None else None
    if speaker is None:
        return found
    return Attribution(speaker, found.cue if found else None, found.cue_at if found else None)


def join_split_quotes(marked: list[Marked], attributions: list[Attribution],
                      ctx: Context) -> tuple[list[Marked], list[Attribution]]:
    """One row for a quotation its cue interrupts: “Fine,” he said, “but only if ...” (the content span
    then runs from the first part's start to the last part's end, the cue inside it), and one row of
    kind mixed for the partial quotes of one sentence with no cue between them."""
    text, lex = ctx.text, ctx.lex
    quotes: list[Marked] = []
    atts: list[Attribution] = []
    for q, att in zip(marked, attributions, strict=True):
        partial_run = bool(quotes) and (_joined_partial_quotes(quotes[-1], q, text, lex)
                                        or _partials_of_one_sentence(quotes[-1], q, att, ctx))
        if quotes and (partial_run or _continues_after_cue(quotes[-1], atts[-1], q, att, text, lex)):
            first = quotes[-1]
            kind = "mixed" if partial_run or first.kind == "mixed" else "direct"
            quotes[-1] = Marked(first.start, q.end, first.outer_start, q.outer_end, q.paragraph, q.closed,
                                first.opens_paragraph, first.continues, kind)
            if atts[-1].speaker is None:
                atts[-1] = att
            continue
        quotes.append(q)
        atts.append(att)
    return quotes, atts


def _partials_of_one_sentence(a: Marked, b: Marked, b_att: Attribution, ctx: Context) -> bool:
    """Two partial quotes in one sentence with no cue of the second between them: that Trump is a
    “loser,” a “liar” and a “whiner” (the words between are the writer's)."""
    too_far = b.outer_start - a.outer_end > ctx.lex.split_quote_max_gap
    if a.paragraph != b.paragraph or not a.closed or too_far:
        return False
    if b_att.cue_at is not None and a.outer_end <= b_att.cue_at < b.outer_start:
        return False
    first = ctx.doc.char_span(a.outer_start, a.outer_end, alignment_mode="expand")
    second = ctx.doc.char_span(b.outer_start, b.outer_end, alignment_mode="expand")
    if first is None or second is None or first[-1].sent.start != second[0].sent.start:
        return False
    between = ctx.text[a.outer_end:b.outer_start]
    return not any(mark in between for mark in (". ", "? ", "! ", ": ", "\n"))


def _joined_partial_quotes(a: Marked, b: Marked, text: str, lex: Lexicon) -> bool:
    """Partial quotes joined by a conjunction in one sentence are one quotation: was “disgusting” and
    “a con”."""
    if a.paragraph != b.paragraph or not a.closed:
        return False
    between = text[a.outer_end:b.outer_start].strip(" ,;\u00a0").casefold()
    return between in lex.partial_quote_connectors


def _continues_after_cue(a: Marked, a_att: Attribution, b: Marked, b_att: Attribution, text: str,
                         lex: Lexicon) -> bool:
    if b.continues and not a.closed:  # a quotation running on over paragraphs is one quotation,
        return b_att.cue_at is None  # unless the next paragraph's has a cue of its own
    if a.paragraph != b.paragraph or not a.closed:
        return False
    between = text[a.outer_end:b.outer_start]
    if len(between) > lex.split_quote_max_gap or any(ch in lex_double_marks() for ch in between):
        return False
    if between.rstrip().endswith(":"):  # 'adding: “...”' introduces a new quotation
        return False
    last_word = between.split()[-1].casefold() if between.split() else ""
    if last_word[-1:].isalnum() and last_word not in lex.partial_quote_connectors:
        return False  # 'said she wanted to speak “directly ...”': the second part is the cue's object

    def cue_between(att: Attribution) -> bool:
        """Whether the attribution's cue lies between the two parts."""
        return att.cue_at is not None and a.outer_end <= att.cue_at < b.outer_start

    if not any(ch.isalnum() for ch in between):  # two quotations side by side
        return b_att.cue_at is None or b_att.cue_at == a_att.cue_at
    if not cue_between(a_att):
        return False
    same_speaker = b_att.speaker is None or a_att.speaker is None or (
        (b_att.speaker.start, b_att.speaker.entity_id) == (a_att.speaker.start, a_att.speaker.entity_id))
    return (b_att.cue_at is None or cue_between(b_att)) and same_speaker


# ---------------------------------------------------------------- reported speech


@dataclass
class Reported:
    start: int
    end: int
    attribution: Attribution
    may_mix: bool  # a reported clause may hold partial direct quotes; a stance object may not


def _clause_complement(verb: Token, lex: Lexicon) -> Token | None:
    for child in verb.children:
        if child.dep_ == "ccomp":
            if verb.lemma_.lower() in lex.clause_needs_that:
                has_that = any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
                if not has_that and child.i > verb.i:
                    continue
            return child
    return None


def find_reported(ctx: Context) -> list[Reported]:
    """Reported clauses of reporting verbs, objects of stance verbs and clauses of "according to X"."""
    out: list[Reported] = []
    shared = view(ctx.doc)
    cue_lemmas, prepositions = ctx.lex.cue_lemmas, ctx.lex.source_prepositions
    for i, (lemma, lower) in enumerate(zip(shared.lemmas, shared.lower, strict=True)):
        # the cheapest test first: most tokens are no cue word at all
        if lemma.lower() not in cue_lemmas and lower not in prepositions:
            continue
        if ctx.in_quote(shared.idx[i]):
            continue
        tok = shared.token(i)
        found = _reported_content(tok, ctx)
        if found is None:
            continue
        clause, source = found
        start, end = _trimmed(ctx.text, *clause, marks=ctx.lex.all_marks)
        if len(ctx.text[start:end].split()) < ctx.lex.min_reported_words:
            continue
        if source is not None and source.lower_ in ctx.lex.non_reporters:
            continue
        out.append(_reported_row(tok, source, start, end, ctx))
    return out


def _reported_content(tok: Token, ctx: Context) -> tuple[tuple[int, int], Token | None] | None:
    """(content offsets, source token) when `tok` is a cue with reported content, else None."""
    lemma = tok.lemma_.lower()
    if tok.lower_ in ctx.lex.source_prepositions:
        if _is_speech_verb(tok.head, ctx.lex):  # "According to X, a source said ...": the source speaks
            return None
        clause = _according_clause(tok, ctx)
        return (clause, source_of_preposition(tok, ctx)) if clause else None
    if tok.pos_ == "NOUN" and lemma in ctx.lex.claim_nouns:
        return _claim_content(tok, ctx)
    if tok.pos_ != "VERB":
        return None
    if lemma in ctx.lex.reporting_verbs:
        comp = _clause_complement(tok, ctx.lex)
        if comp is None or _splits_verb(tok, comp):
            return None
        return (comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge)), subject_of_cue(tok, ctx)
    if lemma in ctx.lex.stance_verbs:
        clause = _stance_object(tok, ctx.lex)
        source = subject_of_cue(tok, ctx)
        if clause is None or (source is not None and source.lower_ in ctx.lex.non_speakers):
            return None
        if source is None and not _is_passive(tok):  # "was accused of ...": said, by no one named
            return None
        return clause, source
    return None


def _claim_content(noun: Token, ctx: Context) -> tuple[tuple[int, int], Token] | None:
    """ "Trump's claim that there have been ...": the that-clause of a claim noun, said by its possessor."""
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    clause = next((c for c in noun.rights if c.dep_ in ("acl", "ccomp")
                   and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if holder is None or clause is None:
        return None
    return (clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)), holder


def _reported_row(tok: Token, source: Token | None, start: int, end: int, ctx: Context) -> Reported:
    """The Reported record of a cue: speaker (from the source, else the noun next to the cue), cue text,
    addressee, and whether partial quotes inside may make it a mixed row."""
    speaker = speaker_from_token(source, ctx) if source is not None else None
    if speaker is None and tok.pos_ == "VERB" and (nearby := adjacent_subject(tok, ctx)) is not None:
        speaker = speaker_from_token(nearby, ctx)
    lemma = tok.lemma_.lower()
    may_mix = (lemma in ctx.lex.reporting_verbs and tok.pos_ == "VERB") or (
        lemma in ctx.lex.claim_nouns and tok.pos_ == "NOUN")
    cue = cue_text(tok, frozenset() if may_mix else ctx.lex.stance_prepositions)
    return Reported(start, end, Attribution(speaker, cue, None, addressee_of(tok, ctx)), may_mix)


def label_reports(ctx: Context, paragraphs: list[tuple[int, int]]) -> list[Reported]:
    """A short paragraph "Pat Caddell: Democrat Voters Worried ..." attributes what follows the colon
    to the named speaker (only when the label is a name the entity step found)."""
    out = []
    for p_start, p_end in paragraphs:
        match = ctx.lex.paragraph_label.match(ctx.text, p_start, p_end)
        if match is None or len(ctx.text[p_start:p_end].split()) > ctx.lex.label_paragraph_max_words:
            continue
        start, end = match.span(1)
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        mention = next((ctx.mention_at[t.i] for t in span if t.i in ctx.mention_at), None) if span else None
        if mention is None or not (start <= mention.start_char < end):
            continue
        c_start, c_end = _trimmed(ctx.text, match.end(), p_end, marks=ctx.lex.all_marks)
        if c_end > c_start:
            speaker = Speaker(start, end, ctx.text[start:end], mention.entity_id)
            out.append(Reported(c_start, c_end, Attribution(speaker, ":", end), may_mix=True))
    return out


def _stance_object(verb: Token, lex: Lexicon) -> tuple[int, int] | None:
    """What a stance verb attributes: its clause, object and infinitive together ("urges supporters to
    monitor polling places"), or the object of "called on/for", "insisted on", "warned of" ..."""
    parts = [c for c in verb.rights if c.dep_ in ("ccomp", "xcomp", "dobj")]
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in lex.stance_prepositions:
            parts += [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
    parts += [g for c in verb.rights if c.dep_ == "prt" for g in c.children if g.dep_ == "pobj"]
    if not parts:
        return None
    first = min(parts, key=lambda t: t.left_edge.i).left_edge
    last = max(parts, key=lambda t: t.right_edge.i).right_edge
    if first.i <= verb.i:
        return None
    return first.idx, last.idx + len(last)


def _is_speech_verb(tok: Token, lex: Lexicon) -> bool:
    return tok.pos_ == "VERB" and tok.lemma_.lower() in lex.speech_verbs | lex.reporting_verbs


def _splits_verb(verb: Token, comp: Token) -> bool:
    """A complement whose subtree contains the verb itself is a mis-parse; skip it."""
    return comp.left_edge.i <= verb.i <= comp.right_edge.i


def _according_clause(tok: Token, ctx: Context) -> tuple[int, int] | None:
    """The clause an "according to X" phrase qualifies: its sentence without the phrase."""
    if source_of_preposition(tok, ctx) is None:
        return None
    sent = tok.sent
    phrase_end_tok = max((t for t in tok.subtree), key=lambda t: t.i)
    nxt = tok.doc[tok.i + 1]
    if nxt.lower_ == "to":
        phrase_end_tok = max([phrase_end_tok, *nxt.subtree], key=lambda t: t.i)
    if tok.i == sent.start or all(t.is_punct for t in sent[: tok.i - sent.start]):
        first, last = phrase_end_tok.i + 1, sent.end
    else:
        first, last = sent.start, tok.i
    if first >= last:
        return None
    span = ctx.doc[first:last]
    return span.start_char, span.end_char


# ---------------------------------------------------------------- rows


def _row(doc_id: str, text: str, start: int, end: int, att: Attribution, kind: str) -> dict:
    sp = att.speaker
    row = {
        "quote_id": span_id_for("Q", doc_id, start, end),
        "doc_id": doc_id,
        "start_char": start,
        "end_char": end,
        "text": text[start:end],
        "speaker_entity_id": sp.entity_id if sp else None,
        "speaker_text": sp.text if sp else None,
        "speaker_start_char": sp.start if sp else None,
        "speaker_end_char": sp.end if sp else None,
        "cue": att.cue,
        "kind": kind,
    }
    to = att.addressee
    extra = {
        "speaker_kind": speaker_kind(sp),
        "addressee_text": to.text if to else None,
        "addressee_entity_id": to.entity_id if to else None,
        "addressee_start_char": to.start if to else None,
        "addressee_end_char": to.end if to else None,
    }
    row.update({k: v for k, v in extra.items() if k in declared_quotation_columns()})
    return row


def speaker_kind(speaker: Speaker | None) -> str | None:
    """How the speaker is written: `pronoun` ("he", "they", "who"), `entity` (a name or description
    resolved to an entity), `phrase` (words naming no entity: "a source", "officials"); None without one."""
    if speaker is None:
        return None
    if speaker.text.casefold() in load_lexicon().speaker_pronouns:
        return "pronoun"
    return "entity" if speaker.entity_id else "phrase"


def declared_quotation_columns() -> frozenset[str]:
    """Columns schemas/tables.yaml declares for quotations: the addressee columns are emitted once the
    schema declares them."""
    return declared_columns("quotations")


def merge_rows(doc_id: str, text: str, marked: list[Marked], attributions: list[Attribution],
               reported: list[Reported]) -> list[dict]:
    """Direct, mixed and indirect rows with no two spans overlapping."""
    direct = [(q.start, q.end, att, q.kind) for q, att in zip(marked, attributions, strict=True)]
    taken: set[int] = set()
    rows: list[dict] = []
    for r in sorted(reported, key=lambda r: r.start - r.end):  # longest first
        inside = [k for k, (s, e, _, _) in enumerate(direct) if s < r.end and r.start < e]
        if any(k in taken for k in inside) or any(_overlaps(r.start, r.end, row) for row in rows):
            continue
        if not inside:
            rows.append(_row(doc_id, text, r.start, r.end, r.attribution, "indirect"))
            continue
        within = r.may_mix and all(r.start <= direct[k][0] and direct[k][1] <= r.end for k in inside)
        quoted = sum(direct[k][1] - direct[k][0] for k in inside)
        if within and quoted < load_lexicon().mixed_max_quoted_share * (r.end - r.start):
            att = r.attribution if r.attribution.speaker else direct[inside[0]][2]
            # keep the marks of the partial quotes inside balanced: 'they were “inseparable”'
            start = min([r.start] + [marked[k].outer_start for k in inside if direct[k][0] == r.start])
            closing = [marked[k].outer_end for k in inside if direct[k][1] == r.end and marked[k].closed]
            end = max([r.end, *closing])
            rows.append(_row(doc_id, text, start, end, att, "mixed"))
            taken.update(inside)
    for k, (s, e, att, kind) in enumerate(direct):
        if k in taken or any(_overlaps(s, e, row) for row in rows):
            continue
        rows.append(_row(doc_id, text, s, e, att, kind))
    return sorted(rows, key=lambda row: row["start_char"])


def _is_title(q: Marked, text: str) -> bool:
    """A title in marks, not a quotation: Title-Case words (numbers count) right after a possessive or
    a title word (CNN’s “State of the Union”, on “Fox News Sunday”, the episode of “The Steve Harvey
    Morning Show”, the documentary “13th”), or right before the kind of work it names (his “Keepin’ It
    Real” radio program)."""
    lex = load_lexicon()
    words = _TITLE_WORD.findall(text, q.start, q.end)
    if not words or len(words) > lex.title_max_words or q.kind != "direct":
        return False
    if words[0][0].islower() or not all(
            w[0].isupper() or w[0].isdigit() or w.casefold() in lex.title_small_words for w in words):
        return False
    before = [w.casefold() for w in _WORD.findall(text, max(0, q.outer_start - lex.title_cue_reach_chars),
                                                   q.outer_start)]
    last = before[-1] if before else ""
    if last.endswith(("’s", "'s")) or last in lex.title_cue_words:
        return True
    if last in lex.title_cue_of and len(before) > 1 and before[-2] in lex.title_cue_words:
        return True
    after = _WORD.match(text, q.outer_end + 1) if text[q.outer_end:q.outer_end + 1] == " " else None
    return after is not None and after.group().casefold() in lex.title_nouns_after


def _is_stage_direction(q: Marked, text: str) -> bool:
    """A transcript's stage direction in marks, "(CROSSTALK)", "[APPLAUSE]": the whole content between
    one pair of brackets."""
    brackets = load_lexicon().stage_direction_brackets
    content = text[q.start:q.end].strip(_EDGE_PUNCT)
    if len(content) < 2 or content[0] not in brackets or content[-1] != brackets[content[0]]:
        return False
    return content.count(content[0]) == 1


def _is_nickname(q: Marked, ctx: Context) -> bool:
    """A nickname in marks inside a name: Rep. Robert C. “Bobby” Scott, Marcia “Cia” Price (a short
    capitalised content with a proper name on both sides, only a space between)."""
    text = ctx.text
    words = text[q.start:q.end].split()
    if not words or len(words) > ctx.lex.nickname_max_words or not q.closed or not words[0][:1].isupper():
        return False
    if text[q.outer_start - 1:q.outer_start] != " " or text[q.outer_end:q.outer_end + 1] != " ":
        return False
    left = ctx.doc.char_span(q.outer_start - 2, q.outer_start - 1, alignment_mode="expand")
    right = ctx.doc.char_span(q.outer_end + 1, q.outer_end + 2, alignment_mode="expand")
    return bool(left and right) and left[-1].pos_ == "PROPN" and right[0].pos_ == "PROPN" and (
        right[0].text[:1].isupper())


def _is_label_of_next_noun(q: Marked, att: Attribution, ctx: Context) -> bool:
    """A scare quote with no cue of its own that labels the noun right after it: the “sex tape”
    reference, the “fact-checking” website."""
    if att.cue is not None or q.kind != "direct" or not q.closed:
        return False
    if len(ctx.text[q.start:q.end].split()) > ctx.lex.modifier_quote_max_words:
        return False
    if ctx.text[q.outer_end:q.outer_end + 1] != " ":
        return False
    inside = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    after = ctx.doc.char_span(q.outer_end + 1, q.outer_end + 2, alignment_mode="expand")
    if not inside or not after or after[0].pos_ not in ("NOUN", "PROPN"):
        return False
    noun = after[0]
    while noun.dep_ in ("compound", "amod") and noun.head.i > noun.i:
        noun = noun.head
    return any(t.head.i == noun.i and t.dep_ in ("compound", "amod", "nmod") for t in inside)


def _not_quotations(marked: list[Marked], ctx: Context) -> set[int]:
    """Indexes of the marked stretches that are no quotation: titles, stage directions, nicknames."""
    return {k for k, q in enumerate(marked)
            if _is_title(q, ctx.text) or _is_stage_direction(q, ctx.text) or _is_nickname(q, ctx)}


def _overlaps(start: int, end: int, row: dict) -> bool:
    return start < row["end_char"] and row["start_char"] < end


def extract_quotations(doc: Doc, doc_id: str, entities: list[Entity], mentions: list[Mention]) -> list[Quotation]:
    """The quotations of one article: direct, mixed and reported, each with speaker and cue."""
    lex = load_lexicon()
    text = doc_text(doc)
    paragraphs = paragraph_spans(text)
    marked = find_marked_quotes(text, lex)
    known = {e.entity_id: e.type for e in entities}
    ctx = Context(
        doc=doc,
        text=text,
        lex=lex,
        quoted=sorted((q.outer_start, q.outer_end) for q in marked),
        mention_at=_mention_index(doc, [m for m in mentions if m.entity_id in known]),
        entity_type=known,
    )
    ctx.paragraph_starts = [start for start, _ in paragraphs]
    ctx.subject_people = _person_subjects(doc, ctx)
    ctx.labels = [m.span(1) for p_start, p_end in paragraphs
                  if (m := lex.paragraph_label.match(text, p_start, p_end)) is not None]
    reported = find_reported(ctx) + label_reports(ctx, paragraphs)
    dropped = _not_quotations(marked, ctx)
    marked = [q for k, q in enumerate(marked) if k not in dropped]
    attributions = attribute_marked(marked, ctx, paragraphs, reported)
    kept = [k for k, (q, att) in enumerate(zip(marked, attributions, strict=True))
            if not _is_label_of_next_noun(q, att, ctx)]
    marked, attributions = [marked[k] for k in kept], [attributions[k] for k in kept]
    marked, attributions = join_split_quotes(marked, attributions, ctx)
    return [Quotation(**row) for row in merge_rows(doc_id, text, marked, attributions, reported)]


class QuotesComponent(Extractor):
    """`broadsheet_quotes`: sets `doc._.quotations`, speakers resolved to the mentions of `broadsheet_names`."""

    needs_parse = ("DEP",)
    needs_tables = ("entities", "mentions")
    helpers = ((_PARAGRAPH_SENTENCES, "parser"),)

    def annotate(self, doc: Doc) -> None:
        quotations = extract_quotations(doc, doc_id_of(doc), records_on(doc, "entities"), records_on(doc, "mentions"))
        set_records(doc, "quotations", quotations)


@Language.factory("broadsheet_quotes", assigns=["doc._.quotations"],
                  requires=["doc._.entities", "doc._.mentions", "token.dep"])
def make_quotes(nlp: Language, name: str) -> QuotesComponent:
    """The quotation extractor as a spaCy component."""
    return QuotesComponent(nlp, name)
