"""Issue 13's findings on text nobody here wrote, each as a test (the examples are written anew for the tests)."""

from __future__ import annotations

import pytest

from conftest import posting_of
from kg.extract import Vocabulary, extract_text
from kg.namespaces import SKILL


def labels(text: str, vocab: Vocabulary, source: str = "p.txt") -> list[str]:
    return sorted(m.label for m in posting_of(text, vocab, source).skills)


def iris(text: str, vocab: Vocabulary) -> set[str]:
    """The IRIs of the skills read in one posting's text."""
    return {m.iri for m in posting_of(text, vocab).skills}


# -- lists without commas -------------------------------------------------------------------------------------


def test_a_one_word_skill_after_another_separated_by_a_space_is_kept(bundled: Vocabulary) -> None:
    assert labels("Experience with Java Python Docker and AWS", bundled) == [
        "Amazon Web Services", "Docker", "Java", "Python"]
    assert labels("Kubernetes Terraform Python Go", bundled) == ["Go", "Kubernetes", "Python", "Terraform"]
    assert labels("Technologies:\njavascript reactjs java", bundled) == ["Java", "JavaScript", "React"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Skills: PHP Python Java", ["Java", "PHP", "Python"]),
    ("Stack: SQL Python Docker", ["Docker", "Python", "SQL"]),
    ("Requirements: ML algorithms", ["Machine learning"]),
    ("You will be applying ML Algorithms.", ["Machine learning"]),
])
def test_a_capitalised_name_after_an_abbreviation_is_the_next_item_of_a_list(
    text: str, expected: list[str], bundled: Vocabulary
) -> None:
    """After an abbreviation a word in lower case is the head of a compound ("ML algorithms"); a capitalised one
    is a name ("PHP Python Java" lost Python)."""
    assert labels(text, bundled) == expected


def test_a_compound_head_after_a_skill_still_names_nothing(bundled: Vocabulary) -> None:
    """"machine learning algorithms" is machine learning, not also algorithms."""
    assert labels("Requirements: machine learning algorithms", bundled) == ["Machine learning"]


# -- lower-case names after a cue --------------------------------------------------------------------------------


def test_lower_case_names_after_a_cue_count(bundled: Vocabulary) -> None:
    assert labels("experience with java and spring", bundled) == labels("Experience with Java and Spring", bundled)
    assert labels("experience with java and spring", bundled) == ["Java", "Spring Framework"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Backend Engineer\n\nYou know Go.\n", ["Go"]),
    ("Data Analyst\n\nShe knows R and writes reports.\n", ["R"]),
])
def test_an_ambiguous_name_after_know_counts(text: str, expected: list[str], bundled: Vocabulary) -> None:
    """"You know Go." read no Go: "know" is a cue, as "knowledge of" is."""
    assert labels(text, bundled) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Backend Engineer\n\n- Design and ship services in Go\n- Strong SQL\n", ["Go", "SQL"]),
    ("Backend Engineer\n\nYou write tooling with Go and deploy it yourself.\n", ["Go"]),
    ("Marketing Manager\n\nLet's Go! Our Go-to-market plans and Go Live events are yours.\n", []),
    ("Marketing Manager\n\nYou work with Go Daddy and in Go Fund Me campaigns.\n", []),
])
def test_go_after_in_or_with_counts(text: str, expected: list[str], bundled: Vocabulary) -> None:
    """"services in Go" read no Go: a capitalised name in the middle of a sentence counted from three letters; a
    two-letter one counts after "in" or "with", alone (not a longer name: "Go Daddy", "Go Fund Me")."""
    assert labels(text, bundled) == expected


def test_lower_case_everyday_words_without_a_cue_still_do_not(bundled: Vocabulary) -> None:
    assert labels("We had a great spring and went for a swim.", bundled) == []


def test_names_after_a_colon_that_opens_a_list_count(bundled: Vocabulary) -> None:
    """"Must have:", "Tech stack:" open a list as "experience with" does; before this, "Swift" there was dropped (an
    everyday word, and the product after it is not in the vocabulary), and so was every lower-case name."""
    assert labels("Join the team! Must have: Swift, Tuist, Xcode.", bundled) == ["Swift", "Xcode"]
    assert labels("Tech stack: go, rust, postgres", bundled) == ["Go", "PostgreSQL", "Rust"]
    assert labels("We have: a great spring party", bundled) == []


def test_names_after_an_inline_header_are_read_in_its_context(bundled: Vocabulary) -> None:
    """The part of a line after "Nice to have:" was matched alone, where "R" opens a sentence and "pandas" is an
    everyday word: both were lost (while the tagger, reading the whole line, took them for unknown terms)."""
    [posting] = extract_text("Data Engineer\nNice to have: R or pandas.", "p.txt", vocab=bundled)
    assert sorted((m.label, m.level) for m in posting.skills) == [("R", "preferred"), ("pandas", "preferred")]


def test_a_name_the_vocabulary_does_not_know_joins_a_list_in_camel_case(bundled: Vocabulary) -> None:
    """Between two names of a list, an unknown one in camel case ("ResearchKit") is an item, not the end of the list;
    a word in capitals is not ("SENIOR BPMN CAMUNDA JAVA": a title in capitals)."""
    assert labels("Tools we use every day: Swift, ResearchKit, Xcode", bundled) == ["Swift", "Xcode"]


def test_a_line_that_lists_names_counts_from_its_first_name(bundled: Vocabulary) -> None:
    """"Rust or Elixir" under "Nice to have": the first name opens the line, so it is no proper noun in the middle
    of a sentence, and no cue stands before it; the names after it make it a list."""
    [posting] = extract_text("Platform Engineer\n\nNice to have\n- Rust or Erlang\n- Go / Zig", "p.txt", vocab=bundled)
    assert sorted((m.label, m.level) for m in posting.skills) == [
        ("Erlang", "preferred"), ("Go", "preferred"), ("Rust", "preferred")]
    assert labels("Go to the office on Mondays and Fridays", bundled) == []
    assert labels("Spring, Summer and Autumn intakes", bundled) == []


def test_years_with_a_verb_after_them_count(bundled: Vocabulary) -> None:
    """"3+ years shipping iOS apps", as "4+ years building backend systems" did."""
    assert posting_of("Requirements\n- 3+ years shipping mobile apps in Swift", bundled).min_years == 3
    assert posting_of("Requirements\n- 5 years leading data teams", bundled).min_years == 5
    assert posting_of("Our company was founded 12 years ago.", bundled).min_years is None


# -- boilerplate is not mined --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "You will thrive in our culture of experimentation and ownership.",
    "Our senior researchers will mentor you from your first day.",
    "Personal data is processed in the meaning of the GDPR.",
    "Together we design build and maintain systems that our clients love.",
])
def test_company_culture_benefits_and_legal_text_give_no_skills(sentence: str, bundled: Vocabulary) -> None:
    assert labels("Data Analyst\n\nRequirements: SQL\n" + sentence, bundled) == ["SQL"]


def test_tdd_next_to_bdd_is_behaviour_driven_development(bundled: Vocabulary) -> None:
    assert labels("Testing practice: TDD BDD", bundled) == ["Behavior-driven development", "Test-driven development"]


