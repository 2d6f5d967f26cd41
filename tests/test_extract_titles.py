"""Job titles of every occupation, with their company or place after the dash, and lines that are no title."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import posting_of
from kg.extract.job_nouns import job_nouns, names_job
from kg.extract.vocabulary import Vocabulary
from kg.resources import data_file

BODY = "\n\nYou will join a friendly team and learn every day.\n"


@pytest.mark.parametrize(("first_line", "title", "company"), [
    # health
    ("Registered Nurse - Northgate Hospital", "Registered Nurse", "Northgate Hospital"),
    ("Pharmacist - Willow Pharmacy", "Pharmacist", "Willow Pharmacy"),
    ("Physiotherapist - Harbour Clinic", "Physiotherapist", "Harbour Clinic"),
    ("Dental Hygienist - Brightsmile", "Dental Hygienist", "Brightsmile"),
    ("Phlebotomist - Riverside Labs", "Phlebotomist", "Riverside Labs"),
    ("Paramedic - Lakeland Ambulance", "Paramedic", "Lakeland Ambulance"),
    # finance
    ("Accountant - Larch & Co", "Accountant", "Larch & Co"),
    ("Actuary - Meridian Life", "Actuary", "Meridian Life"),
    ("Underwriter - Bluestone Insurance", "Underwriter", "Bluestone Insurance"),
    ("Bookkeeper - Fernhill", "Bookkeeper", "Fernhill"),
    ("Auditor at Crestline", "Auditor", "Crestline"),
    # trades
    ("Electrician - Voltline", "Electrician", "Voltline"),
    ("Plumber - Aquafix", "Plumber", "Aquafix"),
    ("Welder - Ironforge", "Welder", "Ironforge"),
    ("Carpenter - Timberworks", "Carpenter", "Timberworks"),
    ("Roofer - Skyline Roofing", "Roofer", "Skyline Roofing"),
    # education
    ("Teacher of Mathematics - Hillview School", "Teacher of Mathematics", "Hillview School"),
    ("Primary School Teacher - Elmwood Academy", "Primary School Teacher", "Elmwood Academy"),
    ("Tutor - Brightpath", "Tutor", "Brightpath"),
    ("Librarian - Kingsbridge College", "Librarian", "Kingsbridge College"),
    # science
    ("Research Chemist - Acme", "Research Chemist", "Acme"),
    ("Microbiologist - Cellvia", "Microbiologist", "Cellvia"),
    ("Geologist - Terravista", "Geologist", "Terravista"),
    ("Statistician - Northfield Institute", "Statistician", "Northfield Institute"),
    # creative
    ("Illustrator - Acme", "Illustrator", "Acme"),
    ("Photographer - Lumenhaus", "Photographer", "Lumenhaus"),
    ("Copywriter - Inkwell", "Copywriter", "Inkwell"),
    ("Animator - Pixelgrove", "Animator", "Pixelgrove"),
    # retail and hospitality
    ("Cashier - Greenmart", "Cashier", "Greenmart"),
    ("Barista - Copper Kettle", "Barista", "Copper Kettle"),
    ("Merchandiser - Shopwell", "Merchandiser", "Shopwell"),
    ("Sous Chef at Saffron House", "Sous Chef", "Saffron House"),
    # logistics
    ("Forklift Operator - Northline Logistics", "Forklift Operator", "Northline Logistics"),
    ("Dispatcher - Swiftroute", "Dispatcher", "Swiftroute"),
    ("Courier - Zipdrop", "Courier", "Zipdrop"),
    ("Truck Driver - Roadway Haulage", "Truck Driver", "Roadway Haulage"),
    # acronyms and short titles
    ("SDET - Acme", "SDET", "Acme"),
    ("DBA - Acme", "DBA", "Acme"),
    ("Agile Coach - Acme", "Agile Coach", "Acme"),
])
def test_a_title_of_any_occupation_is_read_with_its_company(
    first_line: str, title: str, company: str, bundled: Vocabulary
) -> None:
    """Titles were read only where a tech job's noun ended them ("engineer", "manager"): a nurse's, an
    accountant's, a welder's posting had no title and no company. The nouns now come from the occupations of
    ESCO and O*NET."""
    posting = posting_of(first_line + BODY, bundled)
    assert (posting.title, posting.company) == (title, company)


def test_a_company_that_says_it_hires_any_occupation_is_the_employer(bundled: Vocabulary) -> None:
    posting = posting_of("About the job\nWillow Pharmacy is hiring a Pharmacist\nYou will dispense medicines.\n",
                         bundled)
    assert (posting.title, posting.company) == ("Pharmacist", "Willow Pharmacy")


@pytest.mark.parametrize("text", [
    "Data Engineer\nRequirements:\n- Build pipelines on Databricks and Snowflake\n",
    "Data Engineer\nRequirements:\n- Expand the Databricks workspace with new jobs\n",
    "Cloud Engineer\nNice to have:\n- Google Cloud and Terraform\n",
])
def test_a_company_named_under_what_the_job_asks_for_is_a_product(text: str, bundled: Vocabulary) -> None:
    """A short posting's first lines were taken to speak of the employer: "Databricks" in the first requirement
    made Databricks the company, and left it out of the skills."""
    posting = posting_of(text, bundled)
    assert posting.company is None, posting.company
    assert any(word in s.label for s in posting.skills for word in ("Databricks", "Google"))


def test_a_company_that_says_it_hires_above_its_requirements_stays_the_employer(bundled: Vocabulary) -> None:
    posting = posting_of("Data Engineer\nJoin Databricks and build the lakehouse.\nRequirements:\n- Spark\n", bundled)
    assert posting.company == "Databricks"


@pytest.mark.parametrize(("first_line", "title", "city"), [
    ("Software Engineer - London", "Software Engineer", "London"),
    ("Software Engineer - Berlin", "Software Engineer", "Berlin"),
    ("Nurse - Berlin", "Nurse", "Berlin"),
    ("Pharmacist - Tokyo", "Pharmacist", "Tokyo"),
    ("Engineer - New York, NY", "Engineer", "New York"),
    ("Data Engineer - Berlin, Germany", "Data Engineer", "Berlin"),
])
def test_a_place_after_the_dash_is_no_company(first_line: str, title: str, city: str | None,
                                               bundled: Vocabulary) -> None:
    """"Software Engineer - London" gave the company "London"; "Data Engineer - Berlin, Germany" kept the place in
    its title. The place is the posting's place too, a city alone as well (see tests/test_extract_cities.py)."""
    posting = posting_of(first_line + BODY, bundled)
    assert (posting.title, posting.company) == (title, None)
    assert (posting.location.city if posting.location else None) == city


