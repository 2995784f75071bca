"""The emoji catalog the ranker knows without being told: Twemoji images, names and keywords.

An emoji's *description* is what its answer embedding reads: its English
name, aliases and CLDR keywords ("face with tears of joy joy laugh lol
...") in one text. The catalog's *pairs* are every CLDR name and keyword, in
the languages asked for, with its emoji: a second (question, answer) corpus
that teaches the towers what each emoji means, including emojis that never
appear in the user's pairs.
"""

import functools

import numpy as np

from ..datasets import load_emoji_keywords, load_emoji_names, load_twemoji


@functools.lru_cache(maxsize=1)
def load_catalog():
    """(emojis, images, descriptions, index): the Twemoji catalog, with one description per emoji."""
    twemoji = load_twemoji()
    words = {}
    aliases = load_emoji_names(languages=("en",))
    keywords = load_emoji_keywords(languages=("en",))
    for text, emoji in zip(np.concatenate([aliases.text, keywords.text]),
                           np.concatenate([aliases.emoji, keywords.emoji])):
        words.setdefault(emoji, []).append(text)
    descriptions = np.array(
        [" ".join(dict.fromkeys([name] + words.get(emoji, [])))
         for emoji, name in zip(twemoji.emojis, twemoji.names)],
        dtype=object,
    )
    index = {emoji: i for i, emoji in enumerate(twemoji.emojis)}
    return twemoji.emojis, twemoji.images, descriptions, index


def catalog_pairs(languages):
    """(texts, emojis): CLDR names and keywords in ``languages`` of the Twemoji catalog's emojis."""
    if not languages:
        return np.array([], dtype=object), np.array([], dtype=object)
    _, _, _, index = load_catalog()
    keywords = load_emoji_keywords(languages=tuple(languages))
    keep = np.array([emoji in index for emoji in keywords.emoji], dtype=bool)
    return keywords.text[keep], keywords.emoji[keep]


def describe(emojis):
    """The catalog description of each emoji ("" for emojis outside the catalog)."""
    _, _, descriptions, index = load_catalog()
    return np.array([descriptions[index[e]] if e in index else "" for e in emojis], dtype=object)
