"""Postings from tables, JSON Lines, Parquet and saved job pages: layouts, --map, provenance, bad rows, limits."""

from __future__ import annotations

import json
import logging
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError, UsageError
from kg.extract import Vocabulary, extract_files
from kg.extract.layouts import column_map, parse_map
from kg.extract.tables import table_blocks
from kg.models import Posting
from kg.store import LocalStore

TABLES = Path(__file__).parent / "data" / "tables"


def by_title(postings: Iterable[Posting]) -> dict[str | None, Posting]:
    return {p.title: p for p in postings}


def skills(posting: Posting) -> dict[str, str]:
    return {m.label: m.level for m in posting.skills}


def test_json_lines_of_job_postings_are_postings_not_one_text(tmp_path: Path) -> None:
    """Issue 15: a JSON Lines file of schema.org JobPostings went in as one plain-text posting."""
    lines = [{"@context": "https://schema.org", "@type": "JobPosting", "title": f"Data Engineer {i}",
              "hiringOrganization": {"@type": "Organization", "name": f"Company {i}"},
              "description": "Pipelines in Python and SQL, scheduled with Airflow."} for i in range(40)]
    path = tmp_path / "postings.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    found = extract_files([str(path)])
    assert len(found) == 40
    assert [p.row for p in found] == list(range(1, 41)) and [p.line for p in found] == list(range(1, 41))
    assert {p.company for p in found} == {f"Company {i}" for i in range(40)}
    assert {p.role for p in found} == {"Data engineer"}
    # the same text under a .json name, and from stdin, is read the same way
    same = tmp_path / "postings.json"
    same.write_bytes(path.read_bytes())
    assert [p.title for p in extract_files([str(same)])] == [p.title for p in found]


def test_linkedin_layout_without_a_map(vocab: Vocabulary) -> None:
    found = extract_files([str(TABLES / "linkedin.csv")], vocab=vocab)
    assert found.layouts == {str(TABLES / "linkedin.csv"): "LinkedIn job postings (Kaggle)"}
    postings = by_title(found)
    engineer = postings["Senior Data Engineer"]
    assert (engineer.company, engineer.row, engineer.line, engineer.end_line) == ("Lakeshore Data", 1, 2, 2)
    assert engineer.date_posted == "2024-01-01"  # listed_time is Unix milliseconds
    assert engineer.location is not None
    assert (engineer.location.city, engineer.location.region, engineer.location.country) == ("Austin", "TX", "US")
    assert engineer.salary is not None and (engineer.salary.min, engineer.salary.max, engineer.salary.period) == \
        (135000, 165000, "year")
    ml = postings["Machine Learning Engineer"]
    assert (ml.row, ml.line, ml.end_line) == (2, 3, 4)  # a description over two lines of the file
    assert ml.location is not None and (ml.location.country, ml.location.workplace) == ("US", "remote")
    assert ml.salary is None  # no amount, no currency: nothing invented
    analyst = postings["Data Analyst"]
    assert analyst.salary is not None and (analyst.salary.min, analyst.salary.period) == (35, "hour")


def test_html_in_descriptions_is_stripped() -> None:
    found = by_title(extract_files([str(TABLES / "linkedin.csv"), str(TABLES / "page.html")]))
    engineer = found["Senior Data Engineer"]
    assert skills(engineer) == {"Python": "required", "SQL": "required", "Apache Airflow": "required",
                                "Apache Kafka": "preferred"}
    vision = found["Computer Vision Engineer"]
    assert "C++" in skills(vision) and skills(vision)["C++"] == "preferred"
    text = json.dumps([p.to_json() for p in found.values()])
    assert "<b>" not in text and "track(" not in text


def test_jobspy_layout_dates_places_and_boards() -> None:
    found = extract_files([str(TABLES / "jobspy.csv")])
    assert found.layouts[str(TABLES / "jobspy.csv")] == "JobSpy"
    backend, linkedin, glassdoor = found
    assert backend.location is not None
    assert (backend.location.city, backend.location.region, backend.location.country) == ("Berlin", "BE", "DE")
    assert backend.salary is not None and backend.salary.currency == "EUR"
    assert [p.date_posted for p in found] == ["2024-02-10", "2024-02-11", "2024-03-05"]
    assert linkedin.location is not None and linkedin.location.workplace == "remote"
    # the same job on two boards, reworded a little: counted once
    assert glassdoor.duplicate_of == linkedin.id and linkedin.duplicate_of is None
    assert [p.id for p in found.distinct] == [backend.id, linkedin.id]
    exact_only = extract_files([str(TABLES / "jobspy.csv")], near=False)
    assert len(exact_only.distinct) == 3


