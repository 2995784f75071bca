"""Emoji names and aliases in many languages, from the ``emoji`` package."""

import emoji as emoji_package
import numpy as np
from sklearn.utils import Bunch

from .._emoji import _names_by_key, readable_name

NAMES_DESCR = """\
Emoji names
-----------

The CLDR names and GitHub/Slack-style aliases of every emoji known to the
``emoji`` package, in up to 14 languages ({languages}). Each row is one
(text, emoji) pair: a real question/answer corpus that ships with the install.
Emoji strings are normalised: U+FE0F removed.
"""


def load_emoji_names(languages=("en",), *, return_X_y=False):
    """Load emoji names and aliases as (text, emoji) pairs.

    Parameters
    ----------
    languages : str or sequence of str, default=("en",)
        Language codes among ``emoji.LANGUAGES`` (``"en"``, ``"es"``, ``"ja"``,
        ``"ko"``, ``"pt"``, ``"it"``, ``"fr"``, ``"de"``, ``"fa"``, ``"id"``,
        ``"zh"``, ``"ru"``, ``"tr"``, ``"ar"``), or ``"all"``. English rows
        include the aliases (``"joy"`` for 😂) as well as the names.
    return_X_y : bool, default=False
        If True, return ``(text, emoji)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``text``, ``emoji`` and ``language``: ndarrays of shape (n,), object.
        ``DESCR`` : str.

    Examples
    --------
    >>> from skemoji.datasets import load_emoji_names
    >>> names = load_emoji_names(languages=("en", "fr"))
    >>> sorted(set(names.text[names.emoji == "🔥"]))
    ['feu', 'fire']
    """
    if isinstance(languages, str):
        languages = tuple(emoji_package.LANGUAGES) if languages == "all" else (languages,)
    languages = tuple(languages)
    unknown = [lang for lang in languages if lang not in emoji_package.LANGUAGES]
    if not languages or unknown:
        raise ValueError(
            f"languages must be a non-empty subset of {list(emoji_package.LANGUAGES)} or 'all'; "
            f"unknown: {unknown}."
        )
    texts, emojis, langs = [], [], []
    for language in dict.fromkeys(languages):
        for key, entry in _names_by_key(language).items():
            shortcodes = [entry[language]] if language in entry else []
            if language == "en":
                shortcodes += entry.get("alias", [])
            for text in dict.fromkeys(readable_name(code) for code in shortcodes):
                texts.append(text)
                emojis.append(key)
                langs.append(language)
    texts, emojis = np.array(texts, dtype=object), np.array(emojis, dtype=object)
    if return_X_y:
        return texts, emojis
    return Bunch(
        text=texts,
        emoji=emojis,
        language=np.array(langs, dtype=object),
        DESCR=NAMES_DESCR.format(languages=", ".join(languages)),
    )
