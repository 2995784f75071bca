"""Regenerate ``skemoji/datasets/data/cldr_keywords.npz`` from the Unicode CLDR release.

The data are the CLDR emoji annotations (short names and keywords) and derived
annotations (skin tones, flags, keycaps, ...) as published on npm in
``cldr-annotations-full`` and ``cldr-annotations-derived-full``, version
``CLDR_NPM_VERSION`` below (CLDR 48). Fetch the two tarballs once (this is the
only step that needs the network) and run the script offline::

    mkdir -p /tmp/cldr && cd /tmp/cldr
    npm pack cldr-annotations-full@48.2.0 cldr-annotations-derived-full@48.2.0
    cd -
    python tools/make_cldr_keywords.py /tmp/cldr

What is kept
------------
- Emojis only: CLDR also annotates arrows, currency signs, punctuation...; an
  entry is kept when its key, U+FE0F removed, is an emoji of the ``emoji``
  package (the version is recorded in the file's metadata).
- Languages: every CLDR locale without a region or variant subtag (``"en"``,
  ``"pt"``, ``"zh-Hant"``, ``"sr-Latn"``) whose own (not derived) annotations
  name at least ``MIN_EMOJIS`` emojis. Regional variants (``en-GB``,
  ``en-AU``, ``pt-PT``, ``fr-CA``, ``es-419``, ``es-MX``, ``de-CH``,
  ``zh-Hant-HK``...) hold only their differences from the parent, so they are
  merged into the language they fall back to: their names and keywords that
  the base language lacks for that emoji become extra keywords of it.
- Rows: per language and emoji, one ``"name"`` row (CLDR's ``tts`` short name)
  then one ``"keyword"`` row per distinct keyword (``default``); a keyword equal
  to the name (ignoring case) is skipped, since the name row already says it.

File format
-----------
A NumPy ``.npz`` (zip, deflate), read lazily one language at a time:
``meta`` (UTF-8 JSON), ``emojis`` (UTF-8, newline-separated, shared by all
languages) and, per language ``L``:

- ``L/texts``: its distinct texts, UTF-8, newline-separated, in order of first use;
- ``L/text``: one integer per row (uint16, or uint32 past 65,535 texts): 0 for
  "the next text not used yet", ``i + 1`` for a repeat of text ``i``;
- ``L/counts`` (uint16, one per entry of ``emojis``): how many rows each emoji
  has in this language (0 when it has none). Rows follow the order of
  ``emojis`` (CLDR's English order); an emoji's first row is its name, the
  others its keywords.
"""

import argparse
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np

CLDR_NPM_PACKAGES = ("cldr-annotations-full", "cldr-annotations-derived-full")
CLDR_NPM_VERSION = "48.2.0"
MIN_EMOJIS = 1000
OUTPUT = Path(__file__).resolve().parents[1] / "skemoji" / "datasets" / "data" / "cldr_keywords.npz"
LICENCE_OUTPUT = OUTPUT.parent / "LICENSE-CLDR.txt"
VS16 = "\ufe0f"


def _read_tarball(path, folder, top):
    """``{locale: {emoji: {"tts": [...], "default": [...]}}}`` and the LICENSE text."""
    locales, licence, package = {}, None, None
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if parts == ["package", "LICENSE"]:
                licence = tar.extractfile(member).read().decode("utf-8")
            elif parts == ["package", "package.json"]:
                package = json.loads(tar.extractfile(member).read())
            elif len(parts) == 4 and parts[1] == folder and parts[3] == "annotations.json":
                data = json.loads(tar.extractfile(member).read())
                locales[parts[2]] = data[top].get("annotations", {})
    if package is None or package.get("version") != CLDR_NPM_VERSION:
        raise SystemExit(
            f"{path}: expected version {CLDR_NPM_VERSION}, got {package and package.get('version')}"
        )
    return locales, licence, package


def _is_base(locale):
    """``"en"``, ``"zh-Hant"``: no region or variant subtag."""
    parts = locale.split("-")
    return all(len(part) == 4 and part[0].isupper() for part in parts[1:])


def _base_of(locale, shipped):
    """The shipped language a regional variant falls back to, or None."""
    parts = locale.split("-")
    language, scripts = parts[0], [p for p in parts[1:] if len(p) == 4 and p[0].isupper()]
    for candidate in (["-".join([language, *scripts])] if scripts else []) + [language]:
        if candidate in shipped:
            # A variant in a script other than its language's default one stays out
            # (e.g. hi-Latn is not Hindi in Devanagari).
            if scripts and candidate == language and not _is_default_script(locale):
                return None
            return candidate
    return None


def _is_default_script(locale):
    # Only the default scripts that actually occur as locale subtags in CLDR 48's annotations.
    return locale.split("-")[:2] in (["sr", "Cyrl"],)


def _clean(values):
    return [" ".join(str(value).split()) for value in values if str(value).strip()]


