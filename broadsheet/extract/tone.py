"""Tone of an article and of each of its quotations, GDELT's V1.5TONE fields from VADER.

VADER (vaderSentiment: a published, maintained lexicon-and-rules method for news and social text)
scores each sentence on its own, with its own handling of negation ("not good"), intensifiers and
"but"; a sentence is the unit VADER is defined on. The scores are then aggregated the way GDELT
reports tone, weighting each sentence by its words:

  positive  = 100 × Σ(pos_s × words_s) / Σ words_s   (VADER's positive share of a sentence, in percent)
  negative  = 100 × Σ(neg_s × words_s) / Σ words_s
  tone      = positive − negative                     (−100 … +100; news mostly falls within ±10)
  polarity  = positive + negative                     (how emotionally charged, whatever the sign)
  compound  = Σ(compound_s × words_s) / Σ words_s     (VADER's own −1 … +1 summary, word-weighted)
  word_count = Σ words_s                              (alphabetic tokens)

A quotation is scored on its own text only (the pieces of the sentences it covers, clipped to its
span), so a speaker's words are measured apart from the article around them.

What it is not: a stance or sentiment-towards-a-target detector. It scores the words, not who they
are about; sarcasm, quotation of an opponent, and domain words (a "positive" test) fool it.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from broadsheet.extract.component import Extractor, records_on
from broadsheet.extract.docs import doc_text, view


class _Analyzer(SentimentIntensityAnalyzer):
    """VADER's analyzer, with its first step skipped where it has nothing to do: polarity_scores
    rewrites emoji into words one character at a time in Python (about a quarter of its time on news),
    and text without emoji comes out of that step stripped and otherwise unchanged. Everything after
    it is VADER's own code (tests/test_tone.py checks the scores against the reference)."""

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self.emojis.keys().isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = SentiText(text)
        sentiments: list[float] = []
        words = sentitext.words_and_emoticons
        for i, item in enumerate(words):
            if item.lower() in BOOSTER_DICT or (
                    i < len(words) - 1 and item.lower() == "kind" and words[i + 1].lower() == "of"):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """VADER's analyzer, its lexicon loaded once per process."""
    return _Analyzer()


def sentence_scores(text: str) -> dict[str, float]:
    """VADER's scores of one sentence: neg, neu, pos (shares) and compound (−1 … +1)."""
    return analyzer().polarity_scores(text)


def aggregate(pieces: list[tuple[dict[str, float], int]]) -> dict[str, float | int | None]:
    """The tone fields of a text from its sentences' (VADER scores, word count)."""
    words = sum(n for _, n in pieces)
    if not words:
        return {"tone": None, "positive": None, "negative": None, "polarity": None, "compound": None,
                "word_count": 0}
    positive = 100.0 * sum(s["pos"] * n for s, n in pieces) / words
    negative = 100.0 * sum(s["neg"] * n for s, n in pieces) / words
    return {"tone": positive - negative, "positive": positive, "negative": negative,
            "polarity": positive + negative, "compound": sum(s["compound"] * n for s, n in pieces) / words,
            "word_count": words}


def _pieces(doc: Doc, start_char: int, end_char: int, scored: dict[str, dict[str, float]]
            ) -> list[tuple[dict[str, float], int]]:
    """The sentences of [start_char, end_char), clipped to it, each with VADER's scores and its words
    (`scored` keeps the article's scores by text: a quotation of whole sentences is not scored twice)."""
    shared = view(doc)
    text = doc_text(doc)
    alpha, idx = shared.is_alpha, shared.idx
    pieces = []
    for sent in shared.sents:
        lo, hi = max(sent.start_char, start_char), min(sent.end_char, end_char)
        if hi <= lo:
            continue
        words = sum(1 for i in range(sent.start, sent.end) if alpha[i] and lo <= idx[i] < hi)
        if words:
            piece = text[lo:hi]
            scores = scored.get(piece)
            if scores is None:
                scores = scored[piece] = sentence_scores(piece)
            pieces.append((scores, words))
    return pieces


def annotate_tone(doc: Doc) -> None:
    """Set `doc._.tone` and the tone fields of each quotation on the Doc."""
    scored: dict[str, dict[str, float]] = {}
    doc._.tone = aggregate(_pieces(doc, 0, len(doc_text(doc)), scored))
    for quote in records_on(doc, "quotations") or ():
        for field, value in aggregate(_pieces(doc, quote.start_char, quote.end_char, scored)).items():
            setattr(quote, field, value)


class ToneComponent(Extractor):
    """`broadsheet_tone`: sets `doc._.tone` and the tone columns of `doc._.quotations`."""

    needs_parse = ("SENT_START",)
    needs_tables = ("quotations",)

    def annotate(self, doc: Doc) -> None:
        annotate_tone(doc)


@Language.factory("broadsheet_tone", assigns=["doc._.tone"], requires=["doc._.quotations"])
def make_tone(nlp: Language, name: str) -> ToneComponent:
    """The tone scorer as a spaCy component."""
    return ToneComponent(nlp, name)
