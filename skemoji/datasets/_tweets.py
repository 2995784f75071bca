"""Readers for the tweet data sets kept outside the package (TweetEval emoji, airline tweets)."""

import csv
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .._emoji import normalize_emoji

TWEETEVAL_DESCR = """\
TweetEval emoji prediction
--------------------------

Tweets that contained exactly one of 20 frequent emojis, with the emoji
removed (Barbieri et al., SemEval-2018 Task 2; as released in TweetEval,
Barbieri et al. 2020). Official metric: macro-averaged F1. Known quirk: some
texts keep a stray U+FE0F where the emoji was cut out, which hints at the
heart emojis; see the ranker's ``strip_variation_selectors`` parameter.
"""

AIRLINE_DESCR = """\
Twitter US Airline Sentiment
----------------------------

14,640 tweets to six US airlines (February 2015, Crowdflower / Figure Eight,
CC BY-NC-SA 4.0), each labelled positive, neutral or negative. As in the
"Neurally Embedded Emojis" work, sentiment is mapped to an emoji answer:
positive 🎉, neutral 😈, negative 😡.
"""

AIRLINE_EMOJIS = {"positive": "🎉", "neutral": "😈", "negative": "😡"}


def _read_lines(path):
    if not path.is_file():
        raise FileNotFoundError(f"Expected the file {path}, which does not exist.")
    with open(path, encoding="utf-8", newline="\n") as handle:
        # Keep U+FE0F and any other character: only the line break is stripped.
        return [line.rstrip("\r\n") for line in handle]


def _read_mapping(path):
    names, emojis = {}, {}
    for number, line in enumerate(_read_lines(path), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip().isdigit():
            raise ValueError(
                f"{path}:{number}: expected 'label<TAB>emoji<TAB>name', got {line!r}."
            )
        label = int(fields[0])
        emojis[label] = normalize_emoji(fields[1].strip())
        names[label] = fields[2].strip("_ ").replace("_", " ") if len(fields) > 2 else ""
    labels = sorted(emojis)
    if labels != list(range(len(labels))):
        raise ValueError(f"{path}: labels must be 0..n-1 without gaps, got {labels}.")
    return [emojis[i] for i in labels], [names[i] for i in labels]


def load_tweeteval(path, split="train", *, return_X_y=False):
    """Load a split of TweetEval's emoji-prediction task from a local directory.

    Parameters
    ----------
    path : str or path-like
        Directory holding ``mapping.txt``, ``{split}_text.txt`` and
        ``{split}_labels.txt`` (the layout of ``cardiffnlp/tweeteval``'s
        ``datasets/emoji``). Nothing is downloaded.
    split : {"train", "val", "test"}, default="train"
        Which split to read.
    return_X_y : bool, default=False
        If True, return ``(text, emoji)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``text`` : ndarray of shape (n,), object, the tweets as written.
        ``emoji`` : ndarray of shape (n,), object, the answer emoji.
        ``target`` : ndarray of shape (n,), int, the label number.
        ``target_names`` : ndarray of shape (20,), object, the emoji per label.
        ``names`` : the English name per label. ``DESCR`` : str.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemoji.datasets import load_tweeteval
    >>> folder = Path(tempfile.mkdtemp())  # a directory in the TweetEval layout
    >>> mapping = "0\\t❤\\t_red_heart_\\n1\\t😂\\t_face_with_tears_of_joy_\\n"
    >>> _ = (folder / "mapping.txt").write_text(mapping, encoding="utf-8")
    >>> _ = (folder / "val_text.txt").write_text("love you all\\nthat joke though\\n", encoding="utf-8")
    >>> _ = (folder / "val_labels.txt").write_text("0\\n1\\n", encoding="utf-8")
    >>> tweets = load_tweeteval(folder, "val")
    >>> list(tweets.emoji), tweets.target.tolist(), list(tweets.names)
    (['❤', '😂'], [0, 1], ['red heart', 'face with tears of joy'])
    >>> # With the real data, which skemoji does not ship:
    >>> tweets = load_tweeteval("../shared/data/tweeteval_emoji", "val")  # doctest: +SKIP
    >>> len(tweets.text), tweets.target_names[2]  # doctest: +SKIP
    (5000, '😂')
    """
    if split not in ("train", "val", "test"):
        raise ValueError(f"split must be 'train', 'val' or 'test', got {split!r}.")
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"TweetEval directory {folder} does not exist.")
    target_names, names = _read_mapping(folder / "mapping.txt")
    texts = _read_lines(folder / f"{split}_text.txt")
    raw_labels = _read_lines(folder / f"{split}_labels.txt")
    # A trailing newline at the end of a file is not a record.
    while raw_labels and not raw_labels[-1].strip():
        raw_labels.pop()
    if len(texts) > len(raw_labels) and not any(t.strip() for t in texts[len(raw_labels):]):
        texts = texts[: len(raw_labels)]
    if len(texts) != len(raw_labels):
        raise ValueError(
            f"{split}_text.txt has {len(texts)} lines but {split}_labels.txt has "
            f"{len(raw_labels)}; they must pair up line by line."
        )
    target = np.empty(len(raw_labels), dtype=np.int64)
    for number, value in enumerate(raw_labels, start=1):
        value = value.strip()
        if not value.isdigit() or int(value) >= len(target_names):
            raise ValueError(
                f"{split}_labels.txt:{number}: expected a label in 0..{len(target_names) - 1}, "
                f"got {value!r}."
            )
        target[number - 1] = int(value)
    target_names = np.array(target_names, dtype=object)
    text = np.array(texts, dtype=object)
    emoji = target_names[target]
    if return_X_y:
        return text, emoji
    return Bunch(
        text=text,
        emoji=emoji,
        target=target,
        target_names=target_names,
        names=np.array(names, dtype=object),
        DESCR=TWEETEVAL_DESCR,
    )