def test_a_skills_header_ends_the_company_blurb(bundled: Vocabulary) -> None:
    """After "About us", a "Skills" or "Tech stack" header opens what the job asks for again."""
    blurb = "About us\nOur team values ownership and curiosity.\n"
    assert labels(blurb + "Skills: java spring kafka", bundled) == ["Apache Kafka", "Java", "Spring Framework"]
    assert labels(blurb + "Tech stack:\nPython Go Kubernetes", bundled) == ["Go", "Kubernetes", "Python"]
    assert labels(blurb + "We use Python and Go.", bundled) == []


# -- the vocabulary names what postings name ------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "label"), [
    ("cloud", "Cloud computing"), ("automation", "Automation"), ("testing", "Software testing"),
    ("software architecture", "Software architecture"), ("business analysis", "Business analysis"),
    ("open source", "Open-source development"), ("F#", "F#"), ("Cypress", "Cypress"), ("Heroku", "Heroku"),
    ("NestJS", "NestJS"), ("DAX", "DAX"), ("Dynamics 365", "Microsoft Dynamics 365"), ("e-commerce", "E-commerce"),
    ("Apache Iceberg", "Apache Iceberg"), ("Dataflow", "Google Cloud Dataflow"),
])
def test_names_postings_use_all_the_time_are_known(written: str, label: str, bundled: Vocabulary) -> None:
    assert label in labels(f"Requirements: experience with Python and {written}", bundled)


def test_snowflake_as_a_warehouse_is_snowflake(bundled: Vocabulary) -> None:
    assert "Snowflake" in labels("Data Engineer\nYou will load data into Snowflake and query it with SQL.", bundled)


# -- a vocabulary as wide as the field (mobile apps, analytics, compliance) ----------------------------------------

APP_POSTING = """Senior iOS Engineer - Larkspur Health

About the role
You will own the iPhone and Apple Watch apps that people use to track their training plans.

Requirements
- 5+ years of Swift, with SwiftUI, Core Data and Combine
- Experience reading workouts through HealthKit
- Product events tracked in Mixpanel or Segment
- Card payments handled under PCI DSS

Nice to have
- Our backend services are written in Elixir
- Jetpack Compose or React Native for the Android app
"""


def test_a_mobile_posting_gets_its_sdks_analytics_and_standards(bundled: Vocabulary) -> None:
    posting = posting_of(APP_POSTING, bundled)
    assert posting.role == "Mobile developer"
    levels = {m.label: m.level for m in posting.skills}
    assert {label: levels.get(label) for label in ("SwiftUI", "Core Data", "HealthKit", "Mixpanel", "PCI DSS")} == {
        "SwiftUI": "required", "Core Data": "required", "HealthKit": "required", "Mixpanel": "required",
        "PCI DSS": "required"}
    assert {"Elixir", "Jetpack Compose", "React Native"} <= {label for label, level in levels.items()
                                                             if level == "preferred"}


@pytest.mark.parametrize(("written", "label"), [
    ("Ruby on Rails", "Ruby on Rails"), ("Laravel", "Laravel"), ("Redux", "Redux"), ("Nginx", "Nginx"),
    ("Kibana", "Kibana"), ("Jest", "Jest"), ("JMS", "JMS"), ("Java EE", "Java EE"), ("J2EE", "Java EE"),
    ("pair programming", "Pair programming"), ("domain-driven design", "Domain-driven design"), ("HIPAA", "HIPAA"),
    ("SOC 2", "SOC 2"), ("SIEM", "SIEM"), ("BGP", "BGP"), ("Azure AD", "Microsoft Entra ID"),
    ("MS Office", "Microsoft Office"), ("SharePoint", "SharePoint"),
])
def test_widely_used_technologies_and_practices_are_known(written: str, label: str, bundled: Vocabulary) -> None:
    assert label in labels(f"Requirements: experience with Python and {written}", bundled)


@pytest.mark.parametrize("title", [
    "iOS Developer", "iOS Engineer", "Senior Android Engineer", "Android Developer", "Mobile Engineer",
    "Mobile Engineer (React Native)", "Lead Mobile Software Engineer",
])
def test_mobile_titles_get_the_mobile_developer_role(title: str, bundled: Vocabulary) -> None:
    assert posting_of(f"{title}\n\nYou know Kotlin and Swift.\n", bundled).role == "Mobile developer"


@pytest.mark.parametrize(("title", "role"), [
    ("Software Engineer, iOS", "Mobile developer"), ("Software Engineer, Android", "Mobile developer"),
    ("Senior Software Engineer (Android)", "Mobile developer"),
    ("Machine Learning Engineer, NLP", "Natural language processing engineer"),
    ("Software Engineer, Data", "Data engineer"),
    # a qualifier that says more than a role leaves the title's own role
    ("Software Engineer - Apple Vision Pro", "Software engineer"),
    ("Machine Learning Engineer, Operations Research", "Machine learning engineer"),
    ("Software Engineer, Google Cloud", "Software engineer"),
])
def test_a_qualifier_after_the_title_names_the_role(title: str, role: str, bundled: Vocabulary) -> None:
    """"Software Engineer, iOS" (the common form of big companies' titles) was a software engineer, and "(Android)"
    the company."""
    posting = posting_of(f"{title}\n\nYou know Kotlin and Swift.\n", bundled)
    assert (posting.role, posting.company) == (role, None)


# -- security work: SOC, detection, offensive testing, identity, standards ------------------------------------------

SECURITY_POSTING = """Senior Security Engineer, Detection & Response - Quillfeather Labs

What you will do
You will triage alerts from our cloud estate, tune our detections and lead the response when someone breaks in.

What we need
- 4+ years of incident response and threat hunting
- Logs queried in Splunk or Sentinel; YARA and Sigma rules mapped to MITRE ATT&CK
- Hands-on with Burp Suite, Nessus and Wireshark; the OWASP Top 10 holds no surprises for you
- OSCP, CISSP or CompTIA Security+

Bonus points
- CrowdStrike Falcon or SentinelOne, SOAR, and HashiCorp Vault for our secrets
"""


def test_a_security_posting_gets_the_role_and_its_tools_and_certifications(bundled: Vocabulary) -> None:
    posting = posting_of(SECURITY_POSTING, bundled)
    assert posting.role == "Security engineer"
    levels = {m.label: m.level for m in posting.skills}
    required = ("Incident response", "Threat hunting", "Splunk", "Microsoft Sentinel", "YARA", "Sigma rules",
                "MITRE ATT&CK", "Burp Suite", "Nessus", "Wireshark", "OWASP", "OSCP", "CISSP", "CompTIA Security+")
    assert {label: levels.get(label) for label in required} == dict.fromkeys(required, "required")
    preferred = ("CrowdStrike Falcon", "SentinelOne", "SOAR", "HashiCorp Vault")
    assert {label: levels.get(label) for label in preferred} == dict.fromkeys(preferred, "preferred")


