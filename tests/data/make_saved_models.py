"""Write the saved-model files that tests/test_persistence.py keeps loading in later versions.

Run once per file-format version, with the version of skemoji that writes it:
``python tests/data/make_saved_models.py``. Never regenerate an existing file:
its point is to have been written by an older skemoji.
"""

from pathlib import Path

import numpy as np

import skemoji
from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import make_emojis
from skemoji.ranker._estimator import STATE_VERSION

HERE = Path(__file__).resolve().parent
TEXTS = ["merry christmas", "christmas tree", "so angry", "angry again", "love you", "my love"]
EMOJIS = ["🎄", "🎄", "😡", "😡", "❤", "❤"]


def write_vae():
    path = HERE / f"vae_v{skemoji._persistence.FORMAT_VERSION}.skemoji"
    if path.exists():
        return print(f"{path} exists; saved-model files are never rewritten")
    vae = EmojiVAE(latent_dim=2, epochs=1, batch_size=16, random_state=0).fit(make_emojis(16, random_state=0))
    vae.save(path)
    # Inputs and the outputs the saved model gave for them, so a later version can check both.
    images = make_emojis(4, random_state=1)
    np.savez_compressed(path.with_suffix(".expected.npz"), images=images, codes=vae.transform(images),
                        decoded=vae.inverse_transform(vae.transform(images)), skemoji_version=skemoji.__version__)
    print(f"wrote {path} ({path.stat().st_size} bytes) with skemoji {skemoji.__version__}")


def write_ranker():
    """A tiny ranker of each ranker state version (the ranker's fitted state has its own version)."""
    path = HERE / f"ranker_state{STATE_VERSION}.skemoji"
    if path.exists():
        return print(f"{path} exists; saved-model files are never rewritten")
    vae = EmojiVAE(latent_dim=2, epochs=1, batch_size=16, random_state=0).fit(make_emojis(16, random_state=0))
    ranker = SiameseEmojiRanker(vae=vae, catalog_languages=(), head_min_pairs=2, hidden_units=(16,),
                                embedding_dim=8, epochs=3, validation_fraction=0, random_state=0)
    ranker.fit(TEXTS, EMOJIS).add_candidates(["🎅"])
    ranker.save(path)
    texts = np.array(["christmas eve", "angry", "santa"], dtype=object)
    np.savez_compressed(path.with_suffix(".expected.npz"), texts=texts.astype(str),
                        scores=ranker.decision_function(texts), skemoji_version=skemoji.__version__)
    print(f"wrote {path} ({path.stat().st_size} bytes) with skemoji {skemoji.__version__}")


if __name__ == "__main__":
    write_vae()
    write_ranker()
