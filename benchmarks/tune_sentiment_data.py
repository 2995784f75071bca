"""What the pretrained ranker's sentiment term learns from: review sentences, tweets, or both.

The term's ``p(x)``, how likely a text reads positive, is a logistic
regression on the sentence embedding (see ``SiameseEmojiRanker``'s
``sentiment_weight``), fitted on English texts that ship with skemoji: 2,982
review sentences (Kotzias et al., 2015) and 3,432 tweets (Hutto and Gilbert,
2014). This script refits it on each of :data:`SOURCES`, the two labels
weighted equally and C by cross-validated log-loss as in ``fit``, swaps it
into the pretrained ranker (or ``--model``; nothing else changes, the
weight stays the loaded one) and measures, as ROC AUC of P(positive emojis)
- P(negative emojis) (``bench_pretrained.py``'s sets): the airline tweets,
with ``--archives`` the sentence sets of ``bench_sentences.py`` (English,
French and German reviews, Spanish tweets), and the lexicons' common words;
beside it, the AUC of ``p(x)`` alone; the everyday texts with a fitting emoji
in the top 5; and the log-loss and top-5 of the emojis of 10,000 TweetEval
**train** tweets among all candidates. Differences from review sentences
alone (the data until skemoji 0.3) come with their bootstrap standard errors.

Run ``python benchmarks/tune_sentiment_data.py [--archives DIR]`` (about 8
minutes on 2 cores); it writes ``benchmarks/results/sentiment_data.{json,md}``.
"""

import contextlib
import json
import time

from bench_pretrained import EVERYDAY
from bench_ranker import table, write_report
from bench_sentences import auc, load_sets, paired_se
from tune_sentiment_weight import measure, parse_arguments
from tune_tower_scale import N_TRAIN_TWEETS, train_tweets

import skemoji
from skemoji.ranker._sentiment import fit_text_sentiment

SOURCES = (("reviews",), ("tweets",), ("reviews", "tweets"))


@contextlib.contextmanager
def sentence_model(ranker, coef, intercept):
    """``ranker`` scoring with the sentiment term's sentence model ``(coef, intercept)``."""
    saved = ranker.sentiment_coef_, ranker.sentiment_intercept_
    ranker.sentiment_coef_, ranker.sentiment_intercept_ = coef, intercept
    ranker._build_scoring()
    try:
        yield ranker
    finally:
        ranker.sentiment_coef_, ranker.sentiment_intercept_ = saved
        ranker._build_scoring()


def main():
    args = parse_arguments(__doc__.splitlines()[0])
    start = time.time()
    ranker = skemoji.load(args.model) if args.model else skemoji.load_pretrained("ranker")
    if not ranker.weights_.get("w_sentiment", 0.0):
        raise SystemExit("This ranker has no sentiment term (sentiment_weight=0).")
    sets = load_sets(args.archives)
    embeddings = {name: ranker.featurizer_.sentence_embeddings(texts)
                  for name, (_, _, texts, _) in sets.items()}
    tweets = train_tweets()
    results, margins = [], {}
    for sources in SOURCES:
        name = " + ".join(sources)
        coef, intercept = fit_text_sentiment(ranker.featurizer_, sources)
        with sentence_model(ranker, coef, intercept):
            margins[name], figures = measure(ranker, sets, tweets)
        row = {"sources": name, **figures,
               "p_alone_auc": {s: auc(sets[s][3], embeddings[s] @ coef) for s in sets}}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    first = results[0]["sources"]
    for row in results:
        row["auc_minus_first_se"] = {
            s: paired_se(sets[s][3], margins[row["sources"]][s], margins[first][s]) for s in sets}
    languages = list(results[0]["lexicon_auc_common"])
    lines = [
        "# What the pretrained ranker's sentiment term learns from", "",
        f"{time.strftime('%Y-%m-%d')}, skemoji {skemoji.__version__}. Produced by "
        "`benchmarks/tune_sentiment_data.py`. The pretrained ranker with its sentiment term's "
        "sentence model, `p(x)`, refitted on each source of labelled English texts (the two "
        "labels weighted equally, C by 5-fold log-loss), everything else as loaded "
        f"(weight {ranker.weights_['w_sentiment']}). *reviews*: 2,982 review sentences "
        "(Kotzias et al., 2015), the data until skemoji 0.3; *tweets*: 3,432 tweets "
        "(Hutto and Gilbert, 2014). AUC columns: ROC AUC of P(positive emojis) - P(negative "
        "emojis) against each text's label (`bench_pretrained.py`'s emoji sets), with the "
        "difference from *reviews* and its bootstrap standard error (200 resamples, paired); "
        "*p(x) alone*: the AUC of the sentence model by itself; *words*: the lexicons' common "
        "words. *Everyday*: `bench_pretrained.py`'s texts with a fitting emoji in the top 5. "
        f"*Tweets*: log-loss and top-5 of the emojis of {N_TRAIN_TWEETS:,} TweetEval train "
        "tweets among all candidates.", ""]
    lines += table(
        ["sources", *[f"{s} AUC (minus reviews, SE)" for s in sets],
         *[f"{s} p(x) alone" for s in sets], *[f"{lang} words" for lang in languages],
         "everyday", "tweets log-loss", "tweets top-5"],
        [[r["sources"],
          *[f"{r['auc'][s]} ({r['auc'][s] - results[0]['auc'][s]:+.4f}, "
            f"{r['auc_minus_first_se'][s]:.4f})" for s in sets],
          *[r["p_alone_auc"][s] for s in sets],
          *[r["lexicon_auc_common"][lang] for lang in languages],
          f"{r['everyday_fits']} / {len(EVERYDAY)}", r["tweets"]["log_loss"],
          r["tweets"]["top5"]] for r in results])
    write_report("sentiment_data", {
        "date": time.strftime("%Y-%m-%d"), "skemoji": skemoji.__version__,
        "n_train_tweets": N_TRAIN_TWEETS, "seconds": round(time.time() - start),
        "results": results}, lines)
    print(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