@pytest.mark.parametrize(("written", "skill"), [
    ("Burp Suite", "burp-suite"), ("Metasploit", "metasploit"), ("Nmap", "nmap"), ("Kali Linux", "kali-linux"),
    ("Nessus", "nessus"), ("Qualys", "qualys"), ("OWASP ZAP", "owasp-zap"), ("Wireshark", "wireshark"),
    ("Ghidra", "ghidra"), ("IDA Pro", "ida-pro"), ("CrowdStrike", "crowdstrike-falcon"), ("SentinelOne", "sentinelone"),
    ("Microsoft Defender for Endpoint", "microsoft-defender"), ("Azure Sentinel", "microsoft-sentinel"),
    ("QRadar", "ibm-qradar"), ("Suricata", "suricata"), ("EDR", "edr"), ("XDR", "edr"), ("SOAR", "soar"),
    ("MITRE ATT&CK", "mitre-attack"), ("threat intelligence", "threat-intelligence"), ("OSINT", "osint"),
    ("digital forensics", "digital-forensics"), ("DFIR", "digital-forensics"), ("red teaming", "red-teaming"),
    ("detection engineering", "detection-engineering"), ("IDS/IPS", "ids-ips"), ("Okta", "okta"),
    ("Active Directory", "active-directory"), ("SAML", "saml"), ("single sign-on", "single-sign-on"),
    ("MFA", "multi-factor-authentication"), ("LDAP", "ldap"), ("Kerberos", "kerberos"), ("CyberArk", "cyberark"),
    ("HashiCorp Vault", "hashicorp-vault"), ("Snyk", "snyk"), ("SonarQube", "sonarqube"), ("Checkmarx", "checkmarx"),
    ("Veracode", "veracode"), ("TLS", "tls"), ("WAF", "web-application-firewalls"), ("DLP", "data-loss-prevention"),
    ("container security", "container-security"), ("CSPM", "cloud-security-posture-management"),
    ("Palo Alto Networks", "palo-alto-networks"), ("FortiGate", "fortinet"), ("NIST CSF", "nist-csf"),
    ("NIST 800-53", "nist-800-53"), ("FedRAMP", "fedramp"), ("CIS Benchmarks", "cis-benchmarks"), ("CEH", "ceh"),
    ("OSCP", "oscp"), ("OSCE", "osce"), ("GIAC", "giac"), ("CISM", "cism"), ("Security+", "comptia-security-plus"),
])
def test_security_tools_practices_and_certifications_are_known(written: str, skill: str, bundled: Vocabulary) -> None:
    assert SKILL + skill in iris(f"Requirements: experience with Python and {written}", bundled)


@pytest.mark.parametrize(("everyday", "asked", "skill"), [
    ("Return a sentinel value when the queue is empty.", "Alerts land in Splunk and Sentinel.", "microsoft-sentinel"),
    ("Forecasts stay within a sigma of 2 of the mean.", "You write Sigma rules for new threats.", "sigma-rules"),
    ("The old bank vault is now our meeting room.", "Tools: Terraform, Vault, Consul", "hashicorp-vault"),
    ("Watch our revenue soar this year.", "Experience with SIEM, SOAR and EDR tools.", "soar"),
    ("Nobody will snort at a tidy runbook.", "Experience tuning Snort and Suricata signatures.", "snort"),
    ("Zap the flaky tests before lunch.", "DAST tools such as ZAP or Burp Suite.", "owasp-zap"),
    ("Store the IDs of new users.", "Experience with firewalls, IDS and VPNs.", "ids-ips"),
    ("An MFA in creative writing is welcome.", "You roll out Okta, SSO and MFA.", "multi-factor-authentication"),
    ("Partner with teams across Two Sigma.", "Sigma rules and YARA rules", "sigma-rules"),
])
def test_a_security_name_that_is_an_everyday_word_needs_a_skill_context(everyday: str, asked: str, skill: str,
                                                                       bundled: Vocabulary) -> None:
    assert SKILL + skill not in iris(f"Backend Engineer\n\nAbout the job\n{everyday}\n", bundled)
    assert SKILL + skill in iris(f"Backend Engineer\n\nAbout the job\n{asked}\n", bundled)


@pytest.mark.parametrize("title", [
    "Security Engineer", "Senior Security Engineer", "Security Analyst", "SOC Analyst", "Penetration Tester",
    "Application Security Engineer", "Cloud Security Engineer", "Information Security Engineer", "Detection Engineer",
    "Threat Intelligence Analyst", "Cybersecurity Analyst", "Senior Analyst, Information Security",
    "Offensive Security Engineer (Red Team)", "Security Engineer, Detection & Response", "Senior Pentester",
    "Threat Hunter", "Senior Ethical Hacker", "Incident Responder", "Red Team Operator",
])
def test_security_titles_get_the_security_engineer_role(title: str, bundled: Vocabulary) -> None:
    assert posting_of(f"{title}\n\nYou know Python and Wireshark.\n", bundled).role == "Security engineer"


@pytest.mark.parametrize("title", ["Hardware Security Engineer", "Embedded Security Engineer",
                                   "Senior Hardware Security Architect"])
def test_hardware_security_titles_keep_their_role(title: str, bundled: Vocabulary) -> None:
    """A guard: the security titles of chips and firmware stay on their own role."""
    assert posting_of(f"{title}\n\nYou know Python and Wireshark.\n", bundled).role == "Hardware security engineer"


# -- the common software, IT and data roles that postings everywhere name -----------------------------------------


@pytest.mark.parametrize(("title", "role"), [
    ("Frontend Developer", "Frontend developer"),
    ("Frontend Developer (React)", "Frontend developer"),
    ("Front-End Engineer", "Frontend developer"),
    ("Senior Front End Developer - Acme", "Frontend developer"),
    ("Staff Frontend Engineer, Payments", "Frontend developer"),
    ("Software Engineer (React)", "Frontend developer"),
    ("UI Developer", "Frontend developer"),
    ("Full Stack Developer", "Full-stack developer"),
    ("Senior Fullstack Engineer", "Full-stack developer"),
    ("Full-Stack JavaScript Developer (Node.js / React)", "Full-stack developer"),
    ("QA Engineer", "QA engineer"),
    ("Senior QA Automation Engineer", "QA engineer"),
    ("Software Development Engineer in Test", "QA engineer"),
    ("Test Automation Engineer", "QA engineer"),
    ("Manual QA Tester", "QA engineer"),
    ("Software Engineer, Test", "QA engineer"),
    ("Cloud Engineer", "Cloud engineer"),
    ("Senior AWS Cloud Engineer", "Cloud engineer"),
    ("Database Administrator", "Database administrator"),
    ("Senior Oracle Database Administrator", "Database administrator"),
    ("Linux Systems Administrator", "Systems administrator"),
    ("IT Administrator", "Systems administrator"),
    ("Network Engineer", "Network engineer"),
    ("Network Administrator", "Network engineer"),
    ("Embedded Software Engineer", "Embedded software engineer"),
    ("Senior Firmware Engineer", "Embedded software engineer"),
    ("Embedded Systems Developer - Linux", "Embedded software engineer"),
    ("Game Developer", "Game developer"),
    ("Senior Gameplay Programmer", "Game developer"),
    ("Unity Developer", "Game developer"),
    ("UX Designer", "UX designer"),
    ("Senior UI/UX Designer", "UX designer"),
    ("Product Designer (Mobile)", "UX designer"),
    ("UX Researcher", "UX designer"),
    ("Technical Writer", "Technical writer"),
    ("Senior Technical Writer - Acme", "Technical writer"),
    ("IT Project Manager", "Project manager"),
    ("Agile Project Manager", "Project manager"),
    ("Delivery Manager", "Project manager"),
    ("Technical Support Engineer", "Support engineer"),
    ("Customer Support Engineer", "Support engineer"),
    ("IT Support Specialist", "Support engineer"),
    ("Help Desk Technician", "Support engineer"),
])
def test_common_software_and_it_titles_get_their_role(title: str, role: str, bundled: Vocabulary) -> None:
    assert posting_of(f"{title}\n\nYou know Python and SQL.\n", bundled).role == role


