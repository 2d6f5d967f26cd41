"""Licences and certifications that postings outside software ask for: nurses, accountants, project managers, HR
staff, drivers, tradespeople, cooks, teachers and lawyers (the postings and lines are written for the tests)."""

from __future__ import annotations

import pytest

from conftest import at_levels
from conftest import skill_iris_under_heading as iris
from conftest import skill_levels as levels
from kg.extract import Vocabulary
from kg.namespaces import SKILL

# -- whole postings ---------------------------------------------------------------------------------------------------

NURSE_POSTING = """Registered Nurse - Intensive Care Unit
Mercy Valley Hospital

What you bring
- Active RN license in the state of Ohio
- BLS and ACLS certification required
- Two years of critical care experience

Preferred
- PALS certification
- CCRN
- TNCC or NRP
"""

ACCOUNTANT_POSTING = """Senior Staff Accountant
Harlow & Finch LLP

Requirements
- Bachelor's degree in accounting; CPA license required
- Knowledge of US GAAP and IFRS
- Month-end close in QuickBooks and Excel

Nice to have
- CMA or CIA certification
- Enrolled Agent status for tax season
"""

DRIVER_POSTING = """Truck Driver - Regional Routes
Bluewater Freight

Requirements
- Valid CDL Class A with a clean record
- Hazmat endorsement and a current DOT medical card
- Forklift certification for dock work
- OSHA 10

Preferred
- TWIC card
"""

TEACHER_POSTING = """Middle School Science Teacher
Cedar Grove Academy

Requirements
- State teaching license in science (grades 5-9)
- CPR and First Aid certification
- Fingerprint clearance

Preferred
- TEFL or CELTA for our English learners
"""


def test_a_nurse_posting_gets_its_licence_and_life_support_certifications(bundled: Vocabulary) -> None:
    at_levels(levels(NURSE_POSTING, bundled),
              ("Registered nurse licence", "Basic Life Support", "ACLS"),
              ("PALS", "CCRN", "TNCC", "Neonatal Resuscitation Program"))


def test_an_accountant_posting_gets_its_qualifications_and_standards(bundled: Vocabulary) -> None:
    at_levels(levels(ACCOUNTANT_POSTING, bundled),
              ("CPA", "GAAP", "IFRS", "QuickBooks"),
              ("Certified Management Accountant", "Certified Internal Auditor", "Enrolled Agent"))


def test_a_truck_driver_posting_gets_its_licence_endorsements_and_cards(bundled: Vocabulary) -> None:
    at_levels(levels(DRIVER_POSTING, bundled),
              ("CDL Class A", "Hazmat endorsement", "DOT medical card", "Forklift certification",
               "OSHA 10 and 30 training"),
              ("TWIC card",))


def test_a_teacher_posting_gets_its_licence_and_language_teaching_certificates(bundled: Vocabulary) -> None:
    at_levels(levels(TEACHER_POSTING, bundled),
              ("Teaching licence", "CPR and first aid certification"),
              ("TEFL", "CELTA"))


