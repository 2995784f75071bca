"""Which emoji each emoticon stands for, from a file inside skemoji.

Made by ``tools/make_emoticons.py`` from Emojibase's emoticons (MIT licence;
see ``LICENSE-emojibase.txt`` next to the data file).
"""

import functools
from pathlib import Path

_DATA_FILE = Path(__file__).parent / "data" / "emoticons.tsv"


@functools.lru_cache(maxsize=1)
def emoticon_emojis():
    """``{emoticon: emoji}``, as ``":)": "🙂"`` (emojis without U+FE0F).

    Examples
    --------
    >>> emoticon_emojis()[":-("]
    '☹'
    """
    rows = (line.split("\t") for line in _DATA_FILE.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#"))
    return dict(rows)
