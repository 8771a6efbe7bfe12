"""Events: participants and dates read from beyond the trigger's own phrase.

Each rule class of issue 15 has a case that holds and one that must not fire: the setting of an event
noun (nested phrases, participation verbs, adjunct phrases of attended events), infinitives on a
clause's object noun, object control, same-word event coreference, and dates from the sentence, a
participation verb's object, a relative clause that holds the event and a coordinated event noun.
Sentences are made up for these tests; entities and time expressions are given by hand (Article).
"""

from __future__ import annotations

from test_events import Article


def _article(nlp, text: str, names: list[tuple[str, str]], times: list[tuple[str, str]] = ()) -> Article:
    art = Article(nlp, text)
    for surface, etype in names:
        art.name(surface, etype)
    for surface, value in times:
        art.time(surface, value)
    return art


# ---------------------------------------------------------------------------------------- participants


def test_the_subject_takes_part_in_an_event_noun_inside_nested_setting_phrases(nlp):
    art = _article(nlp, "Jane Moss clashed with Paul Reed in the second hour of the televised debate.",
                   [("Jane Moss", "PERSON"), ("Paul Reed", "PERSON")])
    assert "Jane Moss" in art.event("debate")[2]
    # whom the clause acts on was there too, whatever the preposition: a person is no setting
    art = _article(nlp, "Jane Moss is swinging hard at Paul Reed in the opening round of the debate.",
                   [("Jane Moss", "PERSON"), ("Paul Reed", "PERSON")])
    assert art.event("debate")[2] == ["Jane Moss", "Paul Reed"]


def test_the_subject_of_a_verb_that_only_judges_an_event_is_no_participant(nlp):
    art = _article(nlp, "Moss criticized the ruling.", [("Moss", "PERSON")])
    assert art.event("ruling")[2] == []


def test_the_subject_of_a_participation_verb_takes_part_in_its_object_event(nlp):
    art = _article(nlp, "Senator Ann Lake addressed a crowded rally in Des Moines.",
                   [("Ann Lake", "PERSON"), ("Des Moines", "GPE")])
    assert "Ann Lake" in art.event("rally")[2]


