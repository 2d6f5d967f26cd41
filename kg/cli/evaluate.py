"""``kg eval``: score extraction against BIO-tagged CoNLL files."""

from __future__ import annotations

import click

from kg.cli.common import print_json, print_table


@click.command(name="eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--token-column", type=int, default=1, show_default=True, help="The column of the tokens (from 1).")
@click.option("--tag-columns", metavar="N,N", help="The columns of BIO tags (default: every column after the token).")
@click.option("--labels", metavar="LABEL,...", help="Score only these labels, as the tags name them (Skill,Knowledge).")
@click.option("--top", type=click.IntRange(0), default=15, show_default=True,
              help="How many of the most frequent misses and false positives to list.")
@click.option("--unknown", is_flag=True, help="Also score the candidates of kg extract --unknown: their precision.")
@click.option("-o", "--output", metavar="FILE", help="Write the JSON here instead of stdout.")
def evaluate(files: tuple[str, ...], fmt: str, token_column: int, tag_columns: str | None, labels: str | None,
             top: int, unknown: bool, output: str | None) -> None:
    """Score extraction against BIO-tagged CoNLL FILES: precision, loose recall, strict span-F1 per label.

    Each file (or each part between -DOCSTART- lines) is read as one plain-text
    posting, a sentence a line. A gold span is found when a skill kg reads overlaps
    it; a prediction is exact when its tokens are the span's. SkillSpan's columns
    (token, SKILL tags, KNOWLEDGE tags) are the default layout.

    \b
    Examples:
      kg eval skillspan_tech_dev.conll
      kg eval green_test.conll --tag-columns 2 --labels Skill --format json
    """
    from kg.evaluation import Layout
    from kg.evaluation import evaluate as run

    chosen = [label.strip() for label in labels.split(",") if label.strip()] if labels else None
    result = run(list(files), layout=Layout.parse(token_column, tag_columns), labels=chosen, top=top, unknown=unknown)
    if fmt == "json":
        print_json(result.to_json(), output)
        return
    score = result.score
    print_table(
        [
            {"label": s.label, "gold spans": s.gold, "loose recall": _ratio(s.loose_recall),
             "one-token spans": s.one_token_gold, "one-token recall": _ratio(s.one_token_recall),
             "strict P": _ratio(s.precision), "strict R": _ratio(s.recall), "strict F1": _ratio(s.f1)}
            for s in result.per_label
        ],
        title=(f"{score.documents} document(s), {score.sentences:,} sentences, {score.tokens:,} tokens: "
               f"{score.predicted:,} predicted spans, precision {_ratio(score.precision)} "
               f"({score.overlapping:,} overlap a gold span)"),
    )
    if unknown:
        click.echo(f"unknown-term candidates: {score.candidates:,}, precision {_ratio(score.candidate_precision)} "
                   f"({score.candidates_overlapping:,} overlap a gold span)")
    if result.misses:
        print_table([{"gold span": c.text, "label": c.label, "missed": c.count} for c in result.misses],
                    title="Most frequent misses")
    if result.false_positives:
        print_table([{"predicted": c.text, "skill": c.label, "times": c.count} for c in result.false_positives],
                    title="Most frequent false positives")


def _ratio(value: float) -> str:
    return f"{value:.3f}"


COMMANDS = [evaluate]
