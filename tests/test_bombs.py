"""Bombs: small files made to crash kg or to make it use unbounded memory.

Each is made here (never committed), and ``kg`` reads it in a subprocess whose address space is
capped at 1 GiB: it must stop with one ``kg: error:`` line that names the limit and how to raise
it, with the documented exit code, and never crash, hang or be killed.
"""

from __future__ import annotations

import io
import json
import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import EXIT_CODES, InputError, LimitError
from kg.namespaces import SIZES_GRAPH
from kg.store import LocalStore
from taxonomy_samples import write_esco, write_onet

#: The address-space cap of every bomb's process: no input under 10 MB may take kg past it.
CAP = 1 << 30
MB = 1 << 20


def run_capped(*args: str, env: dict[str, str] | None = None, seconds: float = 120,
               most: int = CAP) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` in a subprocess that may not map more than ``most`` bytes (:data:`CAP`)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (most, most))

    return subprocess.run([sys.executable, "-m", "kg", "--quiet", *args], capture_output=True, text=True,
                          timeout=seconds, preexec_fn=cap, env={**os.environ, **(env or {})}, check=False)


def one_error_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """The one ``kg: error:`` line of a bomb refused with ``code``; it names each of ``words``."""
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert code in EXIT_CODES
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr[-2000:]
    assert "internal error" not in lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def nested_jsonld(levels: int) -> str:
    """A JSON-LD document of ``levels`` objects, each the value of the one above (95 KB at 5,000 levels)."""
    return '{"http://e.org/p":' * levels + '"v"' + "}" * levels


def billion_laughs(levels: int = 9) -> str:
    """RDF/XML under 1 KB whose entity expands to 10**levels copies of "lol"."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e.org/">'
            f'<rdf:Description rdf:about="http://e.org/x"><e:p>&lol{levels};</e:p></rdf:Description></rdf:RDF>\n')


def deflated_spaces(size: int) -> tuple[bytes, int]:
    """A raw deflate stream that inflates to ``size`` spaces, made in milliseconds, and the CRC-32 of those spaces.

    One megabyte of spaces is compressed once, ending on a full flush (byte-aligned, no
    reference back), so that its bytes repeated are a valid stream of that megabyte repeated.
    """
    assert size % MB == 0
    block = b" " * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(block, crc)
    return piece * (size // MB) + b"\x03\x00", crc  # an empty last block ends the stream


def write_zip(path: Path, members: dict[str, bytes | int]) -> None:
    """A zip of ``members``: bytes deflated as they are, or an int N for N bytes of spaces (a deflate bomb)."""
    out = io.BytesIO()
    central = []
    for name, content in members.items():
        if isinstance(content, int):
            data, crc, size = *deflated_spaces(content), content
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            data, crc, size = compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0, crc, len(data), size, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory),
                                      start, 0))
    path.write_bytes(out.getvalue())


# ------------------------------------------------------------------ kg load


def test_jsonld_nested_5000_deep_is_refused_not_a_crash(tmp_path: Path) -> None:
    bomb = tmp_path / "deep.jsonld"
    bomb.write_text(nested_jsonld(5000), encoding="utf-8")
    assert bomb.stat().st_size < 100_000
    line = one_error_line(run_capped("--store", str(tmp_path / "store"), "load", str(bomb)), LimitError.exit_code,
                          "deep.jsonld", "KG_MAX_DEPTH")
    assert "limit of 100 levels" in line


def test_depth_limit_can_be_raised(tmp_path: Path) -> None:
    bomb = tmp_path / "deep.jsonld"
    bomb.write_text(nested_jsonld(150), encoding="utf-8")
    store = str(tmp_path / "store")
    one_error_line(run_capped("--store", store, "load", str(bomb)), LimitError.exit_code, "KG_MAX_DEPTH")
    # a load that writes the store: RocksDB's threads reserve address space beyond what they use (under 1 GiB
    # a thread could not start in CI: "Resource temporarily unavailable"), so twice the cap, still bounded
    loaded = run_capped("--store", store, "load", str(bomb), env={"KG_MAX_DEPTH": "200"}, most=2 * CAP)
    assert loaded.returncode == 0, loaded.stderr
    from kg.graph_sizes import GRAPH as SIZES  # what kg keeps of every store: its graphs' sizes

    assert sum(1 for quad in LocalStore.at(store).reader() if quad.graph_name != SIZES) == 150


def test_billion_laughs_rdf_xml_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    assert bomb.stat().st_size < 1000
    one_error_line(run_capped("--store", str(tmp_path / "store"), "load", str(bomb)), LimitError.exit_code,
                   "laughs.rdf", "KG_MAX_EXPANSION")


def test_rdf_xml_with_small_entities_still_loads(tmp_path: Path) -> None:
    """Entities used as prefixes, as ontology editors write them, stay well within the expansion limit."""
    rows = "".join(f'<rdf:Description rdf:about="&e;x{i}"><e:p rdf:datatype="&xsd;integer">{i}</e:p>'
                   "</rdf:Description>\n" for i in range(2000))
    data = tmp_path / "prefixes.rdf"
    data.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">\n'
                    '<!ENTITY e "http://e.org/">\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                    f' xmlns:e="http://e.org/">\n{rows}</rdf:RDF>\n', encoding="utf-8")
    loaded = run_capped("--store", str(tmp_path / "store"), "load", str(data), most=2 * CAP)  # it writes the store
    assert loaded.returncode == 0, loaded.stderr
    assert sum(1 for q in LocalStore.at(tmp_path / "store").reader() if q.graph_name.value != SIZES_GRAPH) == 2000


def test_rdf_xml_nested_deeply_is_refused(tmp_path: Path) -> None:
    """Oxigraph's RDF/XML parser takes time that grows with the square of the depth (16 s at 20,000 levels)."""
    levels = 20_000
    bomb = tmp_path / "deep.rdf"
    bomb.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e.org/">'
                    '<rdf:Description rdf:about="http://e.org/x">' + "<e:p><rdf:Description>" * levels
                    + "</rdf:Description></e:p>" * levels + "</rdf:Description></rdf:RDF>", encoding="utf-8")
    one_error_line(run_capped("--store", str(tmp_path / "store"), "load", str(bomb), seconds=30),
                   LimitError.exit_code, "deep.rdf", "KG_MAX_DEPTH")


# ------------------------------------------------------------------ postings


def test_posting_json_nested_deeply_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "posting.json"
    bomb.write_text('{"@type":"JobPosting","title":"x","description":' + "[" * 5000 + "]" * 5000 + "}",
                    encoding="utf-8")
    one_error_line(run_capped("extract", str(bomb)), LimitError.exit_code, "posting.json", "KG_MAX_DEPTH")


# ------------------------------------------------------------------ kg import: zips and workbooks


def test_onet_zip_whose_workbook_inflates_to_a_gigabyte_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "onet"
    write_onet(folder)
    members: dict[str, bytes | int] = {name: (folder / name).read_bytes() for name in
                                       ("Alternate Titles.xlsx", "Technology Skills.xlsx")}
    members["Occupation Data.xlsx"] = 1 << 30
    bomb = tmp_path / "onet.zip"
    write_zip(bomb, members)
    assert bomb.stat().st_size < 2 * MB
    with zipfile.ZipFile(bomb) as archive:  # a true zip, that unpacks as it says
        assert archive.getinfo("Occupation Data.xlsx").file_size == 1 << 30
        with archive.open("Occupation Data.xlsx") as member:
            assert member.read(MB) == b" " * MB
    one_error_line(run_capped("--store", str(tmp_path / "store"), "import", "onet", str(bomb)), LimitError.exit_code,
                   "Occupation Data.xlsx", "KG_MAX_UNPACKED")


def onet_with_workbook(tmp_path: Path, name: str, change: Callable[[dict[str, bytes | int]], None],
                       deflate: bool = True) -> Path:
    """The O*NET sample with the parts of one workbook changed by ``change`` (a part may become an int: N bytes of
    spaces, a deflate bomb); the folder to give ``kg import onet``."""
    folder = tmp_path / "onet"
    write_onet(folder)
    workbook = folder / name
    with zipfile.ZipFile(workbook) as archive:
        parts: dict[str, bytes | int] = {info.filename: archive.read(info) for info in archive.infolist()}
    change(parts)
    if deflate:
        write_zip(workbook, parts)
    else:  # an ordinary zip, with what it holds deflated by zipfile
        with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in parts.items():
                assert isinstance(data, bytes)
                archive.writestr(part, data)
    return folder


def test_workbook_whose_sheet_inflates_to_a_gigabyte_is_refused(tmp_path: Path) -> None:
    folder = onet_with_workbook(tmp_path, "Occupation Data.xlsx",
                                lambda parts: parts.update({"xl/worksheets/sheet1.xml": 1 << 30}))
    assert (folder / "Occupation Data.xlsx").stat().st_size < 2 * MB
    one_error_line(run_capped("--store", str(tmp_path / "store"), "import", "onet", str(folder)), LimitError.exit_code,
                   "Occupation Data.xlsx", "KG_MAX_UNPACKED")


def test_workbook_whose_shared_strings_inflate_past_what_memory_holds_is_refused(tmp_path: Path) -> None:
    """openpyxl holds shared strings whole, at about six times their size: 119 MB of them took 718 MB."""
    def add_strings(parts: dict[str, bytes | int]) -> None:
        count = 7_000_000
        parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.'
                                         b'openxmlformats.org/spreadsheetml/2006/main">' + b"<si><t>a</t></si>" * count
                                         + b"</sst>")
        rels = part_text(parts, "xl/_rels/workbook.xml.rels")
        parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
            '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings"/></Relationships>')).encode("utf-8")
        types = part_text(parts, "[Content_Types].xml")
        parts["[Content_Types].xml"] = types.replace("</Types>", (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>')).encode("utf-8")

    folder = onet_with_workbook(tmp_path, "Alternate Titles.xlsx", add_strings, deflate=False)
    assert (folder / "Alternate Titles.xlsx").stat().st_size < MB
    one_error_line(run_capped("--store", str(tmp_path / "store"), "import", "onet", str(folder)), LimitError.exit_code,
                   "Alternate Titles.xlsx", "KG_MAX_UNPACKED", "hold in memory")


def test_workbook_with_an_entity_bomb_dtd_is_refused(tmp_path: Path) -> None:
    def add_dtd(parts: dict[str, bytes | int]) -> None:
        sheet = part_text(parts, "xl/worksheets/sheet1.xml")
        prolog_end = sheet.index("?>") + 2 if sheet.startswith("<?xml") else 0
        dtd = billion_laughs().split("<rdf:RDF")[0].split("?>", 1)[1].replace("rdf:RDF", "worksheet")
        parts["xl/worksheets/sheet1.xml"] = (sheet[:prolog_end] + dtd + sheet[prolog_end:]).encode("utf-8")

    folder = onet_with_workbook(tmp_path, "Technology Skills.xlsx", add_dtd, deflate=False)
    one_error_line(run_capped("--store", str(tmp_path / "store"), "import", "onet", str(folder)), LimitError.exit_code,
                   "Technology Skills.xlsx", "DTD")


def part_text(parts: dict[str, bytes | int], name: str) -> str:
    data = parts[name]
    assert isinstance(data, bytes)
    return data.decode("utf-8")


def test_esco_zip_with_a_damaged_deflate_stream_is_an_input_error(tmp_path: Path) -> None:
    (stored,) = write_esco(tmp_path / "esco", form="zip")
    with zipfile.ZipFile(stored) as archive:
        write_zip(zipped := tmp_path / "esco.zip", {info.filename: archive.read(info) for info in archive.infolist()})
    data = bytearray(zipped.read_bytes())
    with zipfile.ZipFile(zipped) as archive:
        info = archive.getinfo("skills_en.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + info.compress_size - 2):
        data[offset] ^= 0x55
    zipped.write_bytes(bytes(data))
    one_error_line(run_capped("--store", str(tmp_path / "store"), "import", "esco", str(zipped)),
                   InputError.exit_code, "skills_en.csv")



# ------------------------------------------------------------------ Parquet


def dictionary_bomb(folder: Path) -> Path:
    """795 bytes on disk: 4,000 rows that each point at one stored megabyte, 4 GB once decoded."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = 4000
    values = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array(["x" * MB]))
    bomb = folder / "jobs.parquet"
    pq.write_table(pa.table({"title": ["Data engineer"] * rows, "description": values}), bomb, compression="zstd")
    assert bomb.stat().st_size < 2000
    return bomb


def test_parquet_whose_dictionary_repeats_a_megabyte_into_gigabytes_is_refused(tmp_path: Path) -> None:
    one_error_line(run_capped("extract", str(dictionary_bomb(tmp_path))), LimitError.exit_code,
                   "jobs.parquet", "row group 1", "KG_MAX_UNPACKED")


@pytest.mark.slow  # the same reader as kg extract (above), after the default dataset is put in the new store
def test_parquet_whose_dictionary_repeats_a_megabyte_into_gigabytes_is_refused_by_ingest(tmp_path: Path) -> None:
    # ingest maps more than it uses: Oxigraph's bulk loader, on its own thread, reserves 200 MB whatever the
    # input, and under 1 GiB of address space it sometimes aborted beside pyarrow (CI); 2 GiB is half the bomb
    one_error_line(run_capped("--store", str(tmp_path / "store"), "ingest", str(dictionary_bomb(tmp_path)),
                              most=2 * CAP), LimitError.exit_code, "jobs.parquet", "row group 1", "KG_MAX_UNPACKED")


def test_parquet_whose_row_group_inflates_far_past_its_size_is_refused_before_it_is_read(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    bomb = tmp_path / "jobs.parquet"
    pq.write_table(pa.table({"title": ["Data engineer"] * 8, "description": ["y" * MB] * 8}), bomb,
                   compression="zstd", use_dictionary=False)
    assert bomb.stat().st_size < 20_000
    line = one_error_line(run_capped("extract", str(bomb), env={"KG_MAX_UNPACKED": str(MB)}), LimitError.exit_code,
                          "jobs.parquet", "row group 1", "KG_MAX_UNPACKED")
    assert "limit of 1,048,576 bytes" in line
    read = run_capped("extract", str(bomb), "--max-row", str(2 * MB), env={"KG_MAX_UNPACKED": str(16 * MB)})
    assert read.returncode == 0, read.stderr
    assert len(json.loads(read.stdout)["postings"]) == 8


def test_parquet_whose_run_lengths_repeat_a_number_millions_of_times_is_refused(tmp_path: Path) -> None:
    """Run-length encoding keeps 2 million values in a kilobyte: counted from the metadata, before decoding."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import numpy as np

    count = 2_000_000
    skills = pa.ListArray.from_arrays(pa.array([0, count], pa.int32()), pa.array(np.full(count, 7, np.int64)))
    bomb = tmp_path / "jobs.parquet"
    pq.write_table(pa.table({"title": ["Data engineer"], "description": ["SQL"], "skills": skills}), bomb,
                   compression="zstd")
    assert bomb.stat().st_size < 5000
    one_error_line(run_capped("extract", str(bomb), env={"KG_MAX_UNPACKED": str(8 * MB)}), LimitError.exit_code,
                   "jobs.parquet", "row group 1", "16,000,0", "KG_MAX_UNPACKED")


def test_parquet_rows_of_every_shape_are_measured_as_they_are_read(tmp_path: Path) -> None:
    """Text, dictionaries, lists, structs and numbers: a row is skipped as too long by its characters."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from kg.extract import extract_files
    from kg.extract.parquet import row_sizes

    table = pa.table({"title": ["Data engineer", "Data scientist", "Analyst"],
                      "description": ["Python and SQL", "R " * 600, None],
                      "skills": [["python", "sql"], [], None],
                      "salary": [{"min": 1, "max": 2}, None, {"min": 3, "max": 4}]})
    path = tmp_path / "jobs.parquet"
    pq.write_table(table, path)
    batch = next(pq.ParquetFile(path, read_dictionary=["title", "description"]).iter_batches())
    sizes = [list(row_sizes(column)) for column in batch.columns]
    assert sizes[0] == [13, 14, 7] and sizes[1] == [14, 1200, 0]
    assert sizes[2] == [6 + 3 + 2 + 2, 0, 0] and sizes[3] == [16, 0, 16]
    found = extract_files([str(path)], max_row=1000)
    assert [p.title for p in found] == ["Data engineer", "Analyst"]
    assert found.skipped == [(str(path), 2, ("longer than the limit of 1,000 characters (--max-row, KG_MAX_ROW; "
                                            "raise it if you trust the file: --max-row 10000)"))]


# ------------------------------------------------------------------ every limit says its name


def test_a_json_lines_row_nested_too_deep_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text('{"title": "Data engineer", "description": "Python"}\n'
                    '{"title": "x", "description": ' + "[" * 5000 + "]" * 5000 + "}\n", encoding="utf-8")
    result = run_capped("extract", str(path))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["postings"]) == 1
    warning = next(line for line in result.stderr.splitlines() if "row 2" in line)
    assert "KG_MAX_DEPTH" in warning and "limit of 100 levels" in warning, warning


def test_a_page_whose_json_ld_nests_too_deep_names_the_limit(tmp_path: Path) -> None:
    page = tmp_path / "job.html"
    deep = '{"@type": "JobPosting", "title": "x", "description": ' + "[" * 3000 + "]" * 3000 + "}"
    page.write_text(f'<html><script type="application/ld+json">{deep}</script><p>x</p></html>', encoding="utf-8")
    result = run_capped("extract", str(page))
    warning = next(line for line in result.stderr.splitlines() if "block 1" in line)
    assert "KG_MAX_DEPTH" in warning, warning


def test_a_csv_field_over_the_row_limit_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text('title,description\nData engineer,"' + "x" * 3000 + '"\nAnalyst,SQL\n', encoding="utf-8")
    result = run_capped("extract", str(path), "--max-row", "2000")
    assert result.returncode == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "row 1" in line)
    assert "limit of 2,000 characters" in warning and "KG_MAX_ROW" in warning and "--max-row" in warning, warning


def test_text_over_the_size_and_line_limits_names_them(tmp_path: Path) -> None:
    path = tmp_path / "posting.txt"
    path.write_text("Data engineer\n" + "y" * 200 + "\n", encoding="utf-8")
    one_error_line(run_capped("extract", str(path), "--max-bytes", "100"), InputError.exit_code,
                   "posting.txt", "limit of 100 bytes", "--max-bytes", "KG_MAX_BYTES")
    one_error_line(run_capped("extract", str(path), "--max-line", "100"), InputError.exit_code,
                   "posting.txt:2", "limit of 100 characters", "--max-line", "KG_MAX_LINE")


# ------------------------------------------------------------------ a large document of postings


def graph_of_postings(size: int) -> str:
    """A schema.org ``@graph`` of generated postings, about ``size`` bytes, each its own text."""
    skills = ["Python", "SQL", "Apache Spark", "Kubernetes", "Docker", "Airflow", "Kafka", "Terraform", "PyTorch",
              "pandas", "Tableau", "Java", "Go", "Scala", "dbt", "Snowflake", "AWS", "Linux", "Git", "R"]
    items, total, i = [], 0, 0
    while total < size:
        picked = [skills[(i * 7 + k * 3) % len(skills)] for k in range(5)]
        item = {"@type": "JobPosting", "title": f"Data engineer {i}", "datePosted": f"2024-{i % 12 + 1:02d}-01",
                "hiringOrganization": {"@type": "Organization", "name": f"Company {i % 997}"},
                "description": f"<p>Requisition {i}. Team {i % 31} builds pipelines for market {i % 53}.</p>"
                               f"<p>What you bring: {i % 9 + 1} years with {picked[0]}, {picked[1]} and {picked[2]}."
                               f"</p><p>Nice to have: {picked[3]} or {picked[4]}.</p><p>Office {i % 17}.</p>"}
        text = json.dumps(item)
        items.append(text)
        total += len(text) + 2
        i += 1
    return '{"@context": "https://schema.org/", "@graph": [\n' + ",\n".join(items) + "\n]}\n"


@pytest.mark.slow
def test_ten_megabytes_of_json_ld_postings_stay_under_a_gigabyte(tmp_path: Path) -> None:
    """12,000 postings under ``@graph``: read item by item in linear time, the result written as it is encoded.

    ``kg extract`` runs under the address-space cap. Before: 465 MB for ``kg extract`` (the whole JSON encoded
    to one string first), and reading took a minute of CPU (each posting searched for in the whole document).
    ``kg ingest`` runs without the address-space cap: Oxigraph's bulk loader reserves 200 MB at once, whatever
    the input.
    """
    document = tmp_path / "postings.jsonld"
    document.write_text(graph_of_postings(10 * 1000 * 1000 - 2000), encoding="utf-8")
    assert 9.9e6 < document.stat().st_size < 10e6

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    # the bound for both: under a gigabyte (kg extract: 347 MB on a quiet machine, 661 MB seen in CI)
    for command, cap, most in ((["extract", str(document), "-o", str(tmp_path / "out.json")], capped, CAP),
                               (["--store", str(tmp_path / "store"), "ingest", str(document)], None, CAP)):
        with (tmp_path / "stderr").open("w+") as stderr:
            process = subprocess.Popen([sys.executable, "-m", "kg", "--quiet", *command], stderr=stderr,
                                       preexec_fn=cap)  # noqa: PLW1509 - the test starts no threads
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            stderr.seek(0)
            assert process.returncode == 0, stderr.read()[-2000:]
        peak = usage.ru_maxrss * 1024  # the largest of kg's processes
        assert peak < most, f"kg {command[-2]} peaked at {peak / MB:.0f} MB"
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["postings"]) > 10_000
