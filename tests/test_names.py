"""Entities and mentions: clustering, type repair, descriptors and pronouns, ids across documents."""

from __future__ import annotations

import pytest

import broadsheet
from broadsheet.extract.ids import entity_id_for
from broadsheet.extract.names import merge_across_documents


def run(nlp, text: str, doc_id: str = "d1") -> tuple[list[dict], list[dict]]:
    """The article's entities and mentions as rows, through the public API."""
    analysis = broadsheet.analyze(text, doc_id=doc_id, nlp=nlp)
    return analysis.entities.rows(), analysis.mentions.rows()


def by_name(entities: list[dict]) -> dict[str, dict]:
    return {e["name"]: e for e in entities}


def texts_of(mentions: list[dict], entity: dict, kind: str | None = None) -> list[str]:
    return [m["text"] for m in mentions
            if m["entity_id"] == entity["entity_id"] and (kind is None or m["mention_kind"] == kind)]


@pytest.fixture(scope="module")
def seed(nlp, seed_body):
    return run(nlp, seed_body, "seed")


def test_rows_have_exactly_the_contract_columns_and_true_offsets(nlp, seed_body, seed):
    entities, mentions = seed
    entity_columns = {"entity_id", "name", "type", "name_key", "n_mentions", "n_documents"}
    mention_columns = {"doc_id", "entity_id", "start_char", "end_char", "text", "mention_kind", "ner_label"}
    assert all(set(e) == entity_columns for e in entities)
    assert all(set(m) == mention_columns for m in mentions)
    ids = {e["entity_id"] for e in entities}
    assert len(ids) == len(entities)
    for m in mentions:
        assert seed_body[m["start_char"]:m["end_char"]] == m["text"]
        assert m["entity_id"] in ids
        assert m["mention_kind"] in {"name", "descriptor", "pronoun"}


def test_seed_entities_have_their_types_and_no_extra_person(seed):
    entities, _ = seed
    names = by_name(entities)
    persons = {"Tom Cruise", "Elsina Khayrova", "Dmitry Tsvetkov", "Rinat Khayrov", "Vladimir Putin",
               "Katie Holmes", "Nicole Kidman", "Mimi Rogers"}
    assert {e["name"] for e in entities if e["type"] == "PERSON"} == persons
    assert names["The Daily Mail"]["type"] == "ORG"
    assert names["The Telegraph"]["type"] == "ORG"
    assert names["London"]["type"] == "GPE"
    assert names["Russia"]["type"] == "GPE"
    assert names["Tom Cruise"]["entity_id"] == entity_id_for("PERSON", "Tom Cruise")


def test_seed_surnames_join_their_full_names_and_two_khayrovs_stay_apart(seed):
    entities, mentions = seed
    names = by_name(entities)
    assert "Cruise" in texts_of(mentions, names["Tom Cruise"], "name")
    assert "Khayrova" in texts_of(mentions, names["Elsina Khayrova"], "name")  # spaCy alone says GPE
    assert "Tsvetkov" in texts_of(mentions, names["Dmitry Tsvetkov"], "name")
    assert set(texts_of(mentions, names["Rinat Khayrov"])) == {"Rinat Khayrov"}
    assert not any(m["text"] in {"61", "36-year-old"} and m["mention_kind"] == "name" for m in mentions)


def test_seed_descriptors_and_pronouns_point_at_the_right_person(seed):
    entities, mentions = seed
    names = by_name(entities)
    tsvetkov = texts_of(mentions, names["Dmitry Tsvetkov"])
    assert "The diamond trader" in tsvetkov and "he" in tsvetkov
    assert "The actor" in texts_of(mentions, names["Tom Cruise"], "descriptor")
    assert "The 36-year-old model" in texts_of(mentions, names["Elsina Khayrova"], "descriptor")
    linked = {m["text"] for m in mentions if m["mention_kind"] != "name"}
    assert "He" not in linked  # "He seemed to be besotted with her" is inside a quotation


def test_possessive_and_title_are_left_out_of_the_name(nlp):
    entities, mentions = run(nlp, "President Vladimir Putin met Tom Cruise in Moscow. Cruise's film "
                                  "was praised by Mr. Putin, who said he liked it.")
    names = by_name(entities)
    assert names["Vladimir Putin"]["type"] == "PERSON"
    assert "Putin" in texts_of(mentions, names["Vladimir Putin"], "name")
    assert texts_of(mentions, names["Tom Cruise"], "name") == ["Tom Cruise", "Cruise"]


