"""Small made-up ESCO and O*NET releases, written by the tests in the shape their publishers use.

They cover the input forms, the errors, replace and drop, and extraction with an
imported vocabulary in a fraction of a second; the official files (``../shared/data``)
are read only by the tests marked ``slow``. Imported by ``conftest.py`` and
``test_taxonomies.py``; holds no fixtures. No text of the official files is here:
the concepts, labels and codes below are made up or are plain technology names.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/t1"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/s3"

#: One file of the release per entry: its header, then its rows.
ESCO: dict[str, list[list[str]]] = {
    "occupations_en.csv": [["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
                            "inScheme", "code"],
                           ["Occupation", ESCO_OCCUPATION, "9999", "tester",
                            "tester\nprobe runner", "", "http://data.europa.eu/esco/concept-scheme/occupations",
                            "9999.1"]],
    "ISCOGroups_en.csv": [["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "inScheme"],
                          ["ISCOGroup", "http://data.europa.eu/esco/isco/C9999", "9999", "testers", "", ""]],
    "skills_en.csv": [["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
                       "hiddenLabels", "inScheme"],
                      ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/s1", "knowledge", "transversal",
                       "probing", "probes\n probing ", "", "http://data.europa.eu/esco/concept-scheme/skills"],
                      ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/s2", "skill/competence", "",
                       "poking", "", "", ""],
                      ["KnowledgeSkillCompetence", ESCO_PYTHON, "knowledge", "cross-sector",
                       "Python (programming)", "Python", "", ""],
                      ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/s4", "knowledge", "cross-sector",
                       "SQL", "", "", ""]],
    "skillGroups_en.csv": [["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "inScheme",
                            "code"],
                           ["SkillGroup", "http://data.europa.eu/esco/skill/g1", "testing things", "", "", "", "T1"]],
    "broaderRelationsSkillPillar.csv": [["conceptType", "conceptUri", "broaderType", "broaderUri"],
                                        ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/s1",
                                         "SkillGroup", "http://data.europa.eu/esco/skill/g1"]],
    "broaderRelationsOccPillar.csv": [["conceptType", "conceptUri", "broaderType", "broaderUri"],
                                      ["Occupation", ESCO_OCCUPATION, "ISCOGroup",
                                       "http://data.europa.eu/esco/isco/C9999"]],
    "occupationSkillRelations.csv": [["occupationUri", "relationType", "skillType", "skillUri"],
                                     [ESCO_OCCUPATION, "essential", "knowledge",
                                      "http://data.europa.eu/esco/skill/s1"],
                                     [ESCO_OCCUPATION, "optional", "skill/competence",
                                      "http://data.europa.eu/esco/skill/s2"],
                                     [ESCO_OCCUPATION, "essential", "knowledge", ESCO_PYTHON]],
}

#: What importing :data:`ESCO` counts.
ESCO_COUNTS = {"essential": 2, "isco_groups": 1, "occupation_broader": 1, "occupations": 1, "optional": 1,
               "skill_broader": 1, "skill_groups": 1, "skills": 4}


def write_esco(folder: Path, form: str = "csv", bad_relation: bool = False) -> list[Path]:
    """The ESCO sample as CSV files (``csv``), one zip (``zip``) or two zips as published (``two zips``).

    Returns the paths to give ``kg import esco``. With ``bad_relation``, the second
    relation of ``occupationSkillRelations.csv`` (line 3) has an unknown type.
    """
    folder.mkdir(parents=True, exist_ok=True)
    texts = {}
    for name, rows in ESCO.items():
        rows = [list(r) for r in rows]
        if bad_relation and name == "occupationSkillRelations.csv":
            rows[2][1] = "maybe"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        texts[name] = out.getvalue()
    if form == "csv":
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        return [folder]
    groups = {"one.zip": list(texts)} if form == "zip" else {
        "classification - en - csv.zip": [n for n in texts if n.endswith("_en.csv")],
        "classification -  - csv.zip": [n for n in texts if not n.endswith("_en.csv")]}
    for zip_name, names in groups.items():
        with zipfile.ZipFile(folder / zip_name, "w") as archive:
            for name in names:
                archive.writestr(name, texts[name])
    return [folder / n for n in groups] if form == "zip" else [folder]


#: The O*NET sample: one sheet per workbook, header first (the columns kg reads, and some it does not).
ONET: dict[str, list[list[object]]] = {
    "Occupation Data.xlsx": [["O*NET-SOC Code", "Title", "Description"],
                             ["15-9901.00", "Probe Analysts", "made up"],
                             ["15-9902.00", "Probe Engineers", "made up"]],
    "Alternate Titles.xlsx": [["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
                              ["15-9901.00", "Probe Analysts", "Probe Scientist", "Prober", "08"],
                              ["15-9901.00", "Probe Analysts", "Probe Analysts", None, "08"],
                              ["15-9902.00", "Probe Engineers", "Probe Builder", None, "08"]],
    "Technology Skills.xlsx": [["O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title",
                                "Hot Technology", "In Demand"],
                               ["15-9901.00", "Probe Analysts", "Python", 43232403, "Development software", "Y", "Y"],
                               ["15-9901.00", "Probe Analysts", "Kubernetes", 43233004, "Operating system software",
                                "Y", "N"],
                               ["15-9902.00", "Probe Engineers", "Python", 43232403, "Development software", "Y", "N"],
                               ["15-9902.00", "Probe Engineers", "Structured query language SQL", 43232306,
                                "Data base user interface and query software", "N", "N"]],
}

#: What importing :data:`ONET` counts.
ONET_COUNTS = {"alternate_titles": 3, "commodities": 3, "hot": 3, "in_demand": 1, "occupations": 2,
               "technologies": 3, "technology_uses": 4}


def write_onet(folder: Path) -> list[Path]:
    """The O*NET sample as the three Excel workbooks kg reads; the paths to give ``kg import onet``."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in ONET.items():
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        workbook.save(folder / name)
    return [folder]
