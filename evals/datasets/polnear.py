"""PolNeAR (political news attribution relations) from a local copy, as sitrep statements.

``--path`` is a folder holding the split folders (``data/`` of ``networkdynamics/PolNeAR``, or the
repository root): ``<split>/text/<article>.txt`` and
``<split>/attributions/<article>_<annotator>.ann``.
Development split: ``test``; ``train`` and ``dev`` are held out (read only with ``heldout=True``).

Each attribution (a brat event with Source, Cue and Content) is one gold statement: the
source's words are the speaker, the content the text. A content wholly inside quotation marks
is a direct quote (``text_type`` quote, the marks stripped); any other content is a paraphrase.
Several annotators labelled some articles: the file whose annotator suffix sorts first is used.
A source written as a pronoun also counts as the names of its CoreNLP coreference chain when the
copy has ``<split>/corenlp/<article>.txt.xml`` (:mod:`evals.datasets.corenlp_coref`).
PolNeAR labels no statement kind, organisation, role, channel, date or events, and no attack
events, so those fields are not scored (:data:`UNSCORED`).

>>> direct_quote("“We will rebuild the bridge,”")
'We will rebuild the bridge'
>>> direct_quote("Okafor “is stubborn, tireless,” the paper wrote") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from evals.datasets.base import DatasetError, HeldOutError, LoadedDataset, make_gold
from evals.datasets.brat import AnnDocument, read_ann
from evals.datasets.corenlp_coref import pronoun_names, read_chains
from schemas.article import Article, DateSource
from schemas.records import Records
from schemas.statement import Statement
from schemas.vocab import StatementKind, TextType

NAME = "polnear"
DEV_SPLITS = ("test",)
HELDOUT_SPLITS = ("train", "dev")
DEFAULT_SPLIT = "test"
RELEASED = dt.date(2020, 5, 1)
UNSCORED = (
    "event",
    "statement.kind",
    "statement.role",
    "statement.organisation",
    "statement.channel",
    "statement.about_events",
    "statement.targets",
    "statement.date",
)
"""Fields PolNeAR does not label."""

_ROOTS = (Path("."), Path("data"), Path("PolNeAR/data"))
_OPEN = "\"“«‘'"
_CLOSE = "\"”»’'"
_DATE = re.compile(r"_(\d{4})-(\d{2})-(\d{2})_")
_TRAILING = " \t\n,.;:"


def direct_quote(content: str) -> str | None:
    """The quoted words when ``content`` is wholly inside one pair of quotation marks (a
    trailing comma or full stop inside or outside the marks allowed), else ``None``."""
    body = content.strip().rstrip(_TRAILING)
    if len(body) < 3 or body[0] not in _OPEN or body[-1] not in _CLOSE:
        return None
    inner = body[1:-1]
    if any(ch in inner for ch in '"“”'):
        return None  # two quotations with words of the article between them
    words = inner.strip().rstrip(_TRAILING)
    return words or None


def check_split(split: str, heldout: bool) -> None:
    if split in HELDOUT_SPLITS and not heldout:
        raise HeldOutError(
            f"PolNeAR split {split!r} is reserved for held-out measurement; develop on 'test', "
            "and pass --heldout only for the final measurement"
        )
    if split not in DEV_SPLITS + HELDOUT_SPLITS:
        raise DatasetError(
            f"PolNeAR has no split {split!r}; splits: {', '.join(DEV_SPLITS + HELDOUT_SPLITS)}"
        )


def split_dir(path: Path, split: str) -> Path:
    for root in _ROOTS:
        candidate = path / root / split
        if (candidate / "text").is_dir() and (candidate / "attributions").is_dir():
            return candidate
    raise DatasetError(
        f"{path}: no PolNeAR split {split!r} (looked for {split}/text and {split}/attributions "
        "under it, data/ and PolNeAR/data/); give --path the folder that holds test/"
    )


def _article(path: Path) -> Article:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot be read as UTF-8 ({exc})") from None
    if not text.strip():
        raise DatasetError(f"{path}: empty article")
    m = _DATE.search(path.name)
    published = None
    if m:
        try:
            published = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            published = None
    return Article(
        id=path.stem,
        text=text,
        title=text.strip().splitlines()[0][:200],
        outlet=path.stem.split("_", 1)[0],
        publication_date=published,
        publication_date_source=DateSource.METADATA if published else DateSource.UNKNOWN,
        source_file=path.name,
        notes="PolNeAR",
    )


def statements(doc: AnnDocument, text: str) -> tuple[list[Statement], dict[str, tuple[int, int]]]:
    """One statement per attribution with a content span, in the order of the file, and the
    character span of each statement's source (by statement id)."""
    out: list[Statement] = []
    sources: dict[str, tuple[int, int]] = {}
    for ev in doc.events:
        if not ev.type.startswith("Attribution"):
            continue
        content_ref = ev.role("Content")
        if content_ref is None or content_ref not in doc.spans:
            continue
        content = doc.spans[content_ref].text(text).strip()
        if not content:
            continue
        source_ref = ev.role("Source")
        span = doc.spans.get(source_ref) if source_ref else None
        source = span.text(text).strip() if span is not None else ""
        if span is not None and source:
            sources[f"S{len(out) + 1}"] = (span.fragments[0][0], span.fragments[-1][1])
        quote = direct_quote(content)
        out.append(
            Statement(
                id=f"S{len(out) + 1}",
                speaker=source or None,
                kind=StatementKind.OTHER,
                text=quote or content,
                text_type=TextType.QUOTE if quote else TextType.PARAPHRASE,
            )
        )
    return out, sources


def annotator_files(folder: Path, article_id: str) -> list[Path]:
    """The ``.ann`` files of one article, first the one used (annotator suffix sorted)."""
    return sorted(folder.glob(f"{article_id}_*.ann"), key=lambda p: p.stem.rsplit("_", 1)[-1])


def load(path: str | Path, split: str = DEFAULT_SPLIT, *, heldout: bool = False) -> LoadedDataset:
    """One PolNeAR split: every article with an annotation file, and its gold statements."""
    check_split(split, heldout)
    folder = split_dir(Path(path), split)
    texts = sorted((folder / "text").glob("*.txt"))
    if not texts:
        raise DatasetError(f"{folder / 'text'}: no .txt articles")
    articles, golds = [], {}
    speaker_names: dict[str, dict[str, list[str]]] = {}
    for text_file in texts:
        article = _article(text_file)
        anns = annotator_files(folder / "attributions", article.id)
        if not anns:
            continue
        doc = read_ann(anns[0], len(article.text))
        annotator = anns[0].stem.rsplit("_", 1)[-1]
        said, sources = statements(doc, article.text)
        try:
            records = Records(statements=said)
        except ValueError as exc:
            raise DatasetError(f"{anns[0]}: {exc}") from None
        coref = folder / "corenlp" / f"{article.id}.txt.xml"
        if coref.is_file() and sources:
            names = pronoun_names(read_chains(coref), article.text, list(sources.values()))
            by_statement = {sid: names[span] for sid, span in sources.items() if span in names}
            if by_statement:
                speaker_names[article.id] = by_statement
        articles.append(article)
        golds[article.id] = make_gold(
            article,
            records,
            labeller=f"PolNeAR annotator {annotator}",
            method="PolNeAR attributions mapped by evals/datasets/polnear.py",
            released=RELEASED,
        )
    if not articles:
        raise DatasetError(
            f"{folder / 'attributions'}: no '<article>_<annotator>.ann' file for any article"
        )
    return LoadedDataset(NAME, split, articles, golds, speaker_names=speaker_names)
