"""Entities and mentions of one article: names cleaned, clustered and typed; descriptors and pronouns linked.

What it does, in order:
  1. Name spans from spaCy's NER (plus the entity ruler `broadsheet_name_patterns` before it: outlets,
     courts, parties, ministries, titled works), split where the model ran two names together
     ("Grace Road , Leicestershire", "Somerset 83") and trimmed of titles, possessives, lower-case words,
     a leading "the" and headline words ("Obama Says"); person names cut in two are rejoined, and known
     given names the model left out join the surname ("Billie Jean [King]").
  2. Names typed by the line's layout: newswire datelines ("LONDON 1996-08-30", "TAVILDARA , Tajikistan
     1996-08-30"), sports results and standings ("Falkirk 1 Clydebank 0", "BOSTON 69 65 .515 5"),
     fixtures in capitals; persons in results lines ("1. Tanja Damaske ( Germany ) 66.60", scorecards
     "S. Law c Healy b Fleming 13", bowling figures, scorers, leaderboards) and lists of names most of
     which are persons (squads, line-ups); then country, nationality and county names the model missed.
  3. Strong type evidence: countries, companies with a legal suffix ("Ericsson AB"), clubs in results or
     beating each other or after "club"/"side", one-word subjects of a plural verb ("Rotor are"),
     counties (places, or sides where one of the article's counties plays: "Kent 108-3"), one-word
     names the text puts on a map ("in Longyear", "the town of Tavildara"), one-word "places" that say
     or marry (persons, unless the article puts them after "in"), a known given name before a surname
     ("Guy Forget" is no ORG), a noun for a person before a name ("spokesman Glyn Davies").
  4. Clusters: mentions with the same key; a surname or first name joins the full PERSON name that
     contains it (two bearers: the one mentioned most so far, a subject before an object, then the
     nearest; "Mr."/"Mrs." must agree; Elsina Khayrova and Rinat Khayrov stay apart); an acronym joins
     the one ORG whose initials it spells; a company's first word joins the company. Each cluster gets
     one type, strong evidence first, then the majority of the model's labels.
  5. Further exact-case occurrences of a cluster's names that the model missed become mentions too,
     also in a capitals headline ("SHEARER NAMED AS ENGLAND CAPTAIN") when no neighbouring word belongs
     to a name.
  6. Definite descriptions ("the diamond trader") and he/she pronouns are linked to a PERSON only when
     the text makes it clear (apposition, the last sentences' subject, gender and age agreeing; a role
     noun, "the Vermont senator", to the latest person the article gave that role with a title, "Vermont
     Sen. Bernie Sanders", however far back, its capitalised words agreeing); anything ambiguous stays
     unlinked and gets no row.

What it does not do: read files at extraction time (data/names_*.yaml|tsv are loaded once), link
across articles (`merge_across_documents` does that on the whole corpus, called by the store), or
resolve "they", "it", "I" or anything inside quotation marks (where those are is quotes.quoted_ranges's
one definition; a quotation whose closing mark never comes is left out, as its paragraph may be narration).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from broadsheet.extract.component import Extractor, doc_id_of, set_records
from broadsheet.extract.descriptions import Named, Noun, clause_head, link_descriptions, nouns_from
from broadsheet.extract.docs import TokenView, view
from broadsheet.extract.ids import entity_id_for, name_key
from broadsheet.extract.lexicon import LexiconError, load_tsv, load_yaml, threshold
from broadsheet.extract.org_pronouns import link_organisation_pronouns
from broadsheet.extract.quotes import in_quotation, quoted_ranges
from broadsheet.extract.quotes import load_lexicon as quote_lexicon
from broadsheet.extract.records import Entity, Mention

# name_key normalises Unicode on every call; an article asks for the same few keys many times.
_key = lru_cache(maxsize=1 << 16)(name_key)
_RULER_NAME = "broadsheet_name_patterns"
_PERSON = "PERSON"
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NUMBERISH = re.compile(r"^[+-]?\d[\d.,:/-]*$|^[\d.,/-]*\d[\d.,/-]*$")
_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"[A-Za-z]+")
_SCORE = re.compile(r"^\d{1,3}(-\d{1,3})?$")
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_OBJECT_DEPS = {"dobj", "pobj", "dative", "obj", "iobj"}
_FREE_TEXT_LABELS = {"WORK_OF_ART", "EVENT", "LAW", "PRODUCT"}


# ----------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class _Lexicon:
    """Everything the module knows about English names, loaded once from data/."""

    titles: dict[str, str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    separators: frozenset[str]
    spaced_only: frozenset[str]
    space_after_only: frozenset[str]
    company_heads: frozenset[str]
    person_place_only: frozenset[str]
    number_final_types: frozenset[str]
    keep_labels: frozenset[str]
    label_map: dict[str, str]
    label_priority: tuple[str, ...]
    pronouns: dict[str, str]
    salience_nouns: dict[str, str]
    evidence_nouns: dict[str, str]
    title_roles: dict[str, str]  # abbreviated title -> the role noun it stands for ("sen" -> senator)
    not_referring: frozenset[str]  # modifiers that keep a description from naming anyone ("the next president")
    description_nouns: dict[str, Noun]  # "the company", "the state": what each noun may stand for
    team_verbs: frozenset[str]
    not_names: frozenset[str]
    org_suffixes: frozenset[str]
    industry_words: frozenset[str]  # a company's second word ("Valeant Pharmaceuticals International")
    headline_verbs: frozenset[str]
    non_person_heads: frozenset[str]
    dateline_patterns: tuple[re.Pattern, ...]
    team_line_patterns: tuple[re.Pattern, ...]
    schedule_line_patterns: tuple[re.Pattern, ...]
    person_line_patterns: tuple[re.Pattern, ...]
    list_item: re.Pattern
    list_item_prefix: re.Pattern
    person_verbs: frozenset[str]
    person_object_verbs: frozenset[str]
    role_nouns: frozenset[str]
    team_nouns: frozenset[str]
    place_prepositions: frozenset[str]
    place_cue_prepositions: frozenset[str]
    place_cue_nouns: frozenset[str]
    places: dict[str, tuple[str, str]]  # name_key -> (type, kind)
    given_names: dict[str, str]  # name_key -> gender
    regions: dict[str, str]  # name_key -> kind (county, province, state, region)
    region_suffixes: tuple[str, ...]
    team_prepositions: frozenset[str]
    side_verbs: frozenset[str]
    the_names: frozenset[str]  # ruler phrases that keep a leading "The"
    running_text_ids: frozenset[str]  # ids of ruler patterns trusted only inside running text
    ruler_patterns: tuple[dict, ...]
    organisation_aliases: dict[str, str]  # organisation key of an alias -> that of the name it stands for


def _ruler_patterns(groups: list[dict]) -> tuple[tuple[dict, ...], frozenset[str]]:
    """EntityRuler patterns from data/names_patterns.yaml, and the phrases that keep their 'The'."""
    patterns, the_names = [], set()
    for group in groups:
        if group.get("running_text_only"):
            _check_has_ids(group)
        for phrase in group.get("phrases", []):
            patterns.append({"label": group["label"], "pattern": phrase})
            if phrase.startswith("The "):
                the_names.add(phrase)
        for token_pattern in group.get("patterns", []):
            if isinstance(token_pattern, dict):  # a pattern with an id: {id: ..., pattern: [...]}
                patterns.append({"label": group["label"], **token_pattern})
            else:
                patterns.append({"label": group["label"], "pattern": token_pattern})
    return tuple(patterns), frozenset(the_names)


def _check_has_ids(group: dict) -> None:
    """A running_text_only group is told by its patterns' ids: each entry must be a pattern with one."""
    entries = [*group.get("phrases", []), *group.get("patterns", [])]
    if any(not isinstance(e, dict) or "id" not in e for e in entries):
        raise LexiconError(f"data/names_patterns.yaml: the {group.get('kind')} group is running_text_only, so "
                           "each of its entries must be a token pattern with an id")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    lex = load_yaml("names_lexicon.yaml")
    groups = load_yaml("names_patterns.yaml")
    patterns, the_names = _ruler_patterns(groups)
    running_text_ids = frozenset(p["id"] for g in groups if g.get("running_text_only") for p in g["patterns"])
    places = {_key(row[0]): (row[1], row[2]) for row in load_tsv("names_places.tsv")}
    given = {_key(row[0]): row[1] for row in load_tsv("names_given.tsv")}
    regions = {_key(row[0]): row[1] for row in load_tsv("names_regions.tsv")}
    return _Lexicon(
        titles={k.rstrip("."): v for k, v in lex["titles"].items()},
        particles=frozenset(lex["name_particles"]),
        suffixes=frozenset(s.rstrip(".") for s in lex["name_suffixes"]),
        separators=frozenset(lex["separators"]),
        spaced_only=frozenset(lex["spaced_only"]),
        space_after_only=frozenset(lex["space_after_only"]),
        company_heads=frozenset(lex["company_heads"]),
        person_place_only=frozenset(lex["person_place_only"]),
        number_final_types=frozenset(lex["number_final_types"]),
        keep_labels=frozenset(lex["keep_labels"]),
        label_map=dict(lex["label_map"]),
        label_priority=tuple(lex["label_priority"]),
        pronouns=dict(lex["pronouns"]),
        salience_nouns=dict(lex["descriptors"]["salience"]),
        evidence_nouns=dict(lex["descriptors"]["evidence"]),
        title_roles={k.rstrip("."): v for k, v in lex["descriptors"]["title_roles"].items()},
        not_referring=frozenset(lex["descriptors"]["not_referring"]),
        description_nouns=nouns_from(lex["descriptors"]["organisations"]) | nouns_from(lex["descriptors"]["places"]),
        team_verbs=frozenset(lex["team_verbs"]),
        not_names=frozenset(lex["not_names"]),
        org_suffixes=frozenset(lex["org_suffixes"]),
        industry_words=frozenset(lex["industry_words"]),
        headline_verbs=frozenset(lex["headline_verbs"]),
        non_person_heads=frozenset(lex["non_person_heads"]),
        dateline_patterns=tuple(re.compile(p) for p in lex["dateline_patterns"]),
        team_line_patterns=tuple(re.compile(p) for p in lex["team_line_patterns"]),
        schedule_line_patterns=tuple(re.compile(p) for p in lex["schedule_line_patterns"]),
        person_line_patterns=tuple(re.compile(_fill(p, lex["person_line_parts"]))
                                   for p in lex["person_line_patterns"]),
        list_item=re.compile(_fill(lex["list_item"], lex["person_line_parts"])),
        list_item_prefix=re.compile(lex["list_item_prefix"]),
        person_verbs=frozenset(lex["person_verbs"]),
        person_object_verbs=frozenset(lex["person_object_verbs"]),
        team_nouns=frozenset(lex["team_nouns"]),
        role_nouns=frozenset(lex["role_nouns"]) | frozenset(lex["descriptors"]["salience"])
        | frozenset(lex["descriptors"]["evidence"]),
        place_prepositions=frozenset(lex["place_prepositions"]),
        place_cue_prepositions=frozenset(lex["place_cue_prepositions"]),
        place_cue_nouns=frozenset(lex["place_cue_nouns"]),
        places=places,
        given_names=given,
        regions=regions,
        region_suffixes=tuple(lex["region_suffixes"]),
        team_prepositions=frozenset(lex["team_prepositions"]),
        side_verbs=frozenset(lex["side_verbs"]) | frozenset(lex["team_verbs"]),
        the_names=the_names,
        running_text_ids=running_text_ids,
        ruler_patterns=patterns,
        organisation_aliases={_organisation_key(_key(alias)): _organisation_key(_key(name))
                              for alias, name in lex["organisation_aliases"].items()},
    )


def _threshold(key: str):
    """A number under `thresholds:` in data/names_lexicon.yaml."""
    return threshold("names_lexicon.yaml", key)


def _fill(pattern: str, parts: dict[str, str]) -> str:
    """A line pattern with its {NAME}-style parts written out."""
    for name, part in parts.items():
        pattern = pattern.replace("{" + name + "}", part)
    return pattern


_PLACE_MATCHERS: dict[int, PhraseMatcher] = {}


def _place_matcher(vocab: Vocab) -> PhraseMatcher:
    """One gazetteer matcher per vocabulary (per loaded model), built on first use."""
    if id(vocab) not in _PLACE_MATCHERS:
        matcher = PhraseMatcher(vocab, attr="LOWER")
        names = sorted({row[0] for row in load_tsv("names_places.tsv")})
        matcher.add("PLACE", [Doc(vocab, words=_simple_words(n)) for n in names])
        _PLACE_MATCHERS[id(vocab)] = matcher
    return _PLACE_MATCHERS[id(vocab)]


