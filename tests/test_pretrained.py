"""The models that ship inside the package."""

import sys

import numpy as np
import pytest

import skemoji
from skemoji import EmojiVAE, SiameseEmojiRanker


@pytest.fixture(scope="module")
def pretrained():
    return skemoji.load_pretrained("ranker")


def test_pretrained_ranker_covers_the_catalog(pretrained, twemoji):
    assert isinstance(pretrained, SiameseEmojiRanker)
    assert set(pretrained.classes_) == set(twemoji.emojis)
    ranked = pretrained.rank(["I love you so much", "joyeux anniversaire !"], k=5)
    assert ranked.shape == (2, 5)
    proba = pretrained.predict_proba(["buenas noches"])
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)


def assert_fitting_emoji_in_top5(ranker, fitting):
    """Each text of ``fitting`` ({text: emojis that fit it}) has one of its emojis in its top 5."""
    ranked = ranker.rank(list(fitting), k=5)
    for (text, emojis), top in zip(fitting.items(), ranked):
        assert set(top) & set(emojis), (text, list(top))


def test_pretrained_ranker_answers_everyday_texts(pretrained):
    assert_fitting_emoji_in_top5(pretrained, {
        "merry christmas everyone": "🎄🎅🤶🎁⛄☃❄🌟",
        "happy birthday!": "🎂🎉🥳🎁🎈🍰🧁🎊",
        "I love you so much": "❤😍🥰😘💕💖💗💓💞💘♥😻🫶🤟",
    })


def test_pretrained_ranker_reads_emojis_and_emoticons(pretrained):
    assert pretrained.name_emojis
    assert_fitting_emoji_in_top5(pretrained, {
        "🎂🎉": "🎂🎉🥳🎁🎈🍰🧁🎊",
        "worst day ever :'(": "😢😭😞😔☹🙁💔😿😩",
        "see you tomorrow <3": "❤😍🥰😘💕💖💗💓💞💘♥😻🫶",
    })


# (positive text, negative text) in the six languages whose keywords the pretrained ranker learned.
OPPOSITES = [
    ("what a wonderful day, thank you so much", "this is the worst service, I am so disappointed"),
    ("me encanta, es precioso", "qué asco, estoy harto de esperar"),
    ("das ist wunderbar, vielen Dank", "das ist furchtbar, ich bin enttäuscht"),
    ("c'est génial, merci beaucoup", "c'est nul, je suis très déçu"),
    ("che bello, grazie mille", "che schifo, sono deluso"),
    ("adorei, muito obrigado", "que horrível, estou decepcionado"),
]


def test_pretrained_ranker_tells_positive_from_negative_texts(pretrained):
    assert pretrained.weights_["w_sentiment"] > 0
    column = {e: i for i, e in enumerate(pretrained.classes_)}
    sentiment = pretrained.candidates_.sentiment
    assert np.isfinite(sentiment).all()
    # Emojis newer than the Emoji Sentiment Ranking borrow their look-alikes' sentiment.
    assert sentiment[column["🥳"]] > 0 > sentiment[column["🤮"]]
    positive = [column[e] for e in "😀😊😍🥰😘❤👍🎉"]
    negative = [column[e] for e in "😡😠😢😭😞👎💔😤"]
    proba = pretrained.predict_proba([text for pair in OPPOSITES for text in pair])
    margins = (proba[:, positive].sum(axis=1) - proba[:, negative].sum(axis=1)).reshape(-1, 2)
    # Every positive text above every negative one, in every language.
    assert margins[:, 0].min() > margins[:, 1].max(), margins


def test_rank_command_leaves_out_skin_tone_variants(pretrained, capsys):
    from skemoji._emoji import without_skin_tones
    from skemoji.cli import main

    text = "I love you so much"
    assert main(["rank", text]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == list(pretrained.rank([text], k=5, skin_tones=False)[0])
    toneless = [without_skin_tones(e) for e in printed]
    assert len(set(toneless)) == len(printed), printed
    assert main(["rank", "--skin-tones", text]) == 0
    assert capsys.readouterr().out.split() == list(pretrained.rank([text], k=5)[0])


def test_pretrained_vae_is_the_rankers(pretrained):
    vae = skemoji.load_pretrained("vae")
    assert isinstance(vae, EmojiVAE)
    images = skemoji.datasets.load_twemoji().images[:8]
    np.testing.assert_allclose(vae.transform(images), pretrained.vae_.transform(images), rtol=1e-5)


def test_loading_and_ranking_import_no_tensorflow():
    code = ("import sys, skemoji; r = skemoji.load_pretrained('ranker'); r.rank(['hello'], k=3); "
            "print('tensorflow' in sys.modules)")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_unknown_pretrained_name():
    with pytest.raises(ValueError, match="known: \\['ranker', 'vae'\\]"):
        skemoji.load_pretrained("bert")