def build(tarball_dir):
    import emoji as emoji_package

    tarball_dir = Path(tarball_dir)
    full, licence, package = _read_tarball(
        tarball_dir / f"cldr-annotations-full-{CLDR_NPM_VERSION}.tgz", "annotations", "annotations"
    )
    derived, licence_derived, _ = _read_tarball(
        tarball_dir / f"cldr-annotations-derived-full-{CLDR_NPM_VERSION}.tgz",
        "annotationsDerived",
        "annotationsDerived",
    )
    if licence != licence_derived:
        print(
            "warning: the two packages carry different LICENSE texts; keeping the first",
            file=sys.stderr,
        )
    known = {key.replace(VS16, "") for key in emoji_package.EMOJI_DATA}

    def entries(locale):
        """Merged full + derived entries of one locale: {emoji: (names, keywords)}."""
        table = {}
        for source in (full.get(locale, {}), derived.get(locale, {})):
            for key, value in source.items():
                key = key.replace(VS16, "")
                if key not in known:
                    continue
                names, keywords = table.setdefault(key, ([], []))
                names.extend(_clean(value.get("tts", [])))
                keywords.extend(_clean(value.get("default", [])))
        return table

    def own_emojis(locale):
        return {key.replace(VS16, "") for key in full.get(locale, {})} & known

    locales = sorted(set(full) | set(derived))
    shipped = sorted(
        loc
        for loc in locales
        if loc != "und" and _is_base(loc) and len(own_emojis(loc)) >= MIN_EMOJIS
    )
    variants = {}
    for loc in locales:
        if loc in shipped or loc == "und":
            continue
        base = _base_of(loc, shipped)
        if base is not None:
            variants.setdefault(base, []).append(loc)

    tables = {}
    for language in shipped:
        table = entries(language)
        for variant in sorted(variants.get(language, []), key=lambda v: (v.count("-"), v)):
            for key, (names, keywords) in entries(variant).items():
                base_names, base_keywords = table.setdefault(key, ([], []))
                if not base_names and names:
                    base_names.append(names[0])
                    names = names[1:]
                base_keywords.extend(names + keywords)
        tables[language] = {key: value for key, value in table.items() if value[0]}
        # (a keyword list without a short name is too thin to keep)
    # One emoji order for every language: CLDR's English order, then what other locales add.
    # (CLDR lists emojis in about the same order in every locale, which keeps the file small.)
    ordered = [tables["en"]] + [tables[language] for language in shipped if language != "en"]
    all_emojis = list(dict.fromkeys(key for table in ordered for key in table))
    arrays, counts = {}, {}
    for language in shipped:
        table = tables[language]
        texts, text_index, run_counts = {}, [], []
        for key in all_emojis:
            if key not in table:
                run_counts.append(0)
                continue
            names, keywords = table[key]
            name = names[0]
            seen = {name.casefold()}
            rows = [(name, 0)]
            for keyword in keywords + names[1:]:
                if keyword.casefold() not in seen:
                    seen.add(keyword.casefold())
                    rows.append((keyword, 1))
            run_counts.append(len(rows))
            for text, _ in rows:
                if "\n" in text:
                    raise SystemExit(f"newline inside a CLDR text: {text!r}")
                if text in texts:
                    text_index.append(texts[text] + 1)
                else:
                    texts[text] = len(texts)
                    text_index.append(0)
        arrays[f"{language}/texts"] = _blob(texts)
        arrays[f"{language}/text"] = np.asarray(
            text_index, dtype=np.uint16 if len(texts) < np.iinfo(np.uint16).max else np.uint32
        )
        arrays[f"{language}/counts"] = np.asarray(run_counts, dtype=np.uint16)
        counts[language] = {
            "rows": len(text_index),
            "emojis": len(table),
            "keywords": len(text_index) - len(table),
            "merged_variants": sorted(variants.get(language, [])),
        }
    meta = {
        "source": "Unicode CLDR annotations and derived annotations",
        "cldr_npm_packages": [f"{name}@{CLDR_NPM_VERSION}" for name in CLDR_NPM_PACKAGES],
        "tarball_sha256": {
            name: hashlib.sha256(
                (tarball_dir / f"{name}-{CLDR_NPM_VERSION}.tgz").read_bytes()
            ).hexdigest()
            for name in CLDR_NPM_PACKAGES
        },
        "cldr_version": package.get("cldrVersion"),
        "unicode_version": package.get("unicodeVersion"),
        "emoji_package_version": emoji_package.__version__,
        "min_emojis": MIN_EMOJIS,
        "languages": shipped,
        "counts": counts,
    }
    arrays["meta"] = np.frombuffer(
        json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"), dtype=np.uint8
    )
    arrays["emojis"] = _blob(all_emojis)
    return arrays, meta, licence


def _blob(strings):
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def write(arrays, path):
    """A deterministic npz: fixed member order and timestamps, maximum deflate."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(
                buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarballs", help="folder holding the two `npm pack` tarballs")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    arrays, meta, licence = build(args.tarballs)
    write(arrays, args.output)
    if licence:
        (args.output.parent / LICENCE_OUTPUT.name).write_text(licence, encoding="utf-8")
    rows = sum(c["rows"] for c in meta["counts"].values())
    english = meta["counts"]["en"]
    size = args.output.stat().st_size / 1e6
    print(
        f"{args.output}: {size:.2f} MB, {len(meta['languages'])} languages, {rows:,} rows; "
        f"English {english['emojis']:,} emojis, {english['rows']:,} rows"
    )


if __name__ == "__main__":
    main()
