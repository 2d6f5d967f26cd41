"""Small made-up ESCO and O*NET releases whose names collide with kg's own, for the lookup tests.

Every label is an everyday name written here (no text of the real releases); the
concept IRIs of data scientist, SQL, Python and statistics are the ones
``ontology/alignments/`` links kg's concepts to, so that the alignment is seen.
"""

from __future__ import annotations

import csv
from pathlib import Path

ESCO_DATA_SCIENTIST = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
ESCO_PLUMBER = "http://data.europa.eu/esco/occupation/t-plumber"
ESCO_SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ESCO_STATISTICS = "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
ESCO_GRANTS = "http://data.europa.eu/esco/skill/t-grants"
ESCO_PIPES = "http://data.europa.eu/esco/skill/t-pipes"
ONET_DATA_SCIENTISTS = "https://w3id.org/jobkg/id/onet/occupation/15-2051.00"

_OCCUPATION = "http://data.europa.eu/esco/concept-scheme/occupations"
_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"

ESCO_FILES = {
    "occupations_en.csv": [
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "inScheme", "code"],
        ["Occupation", ESCO_DATA_SCIENTIST, "2511", "data scientist", "data science specialist", "", _OCCUPATION,
         "2511.4"],
        ["Occupation", ESCO_PLUMBER, "7126", "plumber", "pipe fitter", "", _OCCUPATION, "7126.1"],
    ],
    "ISCOGroups_en.csv": [
        ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "inScheme"],
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C2511", "2511", "systems analysts", "", ""],
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C7126", "7126", "plumbers and pipe fitters", "", ""],
    ],
    "skills_en.csv": [
        ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
         "inScheme"],
        ["KnowledgeSkillCompetence", ESCO_SQL, "knowledge", "cross-sector", "SQL", "structured query language", "",
         _SKILLS],
        ["KnowledgeSkillCompetence", ESCO_PYTHON, "knowledge", "cross-sector", "Python (computer programming)",
         "Python", "", _SKILLS],
        ["KnowledgeSkillCompetence", ESCO_STATISTICS, "knowledge", "cross-sector", "statistics", "", "", _SKILLS],
        ["KnowledgeSkillCompetence", ESCO_GRANTS, "skill/competence", "", "write grant proposals", "", "", _SKILLS],
        ["KnowledgeSkillCompetence", ESCO_PIPES, "skill/competence", "", "install pipes", "pipework", "",
         _SKILLS],
    ],
    "skillGroups_en.csv": [
        ["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "inScheme", "code"],
        ["SkillGroup", "http://data.europa.eu/esco/skill/t-computing", "computing", "", "", "", "T1"],
    ],
    "broaderRelationsSkillPillar.csv": [
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        ["KnowledgeSkillCompetence", ESCO_SQL, "SkillGroup", "http://data.europa.eu/esco/skill/t-computing"],
    ],
    "broaderRelationsOccPillar.csv": [
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        ["Occupation", ESCO_DATA_SCIENTIST, "ISCOGroup", "http://data.europa.eu/esco/isco/C2511"],
        ["Occupation", ESCO_PLUMBER, "ISCOGroup", "http://data.europa.eu/esco/isco/C7126"],
    ],
    "occupationSkillRelations.csv": [
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [ESCO_DATA_SCIENTIST, "essential", "knowledge", ESCO_SQL],
        [ESCO_DATA_SCIENTIST, "essential", "knowledge", ESCO_PYTHON],
        [ESCO_DATA_SCIENTIST, "essential", "skill/competence", ESCO_GRANTS],
        [ESCO_DATA_SCIENTIST, "optional", "knowledge", ESCO_STATISTICS],
        [ESCO_PLUMBER, "essential", "skill/competence", ESCO_PIPES],
    ],
}

ONET_FILES = {
    "Occupation Data.xlsx": [["O*NET-SOC Code", "Title"], ["15-2051.00", "Data Scientists"],
                             ["47-2152.00", "Plumbers"]],
    "Alternate Titles.xlsx": [["O*NET-SOC Code", "Alternate Title", "Short Title"],
                              ["15-2051.00", "Data Scientist", ""], ["15-2051.00", "Machine Learning Engineer", ""],
                              ["47-2152.00", "Pipe Fitter", ""]],
    "Technology Skills.xlsx": [["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology",
                                "In Demand"],
                               ["15-2051.00", "Python", "43232405", "Development software", "Y", "Y"],
                               ["15-2051.00", "Structured query language SQL", "43232306", "Data base software", "Y",
                                "N"],
                               ["15-2051.00", "PyTorch", "43232405", "Development software", "Y", "N"],
                               ["47-2152.00", "Pipe layout software", "43232405", "Development software", "N", "N"]],
}


def write_esco(folder: Path) -> Path:
    """The made-up ESCO release as a folder of CSV files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in ESCO_FILES.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerows(rows)
    return folder


def write_onet(folder: Path) -> Path:
    """The made-up O*NET release as a folder of Excel workbooks."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in ONET_FILES.items():
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        book.save(folder / name)
    return folder
