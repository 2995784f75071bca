"""Regenerate ``skemoji/datasets/data/emoticons.tsv``: which emoji each emoticon stands for.

The data are the ``emoticon`` fields of Emojibase (Miles Johnson; MIT licence,
see ``LICENSE-emojibase.txt`` next to the data file) as published on npm in
``emojibase-data``, version ``VERSION`` below. Fetch the tarball once (the
only step that needs the network) and run the script offline::

    mkdir -p /tmp/emojibase && cd /tmp/emojibase
    npm pack emojibase-data@17.0.0 && tar xzf emojibase-data-17.0.0.tgz
    cd -
    python tools/make_emoticons.py /tmp/emojibase/package

What is kept: every emoticon of the English data (Emojibase's emoticons are
the same in every locale), with the emoji it stands for (U+FE0F removed), and
for each two-character emoticon that starts with eyes (``:`` or ``;``) the
same with a nose, ``:-)`` beside ``:)``, as people type both.

File format: UTF-8 text, one ``emoticon<TAB>emoji`` line per emoticon, after
``#`` comment lines naming the source.
"""

import argparse
import json
from pathlib import Path

VERSION = "17.0.0"
OUTPUT = Path(__file__).resolve().parents[1] / "skemoji" / "datasets" / "data" / "emoticons.tsv"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked emojibase-data package folder")
    args = parser.parse_args()
    found = json.loads((args.package / "package.json").read_text(encoding="utf-8"))["version"]
    if found != VERSION:
        raise SystemExit(f"emojibase-data {VERSION} is needed (found {found}).")
    emoticons = {}
    for entry in json.loads((args.package / "en" / "data.json").read_text(encoding="utf-8")):
        spellings = entry.get("emoticon", [])
        for emoticon in [spellings] if isinstance(spellings, str) else spellings:
            emoji = entry["emoji"].replace("\ufe0f", "")
            emoticons.setdefault(emoticon, emoji)
            if len(emoticon) == 2 and emoticon[0] in ":;":
                emoticons.setdefault(emoticon[0] + "-" + emoticon[1], emoji)
    lines = [f"# Emoticons and the emojis they stand for: the emoticon fields of emojibase-data {VERSION}",
             "# (Miles Johnson, MIT licence, see LICENSE-emojibase.txt), with a nose added to",
             "# two-character ones that start with eyes. Made by tools/make_emoticons.py."]
    lines += [f"{emoticon}\t{emoji}" for emoticon, emoji in emoticons.items()]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUTPUT.parent / "LICENSE-emojibase.txt").write_text(
        (args.package / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{OUTPUT}: {len(emoticons)} emoticons, {OUTPUT.stat().st_size / 1e3:.1f} kB")


if __name__ == "__main__":
    main()
