"""The wide vocabulary derived from ESCO and O*NET, and its prebuilt matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_text, load_vocabulary, prebuilt, wide_build
from kg.extract.matcher import skill_matcher
from kg.extract.vocabulary import WIDE, read_wide
from kg.namespaces import ESCO_DATA, ONET_TECHNOLOGY, SKILL
from kg.resources import data_file


def iris(text: str) -> dict[str, str]:
    [posting] = extract_text(text, "w.txt", vocab=load_vocabulary())
    return {m.label: m.iri for m in posting.skills}


def test_taxonomy_skills_keep_their_iris_and_aligned_ones_merge() -> None:
    found = iris("Requirements: experience with Talend, Alteryx, Intuit TurboTax, Intuit QuickBooks and cloud data "
                 "protection.")
    assert found["Talend"] == SKILL + "talend"  # kg's own skill, which O*NET's example is aligned with
    assert found["Alteryx"] == SKILL + "alteryx"
    assert found["QuickBooks"] == SKILL + "quickbooks"  # O*NET's example, aligned with kg's own skill
    assert found["Intuit TurboTax"].startswith(ONET_TECHNOLOGY)
    assert found["data protection"].startswith(ESCO_DATA + "skill/")


def test_a_taxonomy_label_holding_an_everyday_label_of_kg_names_what_it_names() -> None:
    """"Oracle" is an everyday label of kg's Oracle Database; where it begins a longer label of O*NET's it names that
    product, not the database; "make" begins ESCO's "make decisions", which is no build tool. Before, kg's label hid
    the taxonomy's, then named nothing outside a skill context: nothing was read."""
    found = iris("Finance Analyst\nRequirements:\n- Oracle PeopleSoft and Tableau\n- Able to make decisions fast")
    assert found["Oracle PeopleSoft"] == ONET_TECHNOLOGY + "oracle_peoplesoft"
    assert found["make decisions"].startswith(ESCO_DATA + "skill/")
    assert "Oracle Database" not in found and "GNU Make" not in found
    assert "Oracle Database" in iris("Data Engineer\nRequirements: Oracle, PostgreSQL and SQL Server.")


def test_products_are_read_without_their_makers_name() -> None:
    """O*NET names products with their maker's name ("Autodesk AutoCAD", "Oracle PeopleSoft", "Dassault Systemes
    SolidWorks"); postings name them without it. Before, none of these was read."""
    found = iris("CAD Technician - Acme\nRequirements:\n- Proficiency in AutoCAD, Revit and SolidWorks\n"
                 "- Photoshop, Illustrator and InDesign\n- Experience with PeopleSoft or NetSuite\n")
    products = ["AutoCAD", "Revit", "SolidWorks", "Photoshop", "Illustrator", "PeopleSoft", "NetSuite"]
    named = {label.split()[-1]: iri for label, iri in found.items()}
    assert all(named.get(p, "").startswith(ONET_TECHNOLOGY) for p in products), found
    assert "Adobe InDesign" in found


def test_a_tool_one_works_in_is_read_after_the_verb() -> None:
    """"drafting in AutoCAD and Revit" read neither: a product's name without its maker's is an everyday label, and
    "drafting in" was no cue. A verb's "-ing" form and "in" or "with" before a name written as names are is one."""
    found = iris("CAD Technician\nWhat you bring:\n- 3+ years drafting in AutoCAD and Revit\n")
    assert {"Autodesk AutoCAD", "Autodesk Revit"} <= set(found), found
    assert not any(iri.startswith(ONET_TECHNOLOGY) for iri in iris("Designer\nWe are working with illustrator "
                                                                    "friends on the book.\n").values())


@pytest.mark.parametrize("text", [
    "Platform Engineer\nRequirements:\n- Compiler design and code generation",  # "Assisi Compiler": a word
    "Platform Engineer\nRequirements:\n- Consolidation of services onto one cluster",
    "Engineer\nOur internal networker community meets on Fridays.",  # "EMC NetWorker", written in lower case
    "Designer\nWe hired an illustrator for the book.",  # an everyday word outside a skill context
])
def test_a_product_named_without_its_maker_is_no_everyday_word(text: str) -> None:
    assert not any(iri.startswith(ONET_TECHNOLOGY) for iri in iris(text).values()), iris(text)


def test_a_name_in_lower_case_is_no_item_of_a_list_of_names_written_as_names() -> None:
    """"workspace" after Databricks, "docs" after Confluence are everyday words, not Google Workspace or Google Docs;
    a list all in lower case is still a list ("javascript reactjs java" after a cue)."""
    found = iris("Data Engineer\nRequirements:\n- Keep our Confluence docs and the Databricks workspace tidy\n")
    assert "Confluence" in found and not any("Google" in label for label in found), found
    assert {"JavaScript", "React", "Java"} <= set(iris("Web Developer\nTechnologies:\njavascript reactjs java\n"))


