"""The ``sitrep`` command line: one console script, one sub-command per job.

Exit codes scripts can rely on: 0 success; 1 some articles failed or a gate failed; 2 usage or
configuration error (typer's own usage errors are 2 as well).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from evals.cli import eval_app
from extraction.cli.extract import extract_command
from labelling.cli import adjudicate, agree, label, review
from sitrep import __version__
from store.cli import store_app

app = typer.Typer(
    name="sitrep",
    help="Evidence-grounded records of armed attacks and statements from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class SchemaName(StrEnum):
    records = "records"
    extraction = "extraction"
    article = "article"
    gold = "gold"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitrep {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """sitrep turns news articles about armed attacks into structured, evidence-grounded records."""


@app.command()
def schema(
    of: Annotated[
        SchemaName,
        typer.Option(
            "--of",
            help="records: what a model fills; extraction: one article's output with "
            "provenance; article: the input; gold: a gold file.",
        ),
    ] = SchemaName.records,
) -> None:
    """Print the JSON Schema of sitrep's records (or of another model with --of)."""
    from pydantic import BaseModel

    from evals.gold import GoldFile
    from schemas import Article, ArticleExtraction, Records

    models: dict[SchemaName, type[BaseModel]] = {
        SchemaName.records: Records,
        SchemaName.extraction: ArticleExtraction,
        SchemaName.article: Article,
        SchemaName.gold: GoldFile,
    }
    typer.echo(json.dumps(models[of].model_json_schema(), indent=2))


app.command("extract")(extract_command)
app.add_typer(eval_app, name="eval")
app.command("label")(label)
app.command("review")(review)
app.command("agree")(agree)
app.command("adjudicate")(adjudicate)
app.add_typer(store_app, name="store")
