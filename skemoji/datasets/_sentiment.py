"""Sentiment data inside skemoji: each emoji's sentiment, and English sentences and tweets labelled by theirs.

The files are made by ``tools/make_sentiment_data.py``; their licences and
credits are next to them (``LICENSE-emoji-sentiment.txt``, CC BY-SA 4.0,
``LICENSE-sentiment-sentences.txt``, CC BY 4.0, and
``LICENSE-vader-tweets.txt``, MIT).
"""

import functools
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .._emoji import normalize_emoji, without_skin_tones

_DATA = Path(__file__).parent / "data"

EMOJI_SENTIMENT_DESCR = """\
Emoji Sentiment Ranking
-----------------------

How often each emoji occurred in tweets that human annotators labelled
negative, neutral and positive: the emojis of 1.6 million labelled tweets in
13 European languages
(Kralj Novak, Smailovic, Sluban and Mozetic, "Sentiment of Emojis", PLoS
ONE 10(12), 2015; version 1.0). Emojis are normalised (U+FE0F removed) and
listed most used first.

Distributed under the Creative Commons Attribution-ShareAlike 4.0 license
(see LICENSE-emoji-sentiment.txt next to the data file).

:Number of emojis: {n_emojis:,}
:Number of occurrences counted: {n_occurrences:,}
"""


def _rows(name):
    """The tab-separated fields of each line of a data file, comment lines left out."""
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def _emoji_counts():
    rows = _rows("emoji_sentiment.tsv")
    emojis = np.array([row[0] for row in rows], dtype=object)
    counts = np.array([[int(n) for n in row[1:]] for row in rows], dtype=np.int64)
    emojis.setflags(write=False)
    counts.setflags(write=False)
    return emojis, counts


def load_emoji_sentiment():
    """Load the Emoji Sentiment Ranking: how often each emoji occurred in negative, neutral and positive tweets.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``emoji`` : ndarray of shape (969,), object (U+FE0F removed);
        ``negative``, ``neutral``, ``positive`` : ndarray of shape (969,),
        int: how often the emoji occurred in tweets of each label;
        ``DESCR`` : str.

    Examples
    --------
    >>> from skemoji.datasets import load_emoji_sentiment
    >>> data = load_emoji_sentiment()
    >>> row = list(data.emoji).index("😡")
    >>> int(data.negative[row]), int(data.neutral[row]), int(data.positive[row])
    (403, 81, 272)
    """
    emojis, counts = _emoji_counts()
    return Bunch(emoji=emojis.copy(), negative=counts[:, 0].copy(), neutral=counts[:, 1].copy(),
                 positive=counts[:, 2].copy(),
                 DESCR=EMOJI_SENTIMENT_DESCR.format(n_emojis=len(emojis),
                                                    n_occurrences=int(counts.sum())))


def emoji_sentiment_log_odds(emojis, pseudo_tweets=20.0):
    """How much more often each emoji occurs in positive than in negative tweets, beyond the usual odds.

    The log of (positive + a) / (negative + b), less the log of the same
    ratio over all the ranking's occurrences, where ``a`` and ``b`` share
    ``pseudo_tweets`` in the overall proportion: an emoji seen in few tweets
    stays near 0. Skin tones and U+FE0F are ignored (👍🏽 is 👍). NaN for
    emojis the ranking does not list (those newer than 2015, custom ones).

    Parameters
    ----------
    emojis : iterable of str
    pseudo_tweets : float, default=20.0
        Weight of the overall odds against an emoji's own counts.

    Returns
    -------
    log_odds : ndarray of shape (n_emojis,), float32

    Examples
    --------
    >>> emoji_sentiment_log_odds(["😍", "😡", "👍🏽", "🥳"]).round(2)
    array([ 1.37, -1.61,  0.44,   nan], dtype=float32)
    """
    known, counts = _emoji_counts()
    negative, positive = counts[:, 0].astype(np.float64), counts[:, 2].astype(np.float64)
    share = positive.sum() / (positive.sum() + negative.sum())
    odds = np.log((positive + pseudo_tweets * share) / (negative + pseudo_tweets * (1 - share)))
    odds -= np.log(share / (1 - share))
    by_emoji = dict(zip(known, odds))
    return np.array([by_emoji.get(without_skin_tones(normalize_emoji(e)), np.nan) for e in emojis],
                    dtype=np.float32)


# The labelled texts of each source, by file.
SENTIMENT_FILES = {"reviews": "sentiment_sentences.tsv", "tweets": "sentiment_tweets.tsv"}


@functools.cache
def sentiment_sentences(sources=tuple(SENTIMENT_FILES)):
    """``(texts, is_positive)`` of the labelled texts of ``sources``, in that order: "reviews",
    2,982 English review sentences, and "tweets", 3,432 English tweets."""
    rows = [row for source in sources for row in _rows(SENTIMENT_FILES[source])]
    texts = np.array([text for _, text in rows], dtype=object)
    labels = np.array([label == "1" for label, _ in rows])
    texts.setflags(write=False)
    labels.setflags(write=False)
    return texts, labels