def test_same_surname_links_to_the_nearest_preceding_full_name(nlp):
    text = ("Hillary Clinton spoke in Ohio on Monday. Bill Clinton spoke in Iowa on Tuesday. "
            "Clinton told the crowd that the economy was strong.")
    entities, mentions = run(nlp, text)
    names = by_name(entities)
    assert names["Hillary Clinton"]["entity_id"] != names["Bill Clinton"]["entity_id"]
    assert texts_of(mentions, names["Bill Clinton"], "name") == ["Bill Clinton", "Clinton"]
    assert texts_of(mentions, names["Hillary Clinton"], "name") == ["Hillary Clinton"]


def test_names_run_together_by_the_model_are_split(nlp):
    _, mentions = run(nlp, "Leicestershire beat Somerset by an innings at Grace Road, Leicester on Friday.")
    spans = {m["text"] for m in mentions}
    assert "Grace Road, Leicester" not in spans
    assert {"Grace Road", "Leicester"} <= spans


def test_a_city_that_wins_or_loses_a_match_is_a_club(nlp):
    entities, _ = run(nlp, "Manchester City beat Liverpool, and Newcastle defeated Chelsea on Saturday.\n"
                           "Everton 2 Leeds 1\n")
    types = {e["name"]: e["type"] for e in entities}
    assert types["Liverpool"] == "ORG"
    assert types["Newcastle"] == "ORG"
    assert all(not name[-1].isdigit() for name in types)  # "Everton 2" is a club and a score


def test_outlets_and_courts_come_from_the_patterns(nlp):
    text = "In an interview with The Telegraph, she said the High Court had ruled against him."
    entities, _ = run(nlp, text)
    types = {e["name"]: e["type"] for e in entities}
    assert types["The Telegraph"] == "ORG"
    assert types["High Court"] == "ORG"


def test_ids_are_stable_across_documents_and_runs(nlp):
    first = run(nlp, "Tom Cruise arrived in London.", "a")[0]
    second = run(nlp, "Critics praised Tom Cruise on Sunday.", "b")[0]
    again = run(nlp, "Tom Cruise arrived in London.", "a")[0]
    assert by_name(first)["Tom Cruise"]["entity_id"] == by_name(second)["Tom Cruise"]["entity_id"]
    assert first == again


def entity(eid: str, name: str, etype: str = "PERSON") -> dict:
    return {"entity_id": eid, "name": name, "type": etype}


def mention(eid: str, doc: str) -> dict:
    return {"entity_id": eid, "doc_id": doc, "mention_kind": "name"}


def test_merge_links_a_lone_surname_to_the_one_full_name():
    entities = [entity("k", "Khayrova"), entity("ek", "Elsina Khayrova"), entity("rk", "Rinat Khayrov")]
    mentions = [mention("k", "d1"), mention("ek", "d2"), mention("rk", "d2")]
    assert merge_across_documents(entities, mentions) == {"k": "ek"}


def test_merge_leaves_an_ambiguous_surname_alone():
    entities = [entity("b", "Bush"), entity("jb", "Jeb Bush"), entity("gwb", "George W. Bush")]
    mentions = [mention("b", "d1"), mention("jb", "d2"), mention("gwb", "d3")]
    assert merge_across_documents(entities, mentions) == {}


def test_merge_joins_org_names_that_differ_by_the():
    entities = [entity("a", "The Daily Mail", "ORG"), entity("b", "Daily Mail", "ORG")]
    mentions = [mention("a", "d1"), mention("a", "d2"), mention("b", "d3")]
    mapping = merge_across_documents(entities, mentions)
    assert mapping == {"b": "a"}
    assert merge_across_documents([entities[0]], mentions) == {}


def types_by_text(nlp, text: str) -> dict[str, str]:
    entities, mentions = run(nlp, text)
    type_of = {e["entity_id"]: e["type"] for e in entities}
    return {m["text"]: type_of[m["entity_id"]] for m in mentions if m["mention_kind"] == "name"}