def _simple_words(text: str) -> list[str]:
    """Words of a gazetteer name as spaCy's tokenizer splits them in running text."""
    return [w for w in re.split(r"(\s+|-)", text) if w.strip()]


# ------------------------------------------------------------------------------------------ component


@Language.factory(_RULER_NAME)
def make_name_patterns(nlp: Language, name: str) -> EntityRuler:
    """An entity ruler with the outlet/court/party/ministry/title patterns, to go before spaCy's NER."""
    ruler = nlp.create_pipe("entity_ruler", name=name, config={"overwrite_ents": False})
    ruler.add_patterns(list(_lexicon().ruler_patterns))
    return ruler


class NamesComponent(Extractor):
    """`broadsheet_names`: sets `doc._.entities` and `doc._.mentions` (see extract_entities)."""

    needs_parse = ("ENT_IOB", "DEP")
    helpers = ((_RULER_NAME, "ner"),)

    def annotate(self, doc: Doc) -> None:
        entities, mentions = extract_entities(doc, doc_id_of(doc))
        set_records(doc, "entities", entities)
        set_records(doc, "mentions", mentions)


@Language.factory("broadsheet_names", assigns=["doc._.entities", "doc._.mentions"],
                  requires=["doc.ents", "token.dep"])
def make_names(nlp: Language, name: str) -> NamesComponent:
    """The names extractor as a spaCy component."""
    return NamesComponent(nlp, name)


# ------------------------------------------------------------------------------------------- records


@dataclass
class _Mention:
    start: int  # token index
    end: int  # token index, exclusive
    label: str | None  # the label that votes for the cluster's type
    kind: str = "name"
    ner_label: str | None = None  # what the NER model (or ruler) called the span, before any repair
    evidence: str | None = None  # "country", "team", "person": strong type evidence
    evidence_type: str | None = None  # the type the evidence implies (a country is GPE or LOC)
    cluster: int = -1


@dataclass
class _Cluster:
    mentions: list[_Mention] = field(default_factory=list)
    type: str = "OTHER"
    gender: str | None = None
    age: str | None = None
    roles: set[str] = field(default_factory=set)
    # capitalised words written with a role ("Vermont" of "Vermont Sen. Bernie Sanders", "Republican")
    qualifiers: set[str] = field(default_factory=set)


def extract_entities(doc: Doc, doc_id: str) -> tuple[list[Entity], list[Mention]]:
    """(entities, mentions) of one article; entities are unique by entity_id.

    Entity rows carry n_mentions / n_documents counted within this article (the store recounts them
    over the corpus). Mention rows are names (mention_kind "name") and, where the link is clear,
    descriptors ("the actor") and pronouns ("he").
    """
    lex = _lexicon()
    names = _with_person_lines(doc, _with_layout_mentions(doc, _name_mentions(doc, lex), lex), lex)
    names = _with_person_lists(doc, names, lex)
    names += _gazetteer_mentions(doc, names, lex)
    _mark_evidence(doc, names, lex)
    clusters = _cluster(doc, names, lex)
    _bracketed_acronyms(doc, clusters, lex)
    _propagate(doc, clusters, lex)
    for cluster in clusters:
        cluster.type = _cluster_type(cluster, lex)
    _learn_person_facts(doc, clusters, lex)
    _link_descriptors_and_pronouns(doc, clusters, lex)
    _link_organisation_and_place_descriptions(doc, clusters, lex)
    _link_organisation_pronouns(doc, clusters)
    return _records(doc, doc_id, clusters)


# ----------------------------------------------------------------------------------- 1. name spans


def _name_mentions(doc: Doc, lex: _Lexicon) -> list[_Mention]:
    f = view(doc)
    out: list[_Mention] = []
    for ent in f.ents:
        ner_label = ent.label_
        if ner_label not in lex.keep_labels or ner_label == "WORK_OF_ART" and _is_heading_title(doc, ent):
            continue
        if ent.ent_id_ in lex.running_text_ids and (pieces := _names_around_colon(f, ent.start, ent.end, lex)):
            out += [_Mention(start, end, label, ner_label=label) for start, end, label in pieces]
            continue
        for start, end, label in _split_span(f, ent.start, ent.end, ner_label, lex):
            out.append(_Mention(start, end, label, ner_label=ner_label))
    joined = _with_given_names_before(f, _join_person_parts(f, _dedupe(out)), lex)
    return _cut_to_names_the_article_gives(f, joined, lex)