@pytest.mark.parametrize(("title", "role"), [
    ("Senior Software Engineer", "Software engineer"),
    ("Data Engineer - Python", "Data engineer"),
    ("Data Engineer (AWS)", "Data engineer"),
    ("Software Engineer - iOS", "Mobile developer"),
    ("Machine Learning Engineer", "Machine learning engineer"),
    ("DevOps Engineer (Kubernetes)", "DevOps engineer"),
    ("Cloud Solutions Architect", "Solutions architect"),
    ("Sales Engineer", "Solutions architect"),
    ("BI Developer", "Analytics engineer"),
    ("Cloud Security Engineer", "Security engineer"),
    ("Network Security Engineer", "Security engineer"),
    ("Full Stack Data Scientist", "Data scientist"),
    ("Technical Program Manager", "Technical program manager"),
    ("Technical Product Manager", "Product manager"),
    ("Mobile Engineer (React Native)", "Mobile developer"),
])
def test_titles_of_existing_roles_keep_them(title: str, role: str, bundled: Vocabulary) -> None:
    """A guard: the new roles' labels take no title from the roles that had it."""
    assert posting_of(f"{title}\n\nYou know Python and SQL.\n", bundled).role == role


# -- backend, architecture, reliability and database titles, and a developer of a technology ---------------------


@pytest.mark.parametrize(("title", "role"), [
    ("Backend Engineer - Acme", "Backend developer"),
    ("Backend Developer (Python) - Acme", "Backend developer"),
    ("Senior Software Engineer, Backend - Acme", "Backend developer"),
    ("Backend Engineer (TypeScript)", "Backend developer"),
    ("Senior Back-End Developer", "Backend developer"),
    ("Server-Side Engineer", "Backend developer"),
    ("Kotlin Backend Developer", "Backend developer"),
    ("Node.js Developer - Acme", "Backend developer"),
    (".NET Developer - Acme", "Backend developer"),
    ("PHP Developer - Acme", "Backend developer"),
    ("Go Developer - Acme", "Backend developer"),
    ("Java Developer at Acme", "Backend developer"),
    ("Senior Java Developer", "Backend developer"),
    ("C# Developer", "Backend developer"),
    ("Software Architect - Acme", "Software architect"),
    ("Enterprise Architect - Acme", "Software architect"),
    ("Principal Application Architect", "Software architect"),
    ("Technical Architect", "Software architect"),
    ("Tech Lead - Acme", "Software engineer"),
    ("Technical Lead", "Software engineer"),
    ("Release Engineer - Acme", "DevOps engineer"),
    ("Senior Build Engineer", "DevOps engineer"),
    ("Site Reliability Engineer", "Site reliability engineer"),
    ("Senior SRE Engineer", "Site reliability engineer"),
    ("DevOps Engineer, SRE", "Site reliability engineer"),
    ("Test Engineer - Acme", "QA engineer"),
    ("Senior Test Engineer", "QA engineer"),
    ("Semiconductor Test Engineer", "DFT engineer"),  # a chip's test engineer is no QA engineer
    ("Database Developer - Acme", "Database developer"),
    ("SQL Developer", "Database developer"),
    ("Oracle PL/SQL Developer", "Database developer"),
])
def test_backend_architect_reliability_and_database_titles_get_their_role(
    title: str, role: str, bundled: Vocabulary
) -> None:
    assert posting_of(f"{title}\n\nYou know Python and SQL.\n", bundled).role == role


@pytest.mark.parametrize(("title", "role"), [
    # frameworks under a backend language or runtime
    ("Golang Engineer", "Backend developer"),
    ("Senior Laravel Developer (Remote)", "Backend developer"),
    ("Sr. Symfony Developer - Acme", "Backend developer"),
    ("Django Developer", "Backend developer"),
    ("FastAPI Developer", "Backend developer"),
    ("Spring Boot Developer", "Backend developer"),
    ("Ruby on Rails Developer", "Backend developer"),
    ("Express.js Developer", "Backend developer"),
    ("NestJS Developer", "Backend developer"),
    ("Deno Developer", "Backend developer"),
    # frontend frameworks, languages and libraries
    ("JavaScript Developer", "Frontend developer"),
    ("TypeScript Developer", "Frontend developer"),
    ("Svelte Developer", "Frontend developer"),
    ("Next.js Engineer", "Frontend developer"),
    ("jQuery Developer", "Frontend developer"),
    # mobile platforms, their languages and cross-platform frameworks
    ("Swift Developer", "Mobile developer"),
    ("Objective-C Developer", "Mobile developer"),
    ("SwiftUI Developer", "Mobile developer"),
    ("Jetpack Compose Developer", "Mobile developer"),
    ("Ionic Developer", "Mobile developer"),
    ("Xamarin Developer", "Mobile developer"),
])
def test_a_developer_of_a_technology_gets_the_role_of_its_field(title: str, role: str, bundled: Vocabulary) -> None:
    assert posting_of(f"{title}\n\nYou know Git.\n", bundled).role == role


def test_a_technology_no_label_names_takes_the_role_of_its_broader_skill(bundled: Vocabulary) -> None:
    """The skills' hierarchy, not a list of titles: a framework new to the vocabulary under PHP is a backend
    developer's, one under frontend development a frontend developer's."""
    from kg.extract.entities import find_role
    from kg.extract.vocabulary import Concept

    skills = dict(bundled.skills)
    for name, broader in (("Quokkaphp", "php"), ("Wombatui", "frontend-development")):
        skills[SKILL + name.lower()] = Concept(SKILL + name.lower(), name, broader=(SKILL + broader,))
    vocab = Vocabulary(skills=skills, roles=bundled.roles, domains=bundled.domains, companies=bundled.companies)
    assert find_role("Senior Quokkaphp Developer", [], vocab)[0] == "Backend developer"
    assert find_role("Wombatui Engineer (Remote)", [], vocab)[0] == "Frontend developer"