def test_dateline_and_results_lines_are_typed_by_their_layout(nlp):
    assert types_by_text(nlp, "WASHINGTON (Reuters) - The Senate voted on Tuesday.")["WASHINGTON"] == "GPE"
    teams = types_by_text(nlp, "Falkirk 1 Clydebank 0\nAyr 2 Stirling 2\n")
    assert teams == {"Falkirk": "ORG", "Clydebank": "ORG", "Ayr": "ORG", "Stirling": "ORG"}


def test_a_company_with_a_legal_suffix_and_its_short_form_are_one_org(nlp):
    text = "Ericsson AB said on Friday it won an order. Ericsson said the deal was worth $1 billion."
    entities, mentions = run(nlp, text)
    company = by_name(entities)["Ericsson AB"]
    assert company["type"] == "ORG"
    assert texts_of(mentions, company, "name") == ["Ericsson AB", "Ericsson"]


def test_model_types_repaired_by_given_names_nationalities_and_places(nlp):
    assert types_by_text(nlp, "Scott Draper beat Guy Forget in the final.")["Guy Forget"] == "PERSON"
    assert types_by_text(nlp, "The Briton finished third.")["Briton"] == "NORP"
    assert set(types_by_text(nlp, "She lives in Moscow. Moscow said the talks failed.").values()) == {"GPE"}


def test_a_title_must_agree_with_the_full_names_gender(nlp):
    text = ("Hillary Clinton spoke in Ohio on Monday. Bill Clinton spoke in Iowa on Tuesday. "
            "Mrs. Clinton told the crowd that the economy was strong.")
    entities, mentions = run(nlp, text)
    assert texts_of(mentions, by_name(entities)["Hillary Clinton"], "name") == ["Hillary Clinton", "Clinton"]


def test_a_surname_alone_in_one_article_joins_the_full_name_of_another(nlp):
    earlier = run(nlp, "Khayrova was previously married to Russian tycoon Dmitry Tsvetkov for ten years. "
                       "A judge accused Khayrova of lying.", "a")
    later = run(nlp, "Tom Cruise is reportedly dating socialite Elsina Khayrova, the daughter of an MP.", "b")
    alone = by_name(earlier[0])["Khayrova"]
    assert alone["type"] == "PERSON"  # spaCy alone calls it a place; it marries and is accused
    mapping = merge_across_documents(earlier[0] + later[0], earlier[1] + later[1])
    assert mapping == {alone["entity_id"]: by_name(later[0])["Elsina Khayrova"]["entity_id"]}


def test_an_acronym_in_brackets_and_its_repeats_join_the_organisation(nlp):
    text = "The Federal Open Market Committee (FOMC) met on Tuesday. Later the FOMC left rates unchanged."
    entities, mentions = run(nlp, text)
    committee = by_name(entities)["Federal Open Market Committee"]
    assert texts_of(mentions, committee, "name") == ["Federal Open Market Committee", "FOMC", "FOMC"]


@pytest.mark.parametrize("text", ["Mr. [-", "...Mr. [-", "ld Mr.„", "rrow!</p\x0c-"])
def test_titles_with_nothing_after_them_do_not_crash(nlp, text):
    entities, mentions = run(nlp, text, "d")
    assert all(text[m["start_char"]:m["end_char"]] == m["text"] for m in mentions)


def test_counties_are_sides_where_one_of_them_plays_and_places_otherwise(nlp):
    text = ("Kent stepped up a gear to dismiss Nottinghamshire for 214 on Friday.\n"
            "Title rivals Essex, Derbyshire and Surrey all closed in on victory.\n")
    types = types_by_text(nlp, text)
    assert {types[n] for n in ("Kent", "Nottinghamshire", "Essex", "Derbyshire", "Surrey")} == {"ORG"}
    places = types_by_text(nlp, "Floods hit Kent and Surrey on Friday, and Derbyshire was also affected.")
    assert {places[n] for n in ("Kent", "Surrey", "Derbyshire")} == {"GPE"}


