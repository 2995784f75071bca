"""Emoji strings: normalisation and names, shared by the loaders and the ranker."""

import re

import emoji as emoji_package

VARIATION_SELECTOR_16 = "\ufe0f"


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
