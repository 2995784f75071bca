"""EmojiVAE: the public contract, finiteness, reproducibility, generation and errors, on tiny data."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from skemoji import EmojiVAE
from skemoji.datasets import make_emojis

# With images held out to watch, so that the validation path is tested too (the default trains on all).
TINY = {"latent_dim": 8, "epochs": 2, "batch_size": 16, "validation_fraction": 0.1, "random_state": 0}


@pytest.fixture(scope="module")
def images():
    return make_emojis(64, random_state=0)


@pytest.fixture(scope="module")
def vae(images):
    return EmojiVAE(**TINY).fit(images)


def test_fit_sets_the_fitted_attributes(vae):
    assert vae.n_features_in_ == 36 * 36 * 4
    assert vae.n_iter_ == 2
    for key in ("loss", "recon", "kl", "mse", "val_loss", "val_recon", "val_kl", "val_mse"):
        assert len(vae.history_[key]) == vae.n_iter_
        assert all(isinstance(v, float) and np.isfinite(v) for v in vae.history_[key])
    assert vae.encoder_.output[0].shape[-1] == vae.decoder_.input.shape[-1] == 8
    assert vae.noise_variance_.shape == (4,) and ((0 < vae.noise_variance_) & (vae.noise_variance_ < 1)).all()
    assert vae.prior_weights_.shape == (64,) and vae.prior_weights_.sum() == pytest.approx(1.0)
    assert vae.prior_means_.shape == (64, 8) and vae.prior_covariances_.shape == (64, 8, 8)


def test_noise_variance_is_the_reconstruction_error_per_channel(vae, images):
    # The error of the encoder's codes, as fit measures it (refined codes reconstruct better).
    recon = vae.inverse_transform(copy.deepcopy(vae).set_params(refine_steps=0).transform(images))
    error = np.mean((recon - images / 255.0) ** 2, axis=(0, 1, 2))
    np.testing.assert_allclose(vae.noise_variance_, error, rtol=0.2)  # one posterior draw, not the mean


def test_transform_and_inverse_transform_shapes_dtypes_ranges(vae, images):
    codes = vae.transform(images)
    assert codes.shape == (64, 8) and codes.dtype == np.float32
    assert np.isfinite(codes).all()
    recon = vae.inverse_transform(codes)
    assert recon.shape == (64, 36, 36, 4) and recon.dtype == np.float32
    assert recon.min() >= 0 and recon.max() <= 1


def test_codes_stay_finite_on_extreme_inputs(vae):
    extremes = np.stack([np.zeros((36, 36, 4)), np.ones((36, 36, 4))]).astype(np.float32)
    assert np.isfinite(vae.transform(extremes)).all()
    far = vae.inverse_transform(np.full((2, 8), 1e6, dtype=np.float32))
    assert np.isfinite(far).all() and far.min() >= 0 and far.max() <= 1


def test_uint8_float_and_flattened_inputs_agree(vae, images):
    as_uint8 = vae.transform(images[:5])
    as_float = vae.transform(images[:5] / 255.0)
    as_flat = vae.transform(images[:5].reshape(5, -1))
    np.testing.assert_allclose(as_float, as_uint8, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(as_flat, as_uint8)


def test_score_is_the_mean_elbo_and_repeatable(vae, images):
    per_image = vae.score_samples(images)
    assert per_image.shape == (64,) and np.isfinite(per_image).all()
    assert vae.score(images) == pytest.approx(per_image.mean())
    assert vae.score(images) == vae.score(images)


def test_same_random_state_same_model(vae, images):
    again = EmojiVAE(**TINY).fit(images)
    np.testing.assert_array_equal(again.transform(images), vae.transform(images))
    # The learned model is compared exactly above. The reported epoch means are
    # float32 sums that TensorFlow's CPU thread pool may add up in another order
    # on a loaded machine: one CI run saw 3293.212646 against 3293.212402, one
    # float32 step apart, with identical codes.
    assert again.history_.keys() == vae.history_.keys()
    for key, values in vae.history_.items():
        np.testing.assert_allclose(again.history_[key], values, rtol=1e-6, err_msg=key)


def test_mirror_changes_training_reproducibly(images):
    params = {**TINY, "epochs": 1, "mirror": True}
    mirrored = EmojiVAE(**params).fit(images[:32]).transform(images[:4])
    np.testing.assert_array_equal(EmojiVAE(**params).fit(images[:32]).transform(images[:4]), mirrored)
    plain = EmojiVAE(**{**params, "mirror": False}).fit(images[:32]).transform(images[:4])
    assert not np.allclose(plain, mirrored)


def test_the_architecture_parameters_build_the_networks(images):
    vae = EmojiVAE(**{**TINY, "epochs": 1}, filters=[6, 10], decoder_filters=(12, 14), residual_blocks=2)
    vae.fit(images[:32])
    assert vae.network_ == {"filters": (6, 10), "decoder_filters": (12, 14), "kernel_size": 4, "residual_blocks": 2}
    widths = {layer.name: layer.filters for layer in vae.encoder_.layers + vae.decoder_.layers
              if hasattr(layer, "filters")}
    assert widths == {"conv0": 6, "conv1": 10, "deconv0": 12, "residual0": 12, "residual1": 12, "pixels": 4}
    assert vae.decoder_.get_layer("expand").units == 9 * 9 * 14


def test_shift_changes_training_reproducibly(images):
    params = {**TINY, "epochs": 1, "shift": 2}
    shifted = EmojiVAE(**params).fit(images[:32]).transform(images[:4])
    np.testing.assert_array_equal(EmojiVAE(**params).fit(images[:32]).transform(images[:4]), shifted)
    plain = EmojiVAE(**{**params, "shift": 0}).fit(images[:32]).transform(images[:4])
    assert not np.allclose(plain, shifted)


def test_shift_moves_each_image_by_whole_pixels_on_transparent():
    from skemoji._vae_network import VAE, build_decoder, build_encoder

    network = {"filters": (8, 16), "kernel_size": 4}
    model = VAE(build_encoder(2, **network), build_decoder(2, **network), shift=2, seed=0)
    batch = np.random.RandomState(0).rand(4, 36, 36, 4).astype(np.float32)
    moved = np.asarray(model._shifted(batch))
    for original, image in zip(batch, moved):
        offsets = [(dr, dc) for dr in range(-2, 3) for dc in range(-2, 3)
                   if np.array_equal(image[2:-2, 2:-2], original[2 - dr:34 - dr, 2 - dc:34 - dc])]
        assert len(offsets) == 1
        dr, dc = offsets[0]
        rows, cols = np.ones(36, bool), np.ones(36, bool)
        rows[max(dr, 0):36 + min(dr, 0)] = False
        cols[max(dc, 0):36 + min(dc, 0)] = False
        assert not image[rows].any() and not image[:, cols].any()  # what came in is transparent


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_precisions_give_float32_networks_that_fit(precision, images):
    vae = EmojiVAE(**{**TINY, "epochs": 1, "precision": precision}).fit(images[:32])
    assert vae.encoder_.dtype_policy.name == vae.decoder_.dtype_policy.name == "float32"
    codes = vae.transform(images[:4])
    assert codes.dtype == np.float32 and np.isfinite(codes).all()
    np.testing.assert_array_equal(EmojiVAE(**{**TINY, "epochs": 1, "precision": precision}).fit(images[:32])
                                  .transform(images[:4]), codes)


def test_alpha_likelihoods_score_with_their_own_density(images):
    laplace = EmojiVAE(**{**TINY, "epochs": 1}).fit(images[:32])
    assert laplace.alpha_likelihood == "laplace" and 0 < laplace.alpha_scale_ < 1
    gaussian = EmojiVAE(**{**TINY, "epochs": 1, "alpha_likelihood": "gaussian"}).fit(images[:32])
    assert not np.allclose(laplace.transform(images[:4]), gaussian.transform(images[:4]))
    # The same fit scored with the other alpha density gives another, finite, ELBO.
    other = clone(laplace).set_params(alpha_likelihood="gaussian")
    other.__dict__.update({k: v for k, v in vars(laplace).items() if k.endswith("_")})
    for model in (laplace, other):
        assert np.isfinite(model.score_samples(images[:8])).all()
    assert not np.allclose(laplace.score_samples(images[:8]), other.score_samples(images[:8]))


def test_sample(vae):
    drawn = vae.sample(5, random_state=0)
    assert drawn.shape == (5, 36, 36, 4) and drawn.dtype == np.float32
    assert np.isfinite(drawn).all() and drawn.min() >= 0 and drawn.max() <= 1
    np.testing.assert_array_equal(drawn, vae.sample(5, random_state=0))
    assert not np.array_equal(drawn, vae.sample(5, random_state=1))


def test_latent_grid_layouts(vae):
    grids = {layout: vae.latent_grid(ticks=3, layout=layout) for layout in "ABC"}
    for grid in grids.values():
        assert grid.shape == (9, 36, 36, 4) and np.isfinite(grid).all()
        assert grid.min() >= 0 and grid.max() <= 1
    assert not np.allclose(grids["A"], grids["B"])
    assert not np.allclose(grids["A"], grids["C"])
    assert not np.allclose(grids["B"], grids["C"])
    # The diagonal (c1 == c2) puts the same value in every dimension, whatever the layout.
    np.testing.assert_allclose(grids["A"][[0, 4, 8]], grids["B"][[0, 4, 8]], atol=1e-6)
    assert vae.latent_grid(ticks=2, span=(-1, 1)).shape == (4, 36, 36, 4)


def test_latent_grid_layouts_follow_the_docstring():
    fake = EmojiVAE(latent_dim=5, prior="normal")
    fake.encoder_ = fake.decoder_ = None
    seen = {}
    fake._decode = lambda codes: codes  # the codes, not the images
    for layout in "ABC":
        codes = fake.latent_grid(ticks=2, span=(0, 1), layout=layout)
        seen[layout] = codes[1].tolist()  # row 0, column 1: c1 = 1, c2 = 0
    assert seen == {"A": [1, 1, 1, 0, 0], "B": [1, 0, 1, 0, 1], "C": [1, 1, 0, 0, 1]}


def encoder_codes(vae, images):
    """The encoder's posterior means, unrefined: the codes the mixture prior is fitted on."""
    return copy.deepcopy(vae).set_params(refine_steps=0).transform(images)


