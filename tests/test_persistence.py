"""pickle/joblib round trips, and the safe ``save``/``load`` format under attack."""

import io
import json
import pickle
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
from conftest import TINY_TEXTS as TEXTS

import skemoji
from skemoji import EmojiVAE, SiameseEmojiRanker


@pytest.fixture
def images(tiny_images):
    return tiny_images


@pytest.fixture
def vae(tiny_vae):
    return tiny_vae


@pytest.fixture
def ranker(tiny_ranker):
    return tiny_ranker


def _same_vae(a, b, images):
    np.testing.assert_array_equal(a.transform(images), b.transform(images))
    np.testing.assert_array_equal(a.inverse_transform(a.transform(images)), b.inverse_transform(b.transform(images)))
    np.testing.assert_array_equal(a.sample(5, random_state=1), b.sample(5, random_state=1))


def _same_ranker(a, b):
    np.testing.assert_array_equal(a.classes_, b.classes_)
    np.testing.assert_array_equal(a.decision_function(TEXTS), b.decision_function(TEXTS))
    np.testing.assert_array_equal(a.predict(TEXTS), b.predict(TEXTS))


@pytest.mark.parametrize("dumps, loads", [(pickle.dumps, pickle.loads), (None, None)], ids=["pickle", "joblib"])
def test_pickle_and_joblib_round_trips(vae, ranker, images, dumps, loads, tmp_path):
    if dumps is None:
        joblib.dump(vae, tmp_path / "vae.joblib")
        joblib.dump(ranker, tmp_path / "ranker.joblib")
        vae2, ranker2 = joblib.load(tmp_path / "vae.joblib"), joblib.load(tmp_path / "ranker.joblib")
    else:
        vae2, ranker2 = loads(dumps(vae)), loads(dumps(ranker))
    _same_vae(vae, vae2, images)
    _same_ranker(ranker, ranker2)


def test_save_load_vae(vae, images, tmp_path):
    path = tmp_path / "model.skemoji"
    assert vae.save(path) == path and path.is_file()
    loaded = skemoji.load(path)
    assert type(loaded) is EmojiVAE
    assert loaded.get_params() == vae.get_params()
    assert loaded.history_ == vae.history_
    _same_vae(vae, loaded, images)


def test_save_load_ranker_keeps_everything(ranker, images, tmp_path):
    ranker = pickle.loads(pickle.dumps(ranker))  # a private copy to add candidates to
    ranker.add_candidates(["🎄", "custom:blob"], images=np.concatenate([images[:1], images[1:2]]),
                          names=["christmas tree", "a blob"])
    path = tmp_path / "ranker.skemoji"
    ranker.save(path)
    loaded = skemoji.load(path)
    assert type(loaded) is SiameseEmojiRanker
    assert "custom:blob" in set(loaded.classes_) and "🎄" in set(loaded.classes_)
    _same_ranker(ranker, loaded)
    np.testing.assert_array_equal(ranker.rank(TEXTS, k=3), loaded.rank(TEXTS, k=3))
    # The nested VAE comes back too, fitted.
    _same_vae(ranker.vae_, loaded.vae_, images)


def test_save_writes_exactly_at_path(vae, tmp_path):
    path = tmp_path / "no_suffix"
    vae.save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no_suffix"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "interrupted"])
