"""The everyday work of occupations outside software: what postings of nurses, accountants, shop, kitchen and hotel
staff, salespeople, marketers, recruiters, teachers, warehouse and factory workers and office staff name all the
time (the postings and lines are written for the tests), and the everyday words among those names that are no
skill where they stand ("our sales team", "scheduling a call", "onboarding of new users")."""

from __future__ import annotations

import pytest

from conftest import at_levels
from conftest import skill_iris_under_heading as iris
from conftest import skill_levels as levels
from kg.extract import Vocabulary
from kg.namespaces import SKILL

# -- whole postings ---------------------------------------------------------------------------------------------------

NURSE_POSTING = """Registered Nurse - Medical/Surgical Floor
Lakeshore Community Hospital

What you will do
- Deliver patient care to a caseload of five to six adults
- Patient assessment, vital signs and medication administration every shift
- Wound care and IV starts; write care plans with the team

Nice to have
- Discharge planning on a surgical unit
"""

ACCOUNTANT_POSTING = """Staff Accountant
Pemberton Hale Group

Requirements
- Accounts payable and accounts receivable for three entities
- Journal entries, account reconciliations and the month-end close
- Payroll processing for 200 staff

Preferred
- Tax preparation for small businesses
- Budgeting and variance analysis
"""

STORE_POSTING = """Retail Store Manager
Northfield Outfitters

Requirements
- Inventory management and cycle counts
- Cash handling and point of sale systems
- Staff scheduling for a team of twelve

Preferred
- Visual merchandising and loss prevention
"""

RECRUITER_POSTING = """Talent Acquisition Specialist
Brightwater Logistics

Requirements
- Full-cycle recruiting for warehouse and office roles
- Employee onboarding and new hire orientation
- Employee relations and performance management

Preferred
- Benefits administration and salary benchmarking in an HRIS
"""

TEACHER_POSTING = """Year 4 Teacher
Hollybank Primary School

Requirements
- Lesson planning and classroom management
- Differentiated instruction for mixed-ability groups

Preferred
- Curriculum development for the humanities
"""

WAREHOUSE_POSTING = """Warehouse Associate - Night Shift
Corbin Distribution

Requirements
- Order picking with an RF scanner
- Shipping and receiving; loading and unloading trucks
- Forklift operation and pallet jacks

Preferred
- Quality control of outgoing pallets
"""


def test_a_nurse_posting_gets_its_bedside_work(bundled: Vocabulary) -> None:
    at_levels(levels(NURSE_POSTING, bundled),
              ("Patient care", "Patient assessment", "Vital signs", "Medication administration", "Wound care",
               "IV insertion", "Care planning"),
              ("Discharge planning",))


def test_an_accountant_posting_gets_the_books_and_the_close(bundled: Vocabulary) -> None:
    at_levels(levels(ACCOUNTANT_POSTING, bundled),
              ("Accounts payable", "Accounts receivable", "Journal entries", "Account reconciliation",
               "Month-end close", "Payroll"),
              ("Tax preparation", "Budgeting", "Variance analysis"))


def test_a_store_manager_posting_gets_stock_till_and_rota(bundled: Vocabulary) -> None:
    at_levels(levels(STORE_POSTING, bundled),
              ("Inventory management", "Cycle counting", "Cash handling", "Point of sale systems", "Staff scheduling"),
              ("Visual merchandising", "Loss prevention"))


def test_a_recruiter_posting_gets_hiring_and_people_work(bundled: Vocabulary) -> None:
    at_levels(levels(RECRUITER_POSTING, bundled),
              ("Recruiting", "Employee onboarding", "Employee relations", "Performance management"),
              ("Compensation and benefits", "HRIS"))


def test_a_teacher_posting_gets_its_classroom_work(bundled: Vocabulary) -> None:
    at_levels(levels(TEACHER_POSTING, bundled),
              ("Lesson planning", "Classroom management", "Differentiated instruction"),
              ("Curriculum development",))