# -- one line of a posting each ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "skill"), [
    ("Active RN license in good standing", "rn-license"),
    ("Current Registered Nurse licensure in Texas", "rn-license"),
    ("LPN license or LVN license required", "lpn-license"),
    ("Must pass the NCLEX-RN within 90 days", "nclex"),
    ("CNA certification required", "cna-certification"),
    ("Current BLS certification", "bls"),
    ("Basic Life Support from the American Heart Association", "bls"),
    ("Advanced Cardiovascular Life Support within 6 months of hire", "acls"),
    ("PALS certification within 6 months", "pals"),
    ("Pediatric Advanced Life Support preferred", "pals"),
    ("Neonatal Resuscitation Program card", "nrp"),
    ("Trauma Nursing Core Course completed", "tncc"),
    ("CCRN certified nurses are encouraged to apply", "ccrn"),
    ("Certified Emergency Nurse a plus", "cen"),
    ("NREMT certification and a state EMT license", "emt-certification"),
    ("State paramedic license", "paramedic-license"),
    ("Phlebotomy certification from an accredited program", "phlebotomy-certification"),
    ("CCMA or RMA certification", "medical-assistant-certification"),
    ("PTCB certification required within one year", "pharmacy-technician-certification"),
    ("Certified Public Accountant with five years in audit", "cpa"),
    ("CPA license in good standing", "cpa"),
    ("CPA preferred", "cpa"),
    ("ACCA qualified or part-qualified", "acca"),
    ("CIMA qualification or working towards it", "cima"),
    ("ACA qualified with a Big Four background", "icaew-aca"),
    ("Certified Management Accountant or working towards it", "cma"),
    ("Certified Internal Auditor designation", "cia"),
    ("Certified Fraud Examiner preferred", "cfe"),
    ("Chartered Financial Analyst or progress toward the charter", "cfa"),
    ("CFA Level II candidates welcome", "cfa"),
    ("FRM certification a plus", "frm"),
    ("Certified Financial Planner designation", "cfp"),
    ("CAMS certification preferred", "cams"),
    ("Series 7 license required", "series-7"),
    ("Series 63 and Series 65 licenses within 90 days", "series-65"),
    ("FINRA Series 66", "series-66"),
    ("State Life and Health license", "insurance-license"),
    ("PMP certification", "pmp"),
    ("Project Management Professional credential preferred", "pmp"),
    ("Certified Associate in Project Management", "capm"),
    ("PRINCE2 Practitioner", "prince2"),
    ("PMI-ACP or similar agile credential", "pmi-acp"),
    ("Certified ScrumMaster (CSM) or PSM I", "scrum-master-certification"),
    ("CSPO certification helps", "product-owner-certification"),
    ("SAFe Agilist certification", "safe"),
    ("ITIL Foundation certified", "itil"),
    ("Lean Six Sigma Green Belt", "six-sigma-belt"),
    ("SHRM-CP or SHRM-SCP required", "shrm-scp"),
    ("PHR certification preferred", "phr"),
    ("SPHR a plus", "sphr"),
    ("CIPD Level 5 or above", "cipd"),
    ("CISA certification for the audit team", "cisa"),
    ("Certified Cloud Security Professional", "ccsp"),
    ("CRISC or CISM", "crisc"),
    ("CompTIA CySA+ or Security+", "comptia-cysa"),
    ("CompTIA Network+ certification", "comptia-network-plus"),
    ("Cisco Certified Network Associate (CCNA) certification", "ccna"),
    ("APICS CSCP", "cscp"),
    ("CPIM certification", "cpim"),
    ("Certified Professional in Supply Management", "cpsm"),
    ("MCIPS or working towards CIPS", "cips"),
    ("Valid driver's license and reliable transportation", "drivers-license"),
    ("Class B CDL with air brakes", "cdl-class-b"),
    ("Commercial driver's license and a clean MVR", "cdl"),
    ("OSHA 30-hour card", "osha-training"),
    ("Journeyman electrician license", "electrician-license"),
    ("Master plumber license in Illinois", "plumbing-license"),
    ("EPA 608 Universal", "epa-608"),
    ("AWS D1.1 certified welder", "welding-certification"),
    ("HACCP certification", "haccp"),
    ("Food handler's card within 30 days of hire", "food-handler-certification"),
    ("ServSafe Manager certification", "servsafe"),
    ("Qualified Teacher Status and a PGCE", "pgce"),
    ("Qualified Teacher Status", "teaching-license"),
    ("TESOL certificate", "tefl"),
    ("Admitted to the bar in New York", "bar-admission"),
    ("ABA-approved paralegal certificate", "paralegal-certificate"),
    ("Notary Public commission", "notary-public"),
    ("Real estate license in Florida", "real-estate-license"),
    ("PE license or EIT certification", "pe-license"),
])
def test_a_licence_or_certification_is_read(line: str, skill: str, bundled: Vocabulary) -> None:
    assert SKILL + skill in iris(f"- {line}", bundled)


# -- an acronym with another meaning needs a licence or certification context -------------------------------------

@pytest.mark.parametrize(("everyday", "asked", "skill"), [
    ("She spent ten years at the CIA before joining.", "CPA or CIA certification preferred.", "cia"),
    ("Our EA team supports the chief executive.", "EA license, or CPA and CFA.", "enrolled-agent"),
    ("Bring your pals to the open day.", "BLS, ACLS and PALS required.", "pals"),
    ("We filed with the CMA last year.", "CMA designation preferred.", "cma"),
    ("The Series 7 laptops ship in May.", "Series 7 and Series 63 required.", "series-7"),
    ("Wages rose, the BLS reported.", "BLS certification required.", "bls"),
    ("Our CSM will call you after onboarding.", "CSM or PSPO certification.", "scrum-master-certification"),
    ("Submit a talk to our CFP by June.", "CFP designation preferred.", "cfp"),
    ("The park sits in the green belt.", "Six Sigma, Green Belt or Black Belt certification.", "six-sigma-belt"),
    ("Keep your data safe with us.", "SAFe certification preferred.", "safe"),
    ("We price assets with the CAPM formula.", "PMP or CAPM certification.", "capm"),
    ("Mount the CAMS on the rig.", "CAMS certification required.", "cams"),
    ("We lease our racks from QTS.", "QTS or PGCE required.", "teaching-license"),
    ("Plans under the ACA cover you.", "ACA or ACCA qualified.", "icaew-aca"),
    ("React Native (RN) and Expo experience.", "Active RN license required.", "rn-license"),
    ("The CEN standard applies to the valves.", "CEN certification preferred.", "cen"),
])
def test_an_acronym_with_another_meaning_needs_a_skill_context(
    everyday: str, asked: str, skill: str, bundled: Vocabulary
) -> None:
    assert SKILL + skill not in iris(everyday, bundled)
    assert SKILL + skill in iris(asked, bundled)
