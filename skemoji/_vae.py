"""EmojiVAE: a convolutional variational autoencoder of emoji images, as a scikit-learn transformer."""

import math
import operator
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.mixture import GaussianMixture
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ._keras_base import (
    KerasNetworksMixin,
    history_dict,
    import_keras,
    keras_seed,
    keras_verbose,
    seed_from,
)
from ._persistence import register_model_class
from ._validation import IMAGE_SHAPE, N_PIXELS, check_images, check_positive_int

# Images per forward pass when encoding or decoding: large batches are
# fastest on CPU, and memory stays small at 36 x 36 x 4.
_PREDICT_BATCH = 512
# The learning rate is halved on plateaus down to this, where steps still make progress.
_MIN_LEARNING_RATE = 1e-4
# Added to the diagonal of the prior's covariances: a component on a few
# near-identical codes stays a proper, drawable Gaussian.
_PRIOR_REG_COVAR = 1e-4
# Kernel size of the strided convolutions of both networks.
_KERNEL_SIZE = 4
# Step size of the refinement of codes (latent units; codes of real emojis spread over about +-3).
_REFINE_LEARNING_RATE = 0.1
# The networks of models fitted before ``network_`` was recorded.
_LEGACY_NETWORK = {"filters": (40, 80), "kernel_size": 4}
# Share of the training steps over which the learning rate warms up (from a tenth of
# ``learning_rate``) with ``learning_rate_schedule="cosine"``, and the share of it left at the end.
_WARMUP_SHARE = 0.05
_FINAL_LEARNING_RATE_SHARE = 0.02
# The parameters of the networks skemoji 0.3 fitted (the ranker's VAEs keep them).
NETWORKS_0_3 = {"filters": (64, 128), "decoder_filters": (64, 128), "residual_blocks": 0}
# How skemoji 0.3 trained them: 10% of the images held out to watch, the plateau schedule from 0.003.
TRAINING_0_3 = {"validation_fraction": 0.1, "learning_rate": 0.003, "learning_rate_schedule": "plateau"}


def _widths(name, value):
    """``value`` as a tuple of positive ints; ValueError naming parameter ``name`` otherwise."""
    try:
        widths = tuple(operator.index(width) for width in value)
    except TypeError:
        widths = ()
    if not widths or min(widths) < 1:
        raise ValueError(f"{name} must be a tuple of positive ints (layer widths); got {value!r}.")
    return widths