def test_a_warehouse_posting_gets_its_floor_work(bundled: Vocabulary) -> None:
    at_levels(levels(WAREHOUSE_POSTING, bundled),
              ("Order picking", "Shipping and receiving", "Forklift operation"),
              ("Quality control",))


# -- one line of a posting each ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "skill"), [
    ("Provide compassionate direct patient care", "patient-care"),
    ("Head-to-toe assessment on admission", "patient-assessment"),
    ("Monitor vital signs and report changes", "vital-signs"),
    ("Safe medication administration per policy", "medication-administration"),
    ("Wound care and dressing changes", "wound-care"),
    ("Develop and update nursing care plans", "care-planning"),
    ("Coordinate discharge planning with social work", "discharge-planning"),
    ("Telephone triage for a busy clinic", "triage"),
    ("Accurate nursing documentation in the chart", "clinical-documentation"),
    ("Help residents with activities of daily living", "personal-care"),
    ("ICD-10 and CPT coding for outpatient visits", "medical-coding"),
    ("Process accounts payable for 40 vendors", "accounts-payable"),
    ("Own the A/R aging and cash application", "accounts-receivable"),
    ("Run payroll twice a month", "payroll"),
    ("Bank reconciliations for four accounts", "account-reconciliation"),
    ("Post journal entries in the ERP", "journal-entries"),
    ("Support the month end close each period", "month-end-close"),
    ("Maintain the general ledger and chart of accounts", "general-ledger"),
    ("Prepare tax returns for individuals", "tax-preparation"),
    ("Assist with internal audits", "auditing"),
    ("Prepare monthly financial statements", "financial-reporting"),
    ("Budget management for a cost centre", "budgeting"),
    ("Build financial models for new sites", "financial-modeling"),
    ("FP&A experience in a retail group", "fp-and-a"),
    ("Keep the shelves and product displays to merchandising standards", "merchandising"),
    ("Set up planograms and window displays", "visual-merchandising"),
    ("Count cash and balance the cash drawer", "cash-handling"),
    ("Operate a cash register and card terminal", "pos-systems"),
    ("Stock control across two stores", "inventory-management"),
    ("Weekly stock counts and stocktaking", "cycle-counting"),
    ("Handling customer complaints calmly", "complaint-handling"),
    ("Upselling and cross-selling to members", "upselling"),
    ("Follow food safety and food hygiene rules", "food-safety"),
    ("Food prep for a 120-cover service", "food-preparation"),
    ("Menu planning with the head chef", "menu-planning"),
    ("3+ years of B2B sales experience", "sales"),
    ("Lead generation through LinkedIn and events", "lead-generation"),
    ("Cold calling small businesses", "cold-calling"),
    ("Key account management for retail chains", "account-management"),
    ("Accurate sales forecasting in the CRM", "sales-forecasting"),
    ("Contract negotiation with distributors", "contract-negotiation"),
    ("Social media marketing across Instagram and TikTok", "social-media-marketing"),
    ("Content creation for our blog and newsletter", "content-creation"),
    ("Copywriting for ads and landing pages", "copywriting"),
    ("Plan and run email campaigns", "email-marketing"),
    ("Event planning for trade shows", "event-planning"),
    ("Full-cycle recruiting for hourly roles", "recruiting"),
    ("Conduct interviews and phone screens", "candidate-interviewing"),
    ("Run new hire orientation every Monday", "employee-onboarding"),
    ("Lead the annual performance reviews", "performance-management"),
    ("Advise managers on employee relations", "employee-relations"),
    ("Benefits administration and open enrollment", "compensation-and-benefits"),
    ("Knowledge of employment law and FMLA", "employment-law"),
    ("Write weekly lesson plans", "lesson-planning"),
    ("Positive behaviour management in Year 6", "classroom-management"),
    ("Curriculum design for the science department", "curriculum-development"),
    ("Formative assessment and marking and feedback", "student-assessment"),
    ("Support pupils with IEPs", "special-education"),
    ("Pick and pack orders to a daily target", "order-picking"),
    ("Shipping and receiving paperwork and bills of lading", "shipping-and-receiving"),
    ("Operate a reach truck and an electric pallet jack", "forklift-operation"),
    ("Quality inspections of finished parts", "quality-control"),
    ("Preventive maintenance on conveyors", "preventive-maintenance"),
    ("Blueprint reading and basic measuring tools", "blueprint-reading"),
    ("Lean manufacturing and 5S on the line", "lean-manufacturing"),
    ("Vendor management for packaging suppliers", "vendor-management"),
    ("Raise purchase orders and track deliveries", "purchasing"),
    ("Fast and accurate data entry", "data-entry"),
    ("Diary management for two directors", "scheduling"),
    ("Appointment scheduling and calendar management", "scheduling"),
    ("Answering phones on a multi-line phone system", "reception-duties"),
    ("Minute taking at board meetings", "minute-taking"),
    ("Book travel arrangements for the team", "travel-arrangements"),
])
def test_a_line_reads_its_occupation_skill(line: str, skill: str, bundled: Vocabulary) -> None:
    assert SKILL + skill in iris(f"- {line}", bundled)


