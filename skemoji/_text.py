"""Tweet-aware text normalisation and the ranker's text featurisers.

Questions (tweets) and answer names go through the same functions, so the
ranker's question tower sees both in one feature space (the Siamese idea).
"""

import re
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ._emoji import VARIATION_SELECTOR_16

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w+")
_SPACES = re.compile(r"\s+")
# Words, or any single other visible character (emoji, punctuation, U+FE0F).
_TOKEN = re.compile(r"\w+|[^\w\s]")

URL_TOKEN = "httpurl"
MENTION_TOKEN = "@user"


def normalize_tweet(text, *, lowercase=True, strip_variation_selectors=False):
    """Normalise one tweet for the ranker: mentions, URLs, case, spaces, U+FE0F.

    - ``@name`` mentions become ``@user`` (as in TweetEval), so no model
      learns user names;
    - URLs become the token ``httpurl``;
    - the text is lower-cased (if ``lowercase``) and runs of white space
      collapse to one space;
    - U+FE0F (variation selector 16) is removed if
      ``strip_variation_selectors``. It is kept by default because it is part
      of the text as given; but note that in TweetEval about 20% of the tweets
      keep a stray U+FE0F where the answer emoji was cut out, a leak that hints
      at the heart emojis (worth about 5 points of macro-F1 to any model that
      reads characters). Strip it to measure a model without the leak.

    Parameters
    ----------
    text : str
        The text.
    lowercase : bool, default=True
        Lower-case the text.
    strip_variation_selectors : bool, default=False
        Remove every U+FE0F.

    Returns
    -------
    text : str

    Examples
    --------
    >>> normalize_tweet("@Delta  LOVED it! https://t.co/x1")
    '@user loved it! httpurl'
    >>> normalize_tweet("Happy \\ufe0f", strip_variation_selectors=True)
    'happy'
    """
    text = _URL.sub(URL_TOKEN, text)
    text = _MENTION.sub(MENTION_TOKEN, text)
    if lowercase:
        text = text.lower()
    if strip_variation_selectors:
        text = text.replace(VARIATION_SELECTOR_16, "")
    return _SPACES.sub(" ", text).strip()


def normalize_texts(texts, *, normalize=True, strip_variation_selectors=False):
    """Apply :func:`normalize_tweet` (or only the U+FE0F stripping) to many texts.

    Returns an object ndarray of str.
    """
    if normalize:
        out = [
            normalize_tweet(t, strip_variation_selectors=strip_variation_selectors) for t in texts
        ]
    elif strip_variation_selectors:
        out = [t.replace(VARIATION_SELECTOR_16, "") for t in texts]
    else:
        out = list(texts)
    return np.array(out, dtype=object)


def tokenize(text):
    """Split a normalised text into words and single non-word characters.

    Examples
    --------
    >>> tokenize("so happy!! \\U0001f389")
    ['so', 'happy', '!', '!', '\\U0001f389']
    """
    return _TOKEN.findall(text)


def make_tfidf_vectorizers(n_texts):
    """The TF-IDF featurisers of the default question tower: word 1-2-grams and char_wb 2-5-grams.

    The texts arrive normalised (:func:`normalize_tweet`), so the vectorisers
    do not lower-case. From 1,000 texts on, ``min_df=2`` drops the n-grams
    seen once, which carry no signal that generalises and would triple the
    first layer's size; on fewer texts every n-gram counts.
    """
    common = dict(lowercase=False, min_df=2 if n_texts >= 1000 else 1, sublinear_tf=True,
                  dtype=np.float32)
    return [
        # Single-character words count too ("i", "u", digits).
        TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
    ]


def tfidf_features(vectorizers, texts, *, fit=False):
    """Stack the TF-IDF features of ``texts``: a float32 CSR matrix, rows L2-normalised per part."""
    parts = [v.fit_transform(texts) if fit else v.transform(texts) for v in vectorizers]
    return sp.hstack(parts, format="csr", dtype=np.float32)


def build_vocabulary(texts, *, min_count=2, max_size=50_000):
    """Token -> id (from 2; 0 pads, 1 is out-of-vocabulary) for the sequence towers."""
    counts = Counter(token for text in texts for token in tokenize(text))
    frequent = [t for t, c in counts.most_common(max_size) if c >= min_count]
    return {token: i for i, token in enumerate(frequent, start=2)}


def encode_sequences(texts, vocabulary, max_length):
    """Texts -> int32 token ids of shape (n, max_length), zero-padded at the end."""
    out = np.zeros((len(texts), max_length), dtype=np.int32)
    for row, text in enumerate(texts):
        ids = [vocabulary.get(t, 1) for t in tokenize(text)][:max_length]
        out[row, : len(ids)] = ids
    return out
