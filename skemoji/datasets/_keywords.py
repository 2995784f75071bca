"""Unicode CLDR emoji short names and keywords in 120 languages, from a file inside skemoji."""

import functools
import io
import json
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

_DATA_FILE = Path(__file__).parent / "data" / "cldr_keywords.npz"
_NAME, _KEYWORD = np.array("name", dtype=object), np.array("keyword", dtype=object)

KEYWORDS_DESCR = """\
Emoji keywords (Unicode CLDR)
-----------------------------

The short names and keywords of every emoji in the Unicode CLDR annotations
and derived annotations (skin tones, flags, keycaps, families...), CLDR
{cldr}, in {n_languages} of the {n_available} languages skemoji ships
({languages}). Each row is one (text, emoji) pair; ``kind`` is ``"name"`` for
the CLDR short name (one per emoji and language) and ``"keyword"`` for each
keyword. A keyword equal to the name (ignoring case) is left out. Regional
variants (en-GB, pt-PT, fr-CA, es-419, ...) are merged into their language as
extra keywords. Emoji strings are normalised: U+FE0F removed.

Copyright (c) Unicode, Inc. Unicode and the Unicode Logo are registered
trademarks of Unicode, Inc. in the U.S. and other countries. Distributed
under the Unicode License v3 (see LICENSE-CLDR.txt next to the data file).

:Number of rows: {n_rows:,}
:Number of emojis: {n_emojis:,}
"""


@functools.lru_cache(maxsize=1)
def _archive():
    """The data file (read into memory, so no file stays open), its metadata and emojis."""
    archive = np.load(io.BytesIO(_DATA_FILE.read_bytes()), allow_pickle=False)
    meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
    emojis = np.array(archive["emojis"].tobytes().decode("utf-8").split("\n"), dtype=object)
    emojis.setflags(write=False)
    return archive, meta, emojis


@functools.cache
def _language(language):
    """``(text, emoji, is_keyword, has_emoji)`` arrays of one language, read-only."""
    archive, _, emojis = _archive()
    vocabulary = np.array(
        archive[f"{language}/texts"].tobytes().decode("utf-8").split("\n"), dtype=object
    )
    code = archive[f"{language}/text"].astype(np.int64)
    new = code == 0
    code -= 1
    code[new] = np.arange(np.count_nonzero(new))
    counts = archive[f"{language}/counts"].astype(np.int64)
    emoji = emojis[np.repeat(np.arange(len(emojis)), counts)]
    is_keyword = np.ones(len(code), dtype=bool)
    is_keyword[np.cumsum(counts[counts > 0])[:-1]] = False
    is_keyword[0] = False
    text = vocabulary[code]
    has_emoji = counts > 0
    for array in (text, emoji, is_keyword, has_emoji):
        array.setflags(write=False)
    return text, emoji, is_keyword, has_emoji


def _available_languages():
    return tuple(_archive()[1]["languages"])


def load_emoji_keywords(languages=("en",), *, return_X_y=False):
    """Load the Unicode CLDR short names and keywords of every emoji.

    The data are CLDR's emoji annotations and derived annotations (skin tones,
    flags, keycaps, families...) in the 120 languages that CLDR annotates for
    at least 1,000 emojis, read from a compact file inside skemoji (about
    6 MB); nothing is downloaded. Each language is read once and cached in
    memory, so later calls are fast. Data copyright Unicode, Inc., under the
    Unicode License v3 (see :ref:`credits`).

    Parameters
    ----------
    languages : str or sequence of str, default=("en",)
        CLDR language codes, e.g. ``"en"``, ``"es"``, ``"de"``, ``"fr"``,
        ``"it"``, ``"pt"``, ``"ja"``, ``"zh"``, ``"zh-Hant"``, ``"sr-Latn"``,
        or ``"all"`` for all of them. Regional variants have no code of their
        own: their names and keywords that differ from their language's
        (British ``"aubergine"`` for 🍆, European Portuguese, Canadian
        French, Latin-American Spanish...) are keywords of that language.
    return_X_y : bool, default=False
        If True, return ``(text, emoji)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``text``, ``emoji``, ``language`` and ``kind``: ndarrays of shape
        (n,), object, aligned row by row. ``kind`` is ``"name"`` for the
        CLDR short name (exactly one per emoji and language) or
        ``"keyword"``; a keyword equal to the name, ignoring case, is left
        out. Emoji strings have U+FE0F removed, like
        :func:`load_twemoji`'s. Rows come language by language in the
        order asked, each emoji's name first. ``languages``: the languages
        loaded. ``DESCR`` : str.
    (text, emoji) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If a language is not among those shipped; the message lists them.

    Examples
    --------
    >>> from skemoji.datasets import load_emoji_keywords
    >>> keywords = load_emoji_keywords(languages=("en", "fr"))
    >>> joy = (keywords.emoji == "😂") & (keywords.language == "en")
    >>> keywords.text[joy & (keywords.kind == "name")]
    array(['face with tears of joy'], dtype=object)
    >>> "lol" in keywords.text[joy]
    True
    >>> fire = (keywords.emoji == "🔥") & (keywords.kind == "name")
    >>> sorted(keywords.text[fire])
    ['feu', 'fire']
    >>> len(load_emoji_keywords("all").languages)
    120
    """
    known = _available_languages()
    if isinstance(languages, str):
        languages = known if languages == "all" else (languages,)
    try:
        languages = tuple(dict.fromkeys(languages))
    except TypeError:
        raise ValueError(
            f"languages must be a language code, a sequence of them or 'all'; got {languages!r}."
        ) from None
    unknown = [language for language in languages if language not in known]
    if not languages or unknown:
        raise ValueError(
            f"languages must be a non-empty subset of the {len(known)} shipped CLDR languages "
            f"{list(known)} or 'all'; unknown: {unknown}."
        )
    parts = [_language(language) for language in languages]
    sizes = [len(part[0]) for part in parts]
    text = np.concatenate([part[0] for part in parts])
    emoji = np.concatenate([part[1] for part in parts])
    if return_X_y:
        return text, emoji
    # np.where and slice filling are several times faster than np.repeat or fancy
    # indexing on object arrays of millions of rows.
    kind = np.where(np.concatenate([part[2] for part in parts]), _KEYWORD, _NAME)
    language = np.empty(len(text), dtype=object)
    for code, start, stop in zip(languages, np.cumsum([0, *sizes[:-1]]), np.cumsum(sizes)):
        language[start:stop] = code
    meta = _archive()[1]
    return Bunch(
        text=text,
        emoji=emoji,
        language=language,
        kind=kind,
        languages=list(languages),
        DESCR=KEYWORDS_DESCR.format(
            cldr=meta.get("cldr_version", "48"),
            n_languages=len(languages),
            n_available=len(known),
            languages=", ".join(languages)
            if len(languages) <= 12
            else ", ".join(languages[:12]) + ", ...",
            n_rows=len(text),
            n_emojis=int(np.logical_or.reduce([part[3] for part in parts]).sum()),
        ),
    )