def _cpu_has_bfloat16():
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), as far as Linux tells."""
    try:
        with open("/proc/cpuinfo") as info:
            flags = next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), [])
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


@register_model_class
class EmojiVAE(KerasNetworksMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Convolutional variational autoencoder of 36 x 36 RGBA emoji images.

    Learns a ``latent_dim``-dimensional Gaussian latent space of emoji
    images: :meth:`transform` encodes images to posterior means,
    :meth:`inverse_transform` decodes codes to images, and :meth:`sample`,
    :meth:`latent_grid` and :meth:`interpolate` generate novel emojis.

    The encoder has two strided 4 x 4 convolutions (32 and 64 filters, 36 ->
    18 -> 9 pixels) read directly by the latent layers; the decoder mirrors
    it with strided transposed convolutions (128 maps at 9 x 9, 48 at
    18 x 18, refined by a residual 3 x 3 convolution, then the pixels).
    The log-variance of the posterior is bounded to [-10, 2] by a scaled
    tanh, so codes are always finite. The likelihood of the colours (red,
    green, blue) is Gaussian, with one noise variance per channel set to
    its maximum-likelihood value, that channel's mean squared error (a
    calibrated decoder); that of alpha is Laplace by default, with its
    scale set likewise to the mean absolute error (see
    ``alpha_likelihood``). Training minimises, per image, the
    negative log-likelihood plus ``beta`` times the KL divergence from the
    standard normal prior, with Adam, on all the images (or on a random
    ``1 - validation_fraction`` of them); it stops when the loss (on the
    held-out images, if any) has not improved for ``patience`` epochs and
    keeps the best weights.

    The codes of real emojis do not fill the standard normal: decoding its
    draws gives blobs. So after training, a Gaussian mixture is fitted to
    the posterior means of the training images (a learned prior, as in the
    "two-stage VAE" of Dai & Wipf, 2019), and :meth:`sample` and
    :meth:`latent_grid` generate from it by default.

    The encoder's posterior mean of an image is a quick guess; with
    ``refine_steps``, :meth:`transform` improves it by a few Adam steps on
    that image's own reconstruction error (``refine_objective``), which
    helps most on drawings unlike the training images.

    Parameters
    ----------
    latent_dim : int, default=16
        Dimension of the latent space (the number of output features).
    filters : tuple of int, default=(32, 64)
        Widths of the encoder's strided 4 x 4 convolutions, one or two of
        them (36 -> 18 -> 9 pixels).
    decoder_filters : tuple of int, default=(48, 128)
        Widths of the decoder's hidden maps, finest first, as many as
        ``filters`` (the decoder runs them coarse to fine: 128 maps at 9 x 9,
        48 at 18 x 18). Drawing an emoji takes more than recognising one:
        the wider decoder, with the encoder of the 0.3 networks halved,
        reconstructed better for less CPU time in ``benchmarks/tune_vae.py``.
    residual_blocks : int, default=1
        Residual 3 x 3 convolutions on the decoder's finest hidden maps.
    beta : float, default=1.0
        Weight of the KL term. ``beta=1`` is the standard VAE (the loss is
        the negative ELBO); smaller values keep more detail in the codes and
        reconstructions (lower reconstruction error) at the price of a less
        regular latent space, so samples from the prior look rougher.
    epochs : int, default=25
        Maximum number of passes over the training images.
    batch_size : int, default=64
        Images per gradient step.
    learning_rate : float, default=0.006
        Peak learning rate of the Adam optimiser (see
        ``learning_rate_schedule``).
    learning_rate_schedule : {"cosine", "plateau"}, default="cosine"
        ``"cosine"``: the rate warms up linearly from a tenth of
        ``learning_rate`` over the first 5% of the steps, then decays along
        a cosine to 2% of it by the last epoch. ``"plateau"`` (skemoji 0.3):
        it starts at ``learning_rate`` and is halved whenever the monitored
        loss (the validation loss, or the training loss without a validation
        split) has not improved for ``max(1, patience // 2)`` epochs (down
        to 1e-4). In ``benchmarks/tune_vae.py`` (``cosine_lr0.006``), the
        cosine at 0.006 made samples harder to tell from real ones than the
        plateau at 0.003 (classifier accuracy 0.75 instead of 0.79), with
        0.575 instead of 0.580 times PCA's error on Twemoji and 0.842
        instead of 0.834 on Noto Color Emoji drawings.
    validation_fraction : float, default=0.0
        Fraction of the images held out to watch (``val_*`` entries of
        ``history_``, and the stopping rule), in [0, 1). With 0, or when it
        would leave no image on either side, all images are used for
        training and the stopping rule watches the training loss. Every
        image trained on reconstructs unseen ones better: in
        ``benchmarks/tune_vae.py``, 0.58 times PCA's error instead of 0.60
        with 10% held out, for the same fit time.
    patience : int, default=5
        Epochs without improvement of the monitored loss before training
        stops; the weights of the best epoch are restored.
    alpha_likelihood : {"laplace", "gaussian"}, default="laplace"
        Likelihood of the alpha channel in training and in :meth:`score_samples`.
        ``"laplace"``: its best guess of an uncertain pixel is the median, 0
        or 1, so outlines stay sharp and generated images are much harder to
        tell from real ones (``benchmarks/tune_vae.py``: a classifier tells
        1,000 samples from real images with 0.79 accuracy instead of 0.89,
        and 0.92 of their alpha values are crisp instead of 0.86), at a
        cost in mean squared error (0.70 instead of 0.65 times PCA's).
        ``"gaussian"``: as the colours, the mean, which minimises squared
        error but blurs edges.
    precision : {"auto", "bfloat16", "float32"}, default="auto"
        Arithmetic of the convolutions during training (the fitted networks
        always compute in float32). ``"bfloat16"`` (Keras' ``mixed_bfloat16``
        policy) cuts the CPU time of a fit by about a quarter on CPUs with
        bfloat16 units (AVX512-BF16, AMX), and fits as well; elsewhere it is
        emulated and slow. ``"auto"`` uses it where the CPU has such units
        (as Linux reports them), float32 otherwise, so the same
        ``random_state`` gives the same model on the same kind of CPU.
    mirror : bool, default=False
        Train on each image or its left-right mirror image, at random. A
        mirrored emoji is still an emoji: the model overfits its training
        images less and reconstructs emojis drawn in other styles better
        (on Noto Color Emoji drawings, 0.92 instead of 0.97 times PCA's
        error), at a cost on images like the training ones (0.68 instead
        of 0.66 times PCA's error on held-out Twemoji images; measured
        with Gaussian alpha and convolutions of 40 and 80 filters).
    shift : int, default=0
        Move each training image by a random whole number of pixels, up to
        ``shift`` each way (0 to 8), on a transparent background. Another
        augmentation for other vendors' drawings (``shift=2`` in
        ``benchmarks/tune_vae.py``, with Gaussian alpha and 40 and 80 filters:
        0.88 instead of 0.96 times PCA's error on Noto Color Emoji
        drawings) at a larger cost on Twemoji-like images (0.83 instead of
        0.68 times PCA's error).
    prior : {"mixture", "normal"}, default="mixture"
        Where :meth:`sample` draws codes and :meth:`latent_grid` centres and
        scales its scan. ``"mixture"``: the Gaussian mixture fitted to the
        training images' codes, so generated images look like emojis;
        ``"normal"``: the standard normal prior of the training objective
        (the original work's samples). Both are available after any fit:
        ``set_params(prior=...)`` switches without refitting.
    prior_components : int, default=256
        Number of full-covariance components of the mixture prior (at most
        the number of training images). More components follow the codes
        more closely, fewer give more novel blends. In
        ``benchmarks/tune_vae.py`` (``refine_steps_all_images``), 256
        instead of 128 made samples harder to tell from real ones
        (classifier accuracy 0.79 instead of 0.81) and covered more of the
        real images (k-NN recall 0.57 instead of 0.54).
    refine_steps : int, default=40
        Adam steps on each image's objective (``refine_objective``, decoded
        at its code) that refine the encoder's posterior mean in
        :meth:`transform`, :meth:`score_samples` and :meth:`interpolate`; 0
        keeps the encoder's. Inference only: ``set_params`` changes it
        without refitting, and each step costs about one decoder pass and
        its gradient. In ``benchmarks/tune_vae.py`` (``refine_steps_all_images``),
        40 steps instead of 20 lowered the error on Twemoji from 0.585 to
        0.580 times PCA's and on Noto Color Emoji drawings from 0.846 to
        0.834, for twice the time (12 ms per image on 2 cores in
        ``benchmarks/bench_vae.py``).
    refine_objective : {"squared_error", "elbo"}, default="squared_error"
        What the refinement minimises. ``"squared_error"``: the squared
        error of the decoded image plus the prior's pull on the code,
        ``|z|^2 / 2`` (the negative ELBO of one Gaussian noise variance for
        every channel, the mean of ``noise_variance_``), so codes
        reconstruct images as closely as they can in the mean squared error
        by which images are usually compared. ``"elbo"``: the fitted
        likelihood's (per-channel variances, and alpha's own term), which
        weighs outlines most. Inference only, as ``refine_steps``. In
        ``benchmarks/tune_vae.py``, 20 steps on squared error gave 0.60
        times PCA's error on Twemoji and 0.84 on Noto Color Emoji drawings,
        against 0.62 and 0.87 on the ELBO.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the validation split, the batch
        order, the latent noise of training and the mixture prior's fit. An int gives the same model
        on CPU each time.
    verbose : int, default=0
        0 is silent, 1 shows a Keras progress bar per epoch, 2 one line per
        epoch.

    Attributes
    ----------
    encoder_ : keras.Model
        Maps images of shape (n, 36, 36, 4) to the posterior mean and
        log-variance, each of shape (n, latent_dim).
    decoder_ : keras.Model
        Maps codes of shape (n, latent_dim) to pixel probabilities of shape
        (n, 36, 36, 4).
    history_ : dict of str to list of float
        Per-epoch training curves, averaged per image: ``loss`` (the
        objective, reconstruction + beta * KL), ``recon`` (negative
        log-likelihood), ``kl`` and ``mse`` (mean squared error per pixel
        value), the same with the ``val_`` prefix on the validation images,
        and the ``learning_rate`` of each epoch.
    network_ : dict
        The architecture of the networks: ``filters`` (the widths of the
        encoder's two convolutions), ``decoder_filters`` (the widths of the
        decoder's hidden maps, finest first), ``kernel_size`` and
        ``residual_blocks`` (on the decoder's finest hidden maps).
    alpha_scale_ : float
        Scale of the Laplace likelihood of alpha, used by
        :meth:`score_samples` with ``alpha_likelihood="laplace"``: the mean
        absolute error of alpha in the reconstructions (one posterior draw)
        of the images given to :meth:`fit`.
    noise_variance_ : ndarray of shape (4,)
        Variances of the Gaussian likelihood in the red, green, blue and
        alpha channels, used by :meth:`score_samples`: the mean squared
        error of each channel of the reconstructions (one posterior draw) of
        the images given to :meth:`fit`.
    prior_weights_ : ndarray of shape (n_components,)
        Weights of the mixture prior's components (``n_components`` is
        ``prior_components``, or fewer with fewer training images).
    prior_means_ : ndarray of shape (n_components, latent_dim)
        Means of the mixture prior's components.
    prior_covariances_ : ndarray of shape (n_components, latent_dim, latent_dim)
        Covariance matrices of the mixture prior's components.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int
        Number of input values per image, 5184 (= 36 * 36 * 4).

    See Also
    --------
    sklearn.decomposition.PCA : The linear baseline; EmojiVAE reconstructs
        emojis with much lower error for the same number of components.
    sklearn.mixture.GaussianMixture : Fits the mixture prior.

    Notes
    -----
    Images are RGBA with values in [0, 1] (uint8 images are divided by 255).
    The "Neurally Embedded Emojis" work this estimator re-designs modelled
    them as Bernoulli probabilities (binary cross-entropy) with a network
    that convolved at full resolution and was slow and unstable (infinite
    codes). Likelihoods with fitted noise scales (Gaussian for the colours,
    Laplace or Gaussian for alpha) need no weight between the two terms of
    the loss: with ``beta=1`` it is the ELBO itself. ``benchmarks/bench_vae.py``
    measures the default's fit time, reconstructions and samples against
    PCA and the original architecture.

    Examples
    --------
    >>> from skemoji import EmojiVAE
    >>> from skemoji.datasets import make_emojis
    >>> X = make_emojis(32, random_state=0)
    >>> vae = EmojiVAE(latent_dim=4, epochs=2, random_state=0).fit(X)
    >>> vae.transform(X).shape
    (32, 4)
    >>> vae.inverse_transform(vae.transform(X[:2])).shape
    (2, 36, 36, 4)
    >>> vae.sample(3, random_state=0).shape
    (3, 36, 36, 4)
    """

    _network_attributes = ("encoder_", "decoder_")

    _parameter_constraints = {
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "filters": ["array-like"],
        "decoder_filters": ["array-like"],
        "residual_blocks": [Interval(Integral, 0, None, closed="left")],
        "beta": [Interval(Real, 0, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "learning_rate_schedule": [StrOptions({"cosine", "plateau"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "mirror": ["boolean"],
        "shift": [Interval(Integral, 0, 8, closed="both")],
        "alpha_likelihood": [StrOptions({"laplace", "gaussian"})],
        "precision": [StrOptions({"auto", "bfloat16", "float32"})],
        "prior": [StrOptions({"mixture", "normal"})],
        "prior_components": [Interval(Integral, 1, None, closed="left")],
        "refine_steps": [Interval(Integral, 0, None, closed="left")],
        "refine_objective": [StrOptions({"squared_error", "elbo"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        latent_dim=16,
        *,
        filters=(32, 64),
        decoder_filters=(48, 128),
        residual_blocks=1,
        beta=1.0,
        epochs=25,
        batch_size=64,
        learning_rate=0.006,
        learning_rate_schedule="cosine",
        validation_fraction=0.0,
        patience=5,
        mirror=False,
        shift=0,
        alpha_likelihood="laplace",
        precision="auto",
        prior="mixture",
        prior_components=256,
        refine_steps=40,
        refine_objective="squared_error",
        random_state=None,
        verbose=0,
    ):
        self.latent_dim = latent_dim
        self.filters = filters
        self.decoder_filters = decoder_filters
        self.residual_blocks = residual_blocks
        self.beta = beta
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.mirror = mirror
        self.shift = shift
        self.alpha_likelihood = alpha_likelihood
        self.precision = precision
        self.prior = prior
        self.prior_components = prior_components
        self.refine_steps = refine_steps
        self.refine_objective = refine_objective
        self.random_state = random_state
        self.verbose = verbose

    def __setstate__(self, state):
        # Models saved by skemoji 0.1 predate the learned prior: fitted ones keep sampling from
        # N(0, I), having no mixture to sample from.
        if "prior" not in state:
            state = {**state, "prior": "normal" if "n_iter_" in state else "mixture",
                     "prior_components": 64}
        # Models saved before these parameters existed: float32 training, Gaussian alpha.
        if "shift" not in state:
            state = {**state, "shift": 0, "alpha_likelihood": "gaussian", "precision": "float32"}
            if "n_iter_" in state:
                state["network_"] = dict(_LEGACY_NETWORK)
        # Models saved before codes were refined keep the encoder's: a ranker that embedded its
        # candidates with them must embed the ones added later alike.
        if "refine_steps" not in state:
            state = {**state, "refine_steps": 0}
        # Models saved before the architecture was a parameter: that of their networks, or, unfitted,
        # the one skemoji 0.3 fitted.
        if "filters" not in state:
            network = state.get("network_", NETWORKS_0_3)
            state = {**state, "filters": tuple(network["filters"]),
                     "decoder_filters": tuple(network.get("decoder_filters", network["filters"])),
                     "residual_blocks": network.get("residual_blocks", 0)}
        # Models saved before the objective could be chosen refined on the ELBO.
        if "refine_objective" not in state:
            state = {**state, "refine_objective": "elbo"}
        # Models saved before the schedule could be chosen were trained on the plateau one.
        if "learning_rate_schedule" not in state:
            state = {**state, "learning_rate_schedule": "plateau"}
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # pixel values
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    def _build_networks(self):
        self.encoder_, self.decoder_ = self._networks("float32")

    def _networks(self, dtype):
        """A new (encoder, decoder) of the architecture in ``network_``, of the given dtype policy."""
        from ._vae_network import build_decoder, build_encoder

        network = self.network_
        kernel_size = network["kernel_size"]
        encoder = build_encoder(self.latent_dim, filters=tuple(network["filters"]), kernel_size=kernel_size,
                                dtype=dtype)
        decoder = build_decoder(self.latent_dim, filters=tuple(network.get("decoder_filters", network["filters"])),
                                kernel_size=kernel_size, residual_blocks=network.get("residual_blocks", 0),
                                dtype=dtype)
        return encoder, decoder

    def _checked_network(self):
        """The architecture the parameters ask for, as ``network_`` records it; ValueError if it cannot be built."""
        filters = _widths("filters", self.filters)
        if len(filters) not in (1, 2):
            raise ValueError(f"filters must hold one or two widths (36 -> 18 -> 9 pixels); got {self.filters!r}.")
        decoder_filters = _widths("decoder_filters", self.decoder_filters)
        if len(decoder_filters) != len(filters):
            raise ValueError(f"decoder_filters must hold as many widths as filters ({len(filters)}); "
                             f"got {self.decoder_filters!r}.")
        return {"filters": filters, "decoder_filters": decoder_filters, "kernel_size": _KERNEL_SIZE,
                "residual_blocks": self.residual_blocks}

    def _training_dtype(self):
        """The Keras dtype policy of training, from ``precision``."""
        bfloat16 = self.precision == "bfloat16" or (self.precision == "auto" and _cpu_has_bfloat16())
        return "mixed_bfloat16" if bfloat16 else "float32"

    def fit(self, X, y=None):
        """Fit the encoder and decoder to emoji images.

        Parameters
        ----------
        X : array-like of shape (n_samples, 36, 36, 4) or (n_samples, 5184)
            RGBA images, uint8 on the 0..255 scale or floats in [0, 1].
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : EmojiVAE
            The fitted estimator.

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(make_emojis(32, random_state=0))
        >>> vae.n_features_in_, len(vae.history_["loss"])
        (5184, 1)
        """
        self._validate_params()
        images = check_images(X)
        keras = import_keras()
        from ._vae_network import MIN_LAPLACE_SCALE, MIN_NOISE_VARIANCE, VAE

        seed = seed_from(self.random_state)
        train, validation = self._split(images, np.random.RandomState(seed))
        monitor = "val_loss" if validation is not None else "loss"
        self.network_ = self._checked_network()
        dtype = self._training_dtype()
        with keras_seed(seed):
            if dtype == "float32":
                self._build_networks()
                encoder, decoder = self.encoder_, self.decoder_
            else:  # trained in mixed precision, then copied into float32 networks
                encoder, decoder = self._networks(dtype)
            model = VAE(encoder, decoder, beta=self.beta, mirror=self.mirror, shift=self.shift,
                        alpha_likelihood=self.alpha_likelihood)
            rate, schedule_callbacks = self._learning_rate(keras, len(train), monitor)
            model.compile(optimizer=keras.optimizers.Adam(rate))
            history = model.fit(
                train,
                validation_data=None if validation is None else (validation,),
                epochs=self.epochs,
                batch_size=self.batch_size,
                shuffle=True,
                verbose=keras_verbose(self.verbose),
                callbacks=[
                    keras.callbacks.EarlyStopping(
                        monitor=monitor, patience=self.patience, restore_best_weights=True
                    ),
                    *schedule_callbacks,
                ],
            )
            if dtype != "float32":
                self._build_networks()
                self.encoder_.set_weights(encoder.get_weights())
                self.decoder_.set_weights(decoder.get_weights())
        self.history_ = history_dict(history)
        n_pixels = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
        squared_errors, _, _, alpha_errors = self._squared_errors(images, refined=False)
        self.noise_variance_ = np.maximum(np.mean(squared_errors, axis=0) / n_pixels, MIN_NOISE_VARIANCE)
        self.alpha_scale_ = float(max(np.mean(alpha_errors) / n_pixels, MIN_LAPLACE_SCALE))
        self._fit_prior(images, seed)
        self.n_iter_ = len(self.history_["loss"])
        self.n_features_in_ = N_PIXELS
        self._n_features_out = self.latent_dim
        return self

    def _learning_rate(self, keras, n_train, monitor):
        """Adam's learning rate (a number or a schedule) and the callbacks that adapt it."""
        if self.learning_rate_schedule == "plateau":
            # Smaller steps once the loss stalls: the fit settles instead of jumping around the minimum.
            return self.learning_rate, [keras.callbacks.ReduceLROnPlateau(
                monitor=monitor, factor=0.5, patience=max(1, self.patience // 2), min_lr=_MIN_LEARNING_RATE)]
        steps = self.epochs * math.ceil(n_train / self.batch_size)
        warmup = int(_WARMUP_SHARE * steps)
        return keras.optimizers.schedules.CosineDecay(
            self.learning_rate / 10, decay_steps=steps - warmup, alpha=_FINAL_LEARNING_RATE_SHARE,
            warmup_target=self.learning_rate, warmup_steps=warmup), []

    def _fit_prior(self, images, seed):
        """Fit the Gaussian mixture of the posterior means of ``images`` (the learned prior).

        The encoder's means, unrefined: refining every training image would
        lengthen the fit, and moves the codes of a trained model by little.
        """
        codes = self._encode(images)[0].astype(np.float64)
        # One BLAS/OpenMP thread: the mixture's matrices are tiny (latent_dim x latent_dim), and
        # OpenBLAS threads on them spend more time waiting than computing (on 2 busy cores, the
        # fit took 29 s with 2 threads and 1.2 s with one).
        with threadpool_limits(1):
            mixture = GaussianMixture(
                n_components=min(self.prior_components, len(codes)),
                covariance_type="full",
                reg_covar=_PRIOR_REG_COVAR,
                random_state=seed,
            ).fit(codes)
        self.prior_weights_ = mixture.weights_
        self.prior_means_ = mixture.means_
        self.prior_covariances_ = mixture.covariances_

    def _prior_codes(self, n_samples, rng):
        """``n_samples`` float32 codes drawn from the prior chosen by ``prior``."""
        if self.prior == "normal":
            return rng.standard_normal((n_samples, self.latent_dim)).astype(np.float32)
        components = rng.choice(len(self.prior_weights_), size=n_samples, p=self.prior_weights_)
        noise = rng.standard_normal((n_samples, self.latent_dim))
        factors = np.linalg.cholesky(self.prior_covariances_)
        codes = self.prior_means_[components] + np.einsum("nij,nj->ni", factors[components], noise)
        return codes.astype(np.float32)

    def _prior_centre_and_scale(self):
        """Mean and per-dimension standard deviation of the prior chosen by ``prior``."""
        if self.prior == "normal":
            return np.zeros(self.latent_dim), np.ones(self.latent_dim)
        centre = self.prior_weights_ @ self.prior_means_
        second_moment = self.prior_weights_ @ (
            np.diagonal(self.prior_covariances_, axis1=1, axis2=2) + self.prior_means_**2
        )
        return centre, np.sqrt(np.maximum(second_moment - centre**2, 0.0))

    def _split(self, images, rng):
        """Random (train, validation) split of the images; validation is None if empty."""
        n_validation = int(round(self.validation_fraction * len(images)))
        if n_validation == 0 or n_validation == len(images):
            return images, None
        order = rng.permutation(len(images))
        return images[order[n_validation:]], images[order[:n_validation]]

    def _encode(self, images):
        """Posterior (mean, log_var) of float32 images in [0, 1]."""
        mean, log_var = self.encoder_.predict(images, batch_size=_PREDICT_BATCH, verbose=0)
        return mean.astype(np.float32, copy=False), log_var.astype(np.float32, copy=False)

    def _posterior(self, images):
        """Posterior (mean, log_var) of float32 images, the mean refined by ``refine_steps`` steps."""
        mean, log_var = self._encode(images)
        if self.refine_steps == 0:
            return mean, log_var
        from ._vae_network import refine_codes

        variances = self._channel_noise_variances()
        if self.refine_objective == "squared_error":
            likelihood = {"laplace": False, "alpha_scale": 1.0,
                          "noise_variances": np.full(4, np.mean(variances), dtype=np.float32)}
        else:
            likelihood = {"laplace": self.alpha_likelihood == "laplace", "alpha_scale": self._alpha_scale(),
                          "noise_variances": variances}
        refined = np.concatenate([
            refine_codes(self.decoder_, images[start:start + _PREDICT_BATCH], mean[start:start + _PREDICT_BATCH],
                         steps=self.refine_steps, learning_rate=_REFINE_LEARNING_RATE, **likelihood)
            for start in range(0, len(images), _PREDICT_BATCH)
        ])
        # An image far from anything seen could in principle send a code off; keep the
        # encoder's guess there, so codes stay finite.
        finite = np.isfinite(refined).all(axis=1, keepdims=True)
        return np.where(finite, refined, mean).astype(np.float32, copy=False), log_var

    def _decode(self, codes):
        """Images of float32 codes, clipped to [0, 1] against rounding."""
        images = self.decoder_.predict(codes, batch_size=_PREDICT_BATCH, verbose=0)
        return np.clip(images, 0.0, 1.0).astype(np.float32, copy=False)

    def transform(self, X):
        """Encode images to the means of their latent posteriors.

        Parameters
        ----------
        X : array-like of shape (n_samples, 36, 36, 4) or (n_samples, 5184)
            RGBA images, uint8 on the 0..255 scale or floats in [0, 1].

        Returns
        -------
        codes : ndarray of shape (n_samples, latent_dim), float32
            Posterior means (refined by ``refine_steps`` steps); always finite.

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> vae.transform(X).shape
        (32, 2)
        """
        check_is_fitted(self)
        return self._posterior(check_images(X))[0]

    def inverse_transform(self, X):
        """Decode latent codes to images.

        Parameters
        ----------
        X : array-like of shape (n_samples, latent_dim)
            Latent codes, e.g. from :meth:`transform`.

        Returns
        -------
        images : ndarray of shape (n_samples, 36, 36, 4), float32
            Pixel values in [0, 1] (the decoder's means).

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> vae.inverse_transform(vae.transform(X[:3])).shape
        (3, 36, 36, 4)
        """
        check_is_fitted(self)
        return self._decode(self._check_codes(X))

    def _check_codes(self, X):
        """Latent codes as a finite float32 array of shape (n, latent_dim), or a clear error."""
        expected = f"latent codes of shape (n_samples, {self.latent_dim})"
        if sp.issparse(X) or isinstance(X, str):
            raise TypeError(f"X must be a dense numeric array of {expected}, got {type(X).__name__}.")
        try:
            codes = np.asarray(X, dtype=np.float32)
        except (TypeError, ValueError):
            raise TypeError(f"X must be a numeric array of {expected}.") from None
        if codes.ndim != 2 or codes.shape[1] != self.latent_dim:
            raise ValueError(
                f"X must be a 2-D array of {expected} (latent_dim={self.latent_dim}); "
                f"got shape {codes.shape}."
            )
        if codes.shape[0] == 0:
            raise ValueError("X is empty: found 0 latent codes, at least 1 is required.")
        if not np.isfinite(codes).all():
            raise ValueError("X contains NaN or infinity; latent codes must be finite.")
        return codes

    def _squared_errors(self, images, refined=True):
        """Per-channel summed squared errors of each image decoded from one posterior draw, the posterior,
        and the summed absolute errors of alpha.

        The draw uses a fixed seed, so the result is repeatable. ``refined``:
        the posterior with its mean refined (the encoder's otherwise).
        """
        mean, log_var = self._posterior(images) if refined else self._encode(images)
        noise = np.random.RandomState(0).standard_normal(mean.shape).astype(np.float32)
        decoded = self.decoder_.predict(mean + np.exp(0.5 * log_var) * noise, batch_size=_PREDICT_BATCH, verbose=0)
        errors = (images - decoded).astype(np.float64)
        return (np.sum(errors**2, axis=(1, 2)), mean.astype(np.float64), log_var.astype(np.float64),
                np.sum(np.abs(errors[..., 3]), axis=(1, 2)))

    def score_samples(self, X):
        """Evidence lower bound (ELBO) of each image, in nats.

        ``log p(x|z) - KL(q(z|x) || p(z))`` with the standard normal ``p(z)``
        the networks were trained with: the log-density of the 5184 pixel
        values around the decoded means, Gaussian of variance
        ``noise_variance_[c]`` in channel ``c`` (with
        ``alpha_likelihood="laplace"``, alpha's is Laplace of scale
        ``alpha_scale_``), estimated with one draw of
        ``z`` per image from a fixed seed (so the result is repeatable),
        around the posterior mean refined as in :meth:`transform`. It
        is the standard ELBO (``beta=1``), whatever ``beta`` the model was
        trained with, so models with different ``beta`` compare fairly. As a
        log-density of continuous values it can be positive.

        Parameters
        ----------
        X : array-like of shape (n_samples, 36, 36, 4) or (n_samples, 5184)
            RGBA images, uint8 on the 0..255 scale or floats in [0, 1].

        Returns
        -------
        elbo : ndarray of shape (n_samples,), float64
            Higher is better.

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> vae.score_samples(X[:5]).shape
        (5,)
        """
        check_is_fitted(self)
        from ._vae_network import gaussian_nll, kl_divergence, laplace_nll

        squared_errors, mean, log_var, alpha_errors = self._squared_errors(check_images(X))
        variances = self._channel_noise_variances().astype(np.float64)
        if self.alpha_likelihood == "laplace":
            nll = (gaussian_nll(squared_errors[:, :3], variances[:3])
                   + laplace_nll(alpha_errors, np.float64(self._alpha_scale())))
        else:
            nll = gaussian_nll(squared_errors, variances)
        # The training objective's own terms, here in float64 (the inputs' precision).
        return -np.asarray(nll, dtype=np.float64) - np.asarray(kl_divergence(mean, log_var), dtype=np.float64)

    def _channel_noise_variances(self):
        """The noise variance of each channel, shape (4,); models of skemoji 0.1 have one for all."""
        return np.broadcast_to(self.noise_variance_, (4,))

    def _alpha_scale(self):
        """The Laplace scale of alpha; for models fitted before ``alpha_scale_`` existed, that of its variance."""
        return getattr(self, "alpha_scale_", float(np.sqrt(self._channel_noise_variances()[3] / 2)))

    def score(self, X, y=None):
        """Mean evidence lower bound per image (higher is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, 36, 36, 4) or (n_samples, 5184)
            RGBA images, uint8 on the 0..255 scale or floats in [0, 1].
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        score : float
            The mean of :meth:`score_samples`, in nats per image.

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> bool(np.isfinite(vae.score(X)))
        True
        """
        return float(np.mean(self.score_samples(X)))

    def sample(self, n_samples=1, random_state=None):
        """Generate novel emoji images by decoding draws from the prior.

        With ``prior="mixture"`` the codes are drawn from the Gaussian mixture
        fitted to the training images' codes, so they lie where real emojis
        do; with ``prior="normal"``, from the standard normal the networks
        were trained towards.

        Parameters
        ----------
        n_samples : int, default=1
            Number of images.
        random_state : int, RandomState instance or None, default=None
            Seeds the draws.

        Returns
        -------
        images : ndarray of shape (n_samples, 36, 36, 4), float32
            Pixel values in [0, 1].

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> images = vae.sample(4, random_state=0)
        >>> images.shape, bool(images.min() >= 0 and images.max() <= 1)
        ((4, 36, 36, 4), True)
        """
        check_is_fitted(self)
        n_samples = check_positive_int(n_samples, "n_samples")
        rng = check_random_state(random_state)
        return self._decode(self._prior_codes(n_samples, rng))

    def latent_grid(self, ticks=20, span=(-2, 2), layout="A"):
        """Decode a 2-D scan of the latent space, as in the original work's pictures.

        Two coordinates ``c1`` and ``c2`` each take ``ticks`` evenly spaced
        values from ``span[0]`` to ``span[1]``; image ``i * ticks + j`` (row
        ``i``, column ``j`` of the grid) has ``c1`` = value ``j`` and ``c2`` =
        value ``i``. Every latent dimension ``k`` (0-based, of
        ``d = latent_dim``) is set to ``c1`` or ``c2`` by the layout:

        - ``"A"``: the first ``ceil(d / 2)`` dimensions take ``c1``, the
          others ``c2`` (for 16 dimensions: 8 x c1, then 8 x c2);
        - ``"B"``: even ``k`` take ``c1``, odd ``k`` take ``c2`` (c1, c2,
          c1, c2, ...);
        - ``"C"``: pairs alternate: ``k`` with ``k // 2`` even take ``c1``,
          the others ``c2`` (c1, c1, c2, c2, c1, c1, ...).

        With ``latent_dim=1`` only ``c1`` is used; layouts can coincide for
        small ``latent_dim`` (A and C for 4 dimensions, A and B for 2).

        Coordinates count standard deviations of the prior from its mean, in
        each dimension: with ``prior="normal"`` they are the codes
        themselves; with ``prior="mixture"`` dimension ``k`` takes
        ``mean[k] + c * std[k]`` of the fitted mixture, so the default span
        scans where the training images' codes lie.

        Parameters
        ----------
        ticks : int, default=20
            Values per coordinate; the grid has ``ticks ** 2`` images.
        span : tuple of 2 floats, default=(-2, 2)
            First and last value of each coordinate, in standard deviations
            of the prior.
        layout : {"A", "B", "C"}, default="A"
            How the latent dimensions follow the two coordinates.

        Returns
        -------
        images : ndarray of shape (ticks * ticks, 36, 36, 4), float32
            Row-major: pass ``n_cols=ticks`` to
            :func:`skemoji.plotting.emoji_grid` to draw the grid.

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> vae.latent_grid(ticks=3, layout="B").shape
        (9, 36, 36, 4)
        """
        check_is_fitted(self)
        ticks = check_positive_int(ticks, "ticks")
        if layout not in ("A", "B", "C"):
            raise ValueError(f"layout must be 'A', 'B' or 'C', got {layout!r}.")
        try:
            low, high = (float(v) for v in span)
        except (TypeError, ValueError):
            raise ValueError(f"span must be a pair of numbers (low, high), got {span!r}.") from None
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError(f"span must be finite, got {span!r}.")
        k = np.arange(self.latent_dim)
        takes_c1 = {
            "A": k < (self.latent_dim + 1) // 2,
            "B": k % 2 == 0,
            "C": (k // 2) % 2 == 0,
        }[layout]
        values = np.linspace(low, high, ticks)
        c2, c1 = np.meshgrid(values, values, indexing="ij")  # c1 varies along a row
        centre, scale = self._prior_centre_and_scale()
        codes = centre + scale * np.where(takes_c1, c1.reshape(-1, 1), c2.reshape(-1, 1))
        return self._decode(codes.astype(np.float32))

    def interpolate(self, a, b, n_steps=8):
        """Decode evenly spaced points on the line between the codes of two images.

        Parameters
        ----------
        a, b : array-like of shape (36, 36, 4), (1, 36, 36, 4), (5184,) or (1, 5184)
            The two end images, uint8 on the 0..255 scale or floats in [0, 1].
        n_steps : int, default=8
            Number of images, including both ends (at least 2).

        Returns
        -------
        images : ndarray of shape (n_steps, 36, 36, 4), float32
            The first is the reconstruction of ``a``, the last that of ``b``.

        Examples
        --------
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> vae.interpolate(X[0], X[1], n_steps=5).shape
        (5, 36, 36, 4)
        """
        check_is_fitted(self)
        n_steps = check_positive_int(n_steps, "n_steps", minimum=2)
        ends = np.concatenate([self._single_image(a, "a"), self._single_image(b, "b")])
        start, stop = self._posterior(ends)[0]
        weights = np.linspace(0.0, 1.0, n_steps, dtype=np.float32)[:, None]
        return self._decode((1 - weights) * start + weights * stop)

    @staticmethod
    def _single_image(image, name):
        """One image, in any of the accepted single-image shapes, as a batch of one."""
        shape = np.shape(image)
        if shape in (IMAGE_SHAPE, (N_PIXELS,)):
            image = np.asarray(image)[None]
        images = check_images(image, name=name)
        if len(images) != 1:
            raise ValueError(f"{name} must be a single image, got {len(images)} images.")
        return images