@pytest.mark.parametrize(("title", "role"), [
    ("Data Engineer - Python", "Data engineer"),
    ("Python Data Engineer", "Data engineer"),
    ("Full Stack Engineer", "Full-stack developer"),
    ("Full Stack Java Developer", "Full-stack developer"),
    ("Full-Stack JavaScript Developer (Node.js / React)", "Full-stack developer"),
    ("Android Developer", "Mobile developer"),
    ("Kotlin Android Developer", "Mobile developer"),
    ("React Native Developer", "Mobile developer"),
    ("React Developer", "Frontend developer"),
    ("Machine Learning Engineer", "Machine learning engineer"),
    ("Machine Learning Engineer (Python)", "Machine learning engineer"),
    ("Unity Developer", "Game developer"),
    ("Game Developer (C#)", "Game developer"),
    ("Database Administrator", "Database administrator"),
    ("Database Engineer", "Database administrator"),
    ("Test Engineer, DFT", "DFT engineer"),
    ("Software Engineer in Test", "QA engineer"),
    ("Solutions Architect", "Solutions architect"),
    ("Enterprise Data Architect", "Data architect"),
    ("System Architect", "Computer architect"),
    ("Platform Engineer", "DevOps engineer"),
    ("Engineering Manager", "Engineering manager"),
    ("ETL Developer", "Data engineer"),
    ("BI Developer", "Analytics engineer"),
    ("Senior Software Engineer", "Software engineer"),
    # a technology whose skills name no developer's role gives none, as before (a general-purpose language's
    # developer is a software engineer now: test_extract_titles)
    ("Kubernetes Engineer", None),
    ("Salesforce Developer", None),
])
def test_titles_beside_the_new_roles_keep_their_role(title: str, role: str | None, bundled: Vocabulary) -> None:
    """A guard: the new labels and the technology rule take no title from the role it had."""
    assert posting_of(f"{title}\n\nYou know Git.\n", bundled).role == role


# -- frontend, JavaScript, platform and healthcare tools ------------------------------------------------------------

FRONTEND_POSTING = """Senior Frontend Engineer - Larkspur Health

What you will do
You will build the patient portal in Svelte and TypeScript and the clinician app in React.

What we need
- Builds on Vite and Babel; ESLint and Prettier keep us honest; pnpm workspaces in a Turborepo
- State in Zustand or MobX, data through TanStack Query, RxJS where streams help
- Components documented in Storybook, styled with styled-components and Material UI
- Prisma over Postgres behind a tRPC API; auth with JWT
- Deploys on Vercel and Cloudflare Workers

Nice to have
- Electron or Tauri for the desktop app, Expo for mobile
- HL7 and FHIR, or EHR integrations
"""

PLATFORM_POSTING = """Site Reliability Engineer - Larkspur Health

What we need
- You define SLOs and error budgets, join the on-call rotation with PagerDuty and write blameless postmortems
- Incident management and runbooks for the services you own
- Pulumi or Terraform, Packer images, Kustomize overlays and Flux for GitOps
- Linkerd or Envoy, Cilium and eBPF; Jaeger and Grafana Loki for traces and logs
- Load tests in k6 or Locust, contract tests with Pact

Bonus
- CKA or CKAD; PgBouncer tuning; chaos engineering
"""


def test_a_frontend_posting_gets_its_build_tools_libraries_and_hosts(bundled: Vocabulary) -> None:
    levels = {m.label: m.level for m in posting_of(FRONTEND_POSTING, bundled).skills}
    required = ("Vite", "Babel", "ESLint", "Prettier", "pnpm", "Turborepo", "Zustand", "MobX", "TanStack Query",
                "RxJS", "Storybook", "styled-components", "Material UI", "Prisma", "tRPC", "JWT", "Vercel",
                "Cloudflare Workers", "Svelte")
    assert {label: levels.get(label) for label in required} == dict.fromkeys(required, "required")
    preferred = ("Electron", "Tauri", "Expo", "HL7", "FHIR", "Electronic health records")
    assert {label: levels.get(label) for label in preferred} == dict.fromkeys(preferred, "preferred")


def test_a_platform_posting_gets_its_reliability_practice_and_tools(bundled: Vocabulary) -> None:
    levels = {m.label: m.level for m in posting_of(PLATFORM_POSTING, bundled).skills}
    required = ("Service level objectives", "On-call", "PagerDuty", "Postmortems", "Incident management", "Runbooks",
                "Pulumi", "Packer", "Kustomize", "Flux", "Linkerd", "Envoy", "Cilium", "eBPF", "Jaeger",
                "Grafana Loki", "k6", "Locust", "Pact")
    assert {label: levels.get(label) for label in required} == dict.fromkeys(required, "required")
    preferred = ("Certified Kubernetes Administrator", "Certified Kubernetes Application Developer", "PgBouncer",
                 "Chaos engineering")
    assert {label: levels.get(label) for label in preferred} == dict.fromkeys(preferred, "preferred")


@pytest.mark.parametrize(("written", "skill"), [
    ("Vite", "vite"), ("Babel", "babel"), ("Sketch", "sketch"), ("Storybook", "storybook"), ("Svelte", "svelte"),
    ("SvelteKit", "sveltekit"), ("Remix", "remix"), ("Astro", "astro"), ("Deno", "deno"), ("Bun", "bun"),
    ("pnpm", "pnpm"), ("Turborepo", "turborepo"), ("Nx monorepo", "nx"), ("Lerna", "lerna"), ("ESLint", "eslint"),
    ("Prettier", "prettier"), ("Less", "less"), ("styled-components", "styled-components"),
    ("Material UI", "material-ui"), ("MUI", "material-ui"), ("Chakra UI", "chakra-ui"), ("Three.js", "threejs"),
    ("Chart.js", "chartjs"), ("Web Components", "web-components"), ("PWA", "pwa"),
    ("progressive web apps", "pwa"), ("Service Workers", "service-workers"), ("IndexedDB", "indexeddb"),
    ("Electron", "electron"), ("Tauri", "tauri"), ("Capacitor", "capacitor"), ("Ionic", "ionic"), ("Expo", "expo"),
    ("Zustand", "zustand"), ("MobX", "mobx"), ("RxJS", "rxjs"), ("NgRx", "ngrx"), ("Vuex", "vuex"),
    ("Pinia", "pinia"), ("React Query", "tanstack-query"), ("SWR", "swr"), ("Apollo", "apollo-graphql"),
    ("Apollo Client", "apollo-graphql"), ("Relay", "relay"), ("tRPC", "trpc"), ("Prisma", "prisma"),
    ("TypeORM", "typeorm"), ("Sequelize", "sequelize"), ("Drizzle", "drizzle-orm"), ("Supabase", "supabase"),
    ("Vercel", "vercel"), ("Netlify", "netlify"), ("Cloudflare Workers", "cloudflare-workers"), ("JWT", "jwt"),
    ("JSON Web Tokens", "jwt"), ("SLOs", "slos"), ("SLIs", "slos"), ("error budgets", "slos"),
    ("service level objectives", "slos"), ("on-call rotations", "on-call"), ("postmortems", "postmortems"),
    ("runbooks", "runbooks"), ("incident management", "incident-management"),
    ("chaos engineering", "chaos-engineering"), ("PagerDuty", "pagerduty"), ("Opsgenie", "opsgenie"),
    ("Pulumi", "pulumi"), ("Packer", "packer"), ("Consul", "consul"), ("Nomad", "nomad"), ("Envoy", "envoy"),
    ("Linkerd", "linkerd"), ("Cilium", "cilium"), ("eBPF", "ebpf"), ("Kustomize", "kustomize"),
    ("Crossplane", "crossplane"), ("Flux", "flux"), ("FluxCD", "flux"), ("service mesh", "service-mesh"),
    ("distributed tracing", "distributed-tracing"), ("Jaeger", "jaeger"), ("Grafana Loki", "grafana-loki"),
    ("Loki", "grafana-loki"), ("k6", "k6"), ("Locust", "locust"), ("Pact", "pact"),
    ("contract testing", "contract-testing"), ("CKA", "cka"), ("CKAD", "ckad"),
    ("Certified Kubernetes Administrator", "cka"), ("PgBouncer", "pgbouncer"), ("HL7", "hl7"), ("FHIR", "fhir"),
    ("EHR", "ehr"), ("electronic health records", "ehr"), ("Prisma Cloud", "cloud-security-posture-management"),
])
def test_frontend_platform_and_healthcare_tools_are_known(written: str, skill: str, bundled: Vocabulary) -> None:
    assert SKILL + skill in iris(f"Requirements: experience with TypeScript and {written}", bundled)