def test_mixture_prior_samples_where_the_codes_are(vae, images):
    codes = encoder_codes(vae, images)
    drawn = vae._prior_codes(2000, np.random.RandomState(0))
    np.testing.assert_allclose(drawn.mean(axis=0), codes.mean(axis=0), atol=0.1 * codes.std())
    np.testing.assert_allclose(drawn.std(axis=0), codes.std(axis=0), rtol=0.2)


def test_normal_prior_stays_available(vae):
    normal = clone(vae).set_params(prior="normal")
    normal.__dict__.update({k: v for k, v in vars(vae).items() if k.endswith("_")})
    drawn = normal._prior_codes(4000, np.random.RandomState(0))
    np.testing.assert_allclose(drawn.std(axis=0), 1.0, atol=0.05)
    assert normal.sample(3, random_state=0).shape == (3, 36, 36, 4)
    assert not np.allclose(normal.sample(3, random_state=0), vae.sample(3, random_state=0))


def test_latent_grid_scans_the_mixture_in_standard_deviations(vae, images):
    codes = encoder_codes(vae, images)
    seen = []
    fake = clone(vae)
    fake.__dict__.update({k: v for k, v in vars(vae).items() if k.endswith("_")})
    fake._decode = lambda z: seen.append(z) or z
    fake.latent_grid(ticks=3, span=(-1, 1), layout="A")
    centre = seen[0][4]  # c1 = c2 = 0
    np.testing.assert_allclose(centre, codes.mean(axis=0), atol=0.1 * codes.std())
    np.testing.assert_allclose(seen[0][8] - centre, codes.std(axis=0), rtol=0.25)


