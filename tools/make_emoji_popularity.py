"""Regenerate ``skemoji/datasets/data/emoji_popularity.tsv``: how often each emoji is used.

The figures are the word frequencies of the PyPI package ``wordfreq``
(Speer, 2022; its lists count emojis as words, from Twitter and other
sources up to 2021), version ``VERSION`` below. Only this script needs it::

    pip install wordfreq==3.1.1
    python tools/make_emoji_popularity.py

What is kept: for each emoji of the ``emoji`` package (keys without U+FE0F),
its frequency in each of ``LANGUAGES``, summed over its spellings with and
without U+FE0F (each counted where wordfreq reads it as one token), averaged
over the languages, as a Zipf value (log10 of uses per billion words). A
symbol older than emoji, shown as text unless U+FE0F follows it (one code
point of the Basic Multilingual Plane without Unicode's Emoji_Presentation:
© ® ™ ▶ ♦ ✔ ♥ ❤ ☀...), counts without U+FE0F at most as often as with it:
wordfreq's sources (the web, subtitles, Wikipedia, as well as Twitter) use ©
and ® mostly as symbols (counted in full, © 4.06 and ® 3.78, above 😂's
4.01; with U+FE0F almost never), while ❤, typed both ways, keeps its whole
count.
Emojis below every list's cutoff are left out; the reader takes them as
Zipf 0.

File format: UTF-8 text, one ``emoji<TAB>zipf`` line per emoji (two
decimals), most used first, after ``#`` comment lines naming the sources.
"""

from importlib.metadata import version
from pathlib import Path

import emoji
import numpy as np
import regex  # wordfreq's dependency; unlike re, it knows Unicode's emoji properties
import wordfreq

VERSION = "3.1.1"
# The six languages of the pretrained ranker (tools/train_pretrained.py).
LANGUAGES = ("en", "es", "de", "fr", "it", "pt")
OUTPUT = Path(__file__).resolve().parents[1] / "skemoji" / "datasets" / "data" / "emoji_popularity.tsv"


def frequency(spellings, language):
    """Uses per word of the ``spellings`` of one emoji that wordfreq reads as one token."""
    return sum(wordfreq.word_frequency(s, language) for s in spellings
               if wordfreq.tokenize(s, language) == [s])


def is_text_symbol(key):
    """Whether ``key`` is one BMP code point shown as text unless U+FE0F follows it."""
    return len(key) == 1 and ord(key) < 0x10000 and not regex.fullmatch(r"\p{Emoji_Presentation}", key)


def emoji_frequency(key, spellings, language):
    """Uses per word of one emoji, a text symbol's bare spelling at most as often as its others."""
    if not is_text_symbol(key):
        return frequency(spellings, language)
    as_emoji = frequency(spellings - {key}, language)
    return as_emoji + min(frequency({key}, language), as_emoji)


def main():
    if version("wordfreq") != VERSION:
        raise SystemExit(f"wordfreq {VERSION} is needed (found {version('wordfreq')}).")
    spellings = {}
    for spelling in emoji.EMOJI_DATA:
        key = spelling.replace("\ufe0f", "")
        spellings.setdefault(key, {key, key + "\ufe0f"}).add(spelling)
    zipf = {}
    for key, forms in spellings.items():
        mean = np.mean([emoji_frequency(key, forms, language) for language in LANGUAGES])
        if mean > 0:
            zipf[key] = np.log10(mean) + 9
    lines = [f"# Emoji popularity: Zipf frequency (log10 uses per billion words), the mean over {', '.join(LANGUAGES)}",
             f"# of wordfreq {VERSION} (Robyn Speer, 2022; data CC BY-SA 4.0, see LICENSE-wordfreq.txt),",
             f"# for the emojis of the emoji package {emoji.__version__} it counts; the others count as 0.",
             "# Made by tools/make_emoji_popularity.py."]
    lines += [f"{key}\t{value:.2f}" for key, value in sorted(zipf.items(), key=lambda kv: (-kv[1], kv[0]))]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(zipf)} of {len(spellings)} emojis, {OUTPUT.stat().st_size / 1e3:.1f} kB")


if __name__ == "__main__":
    main()