@pytest.mark.parametrize(("everyday", "asked", "skill"), [
    ("Start from a quick sketch on the whiteboard.", "Design in Figma or Sketch.", "sketch"),
    ("Pages load in less than a second.", "Styles in CSS, Sass or Less.", "less"),
    ("We read about the Apollo program at lunch.", "Experience with GraphQL and Apollo.", "apollo-graphql"),
    ("You will size a capacitor bank for the line.", "Mobile apps with Ionic and Capacitor.", "capacitor"),
    ("Our parser makes the output prettier for humans.", "Tooling: ESLint, Prettier, Vite", "prettier"),
    ("We meet at the tech expo every spring.", "You ship apps with React Native and Expo.", "expo"),
    ("Magnetic flux in the motor must stay low.", "GitOps with Argo CD or Flux.", "flux"),
    ("A relay trips when the current spikes.", "Experience with GraphQL, Apollo or Relay.", "relay"),
    ("The warehouse packer seals each box.", "Tools: Terraform, Packer, Ansible", "packer"),
    ("She served as the consul in Lyon.", "Tools: Terraform, Vault, Consul", "consul"),
    ("We make agreements not a pact.", "Contract tests with Pact and Jest.", "pact"),
    ("Food service workers serve lunch daily.", "Offline support with IndexedDB and Service Workers.",
     "service-workers"),
    ("Each nurse takes on-call shifts.", "Experience with on-call, PagerDuty and runbooks.", "on-call"),
    ("The pathologist performs post-mortems.", "You run incident reviews and post-mortems, SLOs and runbooks.",
     "postmortems"),
    ("Measure the SWR of the antenna.", "Data fetching with React Query or SWR.", "swr"),
    ("Bake a bun for each guest.", "Runtimes: Node.js, Deno or Bun.", "bun"),
])
def test_a_frontend_or_platform_name_that_is_an_everyday_word_needs_a_skill_context(
    everyday: str, asked: str, skill: str, bundled: Vocabulary
) -> None:
    assert SKILL + skill not in iris(f"Software Engineer\n\nAbout the job\n{everyday}\n", bundled)
    assert SKILL + skill in iris(f"Software Engineer\n\nAbout the job\n{asked}\n", bundled)


# -- a capitalised everyday word is a name only where it stands as one -------------------------------------------


@pytest.mark.parametrize(("text", "skill"), [
    ("Quality Engineer\n\nYou will validate records in Veeva Vault and write SQL.\n", "hashicorp-vault"),
    ("Backend Engineer\n\nReturn a Sentinel object when the queue is empty. You know Go.\n", "microsoft-sentinel"),
    ("Backend Engineer\n\nOur office sits by the Elixir river. You know Go.\n", "elixir"),
])
def test_a_capitalised_everyday_word_in_a_longer_name_or_after_an_article_is_no_skill(
    text: str, skill: str, bundled: Vocabulary
) -> None:
    """"Veeva Vault" is another product than HashiCorp's; "a Sentinel object" and "the Elixir river" use the
    everyday words: none was a skill of its own, capitalised in the middle of a sentence as they are."""
    assert SKILL + skill not in iris(text, bundled)


def test_the_longer_name_keeps_its_other_skills(bundled: Vocabulary) -> None:
    assert labels("Quality Engineer\n\nYou will validate records in Veeva Vault and write SQL.\n", bundled) == ["SQL"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Backend Engineer\n\nSkills: Go, Elixir, Vault\n", ["Elixir", "Go", "HashiCorp Vault"]),
    ("Security Analyst\n\nYou have experience with Sentinel.\n", ["Microsoft Sentinel"]),
    ("Security Analyst\n\nAlerts are triaged in Sentinel every morning.\n", ["Microsoft Sentinel"]),
    ("Backend Engineer\n\nWe keep secrets in Vault and ship with Terraform.\n", ["HashiCorp Vault", "Terraform"]),
    ("Backend Engineer\n\nAs a Senior Backend Java Engineer you write services.\n", ["Java"]),
])
def test_a_capitalised_everyday_word_that_stands_as_a_name_is_still_the_skill(
    text: str, expected: list[str], bundled: Vocabulary
) -> None:
    """A guard: in a list, after a cue, alone in the middle of a sentence, or in a title-case phrase ("Senior
    Backend Java Engineer", where every word is capitalised) the name still counts."""
    assert labels(text, bundled) == expected


# -- company and title ------------------------------------------------------------------------------------------------


def test_title_dash_company(bundled: Vocabulary) -> None:
    text = "Senior Data Engineer - Acme Analytics\n\nWe run on AWS.\nRequirements: Python, SQL\n"
    posting = posting_of(text, bundled)
    assert (posting.title, posting.company) == ("Senior Data Engineer", "Acme Analytics")
    assert "Amazon Web Services" in [m.label for m in posting.skills]


@pytest.mark.parametrize(("first_line", "title", "company"), [
    ("Senior Penetration Tester - Acme Analytics", "Senior Penetration Tester", "Acme Analytics"),
    ("Senior Pentester", "Senior Pentester", None),
    ("QA Tester", "QA Tester", None),
    # security's own job nouns: a first line ending in them was no title, so the posting had no role
    ("Threat Hunter", "Threat Hunter", None), ("Senior Ethical Hacker", "Senior Ethical Hacker", None),
    ("Incident Responder - Acme Analytics", "Incident Responder", "Acme Analytics"),
    ("Red Team Operator", "Red Team Operator", None),
])
def test_a_tester_is_a_job_title(first_line: str, title: str, company: str | None, bundled: Vocabulary) -> None:
    posting = posting_of(f"{first_line}\n\nRequirements: Python, SQL\n", bundled)
    assert (posting.title, posting.company) == (title, company)