def test_a_city_after_a_company_is_no_part_of_the_title(bundled: Vocabulary) -> None:
    """"Title - Company - City": a city its country does not name was kept, and the company with it, in the title."""
    posting = posting_of("ML Engineer - Acme - London" + BODY, bundled)
    assert (posting.title, posting.company) == ("ML Engineer", "Acme")


def test_a_company_whose_name_is_a_place_too_stays_the_company(bundled: Vocabulary) -> None:
    posting = posting_of("Software Engineer - Meta" + BODY, bundled)  # Meta: a department of Colombia
    assert (posting.title, posting.company) == ("Software Engineer", "Meta")


@pytest.mark.parametrize("first_line", [
    "Requirements - must have",
    "Python - 5 years",
    "Java - Spring - Hibernate",
    "Monday - Friday, 9 AM - 5 PM",
    "Full Time - Permanent",
    "Benefits - what we offer",
    "Salary - competitive",
    "Nice to have - Go or Rust",
    "Tools - Jira - Confluence",
    "Terraform and Packer",
    "Adobe Illustrator",
    "Self Starter - Team Player",
    "Customer Service - Excellent Communication",
    "Cook County, Illinois",
    "We need someone who enjoys working with an accountant.",
    "The ideal candidate is a strong communicator.",
    "Apply Now - Closing Date 30 June",
])
def test_a_line_that_is_no_title_stays_no_title(first_line: str, bundled: Vocabulary) -> None:
    """Guards for the wider list of job nouns: a header, a skill list, a tool's name ending in a job's noun
    ("Illustrator", "Packer"), a schedule, a place or a sentence is no posting's title."""
    assert posting_of(first_line + BODY, bundled).title is None


def test_a_line_of_tools_ending_in_a_job_noun_is_read_for_skills(bundled: Vocabulary) -> None:
    """"Packer" and "Illustrator" are jobs' nouns and tools' names: a line they end is read for its skills."""
    posting = posting_of("Platform Engineer\n\nTools\nTerraform and Packer\n", bundled)
    assert {"Packer", "Terraform"} <= {m.label for m in posting.skills}


def test_job_nouns_come_from_the_occupations_and_leave_everyday_words_out() -> None:
    nouns = job_nouns()
    assert {"chemist", "nurse", "illustrator", "accountant", "coach", "pharmacist", "electrician", "teacher"} <= nouns
    assert {"engineer", "developer", "threat hunter", "sdet"} <= nouns  # the tech ones
    assert not {"man", "member", "person", "health", "school", "server", "scanner", "pm"} & nouns
    assert names_job("Nurses (Nights)") and names_job("Teacher of Maths") and not names_job("Cook County")