def load_airline_tweets(path, *, return_X_y=False):
    """Load the Twitter US Airline Sentiment CSV, sentiment mapped to emojis.

    Parameters
    ----------
    path : str or path-like
        The CSV file (Kaggle/Crowdflower ``Tweets.csv`` or any CSV with the
        columns ``airline_sentiment`` and ``text``), or a directory holding
        ``tweets.csv``.
    return_X_y : bool, default=False
        If True, return ``(text, emoji)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``text``, ``sentiment`` and ``emoji``: ndarrays of shape (n,), object,
        with positive -> 🎉, neutral -> 😈, negative -> 😡. ``DESCR`` : str.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemoji.datasets import load_airline_tweets
    >>> path = Path(tempfile.mkdtemp()) / "tweets.csv"  # the two columns it needs
    >>> _ = path.write_text("airline_sentiment,text\\n"
    ...                     "positive,@united thanks for the upgrade!\\n"
    ...                     "negative,@united lost my bag again\\n", encoding="utf-8")
    >>> tweets = load_airline_tweets(path)
    >>> list(tweets.sentiment), list(tweets.emoji)
    (['positive', 'negative'], ['🎉', '😡'])
    >>> # With the real data, which skemoji does not ship:
    >>> tweets = load_airline_tweets("../shared/data/airline_tweets")  # doctest: +SKIP
    >>> sorted(set(tweets.emoji))  # doctest: +SKIP
    ['🎉', '😈', '😡']
    """
    path = Path(path)
    if path.is_dir():
        path = path / "tweets.csv"
    if not path.is_file():
        raise FileNotFoundError(f"Airline tweets CSV {path} does not exist.")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"airline_sentiment", "text"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(
                f"{path}: missing column(s) {sorted(missing)}; expected a CSV with "
                f"'airline_sentiment' and 'text' (found {reader.fieldnames})."
            )
        rows = list(reader)
    sentiments = [row["airline_sentiment"].strip().lower() for row in rows]
    bad = sorted(set(sentiments) - set(AIRLINE_EMOJIS))
    if bad:
        raise ValueError(
            f"{path}: airline_sentiment must be one of {sorted(AIRLINE_EMOJIS)}, found {bad}."
        )
    text = np.array([row["text"] for row in rows], dtype=object)
    emoji = np.array([AIRLINE_EMOJIS[s] for s in sentiments], dtype=object)
    if return_X_y:
        return text, emoji
    return Bunch(
        text=text,
        sentiment=np.array(sentiments, dtype=object),
        emoji=emoji,
        DESCR=AIRLINE_DESCR,
    )
