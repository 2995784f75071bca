"""How often each emoji is used, from a file inside skemoji.

Made by ``tools/make_emoji_popularity.py`` from ``wordfreq``'s word
frequencies (data under CC BY-SA 4.0; see ``LICENSE-wordfreq.txt`` next to
the data file).
"""

import functools
from pathlib import Path

import emoji as emoji_package
import numpy as np

from .._emoji import normalize_emoji

_DATA_FILE = Path(__file__).parent / "data" / "emoji_popularity.tsv"


@functools.lru_cache(maxsize=1)
def _zipf_by_emoji():
    rows = (line.split("\t") for line in _DATA_FILE.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#"))
    return {emoji: float(zipf) for emoji, zipf in rows}


def emoji_popularity(emojis):
    """Zipf frequency of each emoji (log10 of uses per billion words), NaN where unknown.

    An emoji the ``emoji`` package knows but the file does not list is rarer
    than every frequency list counts: 0. Any other string (a custom emoji
    such as ``"team:grinch"``) is unknown: NaN.

    Examples
    --------
    >>> emoji_popularity(["😂", "team:grinch"])
    array([4.01,  nan])
    """
    zipf = _zipf_by_emoji()

    def of(emoji):
        key = normalize_emoji(emoji)
        if key in zipf:
            return zipf[key]
        known = emoji_package.is_emoji(key) or emoji_package.is_emoji(key + "\ufe0f")
        return 0.0 if known else np.nan

    return np.array([of(e) for e in emojis], dtype=np.float64)
