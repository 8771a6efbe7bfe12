"""broadsheet_tone through the public API: VADER's own scores per sentence (the reference
implementation, called directly here), GDELT's aggregation, quotations scored on their own text, and
a sanity check against paragraphs labelled positive or negative by reading (tests/data/tone_sample.jsonl)."""

from __future__ import annotations

import json
import math
import re

import pytest
from conftest import REPO
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import broadsheet

REFERENCE = SentimentIntensityAnalyzer()
SENTENCES = [
    "The rescue was a wonderful success and the families were overjoyed.",
    "The attack killed dozens and left the city in shock.",
    "The committee met on Tuesday to discuss the budget.",
    "The plan is not good, but it is not terrible either.",
    "VADER is smart, handsome, and funny!!!",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_one_sentence_gets_vaders_own_scores(nlp, sentence):
    tone = broadsheet.analyze(sentence, nlp=nlp).tone
    ref = REFERENCE.polarity_scores(sentence)
    assert math.isclose(tone["positive"], 100 * ref["pos"]) and math.isclose(tone["negative"], 100 * ref["neg"])
    assert math.isclose(tone["tone"], 100 * (ref["pos"] - ref["neg"]))
    assert math.isclose(tone["polarity"], 100 * (ref["pos"] + ref["neg"]))
    assert math.isclose(tone["compound"], ref["compound"])
    assert tone["word_count"] == len(re.findall(r"[A-Za-z]+", sentence))


def test_sentences_are_weighted_by_their_words(nlp):
    first, second = "Great news.", "The long awaited report about the regional budget was published today."
    tone = broadsheet.analyze(f"{first} {second}", nlp=nlp).tone
    a, b = REFERENCE.polarity_scores(first), REFERENCE.polarity_scores(second)
    assert tone["word_count"] == 2 + 11
    assert math.isclose(tone["positive"], 100 * (a["pos"] * 2 + b["pos"] * 11) / 13)


def test_negation_is_handled_as_vader_defines_it(nlp):
    good = broadsheet.analyze("The new law is good for families.", nlp=nlp).tone["tone"]
    not_good = broadsheet.analyze("The new law is not good for families.", nlp=nlp).tone["tone"]
    assert good > 0 > not_good


def test_a_quotation_is_scored_on_its_own_words(nlp):
    text = 'The ceremony was lovely and joyful. "This is a disaster and a disgrace," the senator said.'
    analysis = broadsheet.analyze(text, nlp=nlp)
    (quote,) = [q for q in analysis.quotations if q.kind == "direct"]
    ref = REFERENCE.polarity_scores(quote.text)
    assert math.isclose(quote.tone, 100 * (ref["pos"] - ref["neg"])) and quote.tone < 0 < analysis.tone["positive"]
    assert quote.word_count == 7  # This is a disaster and a disgrace


def test_no_words_no_tone(nlp):
    tone = broadsheet.analyze("2023 — 14:00 …", nlp=nlp).tone
    assert tone["word_count"] == 0 and tone["tone"] is None


def test_labelled_paragraphs_get_the_sign_a_reader_gives_them():
    """40 paragraphs picked from the dev corpora by reading (20 clearly good news or praise, 20 clearly
    bad news or attack): the lexicon score must agree with most of them."""
    sample = [json.loads(line) for line in (REPO / "tests/data/tone_sample.jsonl").read_text().splitlines() if line]
    analyses = broadsheet.analyze_many(s["text"] for s in sample)
    agree = sum((a.tone["tone"] > 0) == (s["label"] == "positive") for s, a in zip(sample, analyses, strict=True))
    assert len(sample) == 40 and agree / len(sample) >= 0.75


@pytest.mark.parametrize("text", [
    *SENTENCES, "  spaced out, and kind of good  ", "I love it 😀!!", "not bad at all, but great", "",
    "The VERY BEST day :) ever", "It was somewhat kind of terrible.", "No, never again!!!"])
def test_the_analyzer_gives_vaders_scores_with_or_without_emoji(text):
    from broadsheet.extract.tone import analyzer

    assert analyzer().polarity_scores(text) == REFERENCE.polarity_scores(text)