def test_a_makers_name_is_taken_off_only_where_the_rest_names_one_product() -> None:
    pytest.importorskip("wordfreq")
    names = ["Fabrikam Quillbook", "Fabrikam Inkwell Studio", "Fabrikam Slides", "Fabrikam Ledgerline",
             "Fabrikam Ledgerline Pro", "Contoso Ledgerline", "Contoso Zorblax", "Contoso Vault", "Contoso Hub",
             "Data mining software", "Data Zorp", "Data Qwix", "Data Blorp", "Data analysis software"]
    assert wide_build.makers(names) == {"Fabrikam", "Contoso"}  # "Data" begins kinds of software too
    found = wide_build.unmade(names, taken={"quillbook"}, asked={"Fabrikam Slides"})
    assert found == {"Fabrikam Inkwell Studio": "Inkwell Studio", "Fabrikam Ledgerline Pro": "Ledgerline Pro",
                     "Fabrikam Slides": "Slides"}
    # Quillbook is another label's; Ledgerline two products'; Zorblax, Vault and Hub are written as words are (no
    # capital inside) and not asked for in postings; Slides is asked for, but not where the taxonomies write "slides"
    assert "Fabrikam Slides" not in wide_build.unmade(names, words={"slides"}, asked={"Fabrikam Slides"})
    assert wide_build.unmade(["Fabrikam QuillBook", "Fabrikam InkPot", "Fabrikam Nib"]) == {
        "Fabrikam QuillBook": "QuillBook", "Fabrikam InkPot": "InkPot"}


def test_everyday_words_need_a_skill_context() -> None:
    assert "English" not in iris("Data Engineer\nThe English version of this page is the reference.")
    assert "English" in iris("Data Engineer\nRequirements: fluent English and SQL.")


def test_the_file_holds_iris_and_labels_only() -> None:
    lines = data_file(*WIDE).read_text(encoding="utf-8").splitlines()
    assert "ESCO classification of the European Commission" in "\n".join(lines[:8])
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert all(len(row) == 5 for row in rows)
    assert max(len(label.split()) for row in rows for label in row[3].split("|")) <= wide_build.MAX_WORDS
    assert {row[1] for row in rows} == {"esco", "onet", "kg"}
    concepts = read_wide(data_file(*WIDE))
    assert len(concepts) > 10_000 and all(c.label for _, c in concepts)


def test_the_prebuilt_matcher_is_current_and_matches_like_a_built_one() -> None:
    """``data/vocabulary/skill-matcher.json.gz`` is for the bundled vocabulary (else run
    ``python -m kg.extract.wide_build --matcher``), and finds what a matcher built from the concepts finds."""
    vocab = load_vocabulary()
    stamp = vocab.cache["fingerprint"]
    loaded = prebuilt.load(data_file(*prebuilt.TABLE), stamp)
    assert loaded is not None, "the prebuilt skill matcher is stale: run python -m kg.extract.wide_build --matcher"
    built = skill_matcher(vocab.skills.values())
    assert loaded.state() == built.state()
    texts = ["Python, Go and R; experience with java and spring", "C/C++ and SAP ERP, data protection, Tableau",
             "strong analytical and problem-solving skills", "statistical and/or ML modeling techniques"]
    assert [loaded.find(t) for t in texts] == [built.find(t) for t in texts]
    assert prebuilt.load(data_file(*prebuilt.TABLE), "another vocabulary") is None


@pytest.mark.slow
def test_the_shipped_wide_vocabulary_is_what_the_script_derives(shared_data_dir: Path) -> None:
    pytest.importorskip("wordfreq")
    rows = wide_build.build_rows([shared_data_dir / "esco-v1.1.1"], [shared_data_dir / "onet-29.2"])
    assert wide_build.render(rows) == data_file(*WIDE).read_text(encoding="utf-8")


def test_the_tagger_reads_technologies_and_gates_a_taxonomy_word_it_does_not_read() -> None:
    """The shipped tagger gives the tokens of named technologies a high chance of being in a span, the words
    around them a low one; a taxonomy's mention on a word it does not read as a skill is dropped."""
    from kg.extract import extract_text, load_vocabulary
    from kg.extract.tagger import bundled_tagger

    tagger = bundled_tagger()
    assert tagger is not None and len(tagger.index) > 10_000
    vocab = load_vocabulary()
    [posting] = extract_text("Requirements\nExperience with Kubernetes Portainer and Helm charts", "p.txt", vocab=vocab)
    assert {"Kubernetes", "Helm"} <= {m.label for m in posting.skills}
    assert [span.text for span in posting.unknown] == ["Portainer"]


@pytest.mark.slow
def test_the_shipped_tagger_is_what_the_script_fits(shared_data_dir: Path) -> None:
    """``python -m kg.extract.tagger_train`` gives the shipped weights byte for byte (about three minutes)."""
    pytest.importorskip("pycrfsuite")
    from kg.extract import tagger, tagger_train
    from kg.extract.vocabulary import load_vocabulary

    folder = shared_data_dir / "skillspan"
    data = tagger_train.examples([folder / name for name in tagger_train.SPLITS], load_vocabulary())
    assert tagger_train.train(data) == data_file(*tagger.MODEL).read_bytes()
