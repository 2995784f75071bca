"""Pure Keras builders for :class:`~skemoji.SiameseEmojiRanker` (no scikit-learn here).

Shape of the networks::

    question:  text -> body -> F ------------------> act -> head -> unit norm -> q
    answer:    name -> body -> F --+
               VAE code ----> G ---+-> sum -------> act -> head -> unit norm -> a
    training:  cos(q, a) / temperature against every candidate (CandidateScorer)

``F`` (the first dense layer) and ``head`` (the remaining dense layers) are the
same layer objects on both sides: an emoji's name is read by the very network
that reads the questions, and its pixels enter that network through ``G``. So
an emoji never seen in training still has a content-based embedding.
:func:`export_dense_tower` turns the trained TF-IDF towers into NumPy arrays,
so that ranking needs no TensorFlow.
"""

import numpy as np

from .._keras_base import import_keras

keras = import_keras()
ops = keras.ops
register = keras.saving.register_keras_serializable(package="skemoji")

@register
class SparseDense(keras.layers.Dense):
    """``Dense`` that multiplies a sparse input with ``tf.sparse.sparse_dense_matmul``.

    Keras' own sparse path (an embedding lookup) yields one gradient row per
    non-zero input entry; for TF-IDF rows with hundreds of n-grams, times
    thousands of candidate names per step, that costs gigabytes and seconds.
    This gradient is one dense kernel-shaped matrix.
    """

    def __init__(self, units, input_dropout=0.0, seed=None, **kwargs):
        super().__init__(units, **kwargs)
        self.input_dropout, self.seed = float(input_dropout), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        import tensorflow as tf

        if not isinstance(inputs, tf.SparseTensor):
            return super().call(inputs, training=training)
        if training and self.input_dropout > 0:
            # Drop each non-zero input entry (an n-gram of a text) at random.
            keep = keras.random.uniform(
                ops.shape(inputs.values), seed=self.seed_generator
            ) >= self.input_dropout
            inputs = tf.sparse.retain(inputs, keep)
            inputs = inputs.with_values(inputs.values / (1.0 - self.input_dropout))
        outputs = _matmul(inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs) if self.activation is not None else outputs

    def get_config(self):
        return {**super().get_config(), "input_dropout": self.input_dropout, "seed": self.seed}


def _matmul(inputs, kernel):
    """``inputs @ kernel`` for a dense or a ``tf.SparseTensor`` input."""
    import tensorflow as tf

    if isinstance(inputs, tf.SparseTensor):
        return tf.sparse.sparse_dense_matmul(inputs, kernel)
    return ops.matmul(inputs, kernel)


@register
class OneNegativeHinge(keras.losses.Loss):
    """The original work's loss: ``max(0, margin - cos(q, a+) + cos(q, a-))``.

    ``y_true`` holds two candidate indices per question: the answer and one
    drawn negative; ``y_pred`` the cosines against every candidate.
    """

    def __init__(self, margin=0.2, name="one_negative_hinge", **kwargs):
        super().__init__(name=name, **kwargs)
        self.margin = float(margin)

    def call(self, y_true, y_pred):
        pairs = ops.take_along_axis(y_pred, ops.cast(y_true, "int32"), axis=1)
        return ops.relu(self.margin - pairs[:, 0] + pairs[:, 1])

    def get_config(self):
        return {**super().get_config(), "margin": self.margin}


