"""The seed-corpus evidence file ``data/seed-postings.json``: regenerate it from the seeds.

The file holds facts only: ids, file names, line numbers, vocabulary labels and
IRIs, numbers. No titles and no sentences from the seeds.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.errors import InputError
from kg.extract.blocks import Source
from kg.extract.pipeline import extract_sources
from kg.extract.readers import read_source
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.models import Posting

#: Where the seed corpus lives, relative to the repository: ``../shared/seeds``.
SEEDS_FROM_REPOSITORY = Path("..") / "shared" / "seeds"
_ABOUT = (
    "Facts extracted by kg from the seed corpus (../shared/seeds), one posting per line: file names, line "
    "numbers, vocabulary labels and IRIs. Regenerate with kg.extract.seeds.write_seed_postings."
)


def seed_postings(seeds_dir: Path, *, vocab: Vocabulary | None = None) -> list[Posting]:
    """The postings of every file in ``seeds_dir`` (sorted by name), each source given as its bare file name.

    Raises:
        InputError: the folder is missing or a file cannot be read.
    """
    if not seeds_dir.is_dir():
        raise InputError(f"{seeds_dir}: no such seeds folder")
    sources = []
    for path in sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        read = read_source(str(path))
        sources.append(Source(path.name, read.text, read.encoding))
    return extract_sources(sources, vocab=vocab or load_vocabulary())


def seed_postings_json(seeds_dir: Path, *, vocab: Vocabulary | None = None) -> bytes:
    """The bytes of ``data/seed-postings.json``: one posting per line, sorted keys, in reading order."""
    postings = seed_postings(seeds_dir, vocab=vocab)
    lines = [json.dumps(p.to_facts(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) for p in postings]
    about = json.dumps(_ABOUT, ensure_ascii=False)
    return ('{"about":' + about + ',"postings":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def write_seed_postings(seeds_dir: Path, out: Path | None = None, *, vocab: Vocabulary | None = None) -> Path:
    """Regenerate the evidence file (by default the bundled ``data/seed-postings.json``); returns its path."""
    from kg.fileio import atomic_write
    from kg.resources import data_dir

    target = out or data_dir() / "seed-postings.json"
    data = seed_postings_json(seeds_dir, vocab=vocab)
    with atomic_write(target) as handle:
        handle.write(data)
    return target


# python -m kg.extract.seeds [SEEDS_DIR]: what a maintainer runs after changing the vocabulary
if __name__ == "__main__":
    import sys

    sys.stdout.write(f"{write_seed_postings(Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS_FROM_REPOSITORY)}\n")
