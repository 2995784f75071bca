"""Pure Keras builders for :class:`~skemoji.SiameseEmojiRanker` (no scikit-learn here).

Shape of the networks::

    question:  text -> body -> F ------------------> act -> head -> unit norm -> q
    answer:    name -> body -> F --+
               VAE code ----> G ---+-> sum -------> act -> head --+
               emoji id ----> per-emoji vector (whole-vector dropout) --+-> sum -> unit norm -> a
    score:     cos(q, a) / temperature, for every candidate a

``F`` (the first dense layer) and ``head`` (the remaining dense layers) are the
same layer objects on both sides: an emoji's name is read by the very network
that reads the questions, and its pixels enter that network through ``G``. So
an emoji never seen in training still has a content-based embedding.
"""

from ._keras_base import import_keras

keras = import_keras()
ops = keras.ops
register = keras.saving.register_keras_serializable(package="skemoji")

QUESTION_TOWERS = ("tfidf", "cnn", "bilstm")


@register
class EmojiVectors(keras.layers.Layer):
    """A learned vector per emoji seen in training; id 0 (not seen) gives zeros.

    In training, each emoji's whole vector is dropped with probability
    ``rate`` (and the kept ones scaled by ``1 / (1 - rate)``), so the content
    path must rank the training emojis on its own too: that is what unseen
    emojis get.
    """

    def __init__(self, n_emojis, dim, rate=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.n_emojis, self.dim, self.rate, self.seed = int(n_emojis), int(dim), float(rate), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            shape=(self.n_emojis + 1, self.dim),
            initializer=keras.initializers.RandomNormal(stddev=0.05),
            name="embeddings",
        )

    def call(self, ids, training=False):
        ids = ops.cast(ids, "int32")
        seen = ops.cast(ops.expand_dims(ids > 0, -1), self.compute_dtype)
        vectors = ops.take(self.embeddings, ids, axis=0) * seen
        if training and self.rate > 0:
            noise_shape = (ops.shape(vectors)[0], 1)
            vectors = keras.random.dropout(
                vectors, self.rate, noise_shape=noise_shape, seed=self.seed_generator
            )
        return vectors

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.dim,)

    def get_config(self):
        return {**super().get_config(), "n_emojis": self.n_emojis, "dim": self.dim,
                "rate": self.rate, "seed": self.seed}


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
        outputs = tf.sparse.sparse_dense_matmul(inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs) if self.activation is not None else outputs

    def get_config(self):
        return {**super().get_config(), "input_dropout": self.input_dropout, "seed": self.seed}


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
    the gradient reaches the answer side (names, codes, per-emoji vectors).
    """

    def __init__(self, question_encoder, answer_encoder, candidates, temperature=1.0, **kwargs):
        super().__init__(**kwargs)
        self.question_encoder = question_encoder
        self.answer_encoder = answer_encoder
        self.candidates = candidates
        self.temperature = float(temperature)

    def call(self, questions, training=False):
        q = self.question_encoder(questions, training=training)
        # A plain dict: Keras' tracked wrapper would not match the encoder's input structure.
        a = self.answer_encoder(dict(self.candidates), training=training)
        return ops.matmul(q, ops.transpose(a)) / self.temperature


def _text_input(tower, n_features, sparse, name):
    if tower == "tfidf":
        return keras.Input(shape=(n_features,), sparse=sparse, name=name)
    return keras.Input(shape=(None,), dtype="int32", name=name)


def _text_body(tower, inputs, vocabulary_size, seed):
    """Text input -> the representation that the first dense layer reads."""
    if tower == "tfidf":
        return inputs
    if tower == "cnn":
        x = keras.layers.Embedding(vocabulary_size, 128, name="word_embedding")(inputs)
        x = keras.layers.Conv1D(256, 3, padding="same", activation="relu", name="conv")(x)
        return keras.layers.GlobalMaxPooling1D(name="max_pool")(x)
    # The original work's tower: a bidirectional LSTM of 50 units, max-pooled.
    x = keras.layers.Embedding(vocabulary_size, 100, name="word_embedding")(inputs)
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
    name_input="shared",
    n_name_features=None,
    latent_dim=16,
    answer_features=("image", "name", "id"),
    n_emojis=0,
    hidden_units=(512,),
    embedding_dim=128,
    activation="relu",
    output_activation=None,
    dropout=0.0,
    input_dropout=0.0,
    emoji_dropout=0.5,
    seed=None,
):
    """Build the question encoder and the answer encoder, which share their dense layers.

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
    name_input : {"shared", "tfidf"}
        ``"shared"``: names are read by the question tower itself.
        ``"tfidf"``: names have their own TF-IDF features (width
        ``n_name_features``) and their own first layer (for questions given as
        precomputed features, whose featuriser names cannot go through).
    latent_dim : int
        Width of the VAE codes.
    answer_features : tuple of {"image", "name", "id"}
        What the answer side is built from.
    n_emojis : int
        Number of emojis with a learned vector (ids 1..n_emojis).
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
    emoji_dropout : float
        Whole-vector dropout of the per-emoji vectors.
    seed : int or None
        Seed of the initialisers and dropout.

    Returns
    -------
    question_encoder, answer_encoder : keras.Model
        ``question_encoder`` maps question features to unit vectors;
        ``answer_encoder`` maps a dict with keys among ``"name"``, ``"code"``
        and ``"id"`` to unit vectors.
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
        question, _text_body(question_tower, question, vocabulary_size, seed), name="question_body"
    )
    q = keras.layers.UnitNormalization(name="question_norm")(run_head(first(question_body(question))))
    question_encoder = keras.Model(question, q, name="question_encoder")

    inputs, parts = {}, []
    if "name" in answer_features:
        if name_input == "shared":
            inputs["name"] = _text_input(question_tower, n_question_features, question_sparse, "name")
            parts.append(first(question_body(inputs["name"])))
        else:
            inputs["name"] = keras.Input(shape=(n_name_features,), sparse=True, name="name")
            parts.append(SparseDense(hidden_units[0], name="name_dense")(inputs["name"]))
    if "image" in answer_features:
        inputs["code"] = keras.Input(shape=(latent_dim,), name="code")
        parts.append(keras.layers.Dense(hidden_units[0], name="code_dense")(inputs["code"]))
    fused = parts[0] if len(parts) == 1 else keras.layers.Add(name="content")(parts)
    a = run_head(fused)
    if "id" in answer_features:
        inputs["id"] = keras.Input(shape=(), dtype="int32", name="id")
        vectors = EmojiVectors(n_emojis, embedding_dim, emoji_dropout, seed=seed, name="emoji_vectors")
        a = keras.layers.Add(name="content_and_id")([a, vectors(inputs["id"])])
    a = keras.layers.UnitNormalization(name="answer_norm")(a)
    answer_encoder = keras.Model(inputs, a, name="answer_encoder")
    return question_encoder, answer_encoder