# -- everyday words that are no skill where they stand ----------------------------------------------------------------

@pytest.mark.parametrize(("line", "skill"), [
    ("Join our sales team in our Berlin office.", "sales"),
    ("The company grew its sales to 10M last year.", "sales"),
    ("You will be scheduling a call with each new customer.", "scheduling"),
    ("Kubernetes job scheduling is handled by the platform team.", "scheduling"),
    ("We are recruiting for several positions this spring.", "recruiting"),
    ("You will improve the onboarding of new users to the app.", "employee-onboarding"),
    ("Our marketing team will promote the release.", "marketing"),
    ("Build a charting library for the dashboards.", "clinical-documentation"),
    ("Help with bug triage and code review.", "triage"),
    ("Keep an inventory of our cloud assets.", "inventory-management"),
    ("Our payroll team will send your first payslip.", "payroll"),
    ("Buying a house near the office is not required.", "purchasing"),
    ("Kubernetes cluster management and scheduling is a plus.", "scheduling"),
    ("- audit C++ code for memory safety bugs", "auditing"),
    ("Tune the models for cost and speed.", "cost-accounting"),
    ("Help well-known brands ship our SDK.", "brand-management"),
    ("Improve keyword/bid/budget recommendation models.", "budgeting"),
    ("Run performance evaluations of the video codecs.", "performance-management"),
    ("Comfortable running training jobs on several machines in the cloud", "machine-operation"),
    ("We offer attractive compensation and benefits.", "compensation-and-benefits"),
    ("Perks include a learning and development stipend.", "training-and-development"),
    ("Work as a team lead on the data platform.", "leadership"),
])
def test_an_everyday_word_is_no_skill_in_everyday_use(line: str, skill: str, bundled: Vocabulary) -> None:
    assert SKILL + skill not in iris(line, bundled)


@pytest.mark.parametrize(("line", "skill"), [
    ("Experience in sales is required.", "sales"),
    ("Experience with payroll and bookkeeping", "payroll"),
    ("Experience with recruiting, onboarding and employee relations", "employee-onboarding"),
    ("Experience with auditing and budgeting", "auditing"),
    ("Experience with auditing and budgeting", "budgeting"),
    # a line that lists names and nothing else, as a line that is one name
    ("- Customer service and sales", "sales"),
    ("- Payroll, bookkeeping and auditing", "auditing"),
])
def test_the_same_words_are_skills_where_a_skill_is_asked_for(line: str, skill: str, bundled: Vocabulary) -> None:
    assert SKILL + skill in iris(line, bundled)
