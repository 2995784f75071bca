"""Keras networks of the EmojiVAE: encoder, decoder and the model that trains them (no sklearn here).

Design, for quality per CPU-second on 36 x 36 x 4 images: strided convolutions
halve the resolution at each step (36 -> 18 -> 9) instead of convolving at full
resolution, so the expensive layers run on few pixels; the decoder mirrors them
with strided transposed convolutions. The latent layers connect straight to
the 9 x 9 feature maps: a hidden dense layer in between cost 40% of the time
and fitted no better. The decoder needs more capacity than the encoder: a
residual 3 x 3 convolution on its 18 x 18 maps, with an encoder of half the
width, reconstructs better for less CPU time (``benchmarks/tune_vae.py``).
The encoder predicts a log-variance that is squashed into a bounded range, so
the variance (and every code) is always finite, whatever the input or the
weights.

The likelihood is Gaussian with one noise variance per channel (red, green,
blue, alpha), each set to the value that maximises it, that channel's mean
squared error (a "calibrated decoder", Rybkin et al., 2021). The objective
is then the ELBO without a noise scale to tune. Emojis are flat colour on an
alpha channel that is almost everywhere 0 or 1, so alpha is the best
predicted channel and its small variance weighs its errors most: outlines
come out crisp, where one variance shared with the colours leaves them soft.
Alpha may instead have a Laplace likelihood (also with its calibrated scale):
its best prediction of an uncertain pixel is the median rather than the mean,
0 or 1 rather than a grey in between, so edges are sharper still.

An encoder is a quick guess at each image's posterior mean (the
"amortisation gap", Cremer et al., 2018); the fitted model can close much of
the gap by a few gradient steps on each image's own negative ELBO, starting
from the encoder's guess (as in semi-amortised inference, Kim et al., 2018),
or on its squared error, one noise variance for all channels.
This helps most on drawings unlike the training images, such as other
vendors' (``benchmarks/tune_vae.py``).

Training may compute in bfloat16 (a Keras ``mixed_bfloat16`` policy on the
convolutions, weights and latent layers in float32): on CPUs with bfloat16
units (AVX512-BF16, AMX) a fit costs about a quarter less CPU time
(``benchmarks/tune_vae.py``).
"""

import weakref

import numpy as np

from ._keras_base import import_keras

keras = import_keras()
ops = keras.ops

IMAGE_SHAPE = (36, 36, 4)
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
# Bounds of the log-variance: exp(-10) to exp(2) covers every useful posterior
# width, and keeps exp() and the KL term finite.
LOG_VAR_MIN, LOG_VAR_MAX = -10.0, 2.0
# Floors of the noise variance and of the Laplace scale of alpha (in training and in the
# fitted model's likelihood), so a perfect fit cannot give log(0).
MIN_NOISE_VARIANCE = 1e-6
MIN_LAPLACE_SCALE = 1e-4


@keras.saving.register_keras_serializable(package="skemoji")
class BoundedLogVariance(keras.layers.Layer):
    """Map any real number smoothly into ``[LOG_VAR_MIN, LOG_VAR_MAX]`` (a scaled tanh)."""

    def call(self, inputs):
        half = (LOG_VAR_MAX - LOG_VAR_MIN) / 2.0
        return LOG_VAR_MIN + half * (ops.tanh(inputs / half) + 1.0)