def _cut_to_names_the_article_gives(f: TokenView, mentions: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """A person's name with words the model swept in that the article never writes with it elsewhere
    ('Sheldon Adelson Commits', 'Derelict Obama', 'Clinton Hid', 'Crooked Hillary'): cut to the longest
    part that the article gives as a full name in running text elsewhere, or as the surname or known first
    name of one, when every word cut off is not a known given name (so 'Debbie Wasserman Schultz' stays
    whole). Words after the part go only in a headline and never after a first name ('Clinton Hid', but
    'John Kerry' beside 'John Kasich' stays whole)."""
    persons = [m for m in mentions if m.label == _PERSON
               and f.lower[m.end - 1].rstrip(".") not in lex.company_heads | lex.org_suffixes]
    keys = Counter(_key(f.span_text(m.start, m.end)) for m in persons)
    names: dict[str, set[int]] = defaultdict(set)  # full name or surname -> the mentions (by id) giving it
    first_names: dict[str, set[int]] = defaultdict(set)
    for m in persons:
        key = _key(f.span_text(m.start, m.end))
        words = key.split()
        # full names in running text only: a headline's last word may be a verb, and a lone surname
        # says nothing of the words before it ('Hogan Gidley' ... 'Gidley')
        if len(words) > 1 and not _title_case_line(f, m.start):
            names[key].add(id(m))
            names[words[-1]].add(id(m))
            if words[0] in lex.given_names:
                first_names[words[0]].add(id(m))
    for m in persons:
        n = m.end - m.start
        key = _key(f.span_text(m.start, m.end))
        if n < 2 or keys[key] > 1 or _is_tail_of_longer(key, keys):  # 'Wasserman Schultz' is a short form
            continue
        for size in range(n - 1, 0, -1):
            cut = next((i for i in range(m.start, m.end - size + 1) if _is_known_part(f, m, i, i + size, lex)
                        and (names.get(part := _key(f.span_text(i, i + size)), set()) - {id(m)}
                             or i + size == m.end and first_names.get(part, set()) - {id(m)})), None)
            if cut is not None:
                m.start, m.end = cut, cut + size
                break
    return mentions


def _is_known_part(f: TokenView, m: _Mention, start: int, end: int, lex: _Lexicon) -> bool:
    """The words of m outside start..end are capitalised words that are not given names or particles, and
    words after the part are cut only in a headline."""
    if end < m.end and not _title_case_line(f, m.start):
        return False
    outside = [*range(m.start, start), *range(end, m.end)]
    return all(f.is_alpha[i] and _key(f.words[i]) not in lex.given_names and f.lower[i] not in lex.particles
               for i in outside)


_INITIAL = re.compile(r"^(?:[A-Z]\.){1,2}$")


def _join_person_parts(f: TokenView, mentions: list[_Mention]) -> list[_Mention]:
    """Person names the model cut in two ('Natalia' 'Karimova', 'R.' + 'Ponting'), on one line."""
    words = f.words
    out: list[_Mention] = []
    for m in mentions:
        if m.label == _PERSON and m.start > 0 and _INITIAL.match(words[m.start - 1]) \
                and not (out and out[-1].end == m.start):
            m.start -= 1  # "R. Ponting": the initial the model left out
        if m.label == _PERSON and m.end < f.n and _INITIAL.match(words[m.end - 1]) \
                and f.is_title[m.end] and f.is_alpha[m.end]:
            m.end += 1  # "R." then "Ponting"
        prev = out[-1] if out else None
        if prev and prev.label == m.label == _PERSON and (
                prev.end == m.start and f.ws[prev.end - 1] == " "
                or prev.end + 1 == m.start and f.is_space[prev.end] and _is_no_break_space(f.words[prev.end])):
            prev.end = m.end  # "Natalia" "Karimova", or "Donald" NBSP "Trump"
            continue
        out.append(m)
    return out


def _with_given_names_before(f: TokenView, mentions: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """A person's name the model took without its first names ('Billie Jean [King]', 'Danie van
    [Schalkwyk]'): up to two known given names (and a particle) right before it."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for m in mentions:
        if m.label != _PERSON or _title_case_line(f, m.start):  # "Announces Bill Revoking Hillary's"
            continue
        added = 0
        while added < _threshold("given_names_before_max") and m.start > 0:
            j = m.start - 1
            if f.lower[j] in _GLUED_PARTICLES and j > 0 and _may_be_given_name(f, j - 1, taken, lex):
                m.start -= 2
            elif _may_be_given_name(f, j, taken, lex):
                m.start -= 1
            else:
                break
            added += 1
    return mentions


_GLUED_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "le", "la", "bin", "ibn"}


def _may_be_given_name(f: TokenView, i: int, taken: set[int], lex: _Lexicon) -> bool:
    """A known given name standing alone before a surname ('Hen', 'Muthiah' are not known; 'Billie' is).

    Only known given names: in ordinary news the capitalised word before a name is far more often a
    title or a headline word ('Speaker Paul Ryan', 'Endorses Ted Cruz', 'Hall of Famer Dick Butkus').
    """
    if i in taken or not (f.is_title[i] and f.is_alpha[i]) or "\n" in f.ws[i]:
        return False
    return _key(f.words[i]) in lex.given_names and f.token(i).ent_type_ in ("", _PERSON)


def _names_around_colon(f: TokenView, start: int, end: int, lex: _Lexicon) -> list[tuple[int, int, str]]:
    """A 'titled work' that is a place, a colon and a person ('in Milwaukee: Carly Fiorina was'): the two
    names, when the words before the colon are a known place or those after it begin with a known given
    name (the words before are a place when known or after 'in', 'at', ...); else nothing (a title:
    'Mission: Impossible')."""
    colon = next((i for i in range(start, end) if f.words[i] == ":"), None)
    if colon is None or colon + 1 >= end:
        return []
    place = lex.places.get(_key(f.span_text(start, colon)))
    given = _key(f.words[colon + 1]) in lex.given_names
    if place is None and not given:
        return []
    placed = place is not None or start > 0 and f.lower[start - 1] in lex.place_prepositions  # "in Milwaukee:"
    pieces = [(start, colon, place[0] if place else "GPE")] if placed else []
    if given:
        pieces.append((colon + 1, end, _PERSON))
    return pieces


def _is_heading_title(doc: Doc, ent: Span) -> bool:
    """A 'title' with a colon that is really a headline or a transcript label ("WALLACE: Let's").

    A titled work with a colon is trusted inside running text only: after a lower-case word on the
    same line ("like Mission: Impossible"), not in a title-case heading ("Little Relief for Refugees: The").
    """
    if ent.label_ != "WORK_OF_ART":
        return False
    before = _line_before(doc, ent.start)
    if ent.ent_id_ in _lexicon().running_text_ids:
        particles = _lexicon().particles
        f = view(doc)
        return not any(_is_lower_word(f, t.i) and not t.is_stop and t.text not in particles for t in before)
    return any(t.text == ":" for t in ent) and all(t.is_punct for t in before)


def _line_before(doc: Doc, i: int) -> list[Token]:
    """The tokens of the same line before token i."""
    out: list[Token] = []
    j = i - 1
    while j >= 0 and "\n" not in doc[j].text:
        out.append(doc[j])
        j -= 1
    return out[::-1]


def _split_span(f: TokenView, start: int, end: int, label: str, lex: _Lexicon) -> list[tuple[int, int, str]]:
    """Pieces of one entity span: split at separators, numbers and line breaks, then trimmed."""
    pieces, current = [], []
    for i in range(start, end):
        if _is_separator(f, i, start, end, label, lex):
            pieces.append(current)
            current = []
        else:
            current.append(i)
    pieces.append(current)
    out = []
    for piece in pieces:
        if not piece:
            continue
        out.extend(_trim_piece(f, piece[0], piece[-1] + 1, label, lex))
    return out


_SPLIT_PERSON_PLACE_LABELS = _PLACE_LABELS | {_PERSON, "NORP"}
_POSSESSIVES = {"'s", "’s", "'", "’"}


def _is_separator(f: TokenView, i: int, start: int, end: int, label: str, lex: _Lexicon) -> bool:
    """Token i of the entity doc[start:end] separates two names."""
    text = f.words[i]
    if f.is_space[i] and _is_no_break_space(text) and start < i < end - 1:
        return False  # "Donald\u00a0Trump": a no-break space holds a name together
    if f.is_space[i] or "\n" in text:
        return True
    if label in _FREE_TEXT_LABELS:  # titles keep their colons, dashes and numbers
        return False
    if text in lex.space_after_only:
        return bool(f.ws[i]) or i + 1 < end and f.is_space[i + 1]
    if _NUMBERISH.match(text):
        final = i == end - 1 and i > start
        return not (final and label in lex.number_final_types and text.isdigit())
    if text in lex.separators:
        if text in lex.person_place_only and label not in _SPLIT_PERSON_PLACE_LABELS:
            return False
        if text in lex.spaced_only:
            return bool(f.ws[i]) and i > 0 and bool(f.ws[i - 1])
        return i not in (start, end - 1) or text not in _POSSESSIVES
    # A lower-case word inside a person or place name means two names were run together
    # ("J. Gillespie st Kaluwitharana"); titles of works keep theirs ("Gone with the Wind").
    return _is_lower_word(f, i) and text not in lex.particles


def _is_no_break_space(text: str) -> bool:
    return bool(text) and all(ch in "\u00a0\u202f\u2007" for ch in text)


def _is_lower_word(f: TokenView, i: int) -> bool:
    """Token i is an all-lower-case word that stands alone (not the '-moon' of 'Ki-moon')."""
    text = f.words[i]
    if not (f.is_alpha[i] and text == text.lower()):
        return False
    glued = i >= 2 and f.words[i - 1] == "-" and not f.ws[i - 1] and not f.ws[i - 2]
    return not glued


def _trim_piece(f: TokenView, start: int, end: int, label: str, lex: _Lexicon) -> list[tuple[int, int, str]]:
    """Trim a piece's edges; a nationality word before a person's name becomes its own NORP piece."""
    out = []
    while start < end and _trim_left(f, start, end, label, lex):
        start += 1
    while end > start and _trim_right(f, end - 1, lex):
        end -= 1
    if label == _PERSON:
        start, end = _trim_person_edges(f, start, end, lex)
    if start >= end:
        return out
    first = _key(f.words[start])
    demonym = lex.places.get(first, ("", ""))[1] == "demonym" and first not in lex.given_names
    if label == _PERSON and end - start > 1 and demonym:
        out.append((start, start + 1, "NORP"))
        start += 1
    elif label != _PERSON and _given_name_after_word(f, start, end, lex):
        # "American Dennis Mitchell", "Coach Fabio Capello", "Centre Walter Little" called an ORG
        if demonym:
            out.append((start, start + 1, "NORP"))
        return [*out, (start + 1, end, _PERSON)]
    if _has_upper(f.span_text(start, end)) and not _only_common_words(f, start, end, lex):
        out.append((start, end, _person_by_given_name(f, start, end, label, lex)))
    return out


def _has_upper(text: str) -> bool:
    """Some character is upper case (a name's usually the first)."""
    return bool(text) and text[0].isupper() or any(ch.isupper() for ch in text)


def _given_name_after_word(f: TokenView, start: int, end: int, lex: _Lexicon) -> bool:
    """A nationality, title or noun for a person, then a known given name and a surname, all capitalised."""
    if not 3 <= end - start <= 4 or not all(f.is_title[i] and f.is_alpha[i] for i in range(start, end)):
        return False
    word = f.lower[start]
    known = word in lex.titles or word in lex.role_nouns or lex.places.get(word, ("", ""))[1] == "demonym"
    rest_last = f.lower[end - 1]
    return known and _key(f.words[start + 1]) in lex.given_names and rest_last not in lex.non_person_heads


def _trim_person_edges(f: TokenView, start: int, end: int, lex: _Lexicon) -> tuple[int, int]:
    """Words the model swept into a person's name: 'Crooked Hillary Clinton', 'Obama Says' (headline)."""
    if start >= end:  # nothing left of the span after earlier trimming ("Mr. [-")
        return start, end
    if end - start >= 3 and _key(f.words[start]) not in lex.given_names \
            and _key(f.words[start + 1]) in lex.given_names:
        start += 1
    if _title_case_line(f, start):
        # a headline's adverb ends the name ("Trump Creepily Singles Out"); no given name ends so but Emily
        adverb = next((i for i in range(start + 1, end) if f.lower[i].endswith("ily") and len(f.lower[i]) > 5
                       and _key(f.words[i]) not in lex.given_names), None)
        end = end if adverb is None else adverb
        common = _common_words(f, lex)
        while end - start > 1 and f.lower[end - 1] in common:
            end -= 1
        while end - start > 1 and f.lower[start] in common:
            start += 1
    return start, end


def _line_of(f: TokenView, i: int) -> str:
    """The line of text holding token i."""
    text, at = f.text, f.idx[i]
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)]


def _title_case_line(f: TokenView, i: int) -> bool:
    """A headline: most words of the line are capitalised (worked out once per line)."""
    line_start = f.text.rfind("\n", 0, f.idx[i]) + 1
    judged = f.memo("names_title_case_lines")
    known = judged.get(line_start)
    if known is None:
        words = _WORDS.findall(_line_of(f, i))
        known = judged[line_start] = len(words) >= _threshold("headline_min_words") and (
            sum(w[0].isupper() for w in words) >= _threshold("headline_min_capitalised_share") * len(words))
    return known


def _lower_case_words(f: TokenView) -> set[str]:
    """Words the article writes in lower case somewhere (so they are common words, not names)."""
    return {w for w, alpha, lower in zip(f.words, f.is_alpha, f.is_lower, strict=True)
            if alpha and lower and len(w) > 2}


def _common_words(f: TokenView, lex: _Lexicon) -> set[str]:
    """The article's lower-case words and the headline verbs: not part of a name in a headline."""
    memo = f.memo("names_common_words")
    if "words" not in memo:
        memo["words"] = _lower_case_words(f) | lex.headline_verbs
    return memo["words"]


def _only_common_words(f: TokenView, start: int, end: int, lex: _Lexicon) -> bool:
    """'Men', 'SOCCER', 'LEADING SCORES': words that never name anything on their own."""
    return all(f.lower[i] in lex.not_names or f.is_punct[i] for i in range(start, end))


_PLACE_OR_ORG_LABELS = _PLACE_LABELS | {"ORG"}


def _person_by_given_name(f: TokenView, start: int, end: int, label: str, lex: _Lexicon) -> str:
    """'Scott Draper' labelled ORG is a person: a known given name then title-case surname(s)."""
    if label not in _PLACE_OR_ORG_LABELS or not 2 <= end - start <= 3:
        return label
    if not all(f.is_alpha[i] and f.is_title[i] for i in range(start, end)) \
            or f.lower[end - 1] in lex.non_person_heads:
        return label
    return _PERSON if _key(f.words[start]) in lex.given_names else label


_TRIMMED_LOWER_WORDS = {"of", "and", "for", "on", "&"}


def _trim_left(f: TokenView, i: int, end: int, label: str, lex: _Lexicon) -> bool:
    if f.is_punct[i] or f.is_space[i] or _is_markup(f.words[i]):
        return True
    lower = f.lower[i]
    if lower == "the":
        return f.span_text(i, end) not in lex.the_names
    if _is_lower_word(f, i):
        return f.words[i] not in lex.particles or f.words[i] in _TRIMMED_LOWER_WORDS
    is_title = lower.rstrip(".") in lex.titles
    return label == _PERSON and is_title and i + 1 < end


_HTML_TAG = re.compile(r"^</?[A-Za-z][A-Za-z0-9]*$")  # "</b", "<p": an HTML remnant the tokenizer split off


def _is_markup(word: str) -> bool:
    """An HTML tag or entity, or a sign with no letter or digit ('>', '&nbsp;'): never part of a name's edge."""
    return bool(_HTML_TAG.match(word)) or word.startswith("&") and word.endswith(";") \
        or not any(c.isalnum() for c in word)


def _trim_right(f: TokenView, i: int, lex: _Lexicon) -> bool:
    if f.is_space[i] or f.words[i] in _POSSESSIVES or _is_markup(f.words[i]):
        return True
    if f.is_punct[i]:
        return True
    return _is_lower_word(f, i) and f.words[i] != "&"


def _dedupe(mentions: list[_Mention]) -> list[_Mention]:
    """Drop mentions that overlap an earlier, longer one."""
    out: list[_Mention] = []
    taken: set[int] = set()
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not taken.intersection(range(m.start, m.end)):
            out.append(m)
            taken.update(range(m.start, m.end))
    return sorted(out, key=lambda m: m.start)


def _replacing_overlaps(names: list[_Mention], found: list[_Mention]) -> list[_Mention]:
    """The names, those overlapping one of `found` replaced by it, in text order."""
    taken = {i for m in found for i in range(m.start, m.end)}
    kept = [m for m in names if not taken.intersection(range(m.start, m.end))]
    return sorted(kept + found, key=lambda m: m.start)


# ------------------------------------------------------------------------------------ 2. layout


def _with_layout_mentions(doc: Doc, names: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """Datelines and results lines: names that the line's layout types; they replace overlapping spans."""
    found: list[_Mention] = []
    schedule: list[_Mention] = []
    for line_start, line in view(doc).lines:
        line = line.rstrip()  # the patterns read the line without its trailing spaces
        for pattern in lex.dateline_patterns:
            if match := pattern.search(line):
                found += _line_matches(doc, match, line_start, "GPE", "place")
        for pattern in lex.team_line_patterns:
            if match := pattern.search(line):
                found += _line_matches(doc, match, line_start, "ORG", "team")
        for pattern in lex.schedule_line_patterns:
            if match := pattern.search(line):
                schedule += _line_matches(doc, match, line_start, "ORG", "team")
    if len(schedule) >= _threshold("schedule_min_names"):
        found += schedule
    if not found:
        return names
    return _replacing_overlaps(names, found)


def _with_person_lines(doc: Doc, names: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """Results lines that name persons ('1. Alex Zanardi ( Italy ) 53.98', 'S. Law c Healy b Fleming 13');
    they replace overlapping spans."""
    found: list[_Mention] = []
    for line_start, line in view(doc).lines:
        if not _DIGIT.search(line):  # every such line has a rank, score, minute or figure
            continue
        stripped = line.rstrip()
        for pattern in lex.person_line_patterns:
            for match in pattern.finditer(stripped):
                found += _persons_of_match(doc, match, line_start, lex)
    if not found:
        return names
    found = _dedupe(found)
    return _replacing_overlaps(names, found)


def _with_person_lists(doc: Doc, names: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """Lists of names most of which are persons ('Chaminda Vaas , Muthiah Muralitharan , Upul Chandana',
    '14 - Jeff Wilson , 13 - Walter Little'): every name of the list is a person's."""
    person_tokens = {i for m in names if m.label == _PERSON or m.evidence == "person" for i in range(m.start, m.end)}
    typed = {i for m in names if m.evidence not in (None, "person") for i in range(m.start, m.end)}
    found: list[_Mention] = []
    min_separators = _threshold("person_list_min_separators")
    for line_start, line in view(doc).lines:
        if line.count(",") + line.count(";") < min_separators:
            continue
        items = _list_items(doc, line, line_start, lex)
        named = [span for span in items if span is not None]
        if len(named) < _threshold("person_list_min_names") or (
                len(named) < _threshold("person_list_min_named_share") * len(items)):
            continue
        persons = [span for span in named if person_tokens.intersection(range(span.start, span.end))
                   or len(span) > 1 and _key(span[0].text) in lex.given_names]
        if len(persons) * 2 < len(named):
            continue
        found += [_Mention(span.start, span.end, _PERSON, evidence="person") for span in named
                  if _may_be_person(span, lex) and not typed.intersection(range(span.start, span.end))
                  and not _widens_at_sentence_start(span, person_tokens, lex)]
    if not found:
        return names
    return _replacing_overlaps(names, found)


def _widens_at_sentence_start(span: Span, person_tokens: set[int], lex: _Lexicon) -> bool:
    """An item that would widen the model's person span by a sentence's first word, which may be any
    capitalised word ('Celebrities Julianne Moore , Kerry Washington'): the model's span stays."""
    first = span[0]
    widens = first.i not in person_tokens and person_tokens.intersection(range(span.start, span.end))
    return bool(widens) and first.is_sent_start and _key(first.text) not in lex.given_names


def _list_items(doc: Doc, line: str, line_start: int, lex: _Lexicon) -> list[Span | None]:
    """The items of a line split at commas, semicolons and brackets: a name's span, or None."""
    out: list[Span | None] = []
    for chunk in re.finditer(r"[^,;()]+", line):
        text = chunk.group()
        if not text.strip():
            continue
        prefix = lex.list_item_prefix.match(text)
        start = chunk.start() + (prefix.end() if prefix else 0)
        item = line[start:chunk.end()].rstrip(" .")
        span = doc.char_span(line_start + start, line_start + start + len(item)) \
            if lex.list_item.fullmatch(item) else None
        out.append(span)
    return out


def _persons_of_match(doc: Doc, match: re.Match, line_start: int, lex: _Lexicon) -> list[_Mention]:
    groups = match.groupdict()
    country = groups.get("country")
    if country is not None and lex.places.get(_key(country), ("", ""))[1] != "country":
        return []
    out = []
    for group, value in groups.items():
        if not group.startswith("p") or value is None:
            continue
        span = doc.char_span(line_start + match.start(group), line_start + match.end(group))
        if span is not None and _may_be_person(span, lex):
            out.append(_Mention(span.start, span.end, _PERSON, ner_label=None, evidence="person"))
    return out


def _may_be_person(span: Span, lex: _Lexicon) -> bool:
    """Not a country, county, club ('Norwich City') or heading word the layout happens to frame."""
    key = _key(span.text)
    if key in lex.places or _region_kind(key, lex) or _only_common_words(view(span.doc), span.start, span.end, lex):
        return False
    last = span[-1].lower_.rstrip(".")
    return last not in lex.non_person_heads and last not in lex.org_suffixes


def _line_matches(doc: Doc, match: re.Match, line_start: int, label: str, evidence: str) -> list[_Mention]:
    """The named groups of a layout pattern's match on the line at line_start, as mentions."""
    out = []
    for group in match.groupdict():
        span = doc.char_span(line_start + match.start(group), line_start + match.end(group))
        if span is not None and any(c.isalpha() for c in span.text):
            out.append(_Mention(span.start, span.end, label, evidence=evidence))
    return out


# ------------------------------------------------------------------------------------ 3. gazetteer


def _gazetteer_mentions(doc: Doc, names: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """Country and nationality names the model missed, when they stand alone (not 'Chad Smith')."""
    f = view(doc)
    taken = {i for m in names for i in range(m.start, m.end)}
    out = []
    for _, start, end in _place_matcher(doc.vocab)(doc):
        if taken.intersection(range(start, end)) or not _looks_like_name(f, start, end):
            continue
        # a neighbour that is a name of its own or a title is no part of this one ("over Republican Trump",
        # "Senator Cruz")
        beside = any(_capitalised_neighbour(f, i, start, end) and i not in taken
                     and f.lower[i].rstrip(".") not in lex.titles for i in (start - 1, end))
        if beside and not _upper_case_line(f, start):  # in a capitals headline every word is upper
            continue
        place_type, kind = lex.places[_key(f.span_text(start, end))]
        out.append(_Mention(start, end, place_type))
        taken.update(range(start, end))
    for i in _region_tokens(f, lex):  # counties: "Essex" the model missed
        if i not in taken \
                and not _capitalised_neighbour(f, i - 1, i, i + 1) \
                and not _capitalised_neighbour(f, i + 1, i, i + 1):
            out.append(_Mention(i, i + 1, "GPE"))
    return sorted(out, key=lambda m: m.start)


def _region_tokens(f: TokenView, lex: _Lexicon) -> list[int]:
    """Indices of capitalised one-word regions ('Kent', any '...shire'); the article's distinct
    capitalised words are checked first, so most articles are not walked twice."""
    wanted = {w for w, title in zip(f.lower, f.is_title, strict=True) if title}
    wanted = {w for w in wanted if _region_kind(w, lex)}
    if not wanted:
        return []
    return [i for i, (w, title) in enumerate(zip(f.lower, f.is_title, strict=True)) if title and w in wanted]


def _upper_case_line(f: TokenView, i: int) -> bool:
    line = _line_of(f, i)
    return sum(c.isalpha() for c in line) > _threshold("upper_case_line_min_letters") and line.upper() == line


def _looks_like_name(f: TokenView, start: int, end: int) -> bool:
    capitalised = all(f.is_title[i] or f.is_upper[i] or not f.is_alpha[i] for i in range(start, end))
    return capitalised and _has_upper(f.span_text(start, end))


def _capitalised_neighbour(f: TokenView, i: int, start: int, end: int) -> bool:
    """A capitalised word (token i) right next to the span doc[start:end] on the same line (part of a
    longer name)."""
    if i < 0 or i >= f.n:
        return False
    if not f.is_alpha[i] or f.sent_start[i] and i < start:
        return False
    if f.is_upper[i] and f.span_text(start, end).isupper():
        return True
    return f.is_title[i] and not (i < start and f.sent_start[i])


# ------------------------------------------------------------------------------------- evidence


_PLACE_OR_PERSON_LABELS = _PLACE_LABELS | {_PERSON}
_NAME_LABELS = _PLACE_LABELS | {_PERSON, "ORG"}
_SUBJECT_OR_OBJECT_DEPS = _SUBJECT_DEPS | {"dobj"}


def _mark_evidence(doc: Doc, names: list[_Mention], lex: _Lexicon) -> None:
    """Strong type evidence: countries, clubs in sports results, one-word names acting as persons."""
    f = view(doc)
    located = _located_names(f, names, lex)
    surnames = {_key(f.words[_surname_at(f, m, lex)]) for m in names if m.label == _PERSON and m.end - m.start > 1}
    for m in names:
        key = _key(f.span_text(m.start, m.end))
        place = lex.places.get(key)
        if place and place[1] == "country":
            m.evidence, m.evidence_type = "country", place[0]  # whatever the model said ("Moldova" ORG)
            continue
        if place and m.end - m.start == 1 and m.label in {_PERSON, "NORP", None}:
            m.evidence, m.evidence_type = "country", place[0]  # "Briton", "Tajik" called a person
            continue
        if m.evidence:
            continue
        region = _region_kind(key, lex) if m.end - m.start == 1 and key not in surnames else None
        if region:  # "Kent", "Derbyshire": a county the model took for a surname
            m.evidence, m.evidence_type = ("region", "GPE") if region == "region" else ("side", "GPE")
            continue
        if m.end - m.start > 1 and (f.lower[m.end - 1].rstrip(".") in lex.org_suffixes | lex.company_heads
                                    or f.lower[m.start + 1] in lex.industry_words):
            # "Ericsson AB", "Patriot Coal" even when called a person; "Valeant Pharmaceuticals International"
            m.evidence, m.evidence_type = "org", "ORG"
            continue
        if m.end - m.start == 1 and m.label in _PLACE_OR_PERSON_LABELS and key not in surnames \
                and key not in lex.given_names and _placed(f, m.start, lex):
            # "in Longyear", "the town of Tavildara"; "in the Midwest" stays the LOC the model said
            m.evidence, m.evidence_type = "place", m.label if m.label in _PLACE_LABELS else "GPE"
            continue
        if m.start > 0 and f.lower[m.start - 1] in lex.team_nouns and f.pos(m.start - 1) == "NOUN" \
                and not place and key not in surnames:  # "on the Democratic side Pate backed": the person
            m.evidence, m.evidence_type = "team", "ORG"  # "Belgian club Standard Liege", "side Nice"
            continue
        if m.label in _PLACE_OR_ORG_LABELS and _after_role_noun(f, m, lex):
            m.evidence, m.evidence_type = "person", _PERSON  # "spokesman Glyn Davies", "champion Bailey"
            continue
        if m.end - m.start == 1 and m.label in _NAME_LABELS and not place \
                and key not in surnames and _plural_subject(f.token(m.start)):
            m.evidence, m.evidence_type = "team", "ORG"  # "Nice have been unable to win": a side
            continue
        if m.label in _PLACE_LABELS and (_team_by_verb(f, m, lex) or _team_by_score(f, m)):
            m.evidence = "team"  # a club, not the place
        elif m.label in _PLACE_LABELS and m.end - m.start == 1 and key not in located \
                and _acts_as_person(f, m.start, lex):
            m.evidence = "person"  # not for ORG ("Interfax said"), nor a place ("in Moscow ... Moscow said")
    _counties_are_sides(f, names, lex, surnames)


def _counties_are_sides(f: TokenView, names: list[_Mention], lex: _Lexicon, surnames: set[str]) -> None:
    """Where one county of the article plays ('Leicestershire beat Somerset', 'Kent 108-3', 'against
    Essex'), or a results line names clubs, every county of the article is a side (ORG)."""
    sides = [m for m in names if m.evidence == "side"]
    if not sides:
        return
    plays = any(m.evidence == "team" for m in names) or any(
        f.is_title[i] and _region_kind(f.lower[i], lex) not in (None, "region") and f.lower[i] not in surnames
        and _plays(f, i, lex) for i in range(f.n))
    if plays:
        for m in sides:
            if m.evidence == "side":
                m.evidence, m.evidence_type = "team", "ORG"


def _placed(f: TokenView, i: int, lex: _Lexicon) -> bool:
    """'in Longyear', 'the town of Tavildara', 'east of Tavildara': the text puts token i on a map."""
    if f.dep(i) != "pobj":
        return False
    head = f.head(i)
    if f.lower[head] in lex.place_cue_prepositions:
        return True
    return f.lower[head] == "of" and f.lower[f.head(head)] in lex.place_cue_nouns and f.head(head) == head - 1


def _after_role_noun(f: TokenView, m: _Mention, lex: _Lexicon) -> bool:
    """A name right after a lower-case noun for a person ('spokesman Glyn Davies', 'world champion Bailey',
    'scrum-half Joost van der Westhuizen'), and not itself a club or company ('Newcastle striker X')."""
    before = m.start - 1
    if m.start == 0 or f.lower[before] not in lex.role_nouns or not f.is_lower[before] \
            or f.pos(before) != "NOUN":  # "the official GOP line": an adjective
        return False
    if m.end < f.n and f.is_title[m.end]:  # "candidate Texas Senator Ted Cruz": a modifier
        return False
    key = _key(f.span_text(m.start, m.end))
    last = f.lower[m.end - 1].rstrip(".")
    return last not in lex.non_person_heads and last not in lex.org_suffixes and key not in lex.places \
        and not _region_kind(key, lex)


def _region_kind(key: str, lex: _Lexicon) -> str | None:
    """The kind of region a one-word name is ('county' for 'kent' or any '...shire'), else None."""
    if key in lex.given_names:
        return None
    if key in lex.regions:
        return lex.regions[key]
    return "county" if key.isalpha() and key.endswith(lex.region_suffixes) else None


def _plays(f: TokenView, i: int, lex: _Lexicon) -> bool:
    """A county (token i) that plays: followed by a score ('Kent 108-3'), after 'against' or 'v', or the
    subject or object of a verb of play ('Kent reached 108', 'dismiss Surrey'), also as one of a list."""
    if i + 1 < f.n and _SCORE.match(f.words[i + 1]):
        return True
    if i > 0 and f.lower[i - 1] in lex.team_prepositions:  # "v Kent" in a fixtures list
        return True
    while f.dep(i) == "conj" and f.head(i) != i:
        i = f.head(i)
    if f.dep(i) == "pobj":
        return f.lower[f.head(i)] in lex.team_prepositions
    return f.dep(i) in _SUBJECT_OR_OBJECT_DEPS and f.lemma(f.head(i)).lower() in lex.side_verbs


def _plural_subject(token: Token) -> bool:
    """A one-word name alone as the subject of a plural verb ('Rotor are well placed', 'Deportivo were
    unable'): a side, as British sports writing has it; a person takes 'is' and 'was'."""
    if token.dep_ not in _SUBJECT_DEPS or any(c.dep_ in ("conj", "cc", "det") for c in token.children):
        return False  # "Lebed and Yeltsin were", "the Clintons have"
    if token.tag_ == "NNPS" or _key(token.text) in _lexicon().given_names:  # "Donald , those days are"
        return False
    verb = token.head
    verbs = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    return any(v.tag_ == "VBP" or v.lower_ == "were" for v in verbs if v.i > token.i)


def _team_by_verb(f: TokenView, m: _Mention, lex: _Lexicon) -> bool:
    root = f.root(m.start, m.end)
    return f.dep(root) in _SUBJECT_OR_OBJECT_DEPS and f.lemma(f.head(root)).lower() in lex.team_verbs


def _team_by_score(f: TokenView, m: _Mention) -> bool:
    """'Somerset 83', 'Atlanta 5 PITTSBURGH 1': a name followed by a score on a results line."""
    if m.end >= f.n or not _SCORE.match(f.words[m.end]):
        return False
    before = m.start - 1
    line_start = before < 0 or "\n" in f.words[before] or f.is_space[before] or _SCORE.match(f.words[before])
    after = m.end + 1
    line_end = after >= f.n or f.is_space[after] or "\n" in f.words[after] or f.is_title[after] \
        or f.is_upper[after]
    return bool(line_start and line_end)


def _located_names(f: TokenView, names: list[_Mention], lex: _Lexicon) -> set[str]:
    """Keys of names the article puts after a preposition of place ('in Moscow'): places, not people."""
    out = set()
    for m in names:
        root = f.root(m.start, m.end)
        if f.dep(root) == "pobj" and f.lower[f.head(root)] in lex.place_prepositions:
            out.add(_key(f.span_text(m.start, m.end)))
    return out


def _acts_as_person(f: TokenView, i: int, lex: _Lexicon) -> bool:
    """Subject of saying or marrying, object of accusing or arresting: what people do and undergo."""
    verb = f.lemma(f.head(i)).lower()
    if f.dep(i) in _SUBJECT_DEPS:
        return verb in lex.person_verbs
    return f.dep(i) == "dobj" and verb in lex.person_object_verbs


# ------------------------------------------------------------------------------------- 4. clusters


def _group_key(f: TokenView, m: _Mention) -> str:
    return _without_the(_key(f.span_text(m.start, m.end)))


@lru_cache(maxsize=1 << 16)
def _without_the(key: str) -> str:
    return re.sub(r"^the ", "", key)


def _cluster(doc: Doc, names: list[_Mention], lex: _Lexicon) -> list[_Cluster]:
    """Same key -> one group; short person names join their full name; acronyms their ORG."""
    f = view(doc)
    key_of = {id(m): _group_key(f, m) for m in names}
    groups: dict[str, list[_Mention]] = defaultdict(list)
    for m in names:
        groups[key_of[id(m)]].append(m)
    person_full = {k: ms for k, ms in groups.items() if len(k.split()) > 1 and _is_person_group(ms)}
    person_full = {k: ms for k, ms in person_full.items() if not _is_tail_of_longer(k, person_full)}
    full_names = _full_names_by_word(person_full)
    acronyms = _acronym_index(groups, lex)
    companies = [k for k, ms in groups.items() if any(m.evidence == "org" for m in ms)]
    organisations = [k for k, ms in groups.items()
                     if (votes := _votes(ms)) and votes.most_common(1)[0][0] in _ORG_OR_FACILITY]
    clusters: list[_Cluster] = []
    index_of: dict[str, int] = {}
    for key in sorted(groups, key=lambda k: -len(k.split())):
        if key in person_full:
            index_of[key] = len(clusters)
            clusters.append(_Cluster())
    assigned = {k: list(ms) for k, ms in person_full.items()}  # grows as partial names join, in text order
    for m in sorted(names, key=lambda m: m.start):
        key = key_of[id(m)]
        target = key if key in person_full else _person_anchor(f, key, m, full_names, person_full, assigned)
        if target in assigned and key not in person_full:
            assigned[target].append(m)
        if target is None:
            target = _acronym_anchor(key, m, acronyms) or _company_anchor(key, companies) \
                or _shortened_anchor(key, m, organisations, lex) or key
        if target not in index_of:
            index_of[target] = len(clusters)
            clusters.append(_Cluster())
        m.cluster = index_of[target]
        clusters[m.cluster].mentions.append(m)
    return [c for c in clusters if c.mentions]


def _is_tail_of_longer(key: str, person_full: dict) -> bool:
    """'wasserman schultz' beside 'debbie wasserman schultz' in one article: a short form of the longer
    name (it joins it as a partial name does), not a second person."""
    return any(other != key and other.endswith(" " + key) for other in person_full)


def _is_person_group(mentions: list[_Mention]) -> bool:
    """Mostly labelled PERSON, and not a country the model took for a person ("Sri Lanka")."""
    persons = sum(m.label == _PERSON for m in mentions)
    return persons * 2 > len(mentions) and not any(m.evidence for m in mentions)


def _votes(mentions: list[_Mention]) -> Counter:
    return Counter(m.label for m in mentions if m.label)


def _full_names_by_word(person_full: dict[str, list[_Mention]]) -> dict[str, list[tuple[str, list[str]]]]:
    """Each word of the full person names -> (full name, its words) of the names holding it, in order.
    A partial name can only belong to a full name holding its last word (as part or as surname)."""
    out: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for full in person_full:
        full_words = full.split()
        for word in dict.fromkeys(full_words):
            out[word].append((full, full_words))
    out[""] = [(full, full.split()) for full in person_full]  # a key without words
    return out


def _person_anchor(f: TokenView, key: str, m: _Mention, full_names: dict[str, list[tuple[str, list[str]]]],
                   person_full: dict, assigned: dict) -> str | None:
    """The full PERSON name a partial name belongs to; the nearest preceding one if several."""
    if m.evidence in ("team", "place") or m.evidence == "country" and m.label != _PERSON:
        return None
    words = key.split()
    lex = _lexicon()
    title = _gender_value(lex.titles.get(f.lower[m.start - 1].rstrip("."))) if m.start else None
    candidates = []
    for full, full_words in full_names.get(words[-1] if words else "", ()):
        if len(full_words) <= len(words):
            continue
        given = lex.given_names.get(full_words[0])
        if title and given and title != given:  # "Mr. Trump" is not Ivanka Trump
            continue
        # a name the model did not call a person joins only as a surname ("Khayrova" GPE)
        surname_end = _without_suffixes(full_words, lex)[-len(words):] if words else []
        part = _contains(full_words, words) and (m.label == _PERSON or words == surname_end)
        if part or _initials_match(words, full_words):
            candidates.append(full)
    if len(candidates) == 1:
        return candidates[0]
    # Two people share the name: among those already named in full, the one mentioned most so far
    # ("Donald Trump ... Trump ... Ivanka Trump said ... Trump"), then the one whose last full mention
    # was a subject ("Bill Clinton criticised ... his wife Hillary Clinton ... Clinton said"), then
    # the nearest.
    preceding = []
    for c in candidates:
        before = [x for x in person_full[c] if x.start < m.start]
        if before:
            last = max(before, key=lambda x: x.start)
            so_far = sum(x.start < m.start for x in assigned[c])
            is_subject = f.dep(f.root(last.start, last.end)) in _SUBJECT_DEPS
            preceding.append((so_far, is_subject, last.start, c))
    return max(preceding)[3] if preceding else None


def _without_suffixes(words: list[str], lex: _Lexicon) -> list[str]:
    """A full name's words without its generational suffix: ["luther", "stan", "pate"] of "... Pate IV"."""
    end = len(words)
    while end > 2 and words[end - 1].rstrip(".") in lex.suffixes:
        end -= 1
    return words[:end]


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    if n == 1:  # the usual case, a surname or a first name
        return sub[0] in seq
    return any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


def _initials_match(words: list[str], full_words: list[str]) -> bool:
    """'j biden' or 'j. biden' matches 'joe biden': initials then the same surname."""
    if len(words) < 2 or words[-1] != full_words[-1]:
        return False
    initials = [w.rstrip(".") for w in words[:-1]]
    if not all(len(w) == 1 for w in initials):
        return False
    return [w[0] for w in full_words[:len(initials)]] == initials


def _acronym_index(groups: dict, lex: _Lexicon) -> dict[str, list[str]]:
    """Initials (particles left out) -> the keys of groups some mention of which the model called ORG."""
    index: dict[str, list[str]] = defaultdict(list)
    for other, ms in groups.items():
        if any(m.label == "ORG" for m in ms):
            index["".join(w[0] for w in other.split() if w not in lex.particles)].append(other)
    return index


def _acronym_anchor(key: str, m: _Mention, acronyms: dict[str, list[str]]) -> str | None:
    """An all-capitals ORG short form ('FOMC') joins the one multi-word ORG whose initials it spells."""
    letters = key.replace(".", "").replace(" ", "")
    if m.label != "ORG" or not (_threshold("acronym_min_letters") <= len(letters) <= _threshold("acronym_max_letters")):
        return None
    hits = acronyms.get(letters, [])
    return hits[0] if len(hits) == 1 else None


_ORG_OR_FACILITY = frozenset({"ORG", "FAC"})


def _shortened_anchor(key: str, m: _Mention, organisations: list[str], lex: _Lexicon) -> str | None:
    """'Fox Business' joins the one longer organisation name it begins when the words it leaves out say
    what kind of body that is ('Fox Business Network', 'Pershing Square Capital Management'); not
    'Paulson Partners Enhanced', a fund of its own, and not a one-word name ('Fox' may be any of several)."""
    if " " not in key or m.label not in _ORG_OR_FACILITY:
        return None
    heads = lex.non_person_heads | lex.company_heads
    hits = [other for other in organisations if other.startswith(key + " ")
            and any(word in heads for word in other[len(key) + 1:].split())]
    return hits[0] if len(hits) == 1 else None


def _company_anchor(key: str, companies: list[str]) -> str | None:
    """'Ericsson' joins the one company named in full with a legal suffix ('Ericsson AB')."""
    if " " in key:
        return None
    hits = [other for other in companies if other != key and other.split()[0] == key]
    return hits[0] if len(hits) == 1 else None


def _cluster_type(cluster: _Cluster, lex: _Lexicon) -> str:
    """One type per cluster: strong evidence first, then the majority of the model's labels."""
    evidence = Counter(m.evidence for m in cluster.mentions if m.evidence)
    votes = _votes(cluster.mentions)
    full = [m for m in cluster.mentions if m.end - m.start > 1 and m.label and not m.evidence]
    has_full_person = bool(full) and sum(m.label == _PERSON for m in full) * 2 > len(full)
    if evidence.get("org"):
        return "ORG"
    against = evidence.get("team", 0) + evidence.get("country", 0) + evidence.get("place", 0)
    if has_full_person or evidence.get("person", 0) > against:
        return _PERSON
    if evidence.get("country"):
        return next(m.evidence_type for m in cluster.mentions if m.evidence == "country")
    if evidence.get("place"):
        places = Counter(m.evidence_type or "GPE" for m in cluster.mentions if m.evidence == "place")
        return places.most_common(1)[0][0]
    if evidence.get("team"):
        return "ORG"
    if evidence.get("region") or evidence.get("side"):
        return "GPE"
    if not votes:
        return "OTHER"
    rank = {label: i for i, label in enumerate(lex.label_priority)}
    label = max(votes, key=lambda lab: (votes[lab], -rank.get(lex.label_map.get(lab, lab), 99)))
    return lex.label_map.get(label, label)


# ----------------------------------------------------------------------------------- 5. propagate


def _bracketed_acronyms(doc: Doc, clusters: list[_Cluster], lex: _Lexicon) -> None:
    """'Federal Open Market Committee (FOMC)': the acronym in brackets names the same organisation."""
    f = view(doc)
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    for ci, cluster in enumerate(clusters):
        for m in list(cluster.mentions):
            i = m.end
            if m.end - m.start < 2 or i + 2 >= f.n or f.words[i] != "(" or f.words[i + 2] != ")":
                continue
            acronym = i + 1
            words = [f.words[j] for j in range(m.start, m.end) if f.lower[j] not in lex.particles and f.is_alpha[j]]
            initials = "".join(w[0] for w in words).upper()
            if f.is_upper[acronym] and f.is_alpha[acronym] and f.words[acronym] == initials \
                    and acronym not in taken:
                cluster.mentions.append(_Mention(acronym, acronym + 1, None, cluster=ci))
                taken.add(acronym)


def _propagate(doc: Doc, clusters: list[_Cluster], lex: _Lexicon) -> None:
    """Occurrences the model missed of a name already in a cluster (exact case or all capitals)."""
    f = view(doc)
    owner: dict[tuple[str, ...], int | None] = {}
    for ci, cluster in enumerate(clusters):
        for form in _cluster_forms(f, cluster):
            owner[form] = ci if owner.get(form, ci) == ci else None  # a form two clusters share is ambiguous
    forms = {form: ci for form, ci in owner.items() if ci is not None and len("".join(form)) > 2}
    if not forms:
        return
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    name_words = {f.lower[i] for i in taken if f.is_alpha[i]}
    for form, start, end in _form_occurrences(f, forms):
        words = tuple(f.words[start:end])
        if taken.intersection(range(start, end)) or words not in (form, tuple(w.upper() for w in form)):
            continue
        # a neighbour that is a name of its own or a title is no part of this one ("over Republican Trump",
        # "Senator Cruz")
        beside = any(_capitalised_neighbour(f, i, start, end) and i not in taken
                     and f.lower[i].rstrip(".") not in lex.titles for i in (start - 1, end))
        # in a capitals headline every word is upper case: only a word of some name is part of this one
        headline = f.span_text(start, end).isupper() and _upper_case_line(f, start) \
            and not name_words.intersection((_word_at(f, start - 1), _word_at(f, end)))
        if beside and not headline:
            continue
        ci = forms[form]
        clusters[ci].mentions.append(_Mention(start, end, None, cluster=ci))
        taken.update(range(start, end))


def _form_occurrences(f: TokenView, forms: dict[tuple[str, ...], int]) -> list[tuple[tuple[str, ...], int, int]]:
    """(form, start, end) wherever the text has a form's words in any case, by start then longest first.

    Forms are looked up by their lower-case words. Where forms of two clusters read the same in lower
    case ("SMITH" and "Smith"), which of them an occurrence tries first is the order spaCy's
    PhraseMatcher gives, so those articles still ask the PhraseMatcher."""
    lower_of = dict(zip(f.words, f.lower, strict=True))  # every word of a form is a word of the text
    by_lower: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for form in forms:
        by_lower[tuple(lower_of[w] for w in form)].append(form)
    if any(len({forms[form] for form in same}) > 1 for same in by_lower.values()):
        return _matched_forms(f.doc, forms)
    lengths: dict[str, list[int]] = defaultdict(list)  # first lower-case word -> form lengths, longest first
    for seq in sorted(by_lower, key=len, reverse=True):
        if len(seq) not in lengths[seq[0]]:
            lengths[seq[0]].append(len(seq))
    out = []
    for start in [i for i, word in enumerate(f.lower) if word in lengths]:
        for n in lengths[f.lower[start]]:
            out += [(form, start, start + n) for form in by_lower.get(tuple(f.lower[start:start + n]), ())]
    return out


def _matched_forms(doc: Doc, forms: dict[tuple[str, ...], int]) -> list[tuple[tuple[str, ...], int, int]]:
    """_form_occurrences by spaCy's PhraseMatcher: occurrences of the same span in its order."""
    matcher = PhraseMatcher(doc.vocab, attr="LOWER")
    for form in forms:
        matcher.add("\x1f".join(form), [Doc(doc.vocab, words=list(form))])
    return [(tuple(doc.vocab.strings[match_id].split("\x1f")), start, end)
            for match_id, start, end in sorted(matcher(doc), key=lambda x: (x[1], -x[2]))]


def _word_at(f: TokenView, i: int) -> str:
    """The lower-case word at token i, '' outside the document."""
    return f.lower[i] if 0 <= i < f.n else ""


def _cluster_forms(f: TokenView, cluster: _Cluster) -> set[tuple[str, ...]]:
    """Token sequences naming the cluster: each name mention, and a full person name's surname."""
    forms = {tuple(f.words[m.start:m.end]) for m in cluster.mentions}
    full = [m for m in cluster.mentions if m.label == _PERSON and m.end - m.start > 1]
    if full:
        forms.add((f.words[_surname_at(f, full[0], _lexicon())],))
    return {form for form in forms if _has_upper(form[0])}


def _surname_at(f: TokenView, m: _Mention, lex: _Lexicon) -> int:
    """The token of a full person name's surname: its last word, before a generational suffix ("Pate" in
    "Luther Stan Pate IV", "Kennedy" in "Robert F. Kennedy Jr.")."""
    return m.start + len(_without_suffixes(f.lower[m.start:m.end], lex)) - 1


# ----------------------------------------------------------------------- 6. descriptors, pronouns


def _learn_person_facts(doc: Doc, clusters: list[_Cluster], lex: _Lexicon) -> None:
    """Gender (titles, given names, gendered nouns), age ('Cruise, 61,') and roles of each person."""
    f = view(doc)
    for cluster in clusters:
        if cluster.type != _PERSON:
            continue
        for m in cluster.mentions:
            _learn_from_mention(f, cluster, m, lex)


def _learn_from_mention(f: TokenView, cluster: _Cluster, m: _Mention, lex: _Lexicon) -> None:
    gender = lex.given_names.get(_key(f.words[m.start])) if m.end - m.start > 1 else None
    if m.start > 0:
        word = f.lower[m.start - 1].rstrip(".")
        gender = gender or _gender_value(lex.titles.get(word))
        title, at = _title_before(f, m.start, lex)
        role_gender = _note_role(cluster, title, lex)
        gender = gender or role_gender
        if role_gender is not None or title in cluster.roles or lex.title_roles.get(title) in cluster.roles:
            cluster.qualifiers.update(_capitalised_words(f, max(at - 3, 0), at))
    root = f.token(f.root(m.start, m.end))
    for child in root.children:
        if child.dep_ == "appos":
            word = child.lemma_.lower()
            if child.like_num and child.i == m.end + 1:
                cluster.age = child.text
            role_gender = _note_role(cluster, word, lex)
            gender = gender or role_gender
            if word in cluster.roles:  # "Sanders, the Vermont senator"
                cluster.qualifiers.update(_capitalised_words(f, child.left_edge.i, child.i))
    if gender and cluster.gender is None:
        cluster.gender = gender


def _title_before(f: TokenView, start: int, lex: _Lexicon) -> tuple[str, int]:
    """The title written before a name and where it starts: "Sen. Bernie Sanders" -> sen, "Secretary of
    State Hillary Clinton" -> secretary (the word before "of State"), "Vice President Joe Biden" -> vice
    president (a two-word role noun, not president)."""
    i = start - 1
    if i >= 2 and f.lower[i - 1] == "of" and not f.is_lower[i] and not f.is_lower[i - 2]:
        i -= 2
    word = f.lower[i].rstrip(".")
    if i >= 1 and f"{f.lower[i - 1]} {word}" in lex.evidence_nouns:
        return f"{f.lower[i - 1]} {word}", i - 1
    return word, i


def _capitalised_words(f: TokenView, start: int, end: int) -> set[str]:
    """The capitalised words in [start, end), lower-cased: the qualifiers of a role ("Vermont")."""
    return {f.lower[j] for j in range(start, end) if f.words[j][:1].isupper() and f.words[j].isalpha()}


def _note_role(cluster: _Cluster, word: str, lex: _Lexicon) -> str | None:
    """When `word` is a role noun ('the diamond trader', 'Smith, a spokesman'), note it as one of the
    cluster's roles; the gender the noun marks, if any."""
    word = lex.title_roles.get(word, word)
    noun_gender = lex.salience_nouns.get(word, lex.evidence_nouns.get(word))
    if noun_gender is None:
        return None
    cluster.roles.add(word)
    return _gender_value(noun_gender)


def _gender_value(value: str | None) -> str | None:
    return value if value in {"m", "f"} else None


@dataclass
class _Salient:
    """A person mentioned so far: where, in which sentence, and whether as a subject."""

    token: int
    sent: int
    cluster: int
    subject: bool
    quoted: bool = False  # named inside a quotation


@dataclass
class _Walk:
    """What the left-to-right walk over the text knows when it meets a pronoun or description."""

    doc: Doc
    clusters: list[_Cluster]
    lex: _Lexicon
    sent_of: list[int] = field(default_factory=list)  # token -> sentence number
    names_at: dict[int, tuple[int, _Mention]] = field(default_factory=dict)  # start token -> person name
    # each token of a person's name, and of a description or pronoun linked so far -> the person
    person_at: dict[int, int] = field(default_factory=dict)
    names_in_sent: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    seen: list[_Salient] = field(default_factory=list)

    def add(self, ci: int, start: int, end: int, kind: str, head: Token) -> None:
        self.clusters[ci].mentions.append(_Mention(start, end, None, kind=kind, cluster=ci))
        self.seen.append(_Salient(start, self.sent_of[start], ci, head.dep_ in _SUBJECT_DEPS))
        self.person_at.update(dict.fromkeys(range(start, end), ci))

    def named_in_clause(self, head: Token) -> set[int]:
        """The persons named in the clause of `head` (asked only for role nouns, so computed on demand)."""
        f, sent, clause = view(self.doc), self.sent_of[head.i], clause_head(head)
        return {ci for ci in self.names_in_sent.get(sent, ()) for m in self.clusters[ci].mentions
                if m.kind == "name" and self.sent_of[m.start] == sent
                and clause_head(f.token(f.root(m.start, m.end))) == clause}

    def window(self, sent: int, gender: str | None) -> list[_Salient]:
        """Persons of this and the previous sentences (pronoun_window_sentences) whose gender does not clash."""
        recent = []
        first = sent - _threshold("pronoun_window_sentences")
        for x in reversed(self.seen):  # seen in text order, so from the end back to sentence `first`
            if x.sent < first:
                break
            recent.append(x)
        return [x for x in reversed(recent) if x.sent <= sent and _compatible(self.clusters[x.cluster], gender)]


def _start_walk(doc: Doc, clusters: list[_Cluster], lex: _Lexicon) -> _Walk:
    walk = _Walk(doc, clusters, lex)
    sent_of = walk.sent_of = view(doc).sent_index
    for ci, cluster in enumerate(clusters):
        if cluster.type == _PERSON:
            for m in cluster.mentions:
                walk.names_at[m.start] = (ci, m)
                walk.person_at.update(dict.fromkeys(range(m.start, m.end), ci))
                walk.names_in_sent[sent_of[m.start]].add(ci)
    return walk


_PERSONAL_PRONOUN_TAGS = {"PRP", "PRP$"}


def _link_descriptors_and_pronouns(doc: Doc, clusters: list[_Cluster], lex: _Lexicon) -> None:
    """Walk the text once, keeping the persons seen so far, and link what is clear."""
    f = view(doc)
    walk = _start_walk(doc, clusters, lex)
    quoted = quoted_ranges(f.text, closed_only=True)  # pronouns there speak from the quoted person's view
    names_at = walk.names_at
    # The walk stops only at names, pronouns and "the"; every other token leaves it as it is.
    stops = sorted({*names_at, *(i for i, word in enumerate(f.lower) if word in lex.pronouns or word == "the")})
    i = 0  # the walk's position: stops before it lie inside a name or description already passed
    for stop in stops:
        if stop < i:
            continue
        i = stop
        if i in names_at:
            ci, m = names_at[i]
            walk.seen.append(_Salient(i, walk.sent_of[i], ci, _is_salient_subject(f.token(f.root(m.start, m.end)), lex),
                                      in_quotation(quoted, f.idx[i])))
            i = m.end
            continue
        if in_quotation(quoted, f.idx[i]):
            # the quoted person's words: only a subject named earlier in the same quoted sentence is
            # clearly whom "he" or "she" there means ('"Obama emphasized that he did not pick a nominee"')
            if f.lower[i] in lex.pronouns and (f.pos(i) == "PRON" or f.tag(i) in _PERSONAL_PRONOUN_TAGS):
                ci = _quoted_subject(walk, f.token(i))
                if ci is not None:
                    walk.add(ci, i, i + 1, "pronoun", f.token(i))
            i += 1
            continue
        word = f.lower[i]
        if word in lex.pronouns and (f.pos(i) == "PRON" or f.tag(i) in _PERSONAL_PRONOUN_TAGS):
            token = f.token(i)
            ci = _resolve_pronoun(walk, token)
            if ci is not None:
                walk.add(ci, i, i + 1, "pronoun", token)
                clusters[ci].gender = clusters[ci].gender or lex.pronouns[word]
        elif word == "the" and (found := _descriptor_at(f, i, lex)) is not None:
            end, head = found
            ci = _resolve_descriptor(walk, i, end, head)
            if ci is not None:
                walk.add(ci, i, end, "descriptor", head)
                i = end
                continue
        i += 1


def _link_organisation_and_place_descriptions(doc: Doc, clusters: list[_Cluster], lex: _Lexicon) -> None:
    """'The company', 'the state' (broadsheet.extract.descriptions) as mentions of the name they stand for."""
    f = view(doc)
    if not any(word in lex.description_nouns for word in f.lower):
        return  # most articles: no such noun, so no list of names to build
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    named = []
    for ci, cluster in enumerate(clusters):
        if cluster.type == _PERSON:
            continue
        names = [m for m in cluster.mentions if m.kind == "name"]
        if not names:
            continue
        words = frozenset(f.lower[i] for m in names for i in range(m.start, m.end))
        name = _canonical_name(f, cluster)
        named += [Named(m.start, m.end, ci, cluster.type, words, name) for m in names]
    for start, end, ci in link_descriptions(doc, named, lex.description_nouns, taken, lex.not_referring,
                                            _threshold("description_window_sentences"), _place_kinds):
        clusters[ci].mentions.append(_Mention(start, end, None, kind="descriptor", cluster=ci))


_IT_TYPES = frozenset({"ORG", "GPE"})  # what "it" and "its" may stand for: organisations and countries, states


def _link_organisation_pronouns(doc: Doc, clusters: list[_Cluster]) -> None:
    """'its', and 'it' reported as a subject (broadsheet.extract.org_pronouns), as mentions of the
    organisation or country whose clause they sit in."""
    owner = {i: ci for ci, c in enumerate(clusters) if c.type in _IT_TYPES for m in c.mentions
             for i in range(m.start, m.end)}
    if not owner:
        return
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    for i, ci in link_organisation_pronouns(doc, owner):
        if i not in taken:
            clusters[ci].mentions.append(_Mention(i, i + 1, None, kind="pronoun", cluster=ci))


def _place_kinds(name: str) -> set[str]:
    """The gazetteer kinds a place name may be (country, admin1, city ...)."""
    from broadsheet.extract.gazetteer import gazetteer  # built on first use: most articles never ask

    return {p.kind for p in gazetteer().lookup(name)}


def _is_salient_subject(root: Token, lex: _Lexicon) -> bool:
    """A name that is its clause's subject, or owns a subject that is no person ("Reeves's decision comes
    20 months after he struck down": the judge; but "Trump's campaign manager says he" is the manager)."""
    if root.dep_ in _SUBJECT_DEPS:
        return True
    owned = root.head
    return (root.dep_ == "poss" and owned.dep_ in _SUBJECT_DEPS and owned.pos_ == "NOUN"
            and _descriptor_word(owned, lex) not in lex.salience_nouns
            and _descriptor_word(owned, lex) not in lex.evidence_nouns and owned.lower_ not in lex.role_nouns)


def _antecedent_of_who(walk: _Walk, token: Token) -> int | None:
    """"Ronald Reagan, who was 69 when he took office": a pronoun inside a clause whose subject is "who"
    is the person "who" stands for."""
    for clause in token.ancestors:
        if clause.dep_ != "relcl":
            continue
        opens = any(c.dep_ in _SUBJECT_DEPS and c.lower_ == "who" for c in clause.children)
        named = walk.person_at.get(clause.head.i)
        return named if opens else None
    return None


def _quoted_subject(walk: _Walk, token: Token) -> int | None:
    """The latest person named as a subject earlier in a quoted pronoun's own sentence and quotation,
    when the pronoun's gender fits them."""
    gender = walk.lex.pronouns[token.lower_]
    sent = walk.sent_of[token.i]
    for x in reversed(walk.seen):
        if x.sent != sent:
            return None
        if x.quoted and x.subject and x.token < token.i:
            return x.cluster if _compatible(walk.clusters[x.cluster], gender) else None
    return None


def _reporter_of(token: Token) -> Token | None:
    """The subject of the verb of saying whose reported clause holds a pronoun ("X says he is gratified by
    a decision to drop a charge against him")."""
    clause = next((a for a in token.ancestors if a.dep_ == "ccomp"), None)
    if clause is None or clause.head.lemma_.lower() not in quote_lexicon().speech_verbs:
        return None
    return next((c for c in clause.head.children if c.dep_ in _SUBJECT_DEPS), None)


def _compatible(cluster: _Cluster, gender: str | None) -> bool:
    return gender is None or cluster.gender in (None, gender)


def _resolve_pronoun(walk: _Walk, token: Token) -> int | None:
    """he/she/his/her -> the person a "who" clause around it stands for, else the most recent compatible
    subject of this or the last two sentences."""
    gender = walk.lex.pronouns[token.lower_]
    antecedent = _antecedent_of_who(walk, token)
    if antecedent is not None and _compatible(walk.clusters[antecedent], gender):
        return antecedent
    reporter = _reporter_of(token)
    if reporter is not None and reporter.i not in walk.person_at and reporter.pos_ == "NOUN" and (
            _descriptor_word(reporter, walk.lex) in walk.lex.role_nouns
            or _descriptor_word(reporter, walk.lex) in walk.lex.evidence_nouns):
        return None  # "Donald Trump's campaign manager says he is gratified": the manager, whom no name gives
    window = walk.window(walk.sent_of[token.i], gender)
    if token.dep_ in _OBJECT_DEPS and not token.lower_.endswith("self"):
        # "he hurt him": an object pronoun is not the subject of its own clause
        local = {c.i for c in token.head.children if c.dep_ in _SUBJECT_DEPS}
        window = [x for x in window if x.token not in local]
    if token.dep_ in _SUBJECT_DEPS and token.head.lemma_.lower() in quote_lexicon().speech_verbs:
        # '"Judge Reeves did not recognize that reality," he said': who says a quotation is not whom it
        # is about; a subject inside a quotation is the quoted speaker's, not the narrative's
        window = [replace(x, subject=False) if x.quoted else x for x in window]
    return _pick(window, walk.clusters, gender, walk.sent_of[token.i])


def _pick(window: list[_Salient], clusters: list[_Cluster], gender: str | None, sent: int | None = None) -> int | None:
    """The most recent subject (else the only person in view); an unknown gender only when unopposed, or
    when that subject is of the pronoun's own sentence ("Sandy Phillips, who lost her daughter")."""
    distinct = {x.cluster for x in window}
    subjects = [x for x in window if x.subject]
    if subjects:
        choice = subjects[-1].cluster
    elif len(distinct) == 1:
        choice = next(iter(distinct))
    else:
        return None
    local = bool(subjects) and subjects[-1].sent == sent and clusters[choice].gender is None
    if gender is not None and clusters[choice].gender != gender and len(distinct) > 1 and not local:
        return None
    return choice


_NOUN_POS = {"NOUN", "PROPN"}
_DESCRIPTOR_MODIFIER_DEPS = {"amod", "compound", "nummod", "npadvmod", "punct", "advmod"}


def _descriptor_at(f: TokenView, i: int, lex: _Lexicon) -> tuple[int, Token] | None:
    """'the' (token i) + modifiers + a person noun: returns (end token index, head noun) of the description."""
    if f.lower[i] != "the" or f.dep(i) != "det":
        return None
    h = f.head(i)
    if h <= i or f.pos(h) not in _NOUN_POS:
        return None
    head = f.token(h)
    word = _descriptor_word(head, lex)
    if word not in lex.salience_nouns and word not in lex.evidence_nouns:
        return None
    if any(f.dep(j) not in _DESCRIPTOR_MODIFIER_DEPS for j in range(i + 1, h)):
        return None
    return h + 1, head


def _descriptor_word(head: Token, lex: _Lexicon) -> str:
    known = head.lower_ in lex.salience_nouns or head.lower_ in lex.evidence_nouns
    return head.lower_ if known else head.lemma_.lower()


def _resolve_descriptor(walk: _Walk, start: int, end: int, head: Token) -> int | None:
    """Apposition first; else a role the person was given, or the most salient person nearby."""
    lex = walk.lex
    word = _descriptor_word(head, lex)
    if head.i - 1 > start and f"{walk.doc[head.i - 1].lower_} {word}" in lex.evidence_nouns:
        word = f"{walk.doc[head.i - 1].lower_} {word}"  # "the vice president" is not "the president"
        head_start = head.i - 1
    else:
        head_start = head.i
    gender = _gender_value(lex.salience_nouns.get(word, lex.evidence_nouns.get(word)))
    appos = _apposition_target(walk, end, head)
    if appos is not None:
        return appos
    if head.dep_ in {"attr", "appos"}:  # "X is the daughter of Y": not a mention to resolve here
        return None
    sent = walk.sent_of[start]
    named_here = walk.names_in_sent.get(sent, set())  # a description rarely sits beside its own name
    window = [x for x in walk.window(sent, gender) if x.cluster not in named_here]
    age = _descriptor_age(walk.doc, start, end)
    if age is not None:
        window = [x for x in window if walk.clusters[x.cluster].age in (None, age)]
    if any(t.lower_ in lex.not_referring for t in walk.doc[start:end]):
        return None  # "the next president", "the other candidate": someone else, or no one yet
    if word in lex.evidence_nouns:
        # A role the article gave someone ("President Obama" ... "the president") names them however
        # far back: the latest person given it, when no name of that person stands in this clause
        # ("Trump attacked the president"; but "Obama's endorsement seemed certain as the president
        # traveled": the role says who, so another clause may name them).
        named_here = walk.named_in_clause(head)
        earlier = [x for x in walk.seen if x.sent <= sent and x.cluster not in named_here
                   and _compatible(walk.clusters[x.cluster], gender)]
        if age is not None:
            earlier = [x for x in earlier if walk.clusters[x.cluster].age in (None, age)]
        with_role = [x for x in earlier if word in walk.clusters[x.cluster].roles]
        # "the Ohio governor", "the Republican nominee": the qualifiers must be the person's own
        wanted = _capitalised_words(view(walk.doc), start + 1, head_start)
        with_role = [x for x in with_role if wanted <= walk.clusters[x.cluster].qualifiers]
        if with_role:
            return with_role[-1].cluster
        if any(word in walk.clusters[x.cluster].roles for x in walk.seen):
            return None  # the article gave the role to someone, just not to anyone who fits here
        # a role the article gave no one, told with words that describe someone known ("the Democratic
        # presidential candidate" of a Clinton never titled so, "the chief judge of the court"): the one
        # person in view, if only one is. A bare role ("The mayor spoke next") brings someone new in, and a
        # role owning a thing names nobody ("won the governor's race")
        qualified = head_start > start + 1 or any(c.dep_ == "prep" for c in head.children)
        in_view = {x.cluster for x in window}
        return next(iter(in_view)) if len(in_view) == 1 and qualified and head.dep_ != "poss" else None
    return _pick(window, walk.clusters, gender)


def _apposition_target(walk: _Walk, end: int, head: Token) -> int | None:
    """'Tom Cruise, the actor' or 'the actor Tom Cruise': the name the description stands beside."""
    if head.dep_ == "appos":
        for ci, m in walk.names_at.values():
            if m.start <= head.head.i < m.end:
                return ci
    if end in walk.names_at:
        return walk.names_at[end][0]
    return None


def _descriptor_age(doc: Doc, start: int, end: int) -> str | None:
    """The N of 'the N-year-old ...'."""
    for t in doc[start:end]:
        if t.like_num and t.i + 2 < end and doc[t.i + 2].lower_ == "year":
            return t.text
    return None


# -------------------------------------------------------------------------------------- records


def _canonical_name(f: TokenView, cluster: _Cluster) -> str:
    """The longest well-formed name of the cluster, Unicode-normalised; mixed case preferred."""
    names = [m for m in cluster.mentions if m.kind == "name"]

    def rank(m: _Mention) -> tuple:
        text = f.span_text(m.start, m.end)
        return (not text.isupper(), m.end - m.start, len(text), -m.start)

    best = max(names, key=rank)
    return _normalise(f.span_text(best.start, best.end))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def _records(doc: Doc, doc_id: str, clusters: list[_Cluster]) -> tuple[list[Entity], list[Mention]]:
    f = view(doc)
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    seen_spans: set[tuple[int, int]] = set()
    for cluster in clusters:
        names = [m for m in cluster.mentions if m.kind == "name"]
        if not names:
            continue
        canonical = _canonical_name(f, cluster)
        eid = entity_id_for(cluster.type, canonical)
        entity = entities.get(eid)
        if entity is None:
            entity = entities[eid] = Entity(entity_id=eid, name=canonical, type=cluster.type,
                                            name_key=_key(canonical), n_mentions=0, n_documents=1)
        for m in sorted(cluster.mentions, key=lambda m: m.start):
            key = start_char, end_char = f.chars(m.start, m.end)
            if key in seen_spans:
                continue
            seen_spans.add(key)
            entity.n_mentions += 1
            mentions.append(Mention(doc_id=doc_id, entity_id=eid, start_char=start_char, end_char=end_char,
                                    text=f.span_text(m.start, m.end), mention_kind=m.kind, ner_label=m.ner_label))
    mentions.sort(key=lambda r: (r.start_char, r.end_char))
    return list(entities.values()), mentions


# -------------------------------------------------------------------------------- across documents


def merge_across_documents(entities: list[dict], mentions: list[dict]) -> dict[str, str]:
    """Corpus-level links: a mapping old entity_id -> new entity_id for entities that are one.

    Called on the entities and mentions of all documents (rows may repeat an id); the documents are
    counted from the mentions. See link_across_documents for the rules and why each merge is made.
    """
    name_docs, full_docs = document_counts(entities, mentions)
    return {old: new for old, (new, _) in link_across_documents(entities, name_docs, full_docs).items()}


# why two ids were merged (entity_merges.reason)
MERGE_TYPE = "same name, the type most documents give"
MERGE_THE = "same organisation name but a leading 'The' or the dots of its initials"
MERGE_ALIAS = "a known other name of the organisation"
MERGE_INITIAL = "the same name without its middle initial"
MERGE_ONLY = "the only full name holding this name"
MERGE_DOMINANT = "the full name most documents give for this name"
PERSON_MERGES = (MERGE_INITIAL, MERGE_ONLY, MERGE_DOMINANT)  # decided from full-name documents only


def link_across_documents(entities: list[dict], name_docs: dict[str, int],
                          full_docs: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Corpus-level links with their reasons: old entity_id -> (new entity_id, reason).

    `name_docs`: documents naming each entity; `full_docs`: documents naming it with a name of two or
    more words (a person's full name). Merges, each only when the corpus makes it unambiguous:
      - names of several words with the same key but different types, to the type most documents give;
      - ORG names that differ only by a leading "The" ("Daily Mail" -> "The Daily Mail");
      - a PERSON name with middle initials to the same name without them, when it is the only such form
        ("Donald J. Trump" -> "Donald Trump"; "George W. Bush" and "George H. W. Bush" both stay);
      - a surname, a known first name or an initialled form ("Khayrova", "Hillary", "J. Biden") to the
        one full PERSON name holding it, or to the one that dominates: named in full in at least
        `partial_name_dominance` times as many documents as all the other candidates together (so at
        least two in three of the candidates' documents: "Jim" does not join the most frequent of 26
        Jims), and in `partial_name_min_documents`.
        Otherwise it stays apart: an article that writes only "Clinton" joins Hillary Clinton when the
        corpus names her in full far more often than Bill Clinton, and stays "Clinton" when both are
        common. (Within one article, a surname already joined the full name the article gives.)
    The person rules read only the full-name counts, which a merged surname does not change, so the
    decision is a function of the corpus, whatever order its articles came in. Ids absent from the
    mapping stay as they are; every target is itself absent from it.
    """
    rows = {}
    for e in entities:
        rows.setdefault(e["entity_id"], {"id": e["entity_id"], "type": e["type"], "name": e["name"],
                                         "key": _key(e["name"]), "count": name_docs.get(e["entity_id"], 0),
                                         "full": full_docs.get(e["entity_id"], 0)})
    mapping: dict[str, tuple[str, str]] = {}
    _merge_same_name_types(rows, mapping)
    _merge_the_variants(rows, mapping)
    _merge_organisation_aliases(rows, mapping)
    _merge_middle_initials(rows, mapping)
    _merge_partial_persons(rows, mapping)
    out = {}
    for old, (_, reason) in mapping.items():
        new = _final(mapping, old)
        if new != old:
            out[old] = (new, reason)
    return out


def related_entities(entities: list[dict], seeds: set[str]) -> set[str]:
    """The ids whose links can change when the seeds' do: closed over the groups the rules compare (the
    same key; the same organisation, after 'The', dots and known aliases; the same last word of a
    person), and between a known first name alone and the full names it begins. A group no seed reaches
    decides what it decided before, so linking a run needs only these."""
    lex = _lexicon()
    by_token: dict[str, list[int]] = defaultdict(list)
    singles_by_first: dict[str, list[int]] = defaultdict(list)
    fulls_by_first: dict[str, list[int]] = defaultdict(list)
    tokens: list[list[str]] = []
    for i, e in enumerate(entities):
        key = _key(e["name"])
        words = key.split() or [""]
        mine = [f"k:{key}"] if len(words) > 1 else []
        if e["type"] == "ORG":
            org = _organisation_key(key)
            mine.append(f"o:{lex.organisation_aliases.get(org, org)}")
        if e["type"] == _PERSON:
            mine.append(f"p:{words[-1]}")
            if len(words) > 1:
                fulls_by_first[words[0]].append(i)
            elif words[0] in lex.given_names:
                singles_by_first[words[0]].append(i)
        for token in mine:
            by_token[token].append(i)
        tokens.append(mine)
    todo = [i for i, e in enumerate(entities) if e["entity_id"] in seeds]
    chosen = set(todo)
    while todo:
        i = todo.pop()
        words = _key(entities[i]["name"]).split() or [""]
        near = [j for token in tokens[i] for j in by_token[token]]
        if entities[i]["type"] == _PERSON:  # a first name alone and the full names it begins, one step only
            near += singles_by_first.get(words[0], []) if len(words) > 1 else fulls_by_first.get(words[0], [])
        for j in near:
            if j not in chosen:
                chosen.add(j)
                todo.append(j)
    return {entities[i]["entity_id"] for i in chosen}


def document_counts(entities: list[dict], mentions: list[dict]) -> tuple[dict[str, int], dict[str, int]]:
    """Per entity: documents with a name mention, and documents with a name mention of two or more words
    (the mention's text, else the entity's name)."""
    names = {e["entity_id"]: e["name"] for e in entities}
    named, full = set(), set()
    for m in mentions:
        if m.get("mention_kind", "name") != "name":
            continue
        named.add((m["entity_id"], m["doc_id"]))
        if is_full_name(m.get("text") or names.get(m["entity_id"], "")):
            full.add((m["entity_id"], m["doc_id"]))
    return Counter(eid for eid, _ in named), Counter(eid for eid, _ in full)


def is_full_name(text: str) -> bool:
    """A name of two or more words ('Elsina Khayrova', 'J. Biden'), not a surname or first name alone."""
    return len(_key(text).split()) > 1


def _final(mapping: dict[str, tuple[str, str]], eid: str) -> str:
    seen = set()
    while eid in mapping and eid not in seen:
        seen.add(eid)
        eid = mapping[eid][0]
    return eid


def _dominant(rows: list[dict]) -> dict:
    rank = {label: i for i, label in enumerate(_lexicon().label_priority)}
    return max(rows, key=lambda r: (r["count"], -rank.get(r["type"], 99), len(r["name"]), r["id"]))


def _merge_same_name_types(rows: dict[str, dict], mapping: dict[str, tuple[str, str]]) -> None:
    by_key: dict[str, list[dict]] = defaultdict(list)
    for r in rows.values():
        if len(r["key"].split()) > 1:
            by_key[r["key"]].append(r)
    _merge_each_group_onto_its_dominant(by_key.values(), mapping, MERGE_TYPE)


def _merge_the_variants(rows: dict[str, dict], mapping: dict[str, tuple[str, str]]) -> None:
    by_key: dict[str, list[dict]] = defaultdict(list)
    for r in rows.values():
        if r["type"] == "ORG" and r["id"] not in mapping:
            by_key[_organisation_key(r["key"])].append(r)
    _merge_each_group_onto_its_dominant(by_key.values(), mapping, MERGE_THE)


def _organisation_key(key: str) -> str:
    """'the daily mail' -> 'daily mail'; 'g o p' (G.O.P.) -> 'gop'."""
    key = re.sub(r"^the ", "", key)
    words = key.split()
    return "".join(words) if len(words) > 1 and all(len(w) == 1 for w in words) else key


def _merge_organisation_aliases(rows: dict[str, dict], mapping: dict[str, tuple[str, str]]) -> None:
    """'GOP' -> 'Republican Party' (data/names_lexicon.yaml organisation_aliases), when the corpus has the
    organisation under the name the alias stands for."""
    aliases = _lexicon().organisation_aliases
    orgs = [r for r in rows.values() if r["type"] == "ORG"]
    by_key: dict[str, set[str]] = defaultdict(set)
    for r in orgs:
        by_key[_organisation_key(r["key"])].add(r["id"])
    for r in orgs:
        target = aliases.get(_organisation_key(r["key"]))
        if r["id"] in mapping or target is None:
            continue
        targets = {_final(mapping, eid) for eid in by_key.get(target, ())}
        if len(targets) == 1:
            mapping[r["id"]] = (targets.pop(), MERGE_ALIAS)


def _merge_each_group_onto_its_dominant(groups: Iterable[list[dict]], mapping: dict[str, tuple[str, str]],
                                        reason: str) -> None:
    for group in groups:
        if len(group) > 1:
            target = _dominant(group)["id"]
            for r in group:
                if r["id"] != target:
                    mapping[r["id"]] = (target, reason)


def _without_middle_initials(words: list[str]) -> list[str]:
    """'donald j trump' -> 'donald trump'; names without a one-letter middle word come back unchanged."""
    if len(words) < 3 or not all(len(w) == 1 for w in words[1:-1]):
        return words
    return [words[0], words[-1]]


def _merge_middle_initials(rows: dict[str, dict], mapping: dict[str, tuple[str, str]]) -> None:
    """'Donald J. Trump' -> 'Donald Trump' when the corpus has that name and no other initialled form of it
    (the choice reads no counts, so it cannot flip as articles arrive)."""
    persons = [r for r in rows.values() if r["type"] == _PERSON and r["id"] not in mapping]
    bare = {r["key"]: r for r in persons if len(r["key"].split()) == 2}
    initialled: dict[str, list[dict]] = defaultdict(list)
    for r in persons:
        words = r["key"].split()
        short = _without_middle_initials(words)
        if short != words:
            initialled[" ".join(short)].append(r)
    for key, forms in initialled.items():
        if key in bare and len({r["key"] for r in forms}) == 1:
            for r in forms:
                mapping[r["id"]] = (bare[key]["id"], MERGE_INITIAL)


def _merge_partial_persons(rows: dict[str, dict], mapping: dict[str, tuple[str, str]]) -> None:
    persons = [r for r in rows.values() if r["type"] == _PERSON]
    # every full name counts, those merged into another too: their documents go to what they merged into
    full = [r for r in persons if len(r["key"].split()) > 1]
    by_word: dict[str, list[dict]] = defaultdict(list)  # last word, and first word of the full names
    for r in full:
        words = r["key"].split()
        by_word[words[-1]].append(r)
        if words[0] != words[-1]:
            by_word[words[0]].append(r)
    given = _lexicon().given_names
    for r in persons:
        words = r["key"].split()
        if r["id"] in mapping or len(words) > 1 and not all(len(w) == 1 for w in words[:-1]):
            continue  # a full name already; only initialled forms ('J. Biden') look further
        first_name = len(words) == 1 and words[0] in given
        candidates = [f for f in by_word[words[-1]] if f["id"] != r["id"] and _holds(words, f["key"].split(),
                                                                                    first_name)]
        target = _partial_target(candidates, mapping)
        if target is not None:
            mapping[r["id"]] = target


def _holds(words: list[str], full_words: list[str], first_name: bool) -> bool:
    """The full name holds the partial one: as its surname or initials and surname, or, for a known
    first name ('Hillary'), as its first word too."""
    if len(full_words) <= len(words):
        return False
    return _is_shorter_form(words, full_words) or first_name and full_words[0] == words[0]


def _partial_target(candidates: list[dict], mapping: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The one full name (after earlier merges) the candidates come to, or the one that dominates them all
    together: against the next alone, a first name shared by many rare full names would join whichever is
    a little more frequent."""
    totals: Counter = Counter()
    for c in candidates:
        totals[_final(mapping, c["id"])] += c["full"]
    if not totals:
        return None
    if len(totals) == 1:
        return next(iter(totals)), MERGE_ONLY
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    (best, n_best), n_rest = ranked[0], sum(n for _, n in ranked[1:])
    if n_best >= _threshold("partial_name_min_documents") and n_best >= _threshold("partial_name_dominance") * n_rest:
        return best, MERGE_DOMINANT
    return None


def _is_shorter_form(words: list[str], full_words: list[str]) -> bool:
    return full_words[-len(words):] == words or _initials_match(words, full_words)