def test_failed_save_keeps_the_previous_file(vae, images, tmp_path, monkeypatch, failure):
    path = tmp_path / "vae.skemoji"
    vae.save(path)
    before = path.read_bytes()
    real_writestr, calls = zipfile.ZipFile.writestr, []

    def failing_writestr(archive, *args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:  # mid-write: the manifest is written, the model is not
            raise failure
        return real_writestr(archive, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(type(failure)):
        vae.save(path)
    monkeypatch.undo()
    assert len(calls) == 2
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vae.skemoji"]  # no temporary file left
    _same_vae(vae, skemoji.load(path), images)


def test_failed_first_save_leaves_nothing(vae, tmp_path, monkeypatch):
    def fail_fsync(descriptor):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("os.fsync", fail_fsync)
    with pytest.raises(OSError, match="Input/output"):
        vae.save(tmp_path / "vae.skemoji")
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_a_file_keeping_its_permissions(vae, tmp_path):
    path = tmp_path / "vae.skemoji"
    path.write_bytes(b"old")
    path.chmod(0o640)
    vae.save(path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert type(skemoji.load(path)) is EmojiVAE


def test_save_to_a_relative_path(vae, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    vae.save("vae.skemoji")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vae.skemoji"]


def test_estimators_register_with_the_format():
    from skemoji import _persistence

    assert _persistence._MODEL_CLASSES == {"EmojiVAE": EmojiVAE, "SiameseEmojiRanker": SiameseEmojiRanker}

    class EmojiVAE2(EmojiVAE):
        pass

    EmojiVAE2.__name__ = "EmojiVAE"
    with pytest.raises(ValueError, match="another model class named 'EmojiVAE'"):
        _persistence.register_model_class(EmojiVAE2)
    assert _persistence._MODEL_CLASSES["EmojiVAE"] is EmojiVAE


def test_the_format_imports_no_estimator():
    """The estimators register with the format; it imports none of them (that was a cycle)."""
    import ast

    from skemoji import _persistence

    tree = ast.parse(Path(_persistence.__file__).read_text(encoding="utf-8"))
    relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert relative == {"_version"}


def test_save_unfitted_raises(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        EmojiVAE().save(tmp_path / "x")


def _rewrite(path, member, transform):
    """Rewrite one member of a saved model file, keeping the others."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[member] = transform(members[member])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.fixture
def saved_vae(vae, tmp_path):
    path = tmp_path / "vae.skemoji"
    vae.save(path)
    return path


def test_load_refuses_edited_model(saved_vae):
    _rewrite(saved_vae, "model.json", lambda data: data.replace(b'"latent_dim": 4', b'"latent_dim": 5'))
    with pytest.raises(ValueError, match="SHA-256"):
        skemoji.load(saved_vae)


def test_load_refuses_edited_weights(saved_vae):
    _rewrite(saved_vae, "arrays.npz", lambda data: data[:-40] + bytes(40))
    with pytest.raises(ValueError, match="corrupted or edited"):
        skemoji.load(saved_vae)


def test_load_refuses_pickled_arrays_even_with_matching_digest(saved_vae):
    """An attacker who also rewrites the digests still cannot make load unpickle."""
    import hashlib

    class Boom:
        def __reduce__(self):
            return (eval, ("__import__('os').system('echo pwned > /tmp/skemoji_pwned')",))

    buffer = io.BytesIO()
    np.savez(buffer, a0=np.array([Boom()], dtype=object))
    evil = buffer.getvalue()
    _rewrite(saved_vae, "arrays.npz", lambda data: evil)

    def fix_digest(manifest):
        manifest = json.loads(manifest)
        manifest["sha256"]["arrays.npz"] = hashlib.sha256(evil).hexdigest()
        return json.dumps(manifest).encode()

    _rewrite(saved_vae, "manifest.json", fix_digest)
    with pytest.raises(ValueError, match="cannot read the model data"):
        skemoji.load(saved_vae)
    import os

    assert not os.path.exists("/tmp/skemoji_pwned")


def test_load_refuses_unknown_class_with_matching_digest(saved_vae):
    import hashlib

    holder = {}

    def swap_class(model):
        model = model.replace(b'"__skemoji__": "EmojiVAE"', b'"__skemoji__": "os.system"')
        holder["digest"] = hashlib.sha256(model).hexdigest()
        return model

    _rewrite(saved_vae, "model.json", swap_class)

    def fix_manifest(manifest):
        manifest = json.loads(manifest)
        manifest["sha256"]["model.json"] = holder["digest"]
        manifest["estimator"] = "os.system"
        return json.dumps(manifest).encode()

    _rewrite(saved_vae, "manifest.json", fix_manifest)
    with pytest.raises(ValueError, match="unknown estimator class"):
        skemoji.load(saved_vae)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a zip at all", "not a zip archive"),
        (None, "expected members"),
    ],
)
def test_load_refuses_foreign_files(tmp_path, content, message):
    path = tmp_path / "foreign"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        skemoji.load(path)


def test_load_refuses_a_keras_file(vae, tmp_path):
    path = tmp_path / "encoder.keras"
    vae.encoder_.save(path)
    with pytest.raises(ValueError, match="not a skemoji model file"):
        skemoji.load(path)


def test_load_refuses_a_pickle(vae, tmp_path):
    path = tmp_path / "vae.pkl"
    path.write_bytes(pickle.dumps(vae))
    with pytest.raises(ValueError, match="not a zip archive"):
        skemoji.load(path)


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        skemoji.load(tmp_path / "absent.skemoji")


def test_load_refuses_future_format(saved_vae):
    def bump(manifest):
        manifest = json.loads(manifest)
        manifest["format_version"] = 99
        return json.dumps(manifest).encode()

    _rewrite(saved_vae, "manifest.json", bump)
    with pytest.raises(ValueError, match="format version 99"):
        skemoji.load(saved_vae)


DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("version", [2, 3])
def test_ranker_files_saved_by_earlier_versions_still_load(version):
    """tests/data/ranker_state{2,3}.skemoji were written by skemoji 0.2.0 and 0.3.0; later
    versions load them and score as they did (state 2 predates word vectors)."""
    expected = np.load(DATA / f"ranker_state{version}.expected.npz")
    loaded = skemoji.load(DATA / f"ranker_state{version}.skemoji")
    assert type(loaded) is SiameseEmojiRanker and list(loaded.classes_) == ["❤", "🎄", "😡", "🎅"]
    np.testing.assert_allclose(loaded.decision_function(expected["texts"].astype(object)),
                               expected["scores"], rtol=1e-5, atol=1e-5)
    assert loaded.candidates_.word_vectors.shape[1] == (0 if version == 2 else 50)
    # Their offsets were calibrated on the validation pairs, and their parameters are complete.
    assert loaded.get_params()["calibration_folds"] is None
    # Nor were added emojis' biases moved by their popularity.
    assert loaded.get_params()["popularity_prior"] is False
    # Nor was their w_head scaled for macro-F1.
    assert loaded.get_params()["calibrate_head"] is False
    # Nor were their towers' weights scaled, nor their head scores mixed.
    assert loaded.get_params()["tower_scale"] == 1.0
    assert loaded.get_params()["stack_head"] is False and loaded.head_mixing_ is None
    # Their VAEs keep the networks and the refinement they were fitted with.
    vae = loaded.vae_
    widths = (40, 80) if version == 2 else (64, 128)
    assert (vae.filters, vae.decoder_filters, vae.residual_blocks) == (widths, widths, 0)
    assert vae.refine_objective == "elbo"


@pytest.mark.parametrize("name", ["vae_v1"])
def test_files_saved_by_earlier_versions_still_load(name):
    """tests/data/vae_v1.skemoji was written by skemoji 0.1.0 (format 1); every later version loads it."""
    expected = np.load(DATA / f"{name}.expected.npz")
    loaded = skemoji.load(DATA / f"{name}.skemoji")
    assert type(loaded) is EmojiVAE and loaded.latent_dim == 2
    np.testing.assert_allclose(loaded.transform(expected["images"]), expected["codes"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loaded.inverse_transform(expected["codes"]), expected["decoded"], rtol=1e-5, atol=1e-6)
    # It predates the learned prior: it samples from N(0, I), and its parameters are complete.
    assert loaded.get_params()["prior"] == "normal" and loaded.sample(2, random_state=0).shape == (2, 36, 36, 4)
    assert (loaded.filters, loaded.decoder_filters, loaded.residual_blocks) == ((40, 80), (40, 80), 0)
    # It predates refined codes: it keeps the encoder's (the codes above), and can refine them.
    assert loaded.refine_steps == 0
    refined = loaded.set_params(refine_steps=3).transform(expected["images"])
    assert refined.shape == expected["codes"].shape and np.isfinite(refined).all()
    assert loaded.score(expected["images"]) > loaded.set_params(refine_steps=0).score(expected["images"])