@keras.saving.register_keras_serializable(package="skemoji")
class GaussianSample(keras.layers.Layer):
    """Draw ``z = mean + exp(log_var / 2) * eps`` (the reparameterisation trick)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, log_var = inputs
        eps = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_var) * eps

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def build_encoder(latent_dim, *, filters, kernel_size, dtype=None):
    """Image -> (mean, log_var) of the Gaussian posterior, each of shape (n, latent_dim).

    ``dtype`` is the Keras dtype policy of the convolutions (e.g.
    ``"mixed_bfloat16"`` for training); the latent layers always compute in
    float32, so the codes and the KL term keep full precision.
    """
    inputs = keras.Input(IMAGE_SHAPE, name="image")
    x = inputs
    for i, width in enumerate(filters):
        x = keras.layers.Conv2D(
            width, kernel_size, strides=2, padding="same", activation="relu", name=f"conv{i}", dtype=dtype
        )(x)
    x = keras.layers.Flatten(name="flatten", dtype=dtype)(x)
    mean = keras.layers.Dense(latent_dim, name="mean", dtype="float32")(x)
    log_var_raw = keras.layers.Dense(latent_dim, name="log_var_raw", dtype="float32")(x)
    log_var = BoundedLogVariance(name="log_var", dtype="float32")(log_var_raw)
    return keras.Model(inputs, [mean, log_var], name="encoder")


def build_decoder(latent_dim, *, filters, kernel_size, residual_blocks=0, dtype=None):
    """Latent code -> image of pixel means in [0, 1], shape (n, 36, 36, 4).

    ``filters`` are the widths of the hidden feature maps, finest first, as
    in :func:`build_encoder` (the decoder runs them in reverse).
    ``residual_blocks`` 3 x 3 convolutions, each added to its input, refine
    the finest hidden maps before the pixels are drawn from them. ``dtype``
    as in :func:`build_encoder`; the pixels are always float32.
    """
    side = IMAGE_SHAPE[0] // 2 ** len(filters)
    inputs = keras.Input((latent_dim,), name="code")
    x = keras.layers.Dense(side * side * filters[-1], activation="relu", name="expand", dtype=dtype)(inputs)
    x = keras.layers.Reshape((side, side, filters[-1]), name="reshape", dtype=dtype)(x)
    for i, width in enumerate(reversed(filters[:-1])):
        x = keras.layers.Conv2DTranspose(
            width, kernel_size, strides=2, padding="same", activation="relu", name=f"deconv{i}", dtype=dtype
        )(x)
    for i in range(residual_blocks):
        step = keras.layers.Conv2D(x.shape[-1], 3, padding="same", activation="relu", name=f"residual{i}",
                                   dtype=dtype)(x)
        x = keras.layers.Add(name=f"residual{i}_add", dtype=dtype)([x, step])
    # The last upsampling step emits the pixels directly: a full-resolution
    # hidden layer would cost most of the decoder's time for little gain.
    outputs = keras.layers.Conv2DTranspose(
        IMAGE_SHAPE[-1], kernel_size, strides=2, padding="same", activation="sigmoid", name="pixels",
        dtype="float32",
    )(x)
    return keras.Model(inputs, outputs, name="decoder")


def channel_squared_errors(images, decoded):
    """Summed squared error of each image in each channel, shape (n, 4)."""
    return ops.sum(ops.square(images - decoded), axis=(1, 2))


def gaussian_nll(squared_errors, noise_variances):
    """Negative log-likelihood of images of the given per-channel summed squared errors, shape (n,).

    Independent Gaussian pixel values around the decoded means, of variance
    ``noise_variances[c]`` in channel ``c``.
    """
    terms = N_PIXELS * ops.log(2.0 * np.pi * noise_variances) + squared_errors / noise_variances
    return 0.5 * ops.sum(terms, axis=-1)


def laplace_nll(absolute_errors, scale):
    """Negative log-likelihood of one channel of images of the given summed absolute errors, shape (n,).

    Independent Laplace pixel values around the decoded means, of scale ``scale``.
    """
    return N_PIXELS * ops.log(2.0 * scale) + absolute_errors / scale


# Adam's standard moment decays, for the refinement of codes. The update is written out:
# Keras' optimisers keep state in variables of fixed shapes, and batches of codes vary in size.
_ADAM_DECAYS = (0.9, 0.999)


def refine_codes(decoder, images, codes, *, laplace, noise_variances, alpha_scale, steps, learning_rate):
    """``codes`` of ``images`` after ``steps`` Adam steps on each image's negative ELBO, float32.

    The ELBO is that of the given likelihood (Gaussian colours of variances
    ``noise_variances[:3]``; alpha Gaussian of variance
    ``noise_variances[3]`` or, if ``laplace``, Laplace of scale
    ``alpha_scale``), decoded at the code itself, plus the KL term's
    dependence on the mean, ``|z|^2 / 2``. The traced function is made once
    per decoder (and held as long as the decoder lives), with an unknown
    batch size, so calls of any size share one trace.
    """
    import tensorflow as tf

    refine = _REFINERS.get(decoder)
    if refine is None:
        refine = _REFINERS[decoder] = _traced_code_refiner(weakref.ref(decoder))
    refined = refine(tf.constant(images, tf.float32), tf.constant(codes, tf.float32), tf.constant(bool(laplace)),
                     tf.constant(noise_variances, tf.float32), tf.constant(alpha_scale, tf.float32),
                     tf.constant(steps, tf.int32), tf.constant(learning_rate, tf.float32))
    return refined.numpy()


_REFINERS = weakref.WeakKeyDictionary()


def _traced_code_refiner(decoder_ref):
    """The traced refinement through the decoder behind the weak reference ``decoder_ref``."""
    import tensorflow as tf

    latent_dim = decoder_ref().input_shape[-1]
    first_decay, second_decay = _ADAM_DECAYS

    def negative_elbo(images, codes, laplace, noise_variances, alpha_scale):
        decoded = decoder_ref()(codes, training=False)
        squared_errors = channel_squared_errors(images, decoded)
        absolute = ops.sum(ops.abs(images[..., 3] - decoded[..., 3]), axis=(1, 2))
        alpha = ops.where(laplace, laplace_nll(absolute, alpha_scale),
                          gaussian_nll(squared_errors[:, 3:], noise_variances[3:]))
        nll = gaussian_nll(squared_errors[:, :3], noise_variances[:3]) + alpha
        return ops.sum(nll + 0.5 * ops.sum(ops.square(codes), axis=-1))

    @tf.function(input_signature=[
        tf.TensorSpec((None, *IMAGE_SHAPE), tf.float32), tf.TensorSpec((None, latent_dim), tf.float32),
        tf.TensorSpec((), tf.bool), tf.TensorSpec((IMAGE_SHAPE[-1],), tf.float32),
        tf.TensorSpec((), tf.float32), tf.TensorSpec((), tf.int32), tf.TensorSpec((), tf.float32),
    ])
    def refine(images, codes, laplace, noise_variances, alpha_scale, steps, learning_rate):
        first = tf.zeros_like(codes)
        second = tf.zeros_like(codes)
        for step in tf.range(1, steps + 1):
            with tf.GradientTape() as tape:
                tape.watch(codes)
                loss = negative_elbo(images, codes, laplace, noise_variances, alpha_scale)
            gradient = tape.gradient(loss, codes)
            first = first_decay * first + (1.0 - first_decay) * gradient
            second = second_decay * second + (1.0 - second_decay) * tf.square(gradient)
            t = tf.cast(step, tf.float32)
            corrected_first = first / (1.0 - first_decay**t)
            corrected_second = second / (1.0 - second_decay**t)
            codes = codes - learning_rate * corrected_first / (tf.sqrt(corrected_second) + 1e-8)
        return codes

    return refine


def kl_divergence(mean, log_var):
    """KL(q(z|x) || N(0, I)) per image: shape (n,)."""
    return -0.5 * ops.sum(1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1)


@keras.saving.register_keras_serializable(package="skemoji")
class VAE(keras.Model):
    """Trains an encoder and a decoder on ``reconstruction + beta * KL`` per image.

    The reconstruction term is the Gaussian negative log-likelihood with the
    batch's mean squared error of each channel as that channel's noise
    variance (its maximum-likelihood value); with ``alpha_likelihood="laplace"``
    the alpha channel's term is instead the Laplace one, with the batch's mean
    absolute error of alpha as its scale. With ``mirror``, each training image
    is flipped left-right with probability 1/2 at each step; with ``shift``,
    moved by up to that many pixels each way. ``fit(x)`` needs no targets; ``loss`` (the training objective),
    ``recon``, ``kl`` and ``mse`` (over all values) are reported per image, for training and
    validation data, so callbacks such as ``EarlyStopping(monitor="val_loss")``
    work as usual.
    """

    def __init__(self, encoder, decoder, beta=1.0, mirror=False, shift=0, alpha_likelihood="gaussian",
                 seed=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_likelihood = alpha_likelihood
        self.encoder = encoder
        self.decoder = decoder
        self.beta = float(beta)
        self.mirror = bool(mirror)
        self.shift = int(shift)
        self.sampler = GaussianSample(seed=seed, name="sample")
        self.mirror_seed = keras.random.SeedGenerator(seed)
        if self.shift:
            self.augment_seed = keras.random.SeedGenerator(None if seed is None else seed + 1)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.recon_tracker = keras.metrics.Mean(name="recon")
        self.kl_tracker = keras.metrics.Mean(name="kl")
        self.mse_tracker = keras.metrics.Mean(name="mse")

    @property
    def metrics(self):
        return [self.loss_tracker, self.recon_tracker, self.kl_tracker, self.mse_tracker]

    def call(self, images, training=False):
        mean, log_var = self.encoder(images, training=training)
        return self.decoder(self.sampler([mean, log_var]), training=training)

    def _objective(self, images, training):
        mean, log_var = self.encoder(images, training=training)
        decoded = self.decoder(self.sampler([mean, log_var]), training=training)
        squared_errors = channel_squared_errors(images, decoded)
        # Floored so a perfect fit of a tiny batch cannot take log(0).
        variances = ops.maximum(ops.mean(squared_errors, axis=0) / N_PIXELS, MIN_NOISE_VARIANCE)
        if self.alpha_likelihood == "laplace":
            # Alpha Laplace with its calibrated scale (the mean absolute error): the median of
            # a pixel that is 0 or 1 is 0 or 1, so outlines stay sharp.
            absolute = ops.sum(ops.abs(images[..., 3] - decoded[..., 3]), axis=(1, 2))
            scale = ops.maximum(ops.mean(absolute) / N_PIXELS, MIN_LAPLACE_SCALE)
            recon = ops.mean(gaussian_nll(squared_errors[:, :3], variances[:3]) + laplace_nll(absolute, scale))
        else:
            recon = ops.mean(gaussian_nll(squared_errors, variances))
        kl = ops.mean(kl_divergence(mean, log_var))
        return recon + self.beta * kl, recon, kl, ops.mean(variances)

    def _report(self, loss, recon, kl, mse):
        for tracker, value in zip(self.metrics, (loss, recon, kl, mse)):
            tracker.update_state(value)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        import tensorflow as tf

        images = data[0] if isinstance(data, tuple) else data
        if self.mirror:
            flip = keras.random.uniform((ops.shape(images)[0], 1, 1, 1), seed=self.mirror_seed) < 0.5
            images = ops.where(flip, ops.flip(images, axis=2), images)
        if self.shift:
            images = self._shifted(images)
        with tf.GradientTape() as tape:
            loss, *terms = self._objective(images, training=True)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
        return self._report(loss, *terms)

    def _shifted(self, images):
        """Each image moved by a random whole number of pixels, up to ``shift`` each way, on transparent."""
        import tensorflow as tf

        s = self.shift
        padded = ops.pad(images, ((0, 0), (s, s), (s, s), (0, 0)))
        offsets = keras.random.randint((ops.shape(images)[0], 2), 0, 2 * s + 1, seed=self.augment_seed)
        rows = offsets[:, :1] + ops.arange(IMAGE_SHAPE[0])[None, :]
        cols = offsets[:, 1:] + ops.arange(IMAGE_SHAPE[1])[None, :]
        images = tf.gather(padded, rows, axis=1, batch_dims=1)
        return tf.gather(images, cols, axis=2, batch_dims=1)

    def test_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        return self._report(*self._objective(images, training=False))