def test_refined_codes_lower_the_error_or_raise_the_elbo(vae, images):
    encoder_only = copy.deepcopy(vae).set_params(refine_steps=0)
    on_elbo = copy.deepcopy(vae).set_params(refine_objective="elbo")
    codes, guesses = vae.transform(images), encoder_codes(vae, images)
    assert codes.dtype == np.float32 and np.isfinite(codes).all()
    assert not np.allclose(codes, guesses) and not np.allclose(codes, on_elbo.transform(images))

    def mse(model):
        return np.mean((model.inverse_transform(model.transform(images)) - images / 255) ** 2)

    # Each objective improves on the encoder's guess by its own measure, and most by it.
    assert mse(vae) < mse(on_elbo) and mse(vae) < mse(encoder_only)
    assert on_elbo.score(images) > max(encoder_only.score(images), vae.score(images))
    # Each image is refined on its own, whatever else is in its batch of refinement.
    many = np.concatenate([images] * 10)  # 640 images: two batches
    np.testing.assert_allclose(vae.transform(many), np.concatenate([codes] * 10), rtol=1e-4, atol=1e-4)


def test_interpolate_ends_are_the_reconstructions(vae, images):
    path = vae.interpolate(images[0], images[1], n_steps=5)
    assert path.shape == (5, 36, 36, 4) and path.dtype == np.float32
    ends = vae.inverse_transform(vae.transform(images[:2]))
    np.testing.assert_allclose(path[[0, -1]], ends, atol=1e-5)
    flat = vae.interpolate(images[0].reshape(-1), images[1:2], n_steps=5)
    np.testing.assert_allclose(flat, path, atol=1e-6)


def test_feature_names(vae):
    assert list(vae.get_feature_names_out()) == [f"emojivae{i}" for i in range(8)]


