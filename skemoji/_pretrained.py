"""Fitted models that ship inside the package: ``skemoji.load_pretrained``."""

from importlib import resources

from ._persistence import load

PRETRAINED = {
    "ranker": "ranker.skemoji",
    "vae": "vae.skemoji",
}


def load_pretrained(name):
    """Load a fitted model stored inside the installed package.

    The models are trained only on data that ships with the install (Twemoji
    images, CLDR names and keywords in many languages, and the pretrained
    sentence encoder the ``use`` extra brings) by ``tools/train_pretrained.py``,
    which reproduces them. Loading reads one file and never touches the
    network.

    Parameters
    ----------
    name : {"ranker", "vae"}
        ``"ranker"``: a :class:`~skemoji.SiameseEmojiRanker` over the whole
        Twemoji catalog that answers everyday text in many languages.
        ``"vae"``: the :class:`~skemoji.EmojiVAE` whose codes it reads.

    Returns
    -------
    estimator : SiameseEmojiRanker or EmojiVAE
        A fitted estimator.

    Raises
    ------
    ValueError
        If ``name`` is not a known model.

    Examples
    --------
    >>> import skemoji
    >>> ranker = skemoji.load_pretrained("ranker")
    >>> len(ranker.classes_) > 3000
    True
    """
    if name not in PRETRAINED:
        raise ValueError(f"Unknown pretrained model {name!r}; known: {sorted(PRETRAINED)}.")
    path = resources.files("skemoji") / "pretrained" / PRETRAINED[name]
    with resources.as_file(path) as file:
        if not file.is_file():
            raise FileNotFoundError(
                f"The pretrained {name} is missing from this installation ({file}); "
                "reinstall skemoji, or rebuild it with tools/train_pretrained.py."
            )
        return load(file)
