"""Write the saved-model files that tests/test_persistence.py keeps loading in later versions.

Run once per file-format version, with the version of skemoji that writes it:
``python tests/data/make_saved_models.py``. Never regenerate an existing file:
its point is to have been written by an older skemoji.
"""

from pathlib import Path

import numpy as np

import skemoji
from skemoji import EmojiVAE
from skemoji.datasets import make_emojis

HERE = Path(__file__).resolve().parent


def main():
    path = HERE / f"vae_v{skemoji._persistence.FORMAT_VERSION}.skemoji"
    if path.exists():
        raise SystemExit(f"{path} exists; saved-model files are never rewritten")
    vae = EmojiVAE(latent_dim=2, epochs=1, batch_size=16, random_state=0).fit(make_emojis(16, random_state=0))
    vae.save(path)
    # Inputs and the outputs the saved model gave for them, so a later version can check both.
    images = make_emojis(4, random_state=1)
    np.savez_compressed(path.with_suffix(".expected.npz"), images=images, codes=vae.transform(images),
                        decoded=vae.inverse_transform(vae.transform(images)), skemoji_version=skemoji.__version__)
    print(f"wrote {path} ({path.stat().st_size} bytes) with skemoji {skemoji.__version__}")


if __name__ == "__main__":
    main()
