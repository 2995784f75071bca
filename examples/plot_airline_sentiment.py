"""
===================================
The original airline experiment
===================================

The "Neurally Embedded Emojis" work trained its Siamese model on the Twitter
US Airline Sentiment data, with each tweet's sentiment turned into an emoji
answer: 🎉 positive, 😈 neutral, 😡 negative. This example repeats that
experiment with :class:`~skemoji.SiameseEmojiRanker` on a sample of the tweets,
next to a TF-IDF + logistic regression baseline.

The data set is not part of skemoji. The example looks for
``airline_tweets/tweets.csv`` under the directory named by the environment
variable ``SKEMOJI_SHARED_DATA``, else under ``../shared/data`` next to the
repository, and draws a placeholder when the file is absent. The tweets were
published by Crowdflower (Figure Eight) on Kaggle under CC BY-NC-SA 4.0.
"""

# %%
# Find the data
# -------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np


def find_airline_csv():
    """``$SKEMOJI_SHARED_DATA/airline_tweets/tweets.csv``, else the repository's sibling."""
    try:
        here = Path(__file__).resolve().parent
    except NameError:  # run interactively
        here = Path.cwd()
    candidates = []
    if os.environ.get("SKEMOJI_SHARED_DATA"):
        candidates.append(Path(os.environ["SKEMOJI_SHARED_DATA"]))
    candidates.append(here.parent.parent / "shared" / "data")
    for root in candidates:
        path = root / "airline_tweets" / "tweets.csv"
        if path.is_file():
            return path
    return None


csv_path = find_airline_csv()
print("airline tweets:", csv_path or "not found")

# %%
# Without the data there is nothing to fit: say so and draw a placeholder.
if csv_path is None:
    print("Set SKEMOJI_SHARED_DATA to the directory holding airline_tweets/tweets.csv "
          "to run this experiment.")
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.text(0.5, 0.5,
            "Airline tweets not found:\nset SKEMOJI_SHARED_DATA to run this example",
            ha="center", va="center")
    ax.set_axis_off()

# %%
# Load and split
# --------------
# :func:`~skemoji.datasets.load_airline_tweets` maps the sentiment to the
# emoji answers. A stratified sample of 4,000 tweets keeps this example fast.
if csv_path is not None:
    from sklearn.model_selection import train_test_split

    from skemoji.datasets import load_airline_tweets

    tweets = load_airline_tweets(csv_path)
    counts = {e: int((tweets.emoji == e).sum()) for e in "🎉😈😡"}
    print(f"{len(tweets.text)} tweets;", counts)
    X_train, X_test, y_train, y_test = train_test_split(
        tweets.text, tweets.emoji, train_size=3000, test_size=1000,
        stratify=tweets.emoji, random_state=0,
    )

# %%
# The ranker and a baseline
# -------------------------
# Three candidate answers, as in the original. The answer side embeds 🎉, 😈
# and 😡 from their pictures (through a small VAE) and their names.
if csv_path is not None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, f1_score
    from sklearn.pipeline import make_pipeline

    from skemoji import EmojiVAE, SiameseEmojiRanker
    from skemoji.datasets import load_twemoji

    twemoji = load_twemoji()
    classic = np.array([len(e) == 1 and 0x1F300 <= ord(e) <= 0x1F64F
                    for e in twemoji.emojis])
    vae = EmojiVAE(latent_dim=8, epochs=3, batch_size=32, random_state=0)
    vae.fit(twemoji.images[classic])
    ranker = SiameseEmojiRanker(vae=vae, epochs=8, random_state=0)
    ranker.fit(X_train, y_train)
    baseline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                             LogisticRegression(max_iter=2000, class_weight="balanced"))
    baseline.fit(X_train, y_train)

    models = {"SiameseEmojiRanker": ranker, "TF-IDF + logistic regression": baseline}
    for name, model in models.items():
        predicted = model.predict(X_test)
        print(f"{name:30s} accuracy {accuracy_score(y_test, predicted):.3f}  "
              f"macro-F1 {f1_score(y_test, predicted, average='macro'):.3f}")

# %%
# Confusion matrix
# ----------------
# Rows are the true answers, columns the ranker's; labels name the emojis in
# words because matplotlib's default font has no emoji glyphs.
if csv_path is not None:
    words = {"🎉": "positive", "😈": "neutral", "😡": "negative"}
    order = ["🎉", "😈", "😡"]
    fig, ax = plt.subplots(figsize=(4.6, 4))
    ConfusionMatrixDisplay.from_predictions(
        y_test, ranker.predict(X_test), labels=order,
        display_labels=[words[e] for e in order], ax=ax, colorbar=False,
    )
    ax.set_title("SiameseEmojiRanker, 1,000 held-out tweets")
    fig.tight_layout()
    for text, emojis in zip(X_test[:5], ranker.rank(X_test[:5], k=3)):
        print(" ".join(emojis), " ", text)

plt.show()
