"""The pretrained ranker's ``sentiment_weight``: what its sentiment term does, at each weight.

The sentiment term adds ``w * (p(x) - 1/2) * o_e`` to every score (see
``SiameseEmojiRanker``'s ``sentiment_weight``): ``p(x)``, how likely the text
reads positive, and ``o_e``, the emoji's log-odds of positive against
negative tweets beyond the usual odds. If ``p`` is calibrated and the rest of
the formula says nothing of sentiment, Bayes' rule adds
``log(p(x) L+_e + (1 - p(x)) L-_e)``, with ``L+_e`` and ``L-_e`` the emoji's
likelihood ratios in positive and negative tweets; to first order around
``p(x) = 1/2`` that is the term with ``w = 1``, the weight the pretrained
ranker uses (``tools/train_pretrained.py``): chosen by that argument, not by
these figures, which show what the other weights would do.

This script scores the pretrained ranker (or ``--model``) with the term at
each of :data:`WEIGHTS` (the term is one row of the scoring matrix: refitting
would give the same scores) and measures, as ROC AUC of P(positive emojis) -
P(negative emojis) (``bench_pretrained.py``'s sets): the airline tweets,
with ``--archives`` the sentence sets of ``bench_sentences.py`` (English,
French, German, Spanish), and the lexicons' common words; the everyday texts
with a fitting emoji in the top 5; and the log-loss and top-5 of the emojis of
10,000 TweetEval **train** tweets among all candidates (how people use
them). Differences from the ranker without the term come with their
bootstrap standard errors.

Run ``python benchmarks/tune_sentiment_weight.py [--archives DIR]`` (about 10
minutes on 2 cores); it writes ``benchmarks/results/sentiment_weight.{json,md}``.
"""

import argparse
import contextlib
import json
import time
from pathlib import Path

import numpy as np
from bench_pretrained import EVERYDAY, everyday, lexicon_auc
from bench_ranker import table, write_report
from bench_sentences import auc, load_sets, margin, paired_se
from tune_tower_scale import N_TRAIN_TWEETS, emoji_fit, train_tweets

import skemoji
from skemoji.ranker._sentiment import fit_text_sentiment

WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)


@contextlib.contextmanager
def sentiment_weight(ranker, weight):
    """``ranker`` scoring with the sentiment term at ``weight`` (its sentence model fitted if
    it has none)."""
    saved = dict(ranker.weights_), ranker.sentiment_coef_, ranker.sentiment_intercept_
    if not len(ranker.sentiment_coef_):
        ranker.sentiment_coef_, ranker.sentiment_intercept_ = fit_text_sentiment(ranker.featurizer_)
    ranker.weights_["w_sentiment"] = weight
    ranker._build_scoring()
    try:
        yield ranker
    finally:
        ranker.weights_, ranker.sentiment_coef_, ranker.sentiment_intercept_ = saved
        ranker._build_scoring()


def parse_arguments(description):
    """``--model`` and ``--archives``, the arguments of the scripts that score a sentiment term."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--model", default=None,
                        help="a saved ranker instead of load_pretrained('ranker')")
    parser.add_argument("--archives", type=Path, default=None,
                        help="the folder of bench_sentences.py's source archives (optional)")
    return parser.parse_args()


def measure(ranker, sets, tweets):
    """``(margins, figures)``: each set's emoji margins, and the figures of ``ranker`` as it
    scores now (AUC of each set, the lexicons' common words, the everyday texts, the tweets'
    log-loss and top-5)."""
    margins = {name: margin(ranker.predict_proba(texts), ranker.classes_)
               for name, (_, _, texts, _) in sets.items()}
    losses, in_top5 = emoji_fit(ranker, *tweets)
    return margins, {
        "auc": {name: auc(sets[name][3], m) for name, m in margins.items()},
        "lexicon_auc_common": {r["language"]: r["auc_common"] for r in lexicon_auc(ranker) or []},
        "everyday_fits": sum(r["fits_printed"] for r in everyday(ranker)),
        "tweets": {"log_loss": round(float(np.mean(losses)), 4),
                   "top5": round(float(np.mean(in_top5)), 4)}}


def main():
    args = parse_arguments(__doc__.splitlines()[0])
    start = time.time()
    ranker = skemoji.load(args.model) if args.model else skemoji.load_pretrained("ranker")
    if ranker.sentence_encoder is None:
        raise SystemExit("This ranker reads no sentence embedding, so it has no sentiment term.")
    sets = load_sets(args.archives)
    tweets = train_tweets()
    results, margins = [], {}
    for weight in WEIGHTS:
        with sentiment_weight(ranker, weight):
            margins[weight], figures = measure(ranker, sets, tweets)
        row = {"weight": weight, **figures}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    for row in results:
        row["auc_minus_none_se"] = {
            name: paired_se(sets[name][3], margins[row["weight"]][name], margins[0.0][name])
            for name in sets}
    chosen = ranker.weights_.get("w_sentiment", 0.0)
    languages = list(results[0]["lexicon_auc_common"])
    lines = [
        "# The pretrained ranker's sentiment term, at each weight", "",
        f"{time.strftime('%Y-%m-%d')}, skemoji {skemoji.__version__}. Produced by "
        "`benchmarks/tune_sentiment_weight.py`. The pretrained ranker (3,979 candidates) with "
        "its sentiment term, `w * (p(x) - 1/2) * o_e`, at each weight *w* (0: without it). "
        "AUC columns: ROC AUC of P(positive emojis) - P(negative emojis) against each text's "
        "label (`bench_pretrained.py`'s emoji sets): whole texts, with the difference from "
        "*w* = 0 and its bootstrap standard error (200 resamples, paired), and the lexicons' "
        "common words. *Everyday*: `bench_pretrained.py`'s texts with a fitting emoji in the "
        f"top 5. *Tweets*: log-loss and top-5 of the emojis of {N_TRAIN_TWEETS:,} TweetEval "
        "train tweets among all candidates. The weight shipped is the first-order Bayes "
        f"weight, 1, not chosen from these figures (the loaded ranker's: {chosen}).", ""]
    lines += table(
        ["w", *[f"{name} AUC (minus w=0, SE)" for name in sets],
         *[f"{lang} words" for lang in languages], "everyday", "tweets log-loss",
         "tweets top-5"],
        [[f"**{r['weight']}**" if r["weight"] == chosen else r["weight"],
          *[f"{r['auc'][name]} ({r['auc'][name] - results[0]['auc'][name]:+.4f}, "
            f"{r['auc_minus_none_se'][name]:.4f})" for name in sets],
          *[r["lexicon_auc_common"][lang] for lang in languages],
          f"{r['everyday_fits']} / {len(EVERYDAY)}", r["tweets"]["log_loss"],
          r["tweets"]["top5"]] for r in results])
    write_report("sentiment_weight", {
        "date": time.strftime("%Y-%m-%d"), "skemoji": skemoji.__version__,
        "loaded_weight": chosen, "n_train_tweets": N_TRAIN_TWEETS,
        "seconds": round(time.time() - start), "results": results}, lines)
    print(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
