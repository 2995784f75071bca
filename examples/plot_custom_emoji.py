"""
========================================
Ranking a custom emoji never seen before
========================================

Teams add their own emojis to their chat tools all the time. A fixed-label
emoji classifier cannot suggest them without retraining;
:class:`~skemoji.SiameseEmojiRanker` can, because it embeds every emoji from
its *content*, its picture and its name. This example

1. trains a ranker on emoji names,
2. draws a brand-new emoji with Pillow, one that exists in no emoji set,
3. adds it with :meth:`~skemoji.SiameseEmojiRanker.add_candidates` and an
   image and a name, without refitting,
4. and ranks it for some texts, next to a catalog emoji that was also left out
   of training and added by its string alone.

The ranker here trains for seconds on emoji names only, so it knows few words
and its rankings are rough; the point is the mechanics. The zero-shot figures
of a fully trained ranker are on :doc:`/benchmarks`.
"""

# %%
# A ranker trained on emoji names
# -------------------------------
# As in :ref:`sphx_glr_auto_examples_plot_emoji_suggestions.py`: the classic
# emojis of Unicode's "Miscellaneous Symbols and Pictographs" and "Emoticons"
# blocks, their English and French names, a small VAE and a few epochs. The
# partying face 🥳 (a later Unicode addition) is not among them.
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image, ImageDraw

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import load_emoji_names, load_twemoji
from skemoji.plotting import emoji_grid, ranking_strips

twemoji = load_twemoji()
classic = np.array([len(e) == 1 and 0x1F300 <= ord(e) <= 0x1F64F
                    for e in twemoji.emojis])
names = load_emoji_names(languages=("en", "fr"))
keep = np.isin(names.emoji, twemoji.emojis[classic])
vae = EmojiVAE(latent_dim=8, epochs=3, batch_size=32, random_state=0)
vae.fit(twemoji.images[classic])
ranker = SiameseEmojiRanker(vae=vae, epochs=6, validation_fraction=0,
                            random_state=0)
ranker.fit(names.text[keep], names.emoji[keep])
print(len(ranker.classes_), "candidates; 🥳 among them:", "🥳" in set(ranker.classes_))

# %%
# A brand-new emoji
# -----------------
# Any RGBA image works. Here, a team's ``:this-is-fine:`` emoji (a calm dog in
# front of flames), drawn at 144 px with Pillow and scaled to the 36 x 36 RGBA
# format of all skemoji images.
side = 144
picture = Image.new("RGBA", (side, side), (0, 0, 0, 0))
draw = ImageDraw.Draw(picture)
for x0 in (0, 40, 80):  # flames
    draw.polygon([(x0 + 4, 140), (x0 + 32, 40), (x0 + 60, 140)], fill=(255, 120, 0, 255))
    draw.polygon([(x0 + 18, 140), (x0 + 32, 84), (x0 + 46, 140)], fill=(255, 210, 0, 255))
draw.ellipse((34, 30, 110, 106), fill=(196, 140, 80, 255))  # head
draw.ellipse((26, 34, 50, 78), fill=(120, 72, 36, 255))  # ears
draw.ellipse((94, 34, 118, 78), fill=(120, 72, 36, 255))
for x in (56, 86):  # eyes
    draw.ellipse((x - 5, 56, x + 5, 66), fill=(30, 20, 10, 255))
draw.ellipse((64, 74, 80, 86), fill=(30, 20, 10, 255))  # nose
fine = np.asarray(picture.resize((36, 36), Image.Resampling.LANCZOS))
print(fine.shape, fine.dtype)

# %%
# Add the candidates, without refitting
# -------------------------------------
# The custom emoji needs its image and a name, which the ranker reads like a
# text; its identifier is any string. 🥳 is in the Twemoji catalog, so its
# string is enough: the catalog supplies its image and name.
ranker.add_candidates([":this-is-fine:"], images=fine[np.newaxis],
                      names=["this is fine dog on fire"])
ranker.add_candidates(["🥳"])
print(ranker.classes_[-2:])

# %%
# Rank them for texts
# -------------------
texts = [
    "this is fine",
    "the servers are on fire but this is fine",
    "let's party tonight",
    "pizza night with friends",
]
ranked = ranker.rank(texts, k=5)
for text, emojis in zip(texts, ranked):
    print(f"{text:30s} {' '.join(emojis)}")

# %%
# Where do the new candidates land among all candidates? Position 1 is the
# best; ``similarity`` gives the score of one (text, emoji) pair (the new
# emojis are scored by the same formula, their head columns and biases
# imputed from their look-alikes among the training emojis).
scores = ranker.decision_function(texts)
for new in (":this-is-fine:", "🥳"):
    column = list(ranker.classes_).index(new)
    positions = (scores > scores[:, [column]]).sum(axis=1) + 1
    similarity = ranker.similarity(texts, [new] * len(texts))
    print(f"{new:14s} position per text: {positions.tolist()}, "
          f"similarity: {[round(float(v), 2) for v in similarity]}")

# %%
# The rankings as pictures: catalog emojis from Twemoji, the custom one from
# its own image.
index = {emoji: i for i, emoji in enumerate(twemoji.emojis)}


def image_of(emoji):
    return fine if emoji == ":this-is-fine:" else twemoji.images[index[emoji]]


fig, axes = plt.subplots(1, 2, figsize=(8, 4), gridspec_kw={"width_ratios": [1, 4]})
axes[0].imshow(emoji_grid(fine[np.newaxis], scale=3))
axes[0].set_title("new emoji\n:this-is-fine:")
strips = ranking_strips(texts, [np.stack([image_of(e) for e in row]) for row in ranked])
axes[1].imshow(strips)
axes[1].set_title("top 5 per text")
for ax in axes:
    ax.set_axis_off()
fig.tight_layout()
plt.show()
