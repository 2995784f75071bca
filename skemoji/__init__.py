"""skemoji: emoji models for scikit-learn, with TensorFlow/Keras 3 inside.

``EmojiVAE`` learns a generative latent space of emoji images;
``SiameseEmojiRanker`` answers texts with emojis, including emojis it never
saw in training. Data loaders live in :mod:`skemoji.datasets`.
"""

from ._persistence import load
from .ranker import SiameseEmojiRanker
from ._vae import EmojiVAE
from ._version import __version__

__all__ = ["EmojiVAE", "SiameseEmojiRanker", "load", "__version__"]