def test_results_lines_name_persons_by_their_layout(nlp):
    text = ("ATHLETICS - LEADING RESULTS .\n"
            "1. Tanja Damaske ( Germany ) 66.60 metres\n"
            "Sandrine Testud ( France ) beat Ines Gorrochategui ( Argentina ) 4-6 6-2 6-1\n"
            "S. Jayasuriya c Healy b Fleming 44\n"
            "Bowling : Gough 8-0-39-3 , Mullally 6-0-30-1 .\n"
            "Romania - Viorel Moldovan ( 21st minute ) , Dan Petrescu ( 65th )\n")
    types = types_by_text(nlp, text)
    persons = ["Tanja Damaske", "Sandrine Testud", "Ines Gorrochategui", "S. Jayasuriya", "Healy", "Fleming",
               "Gough", "Mullally", "Viorel Moldovan", "Dan Petrescu"]
    assert {name: types.get(name) for name in persons} == dict.fromkeys(persons, "PERSON")
    assert types["Germany"] == "GPE" and types["Romania"] == "GPE"


def test_a_capitals_headline_names_the_persons_of_the_article(nlp):
    text = ("GOLF - HENKE TAKES LEAD IN MILWAUKEE .\n"
            "Nolan Henke fired a 66 on Thursday . Henke said he was pleased .\n")
    types = types_by_text(nlp, text)
    assert types.get("HENKE") == "PERSON"


def test_a_name_after_a_noun_for_a_person_is_a_person(nlp):
    text = '" We will not speculate , " State Department spokesman Glyn Davies said on Friday .'
    assert types_by_text(nlp, text).get("Glyn Davies") == "PERSON"
    text = "The opposition Khmer Nation Party said it would appeal ."
    assert types_by_text(nlp, text).get("Khmer Nation Party") != "PERSON"


def test_a_list_of_mostly_persons_is_a_list_of_persons(nlp):
    text = ("Sri Lanka squad :\n"
            "Arjuna Ranatunga , Romesh Kaluwitharana , Asanka Gurusinha , Chaminda Vaas , Upul Chandana .\n"
            "Floods hit Britain , France , Germany and Italy on Friday .\n")
    types = types_by_text(nlp, text)
    squad = ["Arjuna Ranatunga", "Romesh Kaluwitharana", "Asanka Gurusinha", "Chaminda Vaas", "Upul Chandana"]
    assert {name: types.get(name) for name in squad} == dict.fromkeys(squad, "PERSON")
    assert {types[c] for c in ("Britain", "France", "Germany", "Italy")} == {"GPE"}


def test_first_names_the_model_left_out_rejoin_the_surname(nlp):
    spans = {m["text"] for m in run(nlp, "Germany ( Guido Fulst , Danilo Hondo , Thorsten Rund ) finished second .")[1]}
    assert {"Guido Fulst", "Danilo Hondo", "Thorsten Rund"} <= spans and "Fulst" not in spans
    text = "Last Friday Mitchell , who finished fourth , upstaged a trio of Olympic champions ."
    assert "Friday Mitchell" not in {m["text"] for m in run(nlp, text)[1]}


def test_a_list_keeps_the_models_person_span_after_a_sentences_first_word(nlp):
    spans = {m["text"] for m in run(nlp, "Celebrities Julianne Moore , Kerry Washington , Amy Schumer and Janelle "
                                         "Monae signed the letter .")[1]}
    assert "Celebrities Julianne Moore" not in spans


def test_a_one_word_name_the_text_puts_on_a_map_is_a_place(nlp):
    text = ("LONGYEAR , Norway 1996-08-30\n"
            "Longyear is a town in mourning . At this time of year , the only colour in Longyear comes from"
            " the houses .")
    _, mentions = run(nlp, text)
    types = types_by_text(nlp, text)
    assert [m["text"] for m in mentions].count("Longyear") == 2
    assert types["Longyear"] == "GPE" and types["LONGYEAR"] == "GPE"


def test_a_one_word_subject_of_a_plural_verb_is_a_side(nlp):
    text = "Despite the defeat , Rotor are well placed with 11 games to play in the championship ."
    assert types_by_text(nlp, text)["Rotor"] == "ORG"
    text = "Lebed and Yeltsin were said to agree . Lebed said the plan would work ."
    assert types_by_text(nlp, text).get("Lebed") != "ORG"


def test_a_ranked_drivers_team_is_an_organisation(nlp):
    text = "1. Alex Zanardi ( Italy ) , Reynard Honda , 53.980\n2. Michael Andretti ( U.S. ) , Lola Ford , 54.483\n"
    types = types_by_text(nlp, text)
    assert types["Alex Zanardi"] == "PERSON" and types["Reynard Honda"] == "ORG"