@pytest.mark.parametrize(("first_line", "title", "company", "role"), [
    ("Software Engineer - iOS - Acme", "Software Engineer - iOS", "Acme", "Mobile developer"),
    ("Backend Engineer - Go - Lumen Ledger", "Backend Engineer - Go", "Lumen Ledger", "Backend developer"),
    ("Data Engineer - Remote - Acme Analytics", "Data Engineer", "Acme Analytics", "Data engineer"),
    ("Data Scientist - Acme Analytics - Berlin, Germany", "Data Scientist", "Acme Analytics", "Data scientist"),
    ("Software Engineer - Android - Google", "Software Engineer - Android", "Google", "Mobile developer"),
    ("Software Engineer - Google", "Software Engineer", "Google", "Software engineer"),
    # a team of everyday words after a qualifier is no company; a skill is none either
    ("ML Engineer - NLP - Search", "ML Engineer - NLP - Search", None, "Machine learning engineer"),
    ("Data Engineer - Python", "Data Engineer - Python", None, "Data engineer"),
    # a qualifier that names a kind of the job is no company; its role only where it narrows the title's
    ("Software Engineer - Frontend", "Software Engineer - Frontend", None, "Frontend developer"),
    ("Software Engineer (Embedded)", "Software Engineer (Embedded)", None, "Embedded software engineer"),
    ("Data Engineer - Cloud", "Data Engineer - Cloud", None, "Data engineer"),
])
def test_a_title_of_several_dashed_parts_ends_in_its_company(
    first_line: str, title: str, company: str | None, role: str, bundled: Vocabulary
) -> None:
    """Job boards write "Title - Qualifier - Company", "Title - Workplace - Company" and "Title - Company - Place":
    with more than one dash the company was never read, nor the qualifier's role; "Google" (a company that is also
    an everyday-word label of a product) after a dash was read as the skill."""
    posting = posting_of(f"{first_line}\n\nRequirements: Python, SQL\n", bundled)
    assert (posting.title, posting.company, posting.role) == (title, company, role)


@pytest.mark.parametrize(("first_line", "title", "company"), [
    ("Research Associate", "Research Associate", None),
    ("Postdoctoral Research Fellow - Acme Labs", "Postdoctoral Research Fellow", "Acme Labs"),
    ("Developer Advocate - Lumen Ledger", "Developer Advocate", "Lumen Ledger"),
])
def test_every_rule_knows_the_same_job_nouns(
    first_line: str, title: str, company: str | None, bundled: Vocabulary
) -> None:
    """The rules that ask whether text names a job had four lists of job nouns: "Research Associate" was no title
    (the title rule lacked "associate"), "- Acme Labs" after "Research Fellow" no company (the dash rule lacked
    "fellow", "advocate")."""
    posting = posting_of(f"{first_line}\n\nRequirements: Python, SQL\n", bundled)
    assert (posting.title, posting.company) == (title, company)


def test_company_is_hiring_a_title_under_about_the_job(bundled: Vocabulary) -> None:
    posting = posting_of("About the job\nStripe is hiring a Machine Learning Engineer\nYou know Python.\n", bundled)
    assert (posting.title, posting.company) == ("Machine Learning Engineer", "Stripe")
    assert posting.role == "Machine learning engineer"


@pytest.mark.parametrize(("text", "title", "company", "city"), [
    (("Senior Platform Engineer\nHarbor Robotics · Lisbon, Portugal · 2 weeks ago · Over 100 applicants\n\n"
     "About the job\nYou know Python."), "Senior Platform Engineer", "Harbor Robotics", "Lisbon"),
    ("Senior Platform Engineer\nHarbor Robotics\nLisbon, Portugal\n\nYou know Python.",
     "Senior Platform Engineer", "Harbor Robotics", "Lisbon"),
    ("Harbor Robotics\nSenior Platform Engineer\nLisbon, Portugal (Hybrid)\n\nAbout the job\nYou know Python.",
     "Senior Platform Engineer", "Harbor Robotics", "Lisbon"),
    ("Data Engineer\nNorth Quay Foods | Berlin, Germany | Hybrid\n\nYou know Python.",
     "Data Engineer", "North Quay Foods", "Berlin"),
    # no company: a department, the kind of job, a sentence, a header, a skill, no place after it
    ("Data Engineer\nEngineering\nBerlin, Germany\n\nYou know Python.", "Data Engineer", None, "Berlin"),
    ("Data Engineer\nFull-time · Berlin, Germany\n\nYou know Python.", "Data Engineer", None, "Berlin"),
    ("Data Engineer\nWe build robots in Berlin.\nBerlin, Germany\n\nYou know Python.", "Data Engineer", None,
     "Berlin"),
    ("Data Engineer\nRequirements\nBerlin, Germany\n- Python", "Data Engineer", None, "Berlin"),
    ("Data Engineer\nPython\nBerlin, Germany\n\nYou know SQL.", "Data Engineer", None, "Berlin"),
    ("Data Engineer\nHarbor Robotics\n\nYou know Python.", "Data Engineer", None, None),
])
def test_a_copied_job_card_names_the_company(
    text: str, title: str, company: str | None, city: str | None, bundled: Vocabulary
) -> None:
    """A job page copied from a board puts the company on the card with the place: under the title ("Harbor
    Robotics · Lisbon, Portugal · 2 weeks ago", or on a line of its own above the place) or above it. The place
    was read; the company was not, and with the company first not the title either."""
    posting = posting_of(text, bundled)
    assert (posting.title, posting.company) == (title, company)
    assert (posting.location.city if posting.location else None) == city


def test_a_product_named_in_the_text_does_not_make_its_maker_the_employer(bundled: Vocabulary) -> None:
    posting = posting_of("Platform Engineer\n\nYou will run our services on AWS and Azure with CUDA.\n", bundled)
    assert posting.company is None
    assert {"Amazon Web Services", "Microsoft Azure", "CUDA"} <= {m.label for m in posting.skills}


def test_an_unknown_company_that_says_it_hires_is_the_employer_not_a_tool_in_brackets(bundled: Vocabulary) -> None:
    """"Harbor & Pine is hiring ..." under a title that names no company gave Splunk, a tool named in brackets; the
    "&" kept the name from reading as one, and a sentence that says who hires was read only when the posting
    had no title."""
    posting = posting_of("Security Engineer\n\nAbout the job\nHarbor & Pine is hiring a Security Engineer to guard "
                         "our platform.\n\nRequirements\n- Experience with SIEM tooling (Splunk, Sentinel)", bundled)
    tools = ["Microsoft Sentinel", "SIEM", "Splunk"]
    assert (posting.company, [m.label for m in posting.skills]) == ("Harbor & Pine", tools)
    alone = posting_of("Security Engineer\n\nRequirements\n- SIEM tooling (Splunk, Sentinel)", bundled)
    assert (alone.company, [m.label for m in alone.skills]) == (None, tools)
    asked = posting_of("Data Engineer\n\nRequirements\n- At least a year of hands-on work with Databricks", bundled)
    assert (asked.company, [m.label for m in asked.skills]) == (None, ["Databricks"])


@pytest.mark.parametrize(("text", "product"), [
    ("Security Engineer\n\nYou know Splunk and Python.\n", "Splunk"),
    ("Data Engineer\n\nWe use Databricks and Python every day.\n", "Databricks"),
    ("Sales Engineer\n\nYou will use Salesforce and Excel daily.\n", "Salesforce"),
])
def test_a_product_the_text_says_is_known_or_used_is_no_employer(text: str, product: str, bundled: Vocabulary) -> None:
    """A company's name after "know" or "use" on its line is its product, a skill: it was the employer."""
    posting = posting_of(text, bundled)
    assert posting.company is None and product in {m.label for m in posting.skills}


