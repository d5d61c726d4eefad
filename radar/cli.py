"""The `radar` command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from radar import (
    alert_commands,
    brief_command,
    calendar_command,
    index_commands,
    scheduler_commands,
    serve_command,
    source_commands,
    stakeholder_commands,
    subscription_commands,
    transfer_commands,
    user_commands,
)

app = typer.Typer(
    help="policy-radar: track what Asia-Pacific regulators, parliaments, NGOs and the press do about online harms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# The shared label set sits beside the repository: ../shared/eval/dev.jsonl.
DEFAULT_EVAL_FILE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


@app.command()
def tag(
    file: Annotated[
        Path | None, typer.Argument(help="JSON Lines of items; standard input when omitted or '-'.")
    ] = None,
    summary: Annotated[bool, typer.Option("--summary", help="One readable line per item instead of JSON.")] = False,
) -> None:
    """Tag items with harm areas, jurisdictions, document type, stakeholders and key dates.

    Each input line is {"id", "title", "text"} with optional "url", "published", "lang",
    "source" and "source_kind"; each output line is the item's tags with their evidence.
    A malformed line is reported on standard error by number, the others are still tagged,
    and the exit status is then 1.
    """
    from nlp.jsonl_input import read_items
    from nlp.tagger import Tagger

    errors = 0

    def report(number: int, message: str) -> None:
        nonlocal errors
        errors += 1
        typer.echo(f"line {number}: {message}", err=True)

    tagger = Tagger()
    with index_commands.open_input(file) as handle:
        for result in tagger.tag_many(read_items(handle, report)):
            if summary:
                typer.echo(_summary_line(result.to_json()))
            else:
                typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    if errors:
        typer.echo(f"{errors} line(s) could not be tagged", err=True)
        raise typer.Exit(1)


def _summary_line(tags: dict) -> str:
    dates = ", ".join(f"{d['date']} {d['kind']}" for d in tags["dates"]) or "-"
    people = ", ".join(s["name"] for s in tags["stakeholders"][:4]) or "-"
    return (
        f"{tags['id']:<6} {tags['language']:<3} {','.join(tags['jurisdictions']) or '-':<8} "
        f"{tags['doc_type']:<13} {','.join(tags['harm_areas']) or '(off-topic)':<45} "
        f"dates: {dates} | who: {people}"
    )


@app.command(name="eval")
def evaluate(
    file: Annotated[
        Path, typer.Argument(help="Labelled items in the format of shared/eval/dev.jsonl.")
    ] = DEFAULT_EVAL_FILE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list every item the tagger got wrong.")] = False,
) -> None:
    """Score the tagger against labelled items: precision, recall and F1 per field,
    English and the other languages apart."""
    from nlp.evaluate import score
    from nlp.items import ItemError, ItemIn
    from nlp.tagger import Tagger

    if not file.exists():
        raise typer.BadParameter(f"{file} does not exist (the default is the shared dev set, {DEFAULT_EVAL_FILE})")
    labelled = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            labelled.append((obj, ItemIn.from_json(obj)))
            obj["labels"]["doc_type"]
        except (json.JSONDecodeError, ItemError, KeyError, TypeError) as exc:
            raise typer.BadParameter(f"{file}:{number}: not a labelled item ({exc})") from None
    tagger = Tagger()
    results = tagger.tag_many(item for _, item in labelled)
    scores = score(zip((obj for obj, _ in labelled), results, strict=True))
    if as_json:
        typer.echo(
            json.dumps({"scores": scores.table(), **({"errors": scores.errors} if errors else {})}, ensure_ascii=False)
        )
        return
    typer.echo(f"{len(labelled)} labelled items from {file}")
    typer.echo(f"{'field':<26}{'en P/R/F1':>22}{'other P/R/F1':>22}{'all F1':>9}")
    for row in scores.table():
        if row["field"] == "off_topic_kept_empty":
            text = [_accuracy(row[g]) for g in ("en", "other", "all")]
            typer.echo(f"{row['field']:<26}{text[0]:>22}{text[1]:>22}{text[2]:>9}")
            continue
        en, other = row["en"], row["other"]
        typer.echo(f"{row['field']:<26}{_prf(en):>22}{_prf(other):>22}{row['all']['f1']:>9.3f}")
    if errors:
        for mistake in scores.errors:
            typer.echo(json.dumps(mistake, ensure_ascii=False))


def _accuracy(cell: dict) -> str:
    return "-" if cell["accuracy"] is None else f"{cell['accuracy']:.2f} ({cell['n']})"


def _prf(cell: dict) -> str:
    return f"{cell['precision']:.2f}/{cell['recall']:.2f}/{cell['f1']:.2f}"


index_commands.register(app)
source_commands.register(app)
serve_command.register(app)
scheduler_commands.register(app)
user_commands.register(app)
subscription_commands.register(app)
alert_commands.register(app)
brief_command.register(app)
calendar_command.register(app)
stakeholder_commands.register(app)
transfer_commands.register(app)

if __name__ == "__main__":
    app()
