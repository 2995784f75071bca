"""skemoji: emoji models for scikit-learn, with TensorFlow/Keras 3 inside.

``EmojiVAE`` learns a generative latent space of emoji images;
``SiameseEmojiRanker`` answers texts with emojis, including emojis it never
saw in training. ``load_pretrained`` gives both, trained on the whole emoji
catalog. Data loaders live in :mod:`skemoji.datasets`.
"""

from ._persistence import load
from ._pretrained import load_pretrained
from ._vae import EmojiVAE
from ._version import __version__
from .ranker import SiameseEmojiRanker

__all__ = ["EmojiVAE", "SiameseEmojiRanker", "load", "load_pretrained", "__version__"]
