"""One large text (issue 18, item 7): extraction stays linear in the text, and a posting's work is bounded.

The speed itself (at least 5 MB/s on a 10 MB posting) is measured by ``benchmarks/bench_large_text.py``
against a baseline in the same run; here only how the work grows, so that nothing here is a timed test.
"""

from __future__ import annotations

import logging
import time

import pytest

from kg.extract import Vocabulary, extract_text
from kg.extract.blocks import MAX_POSTING, Block, Line, bounded
from kg.extract.pipeline import analyse_block

#: Lines written for this test: skills named again and again, in lists, prose and a company blurb.
LINES = (
    "We build data pipelines with Python, SQL and Apache Spark on AWS.",
    "Experience with Kubernetes Terraform Python Go is a plus.",
    "You will design and maintain ETL jobs in Airflow and dbt.",
    "Strong communication skills and a degree in computer science.",
    "Our team values ownership and curiosity.",
)


def large_block(count: int) -> Block:
    """A posting of ``count`` lines after its title, each its own (numbered) so that no cache hides work."""
    lines = [Line(1, "Senior Data Engineer - Acme Analytics")]
    lines += [Line(number, f"{LINES[number % len(LINES)]} Item {number}.") for number in range(2, count + 2)]
    return Block("large.txt", lines)


def cpu_seconds(block: Block, vocab: Vocabulary, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        analyse_block(block, vocab)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
def test_reading_a_posting_grows_linearly_with_its_length(bundled: Vocabulary) -> None:
    """32 times the lines cost under 64 times the time (a quadratic step costs far more).

    The posting is read whole (not bounded), in CPU time, best of a few runs, so that a busy machine counts
    little; the bound is generous: the ratio is 32 to 50 when all is linear (the garbage collector's passes
    grow a little faster than the text). Before issue 18's fix it was 78.
    """
    analyse_block(large_block(50), bundled)  # warm: matchers built, tagger loaded
    small = cpu_seconds(large_block(500), bundled, repeat=3)
    large = cpu_seconds(large_block(16_000), bundled, repeat=2)
    print(f"\n500 lines: {small:.3f} s, 16,000 lines: {large:.3f} s, ratio {large / small:.1f}")  # noqa: T201
    assert large / small < 64, (small, large)


def test_a_posting_longer_than_the_bound_is_read_in_its_first_lines(
    bundled: Vocabulary, caplog: pytest.LogCaptureFixture
) -> None:
    text = "\n".join(line.text for line in large_block(MAX_POSTING // 40).lines)
    assert len(text) > MAX_POSTING
    with caplog.at_level(logging.WARNING, logger="kg.extract.blocks"):
        [posting] = extract_text(text, "large.txt", vocab=bundled)
    assert posting.end_line < len(text.splitlines())
    read = sum(len(line) + 1 for line in text.splitlines()[: posting.end_line])
    assert MAX_POSTING - 100 < read <= MAX_POSTING
    assert {"Python", "Kubernetes", "Apache Spark"} <= {m.label for m in posting.skills}
    [record] = caplog.records
    assert record.getMessage().startswith(f"large.txt:1: a posting of {len(text) + 1:,} characters; only the ")


def test_a_posting_within_the_bound_is_left_whole() -> None:
    block = large_block(100)
    assert bounded(block, MAX_POSTING) is block
    assert bounded(block, None) is block
    cut = bounded(block, 200)
    assert cut.lines == block.lines[: len(cut.lines)] and len(cut.lines) == 3
    assert sum(len(line.text) + 1 for line in block.lines[:4]) > 200 >= sum(len(line.text) + 1 for line in cut.lines)


def test_postings_read_in_a_batch_are_the_postings_read_one_by_one(bundled: Vocabulary) -> None:
    """The tagger reads a batch's lines at once (longest first); each posting comes out as if read alone."""
    from kg.extract.pipeline import analyse_blocks

    blocks = [
        Block("a.txt", [Line(1, "Data Engineer - Acme"), Line(2, "Requirements"), Line(3, LINES[0]),
                        Line(4, LINES[1])]),
        Block("b.txt", [Line(1, "Experience with Kubernetes Portainer and Helm charts")]),
        Block("c.txt", [Line(1, "About us"), Line(2, LINES[4]), Line(3, "Skills: java spring kafka")]),
        large_block(40),
    ]
    alone = [analyse_block(block, bundled) for block in blocks]
    together = analyse_blocks(blocks, bundled)
    assert together == alone
    assert [span.text for span in alone[1].unknown] == ["Portainer"]
    assert {"Java", "Apache Kafka"} <= {m.label for m in alone[2].skills}


def test_max_posting_on_the_command_line(tmp_path, runner) -> None:  # noqa: ANN001
    """``kg extract --max-posting N`` reads a longer posting in its first lines up to N characters."""
    import json

    from kg.cli import cli

    posting = tmp_path / "long.txt"
    posting.write_text("\n".join(line.text for line in large_block(200).lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(posting), "--max-posting", "1000"])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)["postings"]
    assert found["end_line"] < 20
    whole = runner.invoke(cli, ["extract", str(posting)])
    assert json.loads(whole.stdout)["postings"][0]["end_line"] == 201
