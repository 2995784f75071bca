"""
=====================================
A grid search over both estimators
=====================================

:class:`~skemoji.EmojiVAE` and :class:`~skemoji.SiameseEmojiRanker` are
ordinary scikit-learn estimators, so :class:`~sklearn.model_selection.GridSearchCV`
tunes them like any other:

- the VAE as the feature step of a :class:`~sklearn.pipeline.Pipeline` that
  recognises the shape of synthetic emojis, searching ``latent_dim``;
- the ranker on short texts, searching its question tower with
  ``scoring="f1_macro"``.

Data, epochs, grids and folds are tiny, so that the searches stay short; real
searches use more of each. Most of the time of such tiny fits goes into
TensorFlow building each new network, not into training it. On a machine to
yourself, add ``n_jobs=2`` (or more) to run fits in parallel worker
processes. The same code runs
on a cluster with joblib's Dask backend: see :ref:`dask`.
"""

# %%
# The VAE in a Pipeline
# ---------------------
# :func:`~skemoji.datasets.make_emojis` draws faces, squares, diamonds and
# rings in random colours; the shape is the label. Images go in flattened,
# ``(n, 5184)``, as scikit-learn tools expect 2-D input.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import make_emojis
from skemoji.plotting import emoji_grid

images, shapes = make_emojis(160, random_state=0, return_labels=True)
X = images.reshape(len(images), -1)

pipeline = Pipeline([
    ("vae", EmojiVAE(epochs=3, batch_size=32, random_state=0)),
    ("classifier", LogisticRegression(max_iter=2000)),
])
vae_search = GridSearchCV(
    pipeline,
    {"vae__latent_dim": [2, 8]},
    cv=StratifiedKFold(2, shuffle=True, random_state=0),
    refit=False,  # only the scores are needed here; the default refits the best model
)
vae_search.fit(X, shapes)
print("best:", vae_search.best_params_, f"accuracy {vae_search.best_score_:.2f}")

# %%
# The ranker
# ----------
# Short texts about four topics, each answered by one emoji; the candidates
# are the four training answers. A fitted VAE passed as ``vae`` is reused by
# every fit of the search instead of being trained again. (An unfitted
# ``EmojiVAE`` would be fitted on the Twemoji catalog in every fit, and
# ``vae__latent_dim`` could then be searched too, at a much higher cost.)
rng = np.random.RandomState(0)
topics = {
    "❤": ["love", "heart", "adore", "darling", "sweetheart", "romance", "kiss"],
    "🔥": ["fire", "hot", "lit", "flames", "burning", "heat", "spicy"],
    "😂": ["lol", "funny", "hilarious", "joke", "laughing", "haha", "lmao"],
    "🎄": ["christmas", "xmas", "tree", "santa", "december", "presents", "snow"],
}
fillers = ["so", "really", "today", "this", "is", "my", "the", "what a", "omg"]
texts, emojis = [], []
for emoji, words in topics.items():
    for _ in range(20):
        words_and_fillers = list(rng.choice(words, 2)) + list(rng.choice(fillers, 2))
        texts.append(" ".join(words_and_fillers))
        emojis.append(emoji)
texts, emojis = np.array(texts, dtype=object), np.array(emojis, dtype=object)
print(texts[:3])

vae = EmojiVAE(latent_dim=4, epochs=2, random_state=0).fit(make_emojis(64, random_state=0))
# catalog_languages=() leaves out the CLDR keyword pairs the ranker would also learn: this
# search is about the towers on these toy pairs, and keeps to a few seconds per fit.
ranker_search = GridSearchCV(
    SiameseEmojiRanker(vae=vae, catalog_languages=(), epochs=5, validation_fraction=0,
                       random_state=0),
    {"question_tower": ["tfidf", "cnn"]},
    scoring="f1_macro",
    cv=StratifiedKFold(2, shuffle=True, random_state=0),
    refit=False,
)
ranker_search.fit(texts, emojis)
print("best:", ranker_search.best_params_, f"macro-F1 {ranker_search.best_score_:.2f}")

# %%
# The results
# -----------
# ``cv_results_`` is a dict of arrays, as for any search.
results = pd.DataFrame(ranker_search.cv_results_)
print(results[["param_question_tower", "mean_test_score", "mean_fit_time"]].round(3)
      .to_string(index=False))

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), gridspec_kw={"width_ratios": [1, 1, 1]})
axes[0].bar([str(d) for d in vae_search.cv_results_["param_vae__latent_dim"]],
            vae_search.cv_results_["mean_test_score"], color="tab:blue")
axes[0].set_xlabel("vae__latent_dim")
axes[0].set_ylabel("shape accuracy (2-fold)")
axes[0].set_ylim(0, 1)
axes[1].bar([str(t) for t in results.param_question_tower], results.mean_test_score,
            color="tab:orange")
axes[1].set_xlabel("question_tower")
axes[1].set_ylabel("macro-F1 (2-fold)")
axes[1].set_ylim(0, 1)
axes[1].set_title("SiameseEmojiRanker search")
axes[0].set_title("EmojiVAE + LogisticRegression")
axes[2].imshow(emoji_grid(images[:16], n_cols=4))
axes[2].set_title("some training images")
axes[2].set_axis_off()
fig.tight_layout()
plt.show()
