"""Emoji strings: normalisation and names, shared by the loaders and the ranker."""

import re

import emoji as emoji_package
import numpy as np

VARIATION_SELECTOR_16 = "\ufe0f"
# The five Fitzpatrick skin-tone modifiers, U+1F3FB to U+1F3FF.
SKIN_TONES = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))


def normalize_emoji(value):
    """Return the canonical key of an emoji string: U+FE0F removed.

    Twemoji file names, the ``emoji`` package and real texts disagree on
    where the emoji presentation selector appears (``"❤"`` vs ``"❤️"``),
    so every lookup goes through this key.

    Examples
    --------
    >>> normalize_emoji("❤️") == normalize_emoji("❤")
    True
    """
    return str(value).replace(VARIATION_SELECTOR_16, "")


def skin_tone_groups(emojis):
    """The skin-tone variants among ``emojis``, for answering with one tone per emoji.

    Returns
    -------
    variants : ndarray of int
        Indices of the variants whose toneless emoji is among ``emojis`` too:
        that one answers for them.
    groups : ndarray of int of shape (n_groups, n_members)
        For each toneless emoji that is not among ``emojis``, the indices of
        its variants, rows padded with -1: the best-scoring one answers.

    Examples
    --------
    >>> variants, groups = skin_tone_groups(["👍", "👍🏽", "👍🏿", "🎅🏾", "🎅🏻"])
    >>> variants.tolist(), groups.tolist()
    ([1, 2], [[3, 4]])
    """
    present = set(emojis)
    variants, orphans = [], {}
    for i, e in enumerate(emojis):
        toneless = "".join(char for char in e if char not in SKIN_TONES)
        if toneless == e:
            continue
        if toneless in present:
            variants.append(i)
        else:
            orphans.setdefault(toneless, []).append(i)
    width = max((len(members) for members in orphans.values()), default=0)
    groups = np.full((len(orphans), width), -1, dtype=np.intp)
    for row, members in zip(groups, orphans.values()):
        row[: len(members)] = members
    return np.array(variants, dtype=np.intp), groups


def _names_by_key(language):
    """Map normalised emoji -> the ``emoji`` package's entry, for one language."""
    if language != "en":
        emoji_package.config.load_language(language)
    table = {}
    for char, data in emoji_package.EMOJI_DATA.items():
        key = normalize_emoji(char)
        # Fully-qualified entries (status 2) win over the unqualified duplicates.
        if key not in table or data.get("status") == emoji_package.STATUS["fully_qualified"]:
            table[key] = data
    return table


def readable_name(shortcode):
    """Turn a ``:short_code:`` into words: ``":red_heart:"`` -> ``"red heart"``.

    Examples
    --------
    >>> readable_name(":face_with_tears_of_joy:")
    'face with tears of joy'
    """
    return re.sub(r"\s+", " ", shortcode.strip(":").replace("_", " ")).strip()