def test_a_nationality_or_title_before_a_given_name_is_cut_from_an_org(nlp):
    text = "American Dennis Mitchell outclassed Olympic 100 metres champion Donovan Bailey for the third time ."
    types = types_by_text(nlp, text)
    assert types.get("Dennis Mitchell") == "PERSON" and types.get("American") == "NORP"
    assert types_by_text(nlp, "Coach Fabio Capello said Milan were unlucky .").get("Fabio Capello") == "PERSON"


def test_standings_and_fixtures_in_capitals_name_clubs(nlp):
    text = ("AMERICAN LEAGUE STANDINGS .\nNEW YORK 74 59 .556 -\nBOSTON 69 65 .515 5 1/2\n"
            "FRIDAY 'S GAMES\nKANSAS CITY AT DETROIT\nCHICAGO AT TORONTO\n")
    types = types_by_text(nlp, text)
    assert {types[n] for n in ("NEW YORK", "BOSTON", "KANSAS CITY", "DETROIT", "CHICAGO", "TORONTO")} == {"ORG"}
    assert types_by_text(nlp, "OBAMA AT DAVOS\nThe president spoke on Friday .").get("DAVOS") != "ORG"


def test_a_name_after_a_noun_for_a_side_is_a_club(nlp):
    text = "UEFA came down heavily on Belgian club Standard Liege on Friday for disgraceful behaviour ."
    assert types_by_text(nlp, text).get("Standard Liege") == "ORG"


def test_further_occurrences_are_found_where_spacys_phrase_matcher_finds_them(nlp):
    from broadsheet.extract.docs import view
    from broadsheet.extract.names import _form_occurrences, _matched_forms

    doc = nlp("SMITH WINS . John Smith of Acme Corp beat Smith and ACME CORP in New York ; new york smith .")
    forms = {("Smith",): 0, ("John", "Smith"): 0, ("Acme", "Corp"): 1, ("New", "York"): 2}
    assert _form_occurrences(view(doc), forms) == _matched_forms(doc, forms)
    # two clusters' forms that read the same in lower case: spaCy's PhraseMatcher decides their order
    forms = {("Smith",): 0, ("SMITH",): 1, ("New", "York"): 2}
    assert _form_occurrences(view(doc), forms) == _matched_forms(doc, forms)


ROLE_TEXT = ("Vermont Sen. Anna Reyes met President Paul Okafor and Vice President Dana Whitfield on Monday. "
             "The meeting lasted an hour. Aides said it went well. Reporters waited outside. "
             "The talks covered trade. The Vermont senator later said the president had been generous. "
             "Ohio Gov. Mark Ellison and former Iowa Gov. Tom Brandt spoke. The Ohio governor said the vice "
             "president was right. Former Secretary of State Joan Pike said the next president must act. "
             "The former secretary of state left early. The Texas senator did not come.")


def test_a_role_given_with_a_title_names_its_person_far_back(nlp):
    entities, mentions = run(nlp, ROLE_TEXT)
    names = by_name(entities)
    assert "The Vermont senator" in texts_of(mentions, names["Anna Reyes"], "descriptor")  # "Sen." is senator
    assert "the president" in texts_of(mentions, names["Paul Okafor"], "descriptor")  # four sentences back
    assert "the vice president" in texts_of(mentions, names["Dana Whitfield"], "descriptor")  # not the president's
    assert "The Ohio governor" in texts_of(mentions, names["Mark Ellison"], "descriptor")  # not the last governor
    assert "The former secretary" in texts_of(mentions, names["Joan Pike"], "descriptor")  # "Secretary of State"


def test_a_description_that_does_not_fit_anyone_named_stays_unlinked(nlp):
    _, mentions = run(nlp, ROLE_TEXT)
    linked = {m["text"] for m in mentions if m["mention_kind"] == "descriptor"}
    assert "The Texas senator" not in linked  # no senator from Texas was named
    assert not any(m["text"].startswith("the next") for m in mentions)  # not a person yet


