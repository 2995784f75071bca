"""The text -> emoji ranker, by concern.

- :mod:`._estimator`: :class:`SiameseEmojiRanker`, parameters, validation, orchestration;
- :mod:`._featurizer`: texts and names to tower inputs;
- :mod:`._catalog`: the emoji catalog (images, descriptions, keyword pairs);
- :mod:`._networks`: the Keras towers (training only);
- :mod:`._training`: the training schedule of the towers and the head;
- :mod:`._towers`: the trained towers at inference (NumPy);
- :mod:`._candidates`: the candidate set, extended by ``add_candidates``;
- :mod:`._scoring`: the scoring formula, the fitting of its weights, ranking in chunks.
"""

from ._estimator import SiameseEmojiRanker

__all__ = ["SiameseEmojiRanker"]