@pytest.mark.slow
def test_the_shipped_job_nouns_are_what_the_script_derives(shared_data_dir: Path) -> None:
    pytest.importorskip("wordfreq")
    from kg.extract import job_nouns_build

    words = job_nouns_build.derive([shared_data_dir / "esco-v1.1.1"], [shared_data_dir / "onet-29.2"])
    shipped = data_file(*job_nouns_build.JOB_NOUNS_FILE.parts).read_text(encoding="utf-8")
    assert job_nouns_build.render(words) == shipped


@pytest.mark.parametrize(("text", "title", "company"), [
    ("Registered Nurse\nNorthgate Hospital · Lisbon, Portugal · 2 weeks ago\n", "Registered Nurse",
     "Northgate Hospital"),
    ("Northgate Hospital\nRegistered Nurse\nLisbon, Portugal\n", "Registered Nurse", "Northgate Hospital"),
    ("Senior Platform Engineer\nStaff Accountant\nLisbon, Portugal\n", "Senior Platform Engineer", None),
])
def test_a_job_card_of_any_occupation_names_its_company(
    text: str, title: str, company: str | None, bundled: Vocabulary
) -> None:
    """A copied job card's company is a name that holds no job noun: with the tech list only, a nurse's card had
    no title and no company, and "Staff Accountant" on a card's line was the company."""
    posting = posting_of(text + "You will care for patients.\n", bundled)
    assert (posting.title, posting.company) == (title, company)


# -- test engineers of hardware, tech leads of a field, developers of a language -------------------------------------

@pytest.mark.parametrize(("title", "role"), [
    ("Hardware Test Engineer", "Hardware test engineer"),
    ("RF Test Engineer", "Hardware test engineer"),
    ("Mechanical Test Engineer", "Hardware test engineer"),
    ("Senior Electrical Test Engineer", "Hardware test engineer"),
    ("Test Engineer, Hardware", "Hardware test engineer"),
    # guards: a test engineer of software is a QA engineer, a chip's a DFT engineer
    ("Software Test Engineer", "QA engineer"),
    ("QA Test Engineer", "QA engineer"),
    ("Test Automation Engineer", "QA engineer"),
    ("Senior Test Engineer", "QA engineer"),
    ("Semiconductor Test Engineer", "DFT engineer"),
])
def test_a_test_engineer_of_hardware_is_no_software_qa_engineer(title: str, role: str, bundled: Vocabulary) -> None:
    """"Hardware Test Engineer" and "RF Test Engineer" were QA engineers, whose profile is software testing: the
    label "Test engineer" was the longest a title of bench testing held."""
    assert posting_of(f"{title}\n\nYou will run the lab's test benches.\n", bundled).role == role


@pytest.mark.parametrize(("title", "role"), [
    ("Tech Lead, Machine Learning", "Machine learning engineer"),
    ("Technical Lead - Machine Learning", "Machine learning engineer"),
    ("Tech Lead, iOS", "Mobile developer"),
    ("Tech Lead, Backend", "Backend developer"),
    # guards: a qualifier that names no narrower role leaves the tech lead a software engineer
    ("Tech Lead, Payments", "Software engineer"),
    ("Tech Lead (Remote)", "Software engineer"),
    ("Software Engineer, Machine Learning", "Machine learning engineer"),
])
def test_a_tech_lead_of_a_field_gets_the_field_s_role(title: str, role: str, bundled: Vocabulary) -> None:
    """"Tech Lead, Machine Learning" was a software engineer where "Software Engineer, Machine Learning" is a
    machine learning engineer: "lead" is no kind of job, so no label matched the qualifier word by word."""
    assert posting_of(f"{title}\n\nYou will guide a small team.\n", bundled).role == role


@pytest.mark.parametrize(("title", "role"), [
    ("Rust Developer", "Software engineer"),
    ("C++ Developer", "Software engineer"),
    ("Senior Kotlin Developer", "Software engineer"),
    ("Dart Developer", "Software engineer"),
    ("Haskell Engineer", "Software engineer"),
    # guards: a language whose label or field names a narrower developer keeps that one
    ("Java Developer", "Backend developer"),
    ("Python Developer", "Backend developer"),
    ("Go Developer", "Backend developer"),
    ("Golang Developer", "Backend developer"),
    ("Scala Developer", "Backend developer"),
    ("Elixir Developer", "Backend developer"),
    ("Swift Developer", "Mobile developer"),
    ("TypeScript Developer", "Frontend developer"),
    ("Embedded C++ Developer", "Embedded software engineer"),
    ("Software Engineer (Python)", "Backend developer"),
    # a language of a field that names no developer (statistics), and a tool of no language, give none
    ("R Developer", None),
    ("Kubernetes Engineer", None),
])
def test_a_developer_of_a_general_purpose_language_is_a_software_engineer(
    title: str, role: str | None, bundled: Vocabulary
) -> None:
    """"Rust Developer" and "C++ Developer" got no role: no skill above Rust or C++ names a developer, and a
    language of no field but programming languages makes software of any kind."""
    assert posting_of(f"{title}\n\nYou know Git.\n", bundled).role == role