def test_a_role_names_its_person_from_another_clause_of_a_sentence_that_names_them(nlp):
    text = ("President Paul Okafor opened a tour on Monday. Okafor's endorsement of Reyes seemed certain, "
            "as the president traveled to Ohio. Senator Dana Whitfield said Reyes had met the president.")
    entities, mentions = run(nlp, text)
    names = by_name(entities)
    # "Okafor's" is in the main clause, "the president" in the "as" clause: the role says who
    assert "the president" in texts_of(mentions, names["Paul Okafor"], "descriptor")
    okafor_descriptors = [m for m in mentions if m["entity_id"] == names["Paul Okafor"]["entity_id"]
                          and m["mention_kind"] == "descriptor"]
    assert len(okafor_descriptors) == 2  # and in the last sentence, where no name of Okafor stands


def test_a_role_is_not_given_to_a_person_its_own_clause_names(nlp):
    text = ("President Paul Okafor spoke on Monday. The next day Okafor praised the president of the bank. "
            "Okafor met the president on Friday.")
    entities, mentions = run(nlp, text)
    names = by_name(entities)
    # "Okafor met the president": one clause, so the president is someone else
    linked = [m["start_char"] for m in mentions if m["entity_id"] == names["Paul Okafor"]["entity_id"]
              and m["mention_kind"] == "descriptor"]
    assert text.rindex("the president") not in linked


def test_a_company_word_inside_a_name_makes_its_first_word_the_company(nlp):
    text = ("Valeant Pharmaceuticals International lost half its value. Investors in Valeant sold shares, "
            "and Valeant said it would restate earnings.")
    entities, mentions = run(nlp, text)
    valeant = [e for e in entities if "Valeant" in e["name"]]
    assert [(e["name"], e["type"]) for e in valeant] == [("Valeant Pharmaceuticals International", "ORG")]
    assert len(texts_of(mentions, valeant[0], "name")) == 3


def test_a_surname_before_a_generational_suffix_is_the_persons_surname(nlp):
    text = ("Rubio donor Luther Stan Pate IV was behind the effort. On the Democratic side Pate backed "
            "two candidates, and Pate said he met Rubio.")
    entities, mentions = run(nlp, text)
    pate = [e for e in entities if "Pate" in e["name"]]
    # "Pate" is the surname of "Luther Stan Pate IV", not a second entity (nor a side, after "side")
    assert [e["name"] for e in pate] == ["Luther Stan Pate IV"]
    assert texts_of(mentions, pate[0], "name").count("Pate") == 2


@pytest.mark.parametrize("given, pronoun", [("Loretta", "She"), ("Merrick", "He")])
def test_a_common_given_name_gives_the_gender_a_pronoun_needs(nlp, given, pronoun):
    # the other person fits the pronoun too: only knowing the given name's gender picks the latest subject
    other = "Sandra Hale" if pronoun == "She" else "Thomas Hale"
    text = f"{other} spoke first on Monday. {given} Quist spoke next. {pronoun} said the talks went well."
    entities, mentions = run(nlp, text)
    person = by_name(entities)[f"{given} Quist"]
    assert pronoun in texts_of(mentions, person, "pronoun")


def test_he_said_after_a_quotation_is_not_the_person_the_quotation_is_about(nlp):
    text = ('Governor Phil Bryant criticised the ruling on Friday. "Judge Carlton Reeves did not recognize '
            'that reality," he said in a statement.')
    entities, mentions = run(nlp, text)
    names = by_name(entities)
    assert "he" in texts_of(mentions, names["Phil Bryant"], "pronoun")
    assert "he" not in texts_of(mentions, names["Carlton Reeves"], "pronoun")


def test_a_surname_beside_a_party_word_is_still_the_person(nlp):
    text = "Donald Trump won Iowa. Pate said he would support Hillary Clinton over Republican Trump."
    entities, mentions = run(nlp, text)
    assert texts_of(mentions, by_name(entities)["Donald Trump"], "name").count("Trump") == 1


@pytest.mark.parametrize("text, name, description", [
    ("Tim Canova is running. Instead, the political novice wants to unseat the congresswoman.",
     "Tim Canova", "the political novice"),
    ("Ban Ki-moon is leaving. The bespectacled, 71-year-old diplomat said he was proud.",
     "Ban Ki-moon", "The bespectacled, 71-year-old diplomat"),
])
def test_descriptions_of_politicians_name_the_person_in_view(nlp, text, name, description):
    entities, mentions = run(nlp, text)
    assert description in texts_of(mentions, by_name(entities)[name], "descriptor")


