"""Emoji strings: normalisation and names, shared by the loaders and the ranker."""

import functools
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


def without_skin_tones(value):
    """The emoji string with its skin-tone modifiers removed.

    Examples
    --------
    >>> without_skin_tones("👍🏽")
    '👍'
    """
    return "".join(char for char in value if char not in SKIN_TONES)


_TONE_WORDS = re.compile(r"\b(?:light|medium-light|medium|medium-dark|dark) skin tone\b")


def without_tone_words(name):
    """An English emoji name without its skin-tone words.

    Examples
    --------
    >>> without_tone_words("thumbs up medium-dark skin tone")
    'thumbs up'
    """
    return " ".join(_TONE_WORDS.sub(" ", name).split())


def spoken_name(emoji):
    """The English name of an emoji the ``emoji`` package knows, skin tones left out.

    Examples
    --------
    >>> spoken_name("👍🏽")
    'thumbs up'
    """
    return without_tone_words(readable_name(emoji_package.demojize(emoji, delimiters=("", ""))))


def skin_tone_groups(emojis):
    """The skin-tone variants among ``emojis``, for answering with one tone per emoji.

    A variant is an emoji with a skin-tone modifier. Its toneless emoji is
    the one without the modifiers, or the one whose English name is the
    variant's without its skin-tone words (👨🏻‍🫯‍👨🏾 "men wrestling light skin
    tone medium-dark skin tone" is a variant of 🤼‍♂ "men wrestling").

    Returns
    -------
    variants : ndarray of int
        Indices of the variants whose toneless emoji is among ``emojis`` too:
        that one answers for them.
    groups : ndarray of int of shape (n_groups, n_members)
        The other variants, grouped by their toneless form, rows padded with
        -1: the best-scoring one of each group answers.

    Examples
    --------
    >>> variants, groups = skin_tone_groups(["👍", "👍🏽", "👍🏿", "🎅🏾", "🎅🏻"])
    >>> variants.tolist(), groups.tolist()
    ([1, 2], [[3, 4]])
    >>> skin_tone_groups(["🤼‍♂", "👨🏻‍🫯‍👨🏾"])[0].tolist()  # by name: "men wrestling"
    [1]
    """
    return _skin_tone_groups(tuple(emojis))


@functools.lru_cache(maxsize=8)  # rank(..., skin_tones=False) asks again for each call
def _skin_tone_groups(emojis):
    english = _names_by_key("en")

    def name(e):
        entry = english.get(normalize_emoji(e))
        return None if entry is None else readable_name(entry["en"])

    toned = [bool(SKIN_TONES & set(e)) for e in emojis]
    toneless = {e for e, t in zip(emojis, toned) if not t}
    toneless_names = {name(e) for e in toneless} - {None}
    variants, orphans = [], {}
    for i, (e, t) in enumerate(zip(emojis, toned)):
        if not t:
            continue
        stripped = without_skin_tones(e)
        full_name = name(e)
        stripped_name = None if full_name is None else without_tone_words(full_name)
        if stripped in toneless or stripped_name in toneless_names:
            variants.append(i)
        else:
            orphans.setdefault(stripped if stripped_name is None else stripped_name, []).append(i)
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