def test_an_adjunct_phrase_sets_the_scene_of_an_attended_event_only(nlp):
    met = _article(nlp, "Ann Lake praised Tom Hart after their meeting at the hotel.",
                   [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")])
    assert met.event("meeting")[2] == ["Ann Lake", "Tom Hart"]
    # protests one does not attend by resigning after them
    protested = _article(nlp, "Ann Lake resigned after weeks of protests.", [("Ann Lake", "PERSON")])
    assert protested.event("protests")[2] == []


def test_an_infinitive_on_the_object_noun_is_done_by_the_clause_subject(nlp):
    art = _article(nlp, "Ann Lake has no plans to meet Tom Hart.", [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")])
    assert art.event("meet")[2] == ["Ann Lake", "Tom Hart"]


def test_an_infinitive_parsed_as_a_relative_clause_on_the_predicate_noun_is_done_by_the_subject(nlp):
    # the small model parses "to win" here as relcl, not acl
    art = _article(nlp, "In Ohio, Ann Lake became the first Jewish candidate to win a primary.",
                   [("Ann Lake", "PERSON"), ("Ohio", "GPE")])
    assert "Ann Lake" in art.event("win")[2]
    # on the object of a verb that is not hers, the infinitive is not her doing
    told = _article(nlp, "Ann Lake praised the first candidate to win a primary in Ohio.",
                    [("Ann Lake", "PERSON"), ("Ohio", "GPE")])
    assert "Ann Lake" not in told.event("win")[2]


def test_an_event_in_a_relative_clause_of_place_happened_at_the_place_it_hangs_on(nlp):
    from broadsheet.extract.ids import entity_id_for

    ohio, dayton = entity_id_for("GPE", "Ohio"), entity_id_for("GPE", "Dayton")
    art = _article(nlp, "The senators flew to Ohio, where Ann Lake met Tom Hart.",
                   [("Ohio", "GPE"), ("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")])
    met = next(ev for ev in art.found() if ev.trigger == "met")
    assert met.location_entity_id == ohio
    assert (ohio, "place") in art.participants(met) and (ohio, "participant") not in art.participants(met)
    # the place the noun is in, when the noun is no place of its own
    art = _article(nlp, "Ann Lake visited a hospital in Dayton, where two nurses were killed.",
                   [("Ann Lake", "PERSON"), ("Dayton", "GPE")])
    assert next(ev for ev in art.found() if ev.trigger == "killed").location_entity_id == dayton
    # the place that names the noun
    art = _article(nlp, "Tom Hart recalled the Dayton scandal, in which four nurses were killed.",
                   [("Tom Hart", "PERSON"), ("Dayton", "GPE")])
    assert next(ev for ev in art.found() if ev.trigger == "killed").location_entity_id == dayton
    # a relative clause that is not one of place says nothing of where: Ohio is what was visited
    art = _article(nlp, "Tom Hart praised Ohio, which Ann Lake visited.", [("Ohio", "GPE"), ("Ann Lake", "PERSON"),
                                                                        ("Tom Hart", "PERSON")])
    visited = next(ev for ev in art.found() if ev.trigger == "visited")
    assert (ohio, "place") not in art.participants(visited)


def test_every_place_of_a_place_phrase_takes_the_role_place(nlp):
    places = [("Colorado", "GPE"), ("Minnesota", "GPE"), ("Oklahoma", "GPE"), ("Ann Lake", "PERSON")]
    art = _article(nlp, "Ann Lake won primaries in Colorado, Minnesota and Oklahoma.", places)
    assert art.event("won")[2] == ["Ann Lake", "Colorado", "Minnesota", "Oklahoma"]
    # "her home state of Ohio": the place is the one "of" names
    art = _article(nlp, "Ann Lake was arrested in her home state of Ohio.", [("Ann Lake", "PERSON"), ("Ohio", "GPE")])
    assert art.event("arrested")[2] == ["Ann Lake", "Ohio"]
    # and for an event noun, through the verb that supports it
    art = _article(nlp, "Ann Lake held a rally in her home state of Ohio.", [("Ann Lake", "PERSON"), ("Ohio", "GPE")])
    assert art.event("rally")[2] == ["Ann Lake", "Ohio"]


def test_every_place_the_event_is_set_in_alike_takes_the_role_place(nlp):
    # conjoined prepositions, the second through a place noun's "of": both places, the first the location
    art = _article(nlp, "Ann Lake won the primary in Oklahoma and in her home state of Ohio.",
                   [("Ann Lake", "PERSON"), ("Oklahoma", "GPE"), ("Ohio", "GPE")])
    assert art.event("won")[2] == ["Ann Lake", "Ohio", "Oklahoma"]
    won = next(ev for ev in art.found() if ev.trigger == "won")
    from broadsheet.extract.ids import entity_id_for

    assert won.location_entity_id == entity_id_for("GPE", "Oklahoma")
    # a list of places in the object's phrase
    art = _article(nlp, "The group has spent $20 million on ads in Iowa, Nevada and Utah.",
                   [("Iowa", "GPE"), ("Nevada", "GPE"), ("Utah", "GPE")])
    assert art.event("spent")[2] == ["Iowa", "Nevada", "Utah"]
    # a place attached further out than the nearest one is not where the event was
    art = _article(nlp, "Ann Lake won the primary in Oklahoma, a state that borders Texas.",
                   [("Ann Lake", "PERSON"), ("Oklahoma", "GPE"), ("Texas", "GPE")])
    assert art.event("won")[2] == ["Ann Lake", "Oklahoma"]


def test_the_words_of_a_speaker_in_an_event_put_the_speaker_in_it(nlp):
    art = _article(nlp, "Ann Lake's comments came during a television interview on Saturday.", [("Ann Lake", "PERSON")])
    assert art.event("interview")[2] == ["Ann Lake"]
    # what else someone owns says nothing of where they were
    art = _article(nlp, "Ann Lake's dog barked during Tom Hart's television interview on Saturday.",
                   [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")])
    assert art.event("interview")[2] == ["Tom Hart"]


def test_who_after_a_predicate_noun_is_the_subject_it_describes(nlp):
    art = _article(nlp, "Ann Lake is a veteran lawyer who was born in Ohio.", [("Ann Lake", "PERSON"), ("Ohio", "GPE")])
    assert art.event("born")[2] == ["Ann Lake", "Ohio"]
    # a nationality as the predicate is no one: the person it describes was born
    art = _article(nlp, "Ann Lake is an Irish American who was born in Ohio.",
                   [("Ann Lake", "PERSON"), ("Irish American", "NORP"), ("Ohio", "GPE")])
    assert art.event("born")[2] == ["Ann Lake", "Ohio"]


def test_to_after_a_verb_the_parser_calls_dative_names_the_recipient(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")]
    email = _article(nlp, "Ann Lake sent an email to Tom Hart.", names)
    assert email.event("email")[2] == ["Ann Lake", "Tom Hart"]
    # and the dative without "to" still names the recipient itself
    hearing = _article(nlp, "The senators gave Tom Hart a hearing.", names)
    assert hearing.event("hearing")[2] == ["Tom Hart"]


def test_nearing_a_contested_event_takes_part_in_it(nlp):
    names = [("Ann Lake", "PERSON")]
    art = _article(nlp, "Ann Lake, who is edging closer to the nomination, spoke in Ohio.", names)
    assert art.event("nomination")[2] == ["Ann Lake"]
    # "to" alone is the verb's own argument: referring to a nomination is no part in it
    art = _article(nlp, "Ann Lake referred to the nomination.", names)
    assert art.event("nomination")[2] == []


def test_the_object_of_a_control_verb_does_what_the_infinitive_says(nlp):
    art = _article(nlp, "Governor Ann Lake urged Tom Hart to visit Ohio.",
                   [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Ohio", "GPE")])
    participants = art.event("visit")[2]
    assert "Tom Hart" in participants and "Ann Lake" not in participants


def test_a_definite_event_noun_takes_the_participants_of_the_same_word_told_before(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")]
    told = _article(nlp, "Ann Lake held a meeting with Tom Hart on Monday. The meeting lasted two hours.", names,
                    [("Monday", "2024-03-04")])
    first, second = [s for s in told.summary() if s[1] == "meeting"]
    assert first[2] == second[2] == ["Ann Lake", "Tom Hart"]
    # "another meeting" is a new one
    fresh = _article(nlp, "Ann Lake held a meeting with Tom Hart on Monday. Another meeting is planned.", names,
                     [("Monday", "2024-03-04")])
    assert [s[2] for s in fresh.summary() if s[1] == "meeting"] == [["Ann Lake", "Tom Hart"], []]


def test_a_definite_event_noun_paragraphs_later_still_takes_the_participants_told_before(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")]
    filler = " ".join(f"Polls in the {n} district showed little change." for n in
                      ("first", "second", "third", "fourth", "fifth", "sixth", "seventh"))
    art = _article(nlp, f"Ann Lake met Tom Hart on Monday. {filler} The meeting lasted two hours.", names,
                   [("Monday", "2024-03-04")])
    assert art.event("meeting")[2] == ["Ann Lake", "Tom Hart"]


def test_a_definite_event_noun_of_another_name_takes_nobody(nlp):
    names = [("Ann Lake", "PERSON"), ("Republican National Convention", "EVENT")]
    art = _article(nlp, "Ann Lake spoke at the Republican National Convention. Reporters asked about "
                        "the Democratic National Convention.", names)
    assert [s[2] for s in art.summary() if s[1] == "Convention"] == [["Ann Lake"], []]


def test_a_definite_ing_noun_takes_the_participants_of_its_verb_told_before(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")]
    art = _article(nlp, "Ann Lake met Tom Hart on Monday. The meeting lasted two hours.", names,
                   [("Monday", "2024-03-04")])
    assert art.event("meeting")[2] == ["Ann Lake", "Tom Hart"]


def test_another_word_for_an_earlier_event_takes_nobody(nlp):
    art = _article(nlp, "Acme bought Zeta Corp on Monday. The acquisition needs approval.",
                   [("Acme", "ORG"), ("Zeta Corp", "ORG")], [("Monday", "2024-03-04")])
    assert art.event("acquisition")[2] == []


# ---------------------------------------------------------------------------------------------- dates


def test_a_date_on_a_verb_dates_the_event_noun_of_its_setting(nlp):
    art = _article(nlp, "Ann Lake said Thursday during a taping of a radio town hall that taxes were too high.",
                   [("Ann Lake", "PERSON")], [("Thursday", "2024-03-07")])
    assert art.event("town hall")[3] == "2024-03-07"


def test_a_date_on_a_reporting_verb_does_not_date_what_is_reported(nlp):
    art = _article(nlp, "Ann Lake said Thursday that the election was rigged.", [("Ann Lake", "PERSON")],
                   [("Thursday", "2024-03-07")])
    assert art.event("election")[3] is None


def test_a_phrase_of_another_time_keeps_its_event_undated(nlp):
    art = _article(nlp, "Lake resigned on Monday after talks with the union collapsed.", [("Lake", "PERSON")],
                   [("Monday", "2024-03-04")])
    assert art.event("resigned")[3] == "2024-03-04"
    assert art.event("talks")[3] is None


def test_a_date_in_a_clause_the_trigger_is_subordinate_to_dates_it(nlp):
    art = _article(nlp, "Ann Lake won a seat in the Senate in 2012, while Tom Hart lost the race.",
                   [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Senate", "ORG")], [("2012", "2012")])
    assert art.event("race")[3] == "2012"


def test_a_where_clause_shares_the_date_of_its_scene(nlp):
    art = _article(nlp, "Negotiations moved on Sunday to Geneva, where Ann Lake met Tom Hart.",
                   [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Geneva", "GPE")], [("Sunday", "2024-03-03")])
    assert art.event("met")[3] == "2024-03-03"


def test_the_date_of_a_participation_verbs_object_event_dates_the_verb(nlp):
    art = _article(nlp, "Ann Lake addressed a Wednesday night rally in Des Moines.",
                   [("Ann Lake", "PERSON"), ("Des Moines", "GPE")], [("Wednesday night", "2024-03-06TNI")])
    assert art.event("addressed")[3] == "2024-03-06TNI"


def test_a_relative_clause_that_begins_the_event_dates_it(nlp):
    art = _article(nlp, "She is headed to Ohio for the party convention, which begins Monday.", [("Ohio", "GPE")],
                   [("Monday", "2024-03-11")])
    assert art.event("convention")[3] == "2024-03-11"


def test_coordinated_event_nouns_share_a_date(nlp):
    art = _article(nlp, "Strong showings in the states that held primaries and caucuses Tuesday strengthened "
                        "the prospect.", [], [("Tuesday", "2024-03-05")])
    assert art.event("primaries")[3] == art.event("caucuses")[3] == "2024-03-05"


def test_a_participle_on_a_plain_noun_is_done_by_whoever_the_noun_belongs_to(nlp):
    art = _article(nlp, "A Gallup poll released Tuesday showed Ann Lake ahead.",
                   [("Gallup", "ORG"), ("Ann Lake", "PERSON")], [("Tuesday", "2024-03-05")])
    assert art.event("released")[2] == ["Gallup"]


def test_the_dative_of_a_support_verb_takes_part_in_the_event(nlp):
    art = _article(nlp, "Senate leaders should give Tom Hart a hearing.", [("Tom Hart", "PERSON")])
    assert art.event("hearing")[2] == ["Tom Hart"]
    # a plain object of the support verb is the event itself, not a participant
    held = _article(nlp, "Tom Hart held a hearing.", [("Tom Hart", "PERSON")])
    assert held.event("hearing")[2] == ["Tom Hart"]


def test_members_a_participant_group_is_said_to_include_take_part(nlp):
    art = _article(nlp, "Ann Lake met with senior Democrats, including Tom Hart and Paul Reed.",
                   [("Ann Lake", "PERSON"), ("Democrats", "NORP"), ("Tom Hart", "PERSON"), ("Paul Reed", "PERSON")])
    assert {"Ann Lake", "Democrats", "Tom Hart", "Paul Reed"} <= set(art.event("met")[2])
    # members of something that is no participant do not become one
    other = _article(nlp, "Ann Lake, who sells to many states including Ohio, met Tom Hart on Monday.",
                     [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Ohio", "GPE")])
    assert other.event("met")[2] == ["Ann Lake", "Tom Hart"]


def test_an_event_noun_compounded_onto_one_of_its_type_is_one_event(nlp):
    art = _article(nlp, "Ann Lake spoke Thursday during a taping of a radio town hall meeting in Ohio.",
                   [("Ann Lake", "PERSON"), ("Ohio", "GPE")], [("Thursday", "2024-03-07")])
    assert [s[1] for s in art.summary() if s[0] == "Contact.Meet"] == ["meeting"]


def test_minutes_or_hours_from_a_dated_event_is_its_day(nlp):
    soon = _article(nlp, "Soon after Sunday's shooting in Ohio, Ann Lake tweeted about it.",
                    [("Ann Lake", "PERSON"), ("Ohio", "GPE")], [("Sunday", "2024-03-03")])
    assert soon.event("tweeted")[3] == "2024-03-03"
    minutes = _article(nlp, "Ann Lake posted a message just minutes before the attack began on Sunday.",
                       [("Ann Lake", "PERSON")], [("Sunday", "2024-03-03")])
    assert minutes.event("posted")[3] == "2024-03-03"
    # weeks after is another day
    weeks = _article(nlp, "Weeks after Sunday's shooting in Ohio, Ann Lake tweeted about it.",
                     [("Ann Lake", "PERSON"), ("Ohio", "GPE")], [("Sunday", "2024-03-03")])
    assert weeks.event("tweeted")[3] is None


def test_a_when_clause_happens_at_the_time_of_the_clause_it_hangs_on(nlp):
    art = _article(nlp, "Ann Lake is expected to speak in Ohio on Thursday night, as her rivals hold a debate.",
                   [("Ann Lake", "PERSON"), ("Ohio", "GPE")], [("Thursday night", "2024-03-07TNI")])
    assert art.event("debate")[3] == "2024-03-07TNI"


def test_a_nationality_takes_part_as_the_country_the_article_names(nlp):
    art = _article(nlp, "Russia denied it. Russian officials met Tom Hart in Geneva on Monday.",
                   [("Russia", "GPE"), ("Russian", "NORP"), ("Tom Hart", "PERSON"), ("Geneva", "GPE")])
    assert art.event("met")[2] == ["Geneva", "Russia", "Tom Hart"]
    # "Austrian" is not Australia's, and a nationality whose country the article never names stays itself
    other = _article(nlp, "Austrian officials met Tom Hart. Australia and France were absent.",
                     [("Austrian", "NORP"), ("Tom Hart", "PERSON"), ("Australia", "GPE"), ("France", "GPE")])
    assert other.event("met")[2] == ["Austrian", "Tom Hart"]
    # planes stand for whose they are, and flying raids is making them
    raids = _article(nlp, "Russia denied it. Aides cited the battlefield, with Russian planes flying raids.",
                     [("Russia", "GPE"), ("Russian", "NORP")])
    assert raids.event("raids")[2] == ["Russia"]


def test_the_possessor_of_a_noun_of_pursuit_takes_part_in_what_it_leads_to(nlp):
    art = _article(nlp, "Ann Lake's lead for the nomination is shrinking.", [("Ann Lake", "PERSON")])
    assert art.event("nomination")[2] == ["Ann Lake"]
    # the parser hangs "to" on the verb: the noun right before it is still the path
    path = _article(nlp, "Reporters did not spell out Ann Lake's path to the nomination.", [("Ann Lake", "PERSON")])
    assert path.event("nomination")[2] == ["Ann Lake"]


def test_a_quotations_speaker_is_its_i_and_its_he_said(nlp):
    from test_events import DOC_ID

    from broadsheet.extract.records import Quotation

    text = 'Ann Lake spoke on Monday. "I met Tom Hart twice," she said.'
    art = _article(nlp, text, [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")])
    lake = next(e.entity_id for e in art.entities.values() if e.name == "Ann Lake")
    content, she = text.index("I met"), text.index("she said")
    art.quotations.append(Quotation(quote_id="Q1", doc_id=DOC_ID, start_char=content,
                                    end_char=text.index(',"'), text="I met Tom Hart twice", kind="direct",
                                    speaker_entity_id=lake, speaker_text="she", speaker_start_char=she,
                                    speaker_end_char=she + 3))
    assert art.event("met")[2] == ["Ann Lake", "Tom Hart"]
    # the same words with no speaker known: "I" is nobody
    alone = _article(nlp, text, [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")]).quote("I met Tom Hart twice")
    assert alone.event("met")[2] == ["Tom Hart"]
    # "we" counts the speaker in
    text = 'Ann Lake spoke on Monday. "We did have a phone call with Tom Hart," she said.'
    art = _article(nlp, text, [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON")])
    content, she = text.index("We did"), text.index("she said")
    art.quotations.append(Quotation(quote_id="Q1", doc_id=DOC_ID, start_char=content,
                                    end_char=text.index(',"'), text=text[content:text.index(',"')], kind="direct",
                                    speaker_entity_id=lake, speaker_text="she", speaker_start_char=she,
                                    speaker_end_char=she + 3))
    assert art.event("phone call")[2] == ["Ann Lake", "Tom Hart"]


def test_an_unresolved_they_is_the_pair_told_last(nlp):
    art = _article(nlp, "Ann Lake and Tom Hart have struggled in the polls. They are banking on winning Ohio.",
                   [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Ohio", "GPE")])
    assert {"Ann Lake", "Tom Hart"} <= set(art.event("winning")[2])
    # inside quotation marks "they" speaks from the speaker's view: no one is assumed
    quoted = _article(nlp, 'Ann Lake and Tom Hart have struggled. "They are banking on winning Ohio," aides said.',
                      [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Ohio", "GPE")])
    assert "Ann Lake" not in quoted.event("winning")[2]


def test_a_contest_takes_the_persons_its_sentence_sets_against_each_other(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Iowa", "GPE"), ("Josh Reed", "PERSON")]
    art = _article(nlp, "Following the Iowa caucus, Ann Lake is currently leading Tom Hart, 48 percent to 45 percent.",
                   names)
    assert {"Ann Lake", "Tom Hart"} <= set(art.event("caucus")[2])
    # a person who only speaks of the contest is no candidate in it
    art = _article(nlp, "Josh Reed argued that a competitive primary was not a problem.", names)
    assert art.event("primary")[2] == []


def test_one_election_takes_the_persons_its_sentence_names_but_its_source(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Josh Reed", "PERSON")]
    art = _article(nlp, "Voters in the Democratic primary are watching Ann Lake argue for reform, while her main "
                        "rival, Tom Hart, argues against it.", names)
    assert {"Ann Lake", "Tom Hart"} <= set(art.event("primary")[2])
    sourced = _article(nlp, "Ann Lake would derail in the general election, Josh Reed said.", names)
    assert sourced.event("general election")[2] == ["Ann Lake"]
    # "elections" in the plural are mostly elections in general: nobody is assumed
    plural = _article(nlp, "Turnout data from recent elections worry Ann Lake.", names)
    assert plural.event("elections")[2] == []


def test_a_talk_with_nobody_of_its_own_takes_the_persons_its_sentence_names(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Josh Reed", "PERSON")]
    art = _article(nlp, "Ann Lake spoke with Tom Hart and did not rule out a meeting.", names)
    assert art.event("meeting")[2] == ["Ann Lake", "Tom Hart"]
    # the one who says there will be none is its source, and a name that only classifies a noun is nobody
    said = _article(nlp, "Josh Reed reiterated that there won't be a hearing.", names)
    assert said.event("hearing")[2] == []
    # unless what the source says names it again: then it is a party all the same
    again = _article(nlp, "Ann Lake said she would be honored to see the pope, but no meeting has been arranged.",
                     names)
    again.name("she", "PERSON", canonical="Ann Lake", kind="pronoun")
    assert again.event("meeting")[2] == ["Ann Lake"]
    classifies = _article(nlp, "Activists of the anti-Hart camp want a meeting.", [("Hart", "PERSON")])
    assert classifies.event("meeting")[2] == []
    # a gathering of a party is no talk: the persons beside it seldom held it
    rally = _article(nlp, "Polls of Ann Lake and Tom Hart were published as the convention opened.", names)
    assert rally.event("convention")[2] == []


def test_a_date_saying_what_the_event_covers_gives_way_to_its_time(nlp):
    art = _article(nlp, "He will release his tax returns for 2014 on Friday.", [],
                   [("2014", "2014"), ("Friday", "2016-04-15")])
    assert art.event("release")[3] == "2016-04-15"
    art = _article(nlp, "The vote is scheduled for Tuesday.", [], [("Tuesday", "2016-04-19")])
    assert art.event("vote")[3] == "2016-04-19"


def test_time_spent_on_an_event_is_time_in_it_and_dates_it(nlp):
    names = [("Ann Lake", "PERSON"), ("Ohio", "GPE")]
    art = _article(nlp, "Ann Lake spent Wednesday on a victory tour in Ohio.", names, [("Wednesday", "2016-02-10")])
    assert art.event("tour")[2:] == (["Ann Lake", "Ohio"], "2016-02-10")
    # the time can be the object of "spent"
    art = _article(nlp, "Ann Lake spent the weekend on a bus tour of Ohio.", names, [("the weekend", "2016-W06-WE")])
    assert art.event("tour")[3] == "2016-W06-WE"
    # through a partitive pronoun too
    art = _article(nlp, "Ann Lake spent Wednesday on something of a victory tour in Ohio, filming shows.", names,
                   [("Wednesday", "2016-02-10")])
    assert art.event("tour")[2:] == (["Ann Lake", "Ohio"], "2016-02-10")


def test_a_gerund_parsed_as_the_object_of_a_preposition_is_done_by_the_clause_subject(nlp):
    # headline style, no article: the small model tags "meeting" a verb and makes it the object of "during"
    art = _article(nlp, "Obama and Putin fail to find common ground during meeting in China.",
                   [("Obama", "PERSON"), ("Putin", "PERSON"), ("China", "GPE")])
    assert art.event("meeting")[2] == ["China", "Obama", "Putin"]


def test_a_place_phrase_opening_the_sentence_sets_the_scene_of_its_events(nlp):
    names = [("Ann Lake", "PERSON"), ("Ohio", "GPE"), ("Texas", "GPE")]
    art = _article(nlp, "In Ohio, Ann Lake became the first Jewish candidate to win a primary.", names)
    assert art.event("win")[2] == ["Ann Lake", "Ohio"]
    # an event with a place of its own keeps it
    own = _article(nlp, "In Ohio, aides said Ann Lake had won the primary in Texas.", names)
    assert own.event("won")[2] == ["Ann Lake", "Texas"]
    # a place phrase inside the sentence sets no scene for the others
    inside = _article(nlp, "Ann Lake, who grew up in Ohio, became the first candidate to win a primary.", names)
    assert "Ohio" not in inside.event("win")[2]


# ---------------------------------------------------------------------------------------- where written


def test_a_participant_is_shown_by_its_mention_nearest_the_trigger(nlp):
    art = _article(nlp, "Ann Lake met Tom Hart in Ohio. Reporters asked Lake about it. Later Lake said the meeting "
                        "went well.", [("Tom Hart", "PERSON"), ("Ohio", "GPE")])
    art.name("Ann Lake", "PERSON")
    for nth in (1, 2):  # "Lake" in "asked Lake" and "Later Lake", not inside "Ann Lake"
        art.name("Lake", "PERSON", canonical="Ann Lake", nth=nth)
    events, rows = art.rows()
    by_trigger = {e["trigger"]: e["event_id"] for e in events}
    written = {(r["event_id"], r["text"], r["start_char"]) for r in rows}
    text = art.text
    # in its own sentence: the mention there nearest the trigger
    assert (by_trigger["met"], "Ann Lake", 0) in written
    # told in an earlier sentence: its nearest mention before the trigger, not the first one
    meeting = [r for r in rows if r["event_id"] == by_trigger["meeting"]]
    hart = next(r for r in meeting if r["text"] == "Tom Hart")
    assert hart["start_char"] == text.index("Tom Hart")
    lake = next(r for r in meeting if r["entity_id"] != hart["entity_id"] and r["role"] != "place")
    assert (lake["text"], lake["start_char"]) == ("Lake", text.index("Later Lake") + len("Later "))
    assert all(text[r["start_char"]:r["end_char"]] == r["text"] for r in rows)


def test_the_first_to_do_something_is_the_subject_of_the_clause_it_predicates(nlp):
    art = _article(nlp, "Ann Lake was the first of the four contenders to address the gala.",
                   [("Ann Lake", "PERSON")])
    assert art.event("address")[2] == ["Ann Lake"]
    # an ordinal that is not predicated of the subject says nothing of who did it
    art = _article(nlp, "Ann Lake praised the first of the contenders to address the gala.", [("Ann Lake", "PERSON")])
    assert "Ann Lake" not in art.event("address")[2]


def test_whose_is_the_relative_clause_antecedent(nlp):
    art = _article(nlp, "Tom Hart, the lawyer whose appearance at the rally drew crowds, spoke on Monday.",
                   [("Tom Hart", "PERSON")])
    assert "Tom Hart" in art.event("appearance")[2]


def test_who_after_an_organisation_of_a_person_noun_is_that_person(nlp):
    art = _article(nlp, "Ann Lake, the chairman of Acme Corp, who died in 2014, had an apartment.",
                   [("Ann Lake", "PERSON"), ("Acme Corp", "ORG")], [("2014", "2014")])
    assert art.event("died")[2] == ["Ann Lake"]
    # a people's name is no organisation: "five million Syrians who have fled" are the Syrians
    art = _article(nlp, "Only a fraction of the Syrians who have fled their country arrived.",
                   [("Syrians", "NORP")])
    assert art.event("fled")[2] == ["Syrians"]


def test_a_noun_that_counts_events_passes_its_verb_on_to_them(nlp):
    art = _article(nlp, "Hamas carried out a series of attacks on the base.", [("Hamas", "ORG")])
    assert art.event("attacks")[2] == ["Hamas"]
    # a noun that is more than a count keeps its verb to itself: Hamas only published the report
    art = _article(nlp, "Hamas published a report of attacks on the base.", [("Hamas", "ORG")])
    assert "Hamas" not in art.event("attacks")[2]


def test_a_speaker_s_organisation_named_in_apposition_takes_part_in_what_they_say(nlp):
    names = [("Sam Lau", "PERSON"), ("Iowa Democratic Party", "ORG")]
    art = _article(nlp, "Sam Lau, the communications director for the Iowa Democratic Party, said in a statement "
                        "that the count was final.", names)
    assert art.event("statement")[2] == ["Iowa Democratic Party", "Sam Lau"]
    # a former post speaks for no one
    art = _article(nlp, "Sam Lau, the former director of the Iowa Democratic Party, said in a statement that the "
                        "count was final.", names)
    assert art.event("statement")[2] == ["Sam Lau"]
    # and only what is said: being arrested is no act of one's employer
    art = _article(nlp, "Sam Lau, the communications director for the Iowa Democratic Party, was arrested on "
                        "Monday.", names)
    assert art.event("arrested")[2] == ["Sam Lau"]


def test_who_is_involved_in_an_event_takes_part_in_it(nlp):
    art = _article(nlp, "Tom Hart, one of two gunmen involved in the attacks, posted a video.",
                   [("Tom Hart", "PERSON")])
    assert "Tom Hart" in art.event("attacks")[2]
    art = _article(nlp, "Tom Hart was involved in the attack on the embassy.", [("Tom Hart", "PERSON")])
    assert "Tom Hart" in art.event("attack")[2]
    # a noun the event is merely "in" is no party to it
    art = _article(nlp, "Tom Hart, one of two reporters interested in the attacks, posted a video.",
                   [("Tom Hart", "PERSON")])
    assert "Tom Hart" not in art.event("attacks")[2]


def _groups(art: Article) -> dict[str, list[str]]:
    """event_group -> the triggers of its mentions, in text order."""
    events, _ = art.rows()
    groups: dict[str, list[str]] = {}
    for row in sorted(events, key=lambda r: r["start_char"]):
        groups.setdefault(row["event_group"], []).append(row["trigger"])
    return groups


def test_mentions_of_one_happening_share_an_event_group_named_by_the_first(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Joe Bell", "PERSON")]
    art = _article(nlp, "Ann Lake met Tom Hart on Thursday. After the meeting, Hart praised Lake. The meeting "
                        "lasted an hour. Lake had a meeting with Joe Bell on Friday.", names,
                   [("Thursday", "2024-05-09"), ("Friday", "2024-05-03")])
    events, _ = art.rows()
    first = next(r for r in events if r["trigger"] == "met")
    groups = _groups(art)
    assert groups[first["event_id"]] == ["met", "meeting", "meeting"]
    assert ["meeting"] in groups.values()  # "a meeting" with someone else: a happening of its own
    assert len(groups) == 2


def test_a_definite_mention_with_other_people_or_another_day_is_another_happening(nlp):
    names = [("Ann Lake", "PERSON"), ("Tom Hart", "PERSON"), ("Joe Bell", "PERSON")]
    art = _article(nlp, "Ann Lake met Tom Hart on Thursday. Joe Bell called the meeting with Ann Lake on Friday "
                        "a disaster.", names, [("Thursday", "2024-05-09"), ("Friday", "2024-05-10")])
    assert len(_groups(art)) == 2  # the day sets them apart, though Ann Lake was at both
    art = _article(nlp, "Ann Lake met Tom Hart on Thursday. Joe Bell praised the meeting with Ann Lake.", names,
                   [("Thursday", "2024-05-09")])
    assert len(_groups(art)) == 1  # shares Ann Lake, no day of its own: the same meeting
    art = _article(nlp, "Ann Lake met Tom Hart on Thursday. Joe Bell praised the meeting with Ann Bell.",
                   [*names, ("Ann Bell", "PERSON")], [("Thursday", "2024-05-09")])
    assert len(_groups(art)) == 2  # nobody in common


def test_the_name_owning_a_noun_a_participle_describes_did_it_when_no_by_says_who(nlp):
    art = _article(nlp, "In an Acme News poll released Sunday, most voters disapproved.", [("Acme News", "ORG")])
    assert art.event("released")[2] == ["Acme News"]
    # a capitalised "Poll", the owner a modifier of a modifier
    art = _article(nlp, "In an ABC News/Washington Post Poll released Sunday, three of four Americans disapproved.",
                   [("ABC News", "ORG")])
    assert "ABC News" in art.event("released")[2]
    # a "by" phrase says who
    art = _article(nlp, "In an Acme News poll released by Gallup on Sunday, most voters disapproved.",
                   [("Acme News", "ORG"), ("Gallup", "ORG")])
    assert art.event("released")[2] == ["Gallup"]