def test_a_pronoun_takes_its_own_sentences_subject_whose_gender_is_unknown(nlp):
    text = ("Erica Smith spoke first. Sandy Phillips, who lost her daughter in the shooting, said Bernie Sanders "
            "was late. She said he had apologised.")
    entities, mentions = run(nlp, text)
    phillips = by_name(entities)["Sandy Phillips"]
    assert "her" in texts_of(mentions, phillips, "pronoun")
    assert "She" in texts_of(mentions, phillips, "pronoun")  # her gender is known from then on


def test_a_shortened_organisation_name_joins_the_one_full_name_it_begins(nlp):
    text = ("The Fox Business Network hosted the debate in Milwaukee. Viewers said Fox Business asked "
            "sharper questions than CNBC.")
    entities, mentions = run(nlp, text)
    fox = [e for e in entities if e["name"].startswith("Fox")]
    assert [e["name"] for e in fox] == ["Fox Business Network"]
    assert "Fox Business" in texts_of(mentions, fox[0], "name")


def test_a_pronoun_in_a_who_clause_is_the_person_who_stands_for(nlp):
    text = ("If elected, Donald Trump would be the oldest president, topping Ronald Reagan, who was 69 when he "
            "took office in 1981.")
    entities, mentions = run(nlp, text)
    assert "he" in texts_of(mentions, by_name(entities)["Ronald Reagan"], "pronoun")


def test_the_owner_of_a_subject_that_is_no_person_is_salient_but_not_the_owner_of_a_person(nlp):
    text = ("Judge Carlton W. Reeves ruled on Friday. Robert McDuff praised the ruling. Reeves's decision comes "
            "20 months after he struck down the bans.")
    entities, mentions = run(nlp, text)
    assert "he" in texts_of(mentions, by_name(entities)["Carlton W. Reeves"], "pronoun")
    text = "Donald Trump spoke on Monday. Donald Trump's campaign manager says he is gratified by the decision."
    entities, mentions = run(nlp, text)
    assert "he" not in texts_of(mentions, by_name(entities)["Donald Trump"], "pronoun")


def test_he_inside_a_quotation_is_the_subject_the_same_quoted_sentence_names(nlp):
    text = ("Barack Obama met senators on Monday. “Obama emphasized that he did not pick a nominee to please "
            "anyone,” wrote Juliet Eilperin. “He said the meeting went well,” she added.")
    entities, mentions = run(nlp, text)
    obama = texts_of(mentions, by_name(entities)["Barack Obama"], "pronoun")
    # "he" after "Obama emphasized" in the same quoted sentence; the quoted "He" of the next quotation has
    # no subject before it in its quoted sentence and is left alone
    assert obama == ["he"]


def test_a_role_the_article_gave_no_one_names_the_one_person_in_view(nlp):
    text = ("Hillary Clinton arrived in Orlando on Friday. The newspaper reported that the Democratic "
            "presidential candidate met privately with victims.")
    entities, mentions = run(nlp, text)
    assert "the Democratic presidential candidate" in texts_of(mentions, by_name(entities)["Hillary Clinton"],
                                                               "descriptor")
    # two persons in view: no guess; a role owning a thing names nobody ("the governor's race")
    for text in ("Hillary Clinton met Bernie Sanders on Friday. The candidate said little.",
                 "Rick Scott spoke on Friday. He won the governor's race in 2010."):
        entities, mentions = run(nlp, text)
        assert not [m for m in mentions if m["mention_kind"] == "descriptor"]


def test_the_arabic_article_al_is_no_given_name(nlp):
    entities, _ = run(nlp, "Al Qaeda claimed the attack, Al Jazeera reported on Friday.")
    assert {e["type"] for e in entities if e["name"].startswith("Al ")} == {"ORG"}


def test_he_said_by_a_description_already_linked_is_that_person(nlp):
    text = ("Dmitry Tsvetkov sued his wife. The diamond trader also said he had talked to a producer. "
            "Mr. Lopez spoke on Monday. The mayor spoke next.")
    entities, mentions = run(nlp, text)
    tsvetkov = by_name(entities)["Dmitry Tsvetkov"]
    assert "The diamond trader" in texts_of(mentions, tsvetkov, "descriptor")
    assert "he" in texts_of(mentions, tsvetkov, "pronoun")
    # a bare role the article gave no one brings someone new in
    assert "The mayor" not in [m["text"] for m in mentions]