@register
class CandidateScorer(keras.Model):
    """Training view: a batch of questions against every candidate, ``cos / temperature``.

    The candidates' inputs are fixed tensors, embedded anew at each step so
    the gradient reaches the answer side (names, codes). With a
    ``user_mask`` (0 for the user's answers, a large negative number for the
    other candidates), the inputs are a dict of ``"question"`` and
    ``"user"`` (1 for a user pair, 0 for a catalog pair): a user pair is then
    scored among the user's answers only, a catalog pair among all
    candidates. Otherwise the towers would learn that a tweet is *not* any
    catalog emoji, which is exactly what an emoji added later must not be.
    """

    def __init__(self, question_encoder, answer_encoder, candidates, temperature=1.0,
                 user_mask=None, **kwargs):
        super().__init__(**kwargs)
        self.question_encoder = question_encoder
        self.answer_encoder = answer_encoder
        self.candidates = candidates
        self.temperature = float(temperature)
        self.user_mask = None if user_mask is None else ops.convert_to_tensor(user_mask, "float32")

    def call(self, inputs, training=False):
        questions = inputs["question"] if self.user_mask is not None else inputs
        q = self.question_encoder(questions, training=training)
        # A plain dict: Keras' tracked wrapper would not match the encoder's input structure.
        a = self.answer_encoder(dict(self.candidates), training=training)
        logits = ops.matmul(q, ops.transpose(a)) / self.temperature
        if self.user_mask is None:
            return logits
        return logits + ops.expand_dims(inputs["user"], 1) * self.user_mask


def _text_input(tower, n_features, sparse, name):
    if tower == "tfidf":
        return keras.Input(shape=(n_features,), sparse=sparse, name=name)
    return keras.Input(shape=(None,), dtype="int32", name=name)


# Widths of the sequence towers' word embeddings when they do not start from word vectors.
WORD_EMBEDDING_DIMS = {"cnn": 128, "bilstm": 100}


def _text_body(tower, inputs, vocabulary_size, word_embedding_dim, seed):
    """Text input -> the representation that the first dense layer reads."""
    if tower == "tfidf":
        return inputs
    width = word_embedding_dim or WORD_EMBEDDING_DIMS[tower]
    x = keras.layers.Embedding(vocabulary_size, width, name="word_embedding")(inputs)
    if tower == "cnn":
        x = keras.layers.Conv1D(256, 3, padding="same", activation="relu", name="conv")(x)
        return keras.layers.GlobalMaxPooling1D(name="max_pool")(x)
    # The original work's tower: a bidirectional LSTM of 50 units, max-pooled.
    x = keras.layers.Bidirectional(
        keras.layers.LSTM(50, return_sequences=True, seed=seed), name="bilstm"
    )(x)
    return keras.layers.GlobalMaxPooling1D(name="max_pool")(x)