def test_pickle_round_trip_gives_identical_outputs(vae, images):
    restored = pickle.loads(pickle.dumps(vae))
    np.testing.assert_array_equal(restored.transform(images), vae.transform(images))
    np.testing.assert_array_equal(restored.sample(3, random_state=0), vae.sample(3, random_state=0))
    np.testing.assert_array_equal(restored.latent_grid(ticks=2), vae.latent_grid(ticks=2))
    assert restored.history_ == vae.history_


def test_save_and_load_keep_the_prior(vae, images, tmp_path):
    import skemoji

    loaded = skemoji.load(vae.save(tmp_path / "vae.skemoji"))
    for name in ("prior_weights_", "prior_means_", "prior_covariances_", "noise_variance_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(vae, name))
    np.testing.assert_array_equal(loaded.sample(3, random_state=0), vae.sample(3, random_state=0))
    assert loaded.score(images) == vae.score(images)


def test_clone_is_unfitted_with_the_same_params(vae):
    copy = clone(vae)
    assert copy.get_params() == vae.get_params()
    assert not hasattr(copy, "encoder_")


@pytest.mark.parametrize("schedule, rate_recorded", [("cosine", False), ("plateau", True)])
def test_by_default_every_image_trains_and_the_training_loss_is_watched(images, schedule, rate_recorded):
    vae = EmojiVAE(latent_dim=2, epochs=1, batch_size=32, learning_rate_schedule=schedule, random_state=0)
    vae.fit(images[:32])
    # The plateau schedule's callback records the rate it sets.
    assert set(vae.history_) == {"loss", "recon", "kl", "mse"} | ({"learning_rate"} if rate_recorded else set())


@pytest.mark.parametrize("method", ["transform", "score", "sample", "latent_grid", "inverse_transform"])
def test_unfitted_raises_not_fitted_error(method, images):
    args = {"transform": (images,), "score": (images,), "sample": (2,), "latent_grid": (),
            "inverse_transform": (np.zeros((1, 16)),)}[method]
    with pytest.raises(NotFittedError):
        getattr(EmojiVAE(), method)(*args)


@pytest.mark.parametrize(
    "params",
    [{"latent_dim": 0}, {"latent_dim": 2.5}, {"epochs": 0}, {"beta": -1.0}, {"learning_rate": 0.0},
     {"validation_fraction": 1.0}, {"batch_size": 0}, {"mirror": "yes"}, {"prior": "uniform"},
     {"prior_components": 0}, {"shift": -1}, {"shift": 9}, {"alpha_likelihood": "bernoulli"},
     {"precision": "float16"}, {"learning_rate_schedule": "step"}, {"refine_steps": -1},
     {"refine_objective": "mae"}, {"filters": (8, 16, 32)},
     {"filters": (0, 8)}, {"filters": 8}, {"decoder_filters": (8,)}, {"residual_blocks": -1}],
)
def test_bad_params_raise_value_error(params, images):
    with pytest.raises(ValueError, match=next(iter(params))):
        EmojiVAE(**params).fit(images[:4])


def test_bad_images_raise_clear_errors(vae, images):
    with pytest.raises(ValueError, match="shape"):
        vae.transform(images[:, :30])
    with pytest.raises(ValueError, match="NaN"):
        vae.transform(np.full((1, 36, 36, 4), np.nan))
    with pytest.raises(ValueError, match="0..255"):
        vae.transform(images.astype(np.float32))
    with pytest.raises(ValueError, match="empty"):
        vae.transform(images[:0])
    with pytest.raises(TypeError):
        vae.transform("not images")


def test_bad_codes_raise_clear_errors(vae):
    with pytest.raises(ValueError, match="latent_dim=8"):
        vae.inverse_transform(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="2-D"):
        vae.inverse_transform(np.zeros(8))
    with pytest.raises(ValueError, match="finite"):
        vae.inverse_transform(np.full((1, 8), np.nan))
    with pytest.raises(ValueError, match="empty"):
        vae.inverse_transform(np.zeros((0, 8)))
    with pytest.raises(TypeError, match="numeric"):
        vae.inverse_transform([["a"] * 8])


def test_bad_generation_arguments(vae, images):
    with pytest.raises(ValueError, match="layout"):
        vae.latent_grid(layout="D")
    with pytest.raises(ValueError, match="ticks"):
        vae.latent_grid(ticks=0)
    with pytest.raises(ValueError, match="span"):
        vae.latent_grid(span=(0,))
    with pytest.raises(ValueError, match="n_samples"):
        vae.sample(0)
    with pytest.raises(ValueError, match="single image"):
        vae.interpolate(images[:2], images[2])
    with pytest.raises(ValueError, match="n_steps"):
        vae.interpolate(images[0], images[1], n_steps=1)