def test_a_known_company_that_says_it_hires_is_the_employer(bundled: Vocabulary) -> None:
    text = "Research Scientist\n\nGoogle is looking for a research scientist to join its team.\n"
    posting = posting_of(text, bundled)
    assert posting.company == "Google"


def test_schema_org_hiring_organization_is_the_company(bundled: Vocabulary) -> None:
    text = ('{"@type": "JobPosting", "title": "Data Engineer", "hiringOrganization": {"@type": "Organization", '
            '"name": "Initrode"}, "description": "We build on Microsoft Azure. You know SQL."}')
    posting = posting_of(text, bundled, "p.json")
    assert (posting.title, posting.company) == ("Data Engineer", "Initrode")



@pytest.mark.parametrize("text", [
    "Data Analyst\nCompany: Brightfield Retail\nLocation: Austin, TX\n\nRequirements\n- SQL\n",
    "# Data Analyst\n\n**Company:** Brightfield Retail  \n**Location:** Austin, TX\n\n## Requirements\n* SQL\n",
    "Data Analyst\n| Company name | Brightfield Retail |\n\nRequirements\n- SQL\n",
    "Data Analyst\nOrganisation: Marketing\nEmployer: Brightfield Retail\n\nRequirements\n- SQL\n",
])
def test_a_labelled_company_line_names_the_employer(text: str, bundled: Vocabulary) -> None:
    """A board's or an ATS's "Company:" line; "Organisation:" only when nothing better (it may be a division)."""
    posting = posting_of(text, bundled)
    assert (posting.title, posting.company) == ("Data Analyst", "Brightfield Retail")
    assert [m.label for m in posting.skills] == ["SQL"]


@pytest.mark.parametrize("value", ["Confidential", "We are a small team that ships every day."])
def test_a_labelled_line_that_names_no_one_gives_no_company(value: str, bundled: Vocabulary) -> None:
    assert posting_of(f"Data Analyst\nCompany: {value}\n\nRequirements\n- SQL\n", bundled).company is None



# -- a job board's card under the title --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "place", "posted"), [
    ("Backend Engineer - Lumen Ledger\nBerlin, Germany · Hybrid · Posted 2026-11-20\n\nRequirements\n- SQL\n",
     ("Berlin", "DE", "hybrid"), "2026-11-20"),
    ("Backend Engineer\nAustin, TX (Hybrid) · Posted on Nov 20, 2026\n\nRequirements\n- SQL\n",
     ("Austin", "US", "hybrid"), "2026-11-20"),
    ("Backend Engineer\nLondon, UK | Full-time | Posted 3 days ago\n\nRequirements\n- SQL\n",
     ("London", "GB", None), None),
    ("Backend Engineer\nToronto, ON • Remote\n\nRequirements\n- SQL\n", ("Toronto", "CA", "remote"), None),
    ("Backend Engineer · Lumen Ledger · United States\n\nRequirements\n- SQL\n", (None, "US", None), None),
    ("Backend Engineer\nLumen Ledger\nLahore, Pakistan\n\nRequirements\n- SQL\n", ("Lahore", "PK", None), None),
    # the kind of work on a line of its own under the place (a LinkedIn card): it was lost
    (("Backend Engineer\nLumen Ledger · Seattle, WA · 2 weeks ago\n$155,000/yr - $185,000/yr\nHybrid · Full-time\n\n"
      "Requirements\n- SQL\n"), ("Seattle", "US", "hybrid"), None),
])
def test_a_job_boards_card_gives_the_place_and_the_date(
    text: str, place: tuple[str | None, str, str | None], posted: str | None, bundled: Vocabulary
) -> None:
    posting = posting_of(text, bundled)
    assert posting.location is not None
    assert (posting.location.city, posting.location.country, posting.location.workplace) == place
    assert posting.date_posted == posted
    assert [m.label for m in posting.skills] == ["SQL"]


@pytest.mark.parametrize("text", [
    "Backend Engineer\nWe hire across Germany · We ship every day and we review every change\n- SQL\n",
    "Technical Lead (ML)\nLumen Ledger\n- SQL\n",
    "Backend Engineer\n\nAbout us\nWe are a small team.\nWe sell to Germany.\n- SQL\n",
])
def test_a_sentence_or_a_code_that_is_no_place_gives_no_card(text: str, bundled: Vocabulary) -> None:
    """A card's parts are short; a country code alone ("ML" is Mali) or a sentence naming a country is no place."""
    assert posting_of(text, bundled).location is None


# -- unknown terms are kept, and one command promotes one ---------------------------------------------------------


def test_unknown_terms_have_sources_and_one_command_promotes_one(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.extract import extract_files

    posting = tmp_path / "p.txt"
    posting.write_text("Data Engineer\n\nRequirements: Python, SQL and Zorblax DB\n", encoding="utf-8")
    found = extract_files([str(posting)], unknown=True)
    assert [(c.term, c.count, c.sources) for c in found.unknown or []] == [("Zorblax DB", 1, (f"{posting}:3",))]
    added = tmp_path / "added.tsv"
    monkeypatch.setenv("KG_ADDED_SKILLS", str(added))
    result = CliRunner().invoke(cli, ["promote", "Zorblax DB", "--alias", "Zorblax", "--domain", "databases"])
    assert result.exit_code == 0, result.output
    assert added.read_text(encoding="utf-8").splitlines() == [
        "id\tprefLabel\taltLabels\tdomain\tcount", "zorblax-db\tZorblax DB\tZorblax\tdatabases\t0"]
    [again] = extract_files([str(posting)])
    assert "https://w3id.org/jobkg/id/skill/zorblax-db" in {m.iri for m in again.skills}
    refused = CliRunner().invoke(cli, ["promote", "Python"])
    assert refused.exit_code == 2 and "already a skill" in refused.output


def test_a_place_is_no_unknown_term(tmp_path) -> None:  # noqa: ANN001
    """A job page's place line and its workplace ("Amsterdam, Netherlands", "Hybrid") were candidate skills."""
    from kg.extract import extract_files

    page = tmp_path / "job.html"
    page.write_text("<h1>Frontend Engineer</h1><div>Amsterdam, Netherlands</div><div>Hybrid</div>"
                    "<h2>Requirements</h2><ul><li>React, TypeScript and Zorblax UI</li>"
                    "<li>Cupertino, California or Belgium</li></ul>", encoding="utf-8")
    found = extract_files([str(page)], unknown=True)
    assert [c.term for c in found.unknown or []] == ["Zorblax UI"]


def test_the_unknown_terms_the_tagger_reads_are_candidates_too(tmp_path) -> None:  # noqa: ANN001
    """A product in a list of known ones, after the product it runs on ("Kubernetes Portainer"): no rule finds it
    (no comma, capitalised like any word), the tagger reads it as knowledge."""
    from kg.extract import extract_files

    posting = tmp_path / "p.txt"
    posting.write_text("Data Engineer\n\nRequirements\nExperience with Kubernetes Portainer and Helm charts\n",
                       encoding="utf-8")
    found = extract_files([str(posting)], unknown=True)
    assert [(c.term, c.count, c.sources) for c in found.unknown or []] == [("Portainer", 1, (f"{posting}:4",))]