def build_ranker_networks(
    *,
    question_tower="tfidf",
    n_question_features=None,
    question_sparse=True,
    vocabulary_size=None,
    word_embedding_dim=None,
    word_embeddings=None,
    name_input="shared",
    n_name_features=None,
    latent_dim=16,
    answer_features=("image", "name"),
    hidden_units=(512,),
    embedding_dim=128,
    activation="relu",
    output_activation=None,
    dropout=0.0,
    input_dropout=0.0,
    seed=None,
):
    """Build the question and answer encoders, which share their dense layers.

    Parameters
    ----------
    question_tower : {"tfidf", "cnn", "bilstm"}
        ``"tfidf"`` reads a (sparse) feature vector; the others read token ids.
    n_question_features : int
        Width of the question features (``"tfidf"`` tower).
    question_sparse : bool
        Whether those features arrive as a sparse tensor.
    vocabulary_size : int
        Number of token ids (sequence towers).
    word_embedding_dim : int or None
        Width of the sequence towers' word embedding (None: 128 for
        ``"cnn"``, 100 for ``"bilstm"``).
    word_embeddings : ndarray of shape (vocabulary_size, word_embedding_dim) or None
        Initial word embedding (pretrained word vectors), trained further.
    name_input : {"shared", "tfidf"}
        ``"shared"``: names are read by the question tower itself.
        ``"tfidf"``: names have their own TF-IDF features (width
        ``n_name_features``) and their own first layer (for questions given as
        precomputed features, whose featuriser names cannot go through).
    latent_dim : int
        Width of the VAE codes.
    answer_features : tuple of {"image", "name"}
        What the answer side is built from.
    hidden_units : tuple of int
        Widths of the shared dense layers; the first is ``F``.
    embedding_dim : int
        Width of the final embeddings.
    activation, output_activation : str or None
        Activations of the hidden and of the last dense layer.
    dropout : float
        Dropout after the first dense layer.
    input_dropout : float
        Share of the non-zero entries of sparse text features dropped in training.
    seed : int or None
        Seed of the initialisers and dropout.

    Returns
    -------
    question_encoder, answer_encoder : keras.Model
        ``question_encoder`` maps question features to unit vectors;
        ``answer_encoder`` maps a dict with keys among ``"name"`` and
        ``"code"`` to unit vectors.
    """
    first = SparseDense(hidden_units[0], input_dropout, seed=seed, name="shared_dense_0")
    head = [
        keras.layers.Activation(activation, name="shared_activation"),
        keras.layers.Dropout(dropout, seed=seed, name="shared_dropout"),
    ]
    head += [
        keras.layers.Dense(units, activation=activation, name=f"shared_dense_{i}")
        for i, units in enumerate(hidden_units[1:], start=1)
    ]
    head.append(
        keras.layers.Dense(embedding_dim, activation=output_activation, name="shared_output")
    )

    def run_head(x):
        for layer in head:
            x = layer(x)
        return x

    question = _text_input(question_tower, n_question_features, question_sparse, "question")
    question_body = keras.Model(
        question, _text_body(question_tower, question, vocabulary_size, word_embedding_dim, seed),
        name="question_body",
    )
    if word_embeddings is not None:
        question_body.get_layer("word_embedding").set_weights([word_embeddings])
    q = keras.layers.UnitNormalization(name="question_norm")(run_head(first(question_body(question))))
    question_encoder = keras.Model(question, q, name="question_encoder")

    inputs, parts = {}, []
    if "name" in answer_features:
        if name_input == "shared":
            inputs["name"] = _text_input(question_tower, n_question_features, question_sparse, "name")
            parts.append(first(question_body(inputs["name"])))
        else:
            inputs["name"] = keras.Input(shape=(n_name_features,), name="name")
            parts.append(SparseDense(hidden_units[0], name="name_dense")(inputs["name"]))
    if "image" in answer_features:
        inputs["code"] = keras.Input(shape=(latent_dim,), name="code")
        parts.append(keras.layers.Dense(hidden_units[0], name="code_dense")(inputs["code"]))
    fused = parts[0] if len(parts) == 1 else keras.layers.Add(name="content")(parts)
    a = keras.layers.UnitNormalization(name="answer_norm")(run_head(fused))
    answer_encoder = keras.Model(inputs, a, name="answer_encoder")

    return question_encoder, answer_encoder


def export_dense_tower(question_encoder, answer_encoder):
    """The trained TF-IDF towers as NumPy arrays, for :class:`~skemoji.ranker._towers.DenseTowers`.

    Returns a dict: ``first`` (kernel, bias) of ``F``; ``head``, the
    (kernel, bias) of each later dense layer in order; ``code`` (kernel, bias)
    of ``G`` if the answers read VAE codes, and ``activation``, the name of
    the hidden activation.
    """
    layers = {layer.name: layer for layer in question_encoder.layers + answer_encoder.layers}
    head = sorted(
        (name for name in layers if name.startswith("shared_dense_") and name != "shared_dense_0"),
        key=lambda name: int(name.rsplit("_", 1)[1]),
    ) + ["shared_output"]
    arrays = {
        "first": [np.asarray(w, dtype=np.float32) for w in layers["shared_dense_0"].get_weights()],
        "head": [[np.asarray(w, dtype=np.float32) for w in layers[name].get_weights()]
                 for name in head],
        "activation": layers["shared_activation"].get_config()["activation"],
    }
    if "code_dense" in layers:
        arrays["code"] = [np.asarray(w, dtype=np.float32)
                          for w in layers["code_dense"].get_weights()]
    return arrays
