import html
import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from skemoji import __version__, load
from skemoji._emoji import without_skin_tones
from skemoji.cli import main


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "demo" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


# The subcommands end to end, on tiny data: one tiny VAE and ranker are made
# through the CLI itself and reused by the commands that read saved models.

PAIRS = [("I love you", "❤️"), ("love and hugs", "❤"), ("this is hot", "🔥"), ("fire everywhere", "🔥"),
         ("so funny lol", "😂"), ("haha what a joke", "😂")] * 3


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def pairs_csv(workdir):
    path = workdir / "pairs.csv"
    lines = ["text,emoji"] + [f'"{t}",{e}' for t, e in PAIRS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def vae_file(workdir):
    path = workdir / "vae.skemoji"
    code = main(["fit-vae", "--out", str(path), "--latent-dim", "3", "--epochs", "1", "--limit", "64"])
    assert code == 0 and path.is_file()
    return path


@pytest.fixture(scope="module")
def ranker_file(workdir, vae_file, pairs_csv):
    path = workdir / "ranker.skemoji"
    code = main(["fit-ranker", "--csv", str(pairs_csv), "--vae", str(vae_file), "--epochs", "2",
                 "--out", str(path)])
    assert code == 0 and path.is_file()
    return path


def test_fit_vae_saves_a_loadable_model(vae_file):
    vae = load(vae_file)
    assert vae.latent_dim == 3 and np.isfinite(vae.sample(2)).all()


def test_generate_writes_a_png(vae_file, workdir, capsys):
    out = workdir / "generated.png"
    assert main(["generate", "--model", str(vae_file), "-n", "9", "--out", str(out), "--seed", "1"]) == 0
    from PIL import Image

    with Image.open(out) as picture:
        assert picture.width > 100 and picture.height > 100
    assert "9 generated emojis" in capsys.readouterr().out


def test_fit_ranker_and_rank(ranker_file, vae_file, capsys):
    ranker = load(ranker_file)
    assert set(ranker.classes_) == {"❤", "🔥", "😂"}
    # The saved VAE, read through its encoder (the file itself refines its codes).
    assert load(vae_file).refine_steps > 0 and ranker.vae_.refine_steps == 0
    capsys.readouterr()
    assert main(["rank", "I love you", "-k", "2", "--model", str(ranker_file)]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 2 and set(printed) <= {"❤", "🔥", "😂"}


def test_rank_several_texts_prints_one_line_each(ranker_file, capsys):
    assert main(["rank", "hot fire", "lol", "--model", str(ranker_file), "-k", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("hot fire\t")


def test_evaluate_prints_metrics(ranker_file, pairs_csv, capsys):
    assert main(["evaluate", "--csv", str(pairs_csv), "--model", str(ranker_file)]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["n"] == len(PAIRS)
    assert 0 <= metrics["accuracy"] <= 1 and 0 <= metrics["f1_macro"] <= 1


def test_fit_ranker_from_tweeteval_directory(tmp_path, vae_file):
    (tmp_path / "mapping.txt").write_text("0\t❤\t_red_heart_\n1\t🔥\t_fire_\n", encoding="utf-8")
    (tmp_path / "train_text.txt").write_text("love you\nso hot\nmy love\nfire fire\n", encoding="utf-8")
    (tmp_path / "train_labels.txt").write_text("0\n1\n0\n1\n", encoding="utf-8")
    out = tmp_path / "r.skemoji"
    assert main(["fit-ranker", "--tweeteval", str(tmp_path), "--vae", str(vae_file), "--epochs", "1",
                 "--languages", "none", "--out", str(out)]) == 0
    assert load(out).catalog_languages == ()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rank", "hello", "--model", "/nonexistent/ranker.skemoji"], "no saved model"),
        (["generate", "--model", "/nonexistent/vae.skemoji"], "no saved model"),
        (["fit-ranker", "--csv", "/nonexistent.csv"], "does not exist"),
        (["fit-ranker", "--csv", "/nonexistent.csv", "--languages", ","], "--languages takes"),
        (["evaluate", "--csv", "/nonexistent.csv", "--model", "/nonexistent"], "no saved model"),
    ],
)
def test_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_csv_columns(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("sentence,label\nhi,❤\n", encoding="utf-8")
    assert main(["fit-ranker", "--csv", str(path)]) == 1
    err = capsys.readouterr().err
    assert "no column 'text'" in err and "--text-column" in err


def test_wrong_model_kind(vae_file, capsys):
    assert main(["rank", "hello", "--model", str(vae_file)]) == 1
    assert "not a ranker" in capsys.readouterr().err


def test_rank_rejects_bad_k(ranker_file, capsys):
    assert main(["rank", "hello", "-k", "0", "--model", str(ranker_file)]) == 1
    assert "-k" in capsys.readouterr().err


def test_rank_reads_texts_from_standard_input(ranker_file, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("hot fire\n\nso funny lol\r\n"))
    assert main(["rank", "-", "-k", "1", "--model", str(ranker_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["hot fire", "so funny lol"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("I love you\n"))  # a table even for one text
    assert main(["rank", "-", "-k", "1", "--model", str(ranker_file)]) == 0
    assert capsys.readouterr().out.startswith("I love you\t")
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    assert main(["rank", "-", "--model", str(ranker_file)]) == 1
    assert "no texts on standard input" in capsys.readouterr().err


def test_rank_k_beyond_the_candidates_prints_them_all(ranker_file, tmp_path, capsys):
    """One tone per emoji unless --skin-tones: -k is capped at what may answer either way."""
    toned = tmp_path / "toned.skemoji"
    load(ranker_file).add_candidates(["👍", "👍🏽", "👍🏿"]).save(toned)
    capsys.readouterr()
    assert main(["rank", "I love you", "-k", "50", "--model", str(toned)]) == 0
    assert sorted(capsys.readouterr().out.split()) == sorted(["❤", "🔥", "😂", "👍"])
    assert main(["rank", "I love you", "-k", "50", "--skin-tones", "--model", str(toned)]) == 0
    assert len(capsys.readouterr().out.split()) == 6


@pytest.mark.parametrize("command", ["demo", "fit-vae", "generate", "fit-ranker", "rank", "evaluate"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: skemoji " + command in capsys.readouterr().out


def _run_skemoji(*argv):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    return subprocess.run([sys.executable, "-m", "skemoji", *argv], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def test_rank_prints_the_answer_alone(ranker_file):
    """No TensorFlow start-up lines (absl, oneDNN, cuda) around the answer; -v brings them back."""
    result = _run_skemoji("rank", "I love you", "--model", str(ranker_file))
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1 and len(result.stdout.split()) == 3  # all 3 candidates
    verbose = _run_skemoji("-v", "rank", "I love you", "--model", str(ranker_file))
    assert verbose.returncode == 0 and verbose.stdout == result.stdout


def test_demo_quick_writes_the_report(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    pictures = sorted(p.name for p in out.glob("*.png"))
    assert len(pictures) >= 4 and "top5_strips.png" in pictures and "samples.png" in pictures
    assert all((out / name).stat().st_size > 2000 for name in pictures)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["vae"]["nonfinite_code_fraction"] == 0.0
    assert 0 <= metrics["ranker"]["test_top5_accuracy"] <= 1
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "merry christmas everyone" in page
    # Every suggested emoji is an embedded picture with its name: the page needs no emoji font.
    from skemoji._demo import EXAMPLE_TEXTS

    # Five for each example text from the demo's ranker, five from the pretrained one.
    assert page.count("<img class='emoji' src='data:image/png;base64,") == 2 * 5 * len(EXAMPLE_TEXTS)
    assert set(metrics["pretrained"]) == set(EXAMPLE_TEXTS)
    for row in metrics["pretrained"].values():  # one skin tone per emoji
        toneless = [without_skin_tones(e) for e in row]
        assert len(set(toneless)) == len(row), row
    first = metrics["examples"][EXAMPLE_TEXTS[0]][0]
    if not first.startswith("gen:"):
        from skemoji.datasets import load_twemoji

        twemoji = load_twemoji()
        name = twemoji.names[list(twemoji.emojis).index(first)]
        assert f"<span>{html.escape(name)}</span>" in page
    assert type(load(out / "ranker.skemoji")).__name__ == "SiameseEmojiRanker"
    assert type(load(out / "vae.skemoji")).__name__ == "EmojiVAE"
    capsys.readouterr()
    assert main(["rank", "merry christmas everyone", "-k", "5", "--model", str(out / "ranker.skemoji")]) == 0
    assert len(capsys.readouterr().out.split()) == 5