@pytest.mark.slow
def test_a_repost_is_recognised_in_a_later_ingest(tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    """Issue 15: near-duplicates were caught within one ingest only; a repost of a stored posting went in again."""
    from kg.ingest import ingest
    from kg.namespaces import POSTING
    from kg.terms import TYPE, kg

    header, backend, linkedin, glassdoor = (TABLES / "jobspy.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "monday.csv").write_text(f"{header}\n{backend}\n{linkedin}\n", encoding="utf-8")
    (tmp_path / "friday.csv").write_text(f"{header}\n{glassdoor}\n", encoding="utf-8")
    store = copy_built("store")
    first = ingest(store, [str(tmp_path / "monday.csv")])
    assert (first.new, first.near_duplicates) == (2, 0)
    later = ingest(store, [str(tmp_path / "friday.csv")])
    assert (later.postings, later.new, later.duplicates, later.near_duplicates) == (1, 0, 1, 1)
    stored = {q.subject.value for q in store.reader().quads_for_pattern(None, TYPE, kg("JobPosting"), None)
              if q.subject.value.startswith(POSTING)}
    linkedin_id = extract_files([str(tmp_path / "monday.csv")]).postings[1].id
    assert POSTING + linkedin_id in stored
    # the same file again is the postings already stored, not near-duplicates of themselves
    again = ingest(store, [str(tmp_path / "monday.csv")])
    assert (again.new, again.near_duplicates) == (0, 0)
    # the index is kept in the store, and exports leave it out
    import pyoxigraph as ox

    from kg.export import export_store

    reader = store.reader()
    assert sum(1 for _ in reader.quads_for_pattern(None, kg("minhash"), None, None)) == 2
    exported = ox.parse(export_store(reader, "nt"), format=ox.RdfFormat.N_TRIPLES)
    assert not [t for t in exported if t.predicate in (kg("minhash"), kg("lshBand"))]
    # without the index, the repost would have gone in: one ingest of both files keeps two
    both = ingest(copy_built("both"), [str(tmp_path / "monday.csv"), str(tmp_path / "friday.csv")])
    assert (both.new, both.near_duplicates) == (2, 1)


def test_glassdoor_indeed_and_schema_org_layouts() -> None:
    files = [str(TABLES / name) for name in ("glassdoor.csv", "indeed.tsv", "schema.jsonl")]
    found = extract_files(files)
    assert found.layouts == {files[0]: "Glassdoor", files[1]: "Indeed", files[2]: "schema.org JobPosting"}
    postings = by_title(found)
    scientist = postings["Data Scientist"]
    assert scientist.salary is not None and (scientist.salary.min, scientist.salary.max) == (110000, 140000)
    cloud = postings["Cloud Engineer"]
    assert (cloud.date_posted, cloud.location and cloud.location.workplace) == ("2024-04-01", "remote")
    data = postings["Data Engineer"]
    assert data.location is not None and (data.location.city, data.location.country) == ("Munich", "DE")
    assert data.salary is not None and data.salary.currency == "EUR"
    sre = postings["Site Reliability Engineer"]
    assert (sre.company, sre.date_posted) == ("Coho Vineyard", "2024-05-20")
    assert sre.location is not None and (sre.location.workplace, sre.location.country) == ("remote", "US")
    flat = postings["Analytics Engineer"]  # a flat record in the same file
    assert flat.location is not None and (flat.location.workplace, flat.location.country) == ("remote", "CA")


def test_a_malformed_row_is_a_warning_naming_file_and_row(caplog: pytest.LogCaptureFixture) -> None:
    path = str(TABLES / "schema.jsonl")
    with caplog.at_level(logging.WARNING):
        found = extract_files([path])
    assert [p.row for p in found] == [1, 2, 5]
    assert [(source, row) for source, row, _ in found.skipped] == [(path, 3), (path, 4)]
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert messages[0].startswith(f"{path}: row 3: skipped: malformed JSON")
    assert messages[1] == f"{path}: row 4: skipped: a JSON list, not an object"
    assert all("\n" not in m for m in messages)


def test_a_csv_row_with_the_wrong_number_of_fields_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text('title,company,description\nData Engineer,Acme,Python and SQL\n"broken,row\n'
                    "ML Engineer,Globex,PyTorch\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        found = extract_files([str(path)])
    assert [p.title for p in found] == ["Data Engineer"]
    assert len(found.skipped) == 1 and found.skipped[0][:2] == (str(path), 2)
    path.write_text("title,company,description\nData Engineer,Acme,Python and SQL\nML Engineer,Globex\n"
                    "Analyst,Initech,SQL\n", encoding="utf-8")
    found = extract_files([str(path)])
    assert [p.title for p in found] == ["Data Engineer", "Analyst"] and [p.row for p in found] == [1, 3]
    assert found.skipped == [(str(path), 2, "2 fields where the header has 3")]


def test_page_blocks_are_the_provenance() -> None:
    found = extract_files([str(TABLES / "page.html")])
    assert [(p.title, p.row, p.line) for p in found] == [("Computer Vision Engineer", 1, 7),
                                                         ("Robotics Engineer", 2, 17)]  # the line its object starts on
    assert found.skipped == [(str(TABLES / "page.html"), 3, "malformed JSON-LD at line 21: Expecting value")]
    robotics = found[1]
    assert robotics.location is not None and (robotics.location.city, robotics.location.country) == ("Lausanne", "CH")


def test_a_page_without_json_ld_is_its_text(tmp_path: Path) -> None:
    page = tmp_path / "job.html"
    page.write_text("<html><head><style>p {}</style></head><body><h1>Data Engineer at Acme</h1>"
                    "<p>We need Python and SQL.</p><script>var x = 'Kafka';</script></body></html>", encoding="utf-8")
    [posting] = extract_files([str(page)])
    assert {m.label for m in posting.skills} == {"Python", "SQL"}


def test_a_page_without_json_ld_keeps_its_lines_title_and_company(tmp_path: Path) -> None:
    """Every fact of such a page said line 1 (its text was read as one line list without its places), the site's
    menu and footer were read as the posting's first lines, so there was no title, and no company."""
    page = tmp_path / "job.html"
    page.write_text(
        "<!doctype html>\n<html><head><title>Platform Engineer - Wexford Labs | Careers</title></head>\n<body>\n"
        "<nav>Home | Jobs | About | Sign in</nav>\n<h1>Platform Engineer</h1>\n<p>Dublin, Ireland</p>\n"
        "<h2>Requirements</h2>\n<ul><li>Docker and\nKubernetes</li>\n<li>Terraform</li></ul>\n"
        "<footer>Privacy | Terms | Python meetups we host</footer>\n</body></html>\n", encoding="utf-8")
    [posting] = extract_files([str(page)])
    assert (posting.title, posting.company, posting.line) == ("Platform Engineer", "Wexford Labs", 5)
    assert {m.label: m.line for m in posting.skills} == {"Docker": 8, "Kubernetes": 9, "Terraform": 10}
    assert [(span.line, span.text) for m in posting.skills for span in m.mentions if m.label == "Kubernetes"] == [
        (9, "Kubernetes")]  # the line of the page it is written on
    page.write_text(page.read_text(encoding="utf-8").replace("Platform Engineer - Wexford Labs | Careers",
                                                             "Jobs at many companies | Careers"), encoding="utf-8")
    assert extract_files([str(page)])[0].company is None


def test_map_names_the_columns(tmp_path: Path) -> None:
    path = str(TABLES / "custom.csv")
    plain = extract_files([path])[0]
    assert plain.date_posted is None and plain.location is None
    mapped = extract_files([path], mapping=parse_map("date_posted=When,location=Where"))[0]
    assert mapped.date_posted == "2024-03-15"
    assert mapped.location is not None and (mapped.location.city, mapped.location.country) == ("Dublin", "IE")
    assert extract_files([path], mapping=parse_map("title=Employer"))[0].title == "Proseware"


def test_map_errors_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown field 'colour'"):
        parse_map("colour=Text")
    with pytest.raises(UsageError, match="expected FIELD=COLUMN"):
        parse_map("title")
    with pytest.raises(UsageError, match="no column 'Nope'"):
        column_map(["Job Name", "Text"], {"title": "Nope"})


def test_cli_map_and_errors(runner: CliRunner, tmp_path: Path) -> None:
    path = str(TABLES / "custom.csv")
    result = runner.invoke(cli, ["extract", path, "--map", "date_posted=When", "--map", "location=Where"])
    assert result.exit_code == 0, result.stderr
    [posting] = json.loads(result.stdout)["postings"]
    assert posting["date_posted"] == "2024-03-15" and posting["location"]["country"] == "IE"
    assert posting["row"] == 1 and posting["source"] == path
    result = runner.invoke(cli, ["extract", path, "--map", "colour=When"])
    assert result.exit_code == 2 and result.stderr.startswith("kg: error: --map: unknown field 'colour'")
    headless = tmp_path / "numbers.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(headless)])
    assert result.exit_code == 3 and "no column for the title or the description" in result.stderr
    assert "Traceback" not in result.stderr


def test_parquet_rows(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    table = pa.table({"title": ["Data Engineer", "Data Scientist"], "company_name": ["Acme", "Globex"],
                      "description": ["Python, SQL and Airflow.", "<p>R and statistics</p>"],
                      "listed_time": [1704067200000.0, None], "location": ["Paris, France", "Remote"]})
    path = tmp_path / "jobs.parquet"
    pq.write_table(table, path, row_group_size=1)
    engineer, scientist = extract_files([str(path)])
    assert (engineer.row, engineer.date_posted) == (1, "2024-01-01")
    assert engineer.location is not None and engineer.location.country == "FR"
    assert (scientist.row, scientist.date_posted) == (2, None)
    assert {m.label for m in scientist.skills} >= {"R"}


def test_tables_ignore_the_file_size_limit_and_keep_a_row_limit(tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "big.jsonl"
    rows = [{"title": f"Engineer {i}", "description": "Python and SQL. " * 20} for i in range(50)]
    rows[7]["description"] = "x" * 5_000
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        found = extract_files([str(path)], max_bytes=1_000, max_row=2_000)
    assert len(found) == 49 and found.skipped == [(str(path), 8, (
        "longer than the limit of 2,000 characters (--max-row, KG_MAX_ROW; raise it if you trust the file: --max-row "
        "20000)"))]
    text = tmp_path / "big.txt"
    text.write_text("Data Engineer\n" + "Python and SQL.\n" * 200, encoding="utf-8")
    with pytest.raises(InputError, match="larger than the limit"):
        extract_files([str(text)], max_bytes=1_000)


def test_rows_stream_with_flat_memory(tmp_path: Path) -> None:
    """Reading a 10 MB JSON Lines file holds about one row at a time, not the file."""
    path = tmp_path / "many.jsonl"
    row = json.dumps({"title": "Data Engineer", "description": "Python, SQL and Airflow. " * 40}) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(10_000):
            handle.write(row)
    assert path.stat().st_size > 10_000_000
    tracemalloc.start()
    count = sum(1 for _ in table_blocks(str(path), "jsonl"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 10_000
    assert peak < 3_000_000, f"peak {peak:,} bytes while reading"


def test_the_ingest_progress_bar_shows_rate_and_time_left() -> None:
    import io
    import time

    from rich.console import Console
    from rich.progress import Progress

    from kg.cli.progress import columns

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=150, color_system=None)
    with Progress(*columns(), console=console, auto_refresh=False) as bar:
        task = bar.add_task("ingesting", total=1_000_000, postings=0)
        time.sleep(0.2)
        bar.update(task, advance=250_000, postings=600)
        time.sleep(0.2)
        bar.update(task, advance=250_000, postings=1_200)
        bar.refresh()
    screen = out.getvalue()
    assert "ingesting" in screen and "1,200 postings" in screen and "/s" in screen
    assert "left" in screen and "0:00:0" in screen  # elapsed and the time left, from the bytes still to read
    assert "0.5/1.0 MB" in screen
