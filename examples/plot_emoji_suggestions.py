"""
===========================
Emoji suggestions for texts
===========================

Train a :class:`~skemoji.SiameseEmojiRanker` on the emoji names and aliases
that ship with skemoji, in four languages, then ask it for the five best emojis
for a few everyday texts.

The names corpus (:func:`~skemoji.datasets.load_emoji_names`) pairs texts such
as ``"fire"``, ``"feu"``, ``"fuego"`` with 🔥: a real (question, answer) data
set that needs no download. To keep the example fast, it uses the about 700
classic emojis of Unicode's "Miscellaneous Symbols and Pictographs" and
"Emoticons" blocks (faces, hearts, food, weather, ...), a small VAE and a few
epochs; ``skemoji demo`` trains on the whole catalog for longer.
"""

# %%
# The training pairs
# ------------------
import matplotlib.pyplot as plt
import numpy as np

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import load_emoji_names, load_twemoji
from skemoji.plotting import ranking_strips

twemoji = load_twemoji()
classic = np.array([len(e) == 1 and 0x1F300 <= ord(e) <= 0x1F64F
                    for e in twemoji.emojis])
names = load_emoji_names(languages=("en", "fr", "it", "es"))
keep = np.isin(names.emoji, twemoji.emojis[classic])
texts, emojis = names.text[keep], names.emoji[keep]
print(f"{len(texts)} (text, emoji) pairs for {len(set(emojis))} emojis")
for language in ("en", "fr", "it", "es"):
    fire = (names.emoji == "🔥") & (names.language == language)
    print(language, list(names.text[fire]))

# %%
# The answer side's image model
# -----------------------------
# The ranker embeds each emoji partly from its picture, through an
# :class:`~skemoji.EmojiVAE`. A fitted VAE passed as ``vae`` is reused as is;
# here a small one, quickly trained on the same emojis' images.
vae = EmojiVAE(latent_dim=8, epochs=3, batch_size=32, random_state=0)
vae.fit(twemoji.images[classic])

# %%
# Fit the ranker
# --------------
# Every (name, emoji) pair is one training question with its answer; the
# candidates are the answers. ``validation_fraction=0`` trains on all pairs
# (each emoji has only a handful of names to learn from), and ``verbose=2``
# prints one line per epoch.
ranker = SiameseEmojiRanker(vae=vae, epochs=6, validation_fraction=0,
                            random_state=0, verbose=2)
ranker.fit(texts, emojis)
print(f"{len(ranker.classes_)} candidate emojis")

# %%
# Suggestions
# -----------
# ``rank`` returns the ``k`` best emojis per text, best first.
queries = [
    "pizza night with friends",
    "merry christmas everyone",
    "I love you so much",
    "so tired, good night",
    "buon compleanno amico mio",
    "je bois un café",
    "this is hilarious lol",
]
ranked = ranker.rank(queries, k=5)
for query, best in zip(queries, ranked):
    print(f"{query:30s} {' '.join(best)}")

# %%
# ``predict_proba`` gives a probability for every candidate; the best one
# for each text:
proba = ranker.predict_proba(queries)
print(np.round(proba.max(axis=1), 3))

# %%
# Nothing here was trained on these sentences: the ranker learned from emoji
# names only, so it suggests by the words the texts share with names
# ("pizza", "christmas", "compleanno"). Trained on real (text, emoji) pairs,
# such as tweets (:func:`~skemoji.datasets.load_tweeteval`), it learns how
# people actually use emojis; see :doc:`/benchmarks`.

# %%
# The same suggestions as pictures, with the Twemoji images of the ranked
# emojis (:func:`~skemoji.plotting.ranking_strips`).
index = {emoji: i for i, emoji in enumerate(twemoji.emojis)}
images = [twemoji.images[[index[e] for e in row]] for row in ranked]
fig, ax = plt.subplots(figsize=(5, 6))
ax.imshow(ranking_strips(queries, images))
ax.set_axis_off()
plt.show()