def test_a_technology_under_a_general_purpose_language_takes_the_software_engineer_s_role(
    bundled: Vocabulary,
) -> None:
    """The rule follows the skills' hierarchy, not a list of languages: a library new to the vocabulary under Rust
    is a software engineer's, one under a field's language (R, statistics) no one's."""
    from kg.extract.entities import find_role
    from kg.extract.vocabulary import Concept
    from kg.namespaces import SKILL

    skills = dict(bundled.skills)
    for name, broader in (("Crabtastic", "rust"), ("Tidywombat", "r")):
        skills[SKILL + name.lower()] = Concept(SKILL + name.lower(), name, broader=(SKILL + broader,))
    vocab = Vocabulary(skills=skills, roles=bundled.roles, domains=bundled.domains, companies=bundled.companies)
    assert find_role("Crabtastic Developer", [], vocab)[0] == "Software engineer"
    assert find_role("Tidywombat Developer", [], vocab) == (None, None)


@pytest.mark.parametrize(("title", "role"), [
    ("Registered Nurse - Acme Hospital", "Registered nurse"),
    ("Registered Nurse (RN) - Cardiac Step-Down", "Registered nurse"),
    ("RN - Intensive Care Unit", "Registered nurse"),
    ("Charge Nurse, Night Shift", "Registered nurse"),
    ("Travel Nurse - Labor and Delivery", "Registered nurse"),
    ("Family Nurse Practitioner", "Nurse practitioner"),
    ("Staff Accountant", "Accountant"),
    ("Senior Tax Accountant", "Accountant"),
    ("Accounts Payable Specialist", "Bookkeeper"),
    ("Full Charge Bookkeeper", "Bookkeeper"),
    ("Senior Financial Analyst", "Financial analyst"),
    ("FP&A Analyst", "Financial analyst"),
    ("Account Executive", "Sales representative"),
    ("Senior Account Executive - Mid-Market", "Sales representative"),
    ("Outside Sales Representative", "Sales representative"),
    ("Business Development Representative", "Sales representative"),
    ("Key Account Manager", "Account manager"),
    ("Customer Service Representative", "Customer service representative"),
    ("Call Center Agent - Bilingual", "Customer service representative"),
    ("Retail Store Manager", "Retail store manager"),
    ("Assistant Store Manager", "Retail store manager"),
    ("Retail Sales Associate", "Retail sales associate"),
    ("Technical Recruiter", "Recruiter"),
    ("Talent Acquisition Specialist", "Recruiter"),
    ("HR Generalist", "HR generalist"),
    ("Human Resources Business Partner", "HR generalist"),
    ("Middle School Science Teacher", "Teacher"),
    ("Year 4 Teacher", "Teacher"),
    ("Warehouse Associate - Night Shift", "Warehouse associate"),
    ("Forklift Operator", "Warehouse associate"),
    ("Digital Marketing Manager", "Marketing manager"),
    ("Product Marketing Manager", "Marketing manager"),
    ("Executive Assistant to the CEO", "Administrative assistant"),
    ("Administrative Assistant", "Administrative assistant"),
    # guards: a nurse practitioner and a practical nurse are no registered nurses; a sales engineer stays a
    # solutions architect and a marketing analyst a business analyst
    ("Nurse Practitioner", "Nurse practitioner"),
    ("Licensed Practical Nurse", None),
    ("Sales Engineer", "Solutions architect"),
    ("Marketing Analyst", "Business analyst"),
    ("Data Engineer", "Data engineer"),
])
def test_a_title_of_another_occupation_gets_its_role(title: str, role: str | None, bundled: Vocabulary) -> None:
    """Nurses, accountants, salespeople, shop, warehouse and office staff, recruiters and teachers got no role: the
    roles were nearly all tech jobs, and a title whose last word is no job noun of the taxonomies ("Account
    Executive", "HR Generalist") was read as no title."""
    assert posting_of(f"{title}\n\nYou will join a friendly team.\n", bundled).role == role
