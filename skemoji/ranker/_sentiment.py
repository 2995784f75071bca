"""The sentiment term of the ranker's formula: how positive a text reads, times how an emoji is used.

``w_sentiment * (P(positive | x) - 1/2) * o_e``: ``P(positive | x)`` is a
logistic regression on the text's sentence embedding, fitted on the
English review sentences and tweets that ship with skemoji, the labels
weighted equally so that a text that reads neither way sits near 1/2 (the
multilingual encoder carries it to its other languages); ``o_e`` is the
emoji's sentiment log-odds in the Emoji Sentiment Ranking
(:func:`~skemoji.datasets._sentiment.emoji_sentiment_log_odds`), or, for
an emoji it does not list (newer than 2015, or custom), borrowed from its
look-alikes among the candidates, as their head columns are.
A text that reads neutral moves nothing; a positive one lifts the emojis
people use in positive tweets and lowers those of negative ones.
"""

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from ..datasets._sentiment import SENTIMENT_FILES, emoji_sentiment_log_odds, sentiment_sentences
from ._scoring import neighbour_weights

# The inverse regularisations the sentence model's cross-validation tries (by log-loss, 5 folds,
# shuffled: the texts come sentences first, tweets after).
CS = np.logspace(-2, 2, 9)
FOLDS = StratifiedKFold(5, shuffle=True, random_state=0)


def fit_text_sentiment(featurizer, sources=tuple(SENTIMENT_FILES)):
    """``(coef, intercept)`` of P(positive | text) over ``featurizer``'s sentence embedding,
    fitted on the labelled texts of ``sources`` (of ``SENTIMENT_FILES``)."""
    texts, labels = sentiment_sentences(sources)
    search = GridSearchCV(LogisticRegression(class_weight="balanced", max_iter=1000), {"C": CS},
                          cv=FOLDS, scoring="neg_log_loss")
    model = search.fit(featurizer.sentence_embeddings(texts), labels).best_estimator_
    return model.coef_[0].astype(np.float32), np.float32(model.intercept_[0])


def text_sentiment(embeddings, coef, intercept):
    """(n, 1) float32: P(positive | text) - 1/2 of each text's sentence embedding."""
    return (expit(embeddings @ coef + intercept) - 0.5).astype(np.float32)[:, None]


def fill_sentiment(candidates, temperature):
    """Set ``o_e`` of the candidates that have none yet (NaN), in place.

    An emoji the Emoji Sentiment Ranking lists gets its log-odds; any other a
    softmax (``temperature``) over the cosines of its answer embedding with
    the listed candidates' of their log-odds (0 if none is listed). Values
    already set stay, so adding candidates moves no earlier one.
    """
    unset = np.isnan(candidates.sentiment)
    if not unset.any():
        return
    odds = emoji_sentiment_log_odds(candidates.emojis)
    listed = ~np.isnan(odds)
    candidates.sentiment[unset & listed] = odds[unset & listed]
    borrow = unset & ~listed
    weights = neighbour_weights(candidates.embeddings[borrow], candidates.embeddings[listed],
                                temperature)
    candidates.sentiment[borrow] = weights @ odds[listed]
