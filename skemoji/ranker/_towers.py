"""The trained towers at inference: texts and emoji content to unit embeddings, in NumPy.

Training needs Keras (:mod:`skemoji.ranker._networks`); embedding does not,
for the TF-IDF towers: their layers are a sparse matrix product and a few
small dense ones, which NumPy and SciPy run in microseconds per text, with
no TensorFlow start-up, tracing or logs. The sequence towers (CNN, BiLSTM)
stay Keras models.
"""

import numpy as np

from ._scoring import unit_rows

_ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0, out=x),
    "tanh": np.tanh,
}
ACTIVATIONS = tuple(_ACTIVATIONS)


class DenseTowers:
    """The TF-IDF towers as arrays (see :func:`~skemoji.ranker._networks.export_dense_tower`).

    The first kernel, one row per text feature, is most of a ranker's size,
    so it is kept in float16 (scores change by about 1e-3 of their spread)
    and multiplied in float32.
    """

    def __init__(self, arrays):
        self.first_kernel = np.asarray(arrays["first"][0], dtype=np.float16)
        self.first_bias = np.asarray(arrays["first"][1], dtype=np.float32)
        self.head = [(np.asarray(k, np.float32), np.asarray(b, np.float32)) for k, b in arrays["head"]]
        self.code = (None if arrays.get("code") is None else
                     tuple(np.asarray(w, np.float32) for w in arrays["code"]))
        # Names of questions given as numeric features have a first layer of their own.
        self.name_first = (None if arrays.get("name_first") is None else
                           tuple(np.asarray(w, np.float32) for w in arrays["name_first"]))
        self.activation = arrays["activation"]
        self._kernel32 = None

    def state(self):
        """The arrays this object is made from (for pickling and skemoji files)."""
        return {"first": [self.first_kernel, self.first_bias],
                "head": [list(layer) for layer in self.head],
                "code": None if self.code is None else list(self.code),
                "name_first": None if self.name_first is None else list(self.name_first),
                "activation": self.activation}

    def _first(self, features):
        if self._kernel32 is None:
            self._kernel32 = np.ascontiguousarray(self.first_kernel, dtype=np.float32)
        return np.asarray(features @ self._kernel32, dtype=np.float32) + self.first_bias

    def _run_head(self, x):
        act = _ACTIVATIONS[self.activation]
        x = act(x)
        for i, (kernel, bias) in enumerate(self.head):
            x = x @ kernel + bias
            if i < len(self.head) - 1:
                x = act(x)
        return unit_rows(x)

    def embed_questions(self, features):
        """Unit question embeddings of featurised texts (sparse or dense rows)."""
        return self._run_head(self._first(features))

    def embed_answers(self, name_features=None, codes=None):
        """Unit answer embeddings from name features and/or VAE codes."""
        parts = []
        if name_features is not None and self.name_first is not None:
            kernel, bias = self.name_first
            parts.append(np.asarray(name_features @ kernel, dtype=np.float32) + bias)
        elif name_features is not None:
            parts.append(self._first(name_features))
        if codes is not None:
            kernel, bias = self.code
            parts.append(np.asarray(codes, np.float32) @ kernel + bias)
        return self._run_head(sum(parts))


class KerasTowers:
    """The sequence towers: the Keras models of a fitted ranker (``question_encoder_``, ...).

    They are looked up on the ranker at each call, as a loaded ranker
    rebuilds its networks only when first used.
    """

    def __init__(self, ranker):
        self.ranker = ranker

    def embed_questions(self, features):
        return np.asarray(self.ranker.question_encoder_.predict(features, batch_size=2048,
                                                                verbose=0), dtype=np.float32)

    def embed_answers(self, name_features=None, codes=None):
        inputs = {}
        if name_features is not None:
            inputs["name"] = name_features
        if codes is not None:
            inputs["code"] = np.asarray(codes, np.float32)
        return np.asarray(self.ranker.answer_encoder_.predict(inputs, batch_size=4096, verbose=0),
                          dtype=np.float32)
