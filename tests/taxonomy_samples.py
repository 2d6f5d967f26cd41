"""Small made-up ESCO and O*NET releases, written by the tests in the shape their publishers use.

They cover the input forms, the errors, replace and drop, extraction with an
imported vocabulary and the lookup's "kg's own first" in a fraction of a second;
the official files (``../shared/data``) are read only by the tests marked ``slow``.
Their names collide with kg's own (data scientist, SQL, Python), and the IRIs of
data scientist, SQL, Python and statistics are those ``ontology/alignments/`` links
kg's concepts to, so that the alignment shows. Holds no fixtures. No text of the
official files is here: the labels and codes below are everyday names, plain
technology names, or made up.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

ESCO_DATA_SCIENTIST = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
ESCO_PLUMBER = "http://data.europa.eu/esco/occupation/t-plumber"
ESCO_SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ESCO_STATISTICS = "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
ESCO_GRANTS = "http://data.europa.eu/esco/skill/t-grants"
ESCO_PIPES = "http://data.europa.eu/esco/skill/t-pipes"
ONET_DATA_SCIENTISTS = "https://w3id.org/jobkg/id/onet/occupation/15-2051.00"

_OCCUPATIONS = "http://data.europa.eu/esco/concept-scheme/occupations"
_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"

#: One file of the release per entry: its header, then its rows. Labels span lines (with the preferred one
#: again, and stray spaces) as in the official files; two skills name no scheme.
ESCO: dict[str, list[list[str]]] = {
    "occupations_en.csv": [["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
                            "inScheme", "code"],
                           ["Occupation", ESCO_DATA_SCIENTIST, "2511", "data scientist",
                            "data scientist\ndata science specialist", "", _OCCUPATIONS, "2511.4"],
                           ["Occupation", ESCO_PLUMBER, "7126", "plumber", "pipe fitter", "", _OCCUPATIONS, "7126.1"]],
    "ISCOGroups_en.csv": [["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "inScheme"],
                          ["ISCOGroup", "http://data.europa.eu/esco/isco/C2511", "2511", "systems analysts", "", ""],
                          ["ISCOGroup", "http://data.europa.eu/esco/isco/C7126", "7126", "plumbers and pipe fitters",
                           "", ""]],
    "skills_en.csv": [["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
                       "hiddenLabels", "inScheme"],
                      ["KnowledgeSkillCompetence", ESCO_SQL, "knowledge", "cross-sector", "SQL",
                       "structured query language", "", _SKILLS],
                      ["KnowledgeSkillCompetence", ESCO_PYTHON, "knowledge", "cross-sector",
                       "Python (computer programming)", "Python", "", _SKILLS],
                      ["KnowledgeSkillCompetence", ESCO_STATISTICS, "knowledge", "cross-sector", "statistics", "", "",
                       ""],
                      ["KnowledgeSkillCompetence", ESCO_GRANTS, "skill/competence", "", "write grant proposals", "", "",
                       ""],
                      ["KnowledgeSkillCompetence", ESCO_PIPES, "skill/competence", "transversal", "install pipes",
                       "pipework\n install pipes ", "", _SKILLS]],
    "skillGroups_en.csv": [["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "inScheme",
                            "code"],
                           ["SkillGroup", "http://data.europa.eu/esco/skill/t-computing", "computing", "", "", "",
                            "T1"]],
    "broaderRelationsSkillPillar.csv": [["conceptType", "conceptUri", "broaderType", "broaderUri"],
                                        ["KnowledgeSkillCompetence", ESCO_SQL, "SkillGroup",
                                         "http://data.europa.eu/esco/skill/t-computing"]],
    "broaderRelationsOccPillar.csv": [["conceptType", "conceptUri", "broaderType", "broaderUri"],
                                      ["Occupation", ESCO_DATA_SCIENTIST, "ISCOGroup",
                                       "http://data.europa.eu/esco/isco/C2511"],
                                      ["Occupation", ESCO_PLUMBER, "ISCOGroup", "http://data.europa.eu/esco/isco/C7126"]],
    "occupationSkillRelations.csv": [["occupationUri", "relationType", "skillType", "skillUri"],
                                     [ESCO_DATA_SCIENTIST, "essential", "knowledge", ESCO_SQL],
                                     [ESCO_DATA_SCIENTIST, "essential", "knowledge", ESCO_PYTHON],
                                     [ESCO_DATA_SCIENTIST, "essential", "skill/competence", ESCO_GRANTS],
                                     [ESCO_DATA_SCIENTIST, "optional", "knowledge", ESCO_STATISTICS],
                                     [ESCO_PLUMBER, "essential", "skill/competence", ESCO_PIPES]],
}

#: What importing :data:`ESCO` counts.
ESCO_COUNTS = {"essential": 4, "isco_groups": 2, "occupation_broader": 2, "occupations": 2, "optional": 1,
               "skill_broader": 1, "skill_groups": 1, "skills": 5}


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
                             ["15-2051.00", "Data Scientists", "made up"],
                             ["15-1252.00", "Software Developers", "made up"],
                             ["47-2152.00", "Plumbers", "made up"]],
    "Alternate Titles.xlsx": [["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
                              ["15-2051.00", "Data Scientists", "Data Scientist", None, "08"],
                              ["15-2051.00", "Data Scientists", "Machine Learning Engineer", None, "08"],
                              ["47-2152.00", "Plumbers", "Pipe Fitter", "Pipefitter", "08"],
                              ["47-2152.00", "Plumbers", "Plumbers", None, "08"]],
    "Technology Skills.xlsx": [["O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title",
                                "Hot Technology", "In Demand"],
                               ["15-2051.00", "Data Scientists", "Python", 43232405, "Development software", "Y", "Y"],
                               ["15-2051.00", "Data Scientists", "Structured query language SQL", 43232306,
                                "Data base user interface and query software", "Y", "N"],
                               ["15-2051.00", "Data Scientists", "PyTorch", 43232405, "Development software", "Y", "N"],
                               ["15-1252.00", "Software Developers", "Python", 43232405, "Development software", "Y",
                                "N"],
                               ["15-1252.00", "Software Developers", "Kubernetes", 43233004,
                                "Operating system software", "Y", "N"],
                               ["47-2152.00", "Plumbers", "Pipe layout software", 43232405, "Development software", "N",
                                "N"]],
}

#: What importing :data:`ONET` counts.
ONET_COUNTS = {"alternate_titles": 4, "commodities": 3, "hot": 5, "in_demand": 1, "occupations": 3,
               "technologies": 5, "technology_uses": 6}


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
