"""Names for pronoun sources, from the CoreNLP coreference chains PolNeAR ships with its texts.

PolNeAR's ``<split>/corenlp/<article>.txt.xml`` holds CoreNLP's tokens (with character offsets
and part-of-speech tags) and coreference chains. For a source written as a pronoun ("he said"),
the names of its chain are the chain's mentions headed by a proper noun (at most
:data:`MAX_NAME_TOKENS` tokens): "Marcus Hale", "Hale". This is automatic coreference, not gold:
it only widens which predicted speakers count as right for a pronoun source.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from evals.datasets.base import DatasetError

MAX_NAME_TOKENS = 6
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "him",
        "her",
        "them",
        "us",
        "his",
        "its",
        "their",
        "our",
    ]
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    proper: bool
    n_tokens: int


def _int(node: ET.Element, tag: str, where: str) -> int:
    text = node.findtext(tag)
    if text is None or not text.strip().isdigit():
        raise DatasetError(f"{where}: a coreference mention without a numeric <{tag}>")
    return int(text)


def read_chains(path: Path) -> list[list[Mention]]:
    """The coreference chains of one CoreNLP XML file, mentions as character spans."""
    where = str(path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise DatasetError(f"{where}: not a readable CoreNLP XML file ({exc})") from None
    tokens: dict[tuple[int, int], tuple[int, int, str]] = {}
    for sentence in root.iter("sentence"):
        sid = sentence.get("id")
        if sid is None or sentence.find("tokens") is None:
            continue
        for token in sentence.iter("token"):
            t_begin = token.findtext("CharacterOffsetBegin")
            t_end = token.findtext("CharacterOffsetEnd")
            if token.get("id") is None or t_begin is None or t_end is None:
                continue
            pos = token.findtext("POS") or ""
            tokens[(int(sid), int(token.get("id") or 0))] = (int(t_begin), int(t_end), pos)
    chains: list[list[Mention]] = []
    outer = root.find("./document/coreference")
    for chain in outer.findall("coreference") if outer is not None else []:
        mentions = []
        for m in chain.findall("mention"):
            sent = _int(m, "sentence", where)
            start, end, head = (_int(m, t, where) for t in ("start", "end", "head"))
            first, last = tokens.get((sent, start)), tokens.get((sent, end - 1))
            head_token = tokens.get((sent, head))
            if first is None or last is None or head_token is None:
                continue
            proper = head_token[2].startswith("NNP")
            mentions.append(Mention(first[0], last[1], proper, end - start))
        chains.append(mentions)
    return chains


def pronoun_names(
    chains: list[list[Mention]], text: str, spans: list[tuple[int, int]]
) -> dict[tuple[int, int], list[str]]:
    """For each span that is a pronoun, the proper-noun mentions of the chain holding it."""
    out: dict[tuple[int, int], list[str]] = {}
    for start, end in spans:
        if text[start:end].strip().lower() not in PRONOUNS:
            continue
        for chain in chains:
            if not any(m.start <= start and end <= m.end for m in chain):
                continue
            names = [
                " ".join(text[m.start : m.end].split())
                for m in chain
                if m.proper and m.n_tokens <= MAX_NAME_TOKENS
            ]
            if names:
                out[(start, end)] = list(dict.fromkeys(names))
            break
    return out
