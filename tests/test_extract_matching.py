"""Skill matching and levels: word boundaries, shorthands, ambiguous labels, sections and clause cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Vocabulary, extract_text
from kg.extract.matcher import LabelMatcher, skill_matcher
from kg.extract.variants import number_variants, verb_variants
from kg.extract.vocabulary import Concept
from kg.namespaces import SKILL

DATA = Path(__file__).parent / "data"


def found(text: str, vocab: Vocabulary) -> dict[str, str]:
    """Skill id -> level of the one posting in ``text``."""
    [posting] = extract_text(text, "t.txt", vocab=vocab)
    return {m.iri.rsplit("/", 1)[-1]: m.level for m in posting.skills}


def ids(text: str, vocab: Vocabulary) -> set[str]:
    return set(found(text, vocab))


def matcher_for(*concepts: tuple[str, tuple[str, ...]]) -> LabelMatcher:
    return skill_matcher(Concept(SKILL + label.lower().replace(" ", "-"), label, alts) for label, alts in concepts)


def names(matcher: LabelMatcher, text: str) -> list[str]:
    return [text[m.start : m.end] for m in matcher.find(text)]


def test_slash_pairs_name_both_skills(vocab: Vocabulary) -> None:
    assert ids("Fluent in C/C++ and Python.", vocab) == {"c", "cpp", "python"}
    assert ids("Hands-on TensorFlow/PyTorch work.", vocab) == {"tensorflow", "pytorch"}


@pytest.mark.parametrize(
    "text",
    [
        "Pythonic style and SQLite files.",
        "We use C# and F# daily.",
        "A hadoopish setup.",
        "Kubernetesque clusters.",
    ],
)
def test_labels_match_only_at_word_boundaries(text: str, vocab: Vocabulary) -> None:
    assert ids(text, vocab) == set()


def test_case_hyphens_and_whitespace_do_not_matter(vocab: Vocabulary) -> None:
    assert ids("PYTHON, docker and  kubernetes", vocab) == {"python", "docker", "kubernetes"}
    matcher = matcher_for(("Object-oriented programming", ()))
    assert names(matcher, "object oriented programming in depth") == ["object oriented programming"]


@pytest.mark.parametrize(
    "text",
    [
        "You excel at teamwork and like to go the extra mile.",
        "Our R&D center opened last spring.",
        "Ideas that spark new products come from a swift learner.",
        "The team sits in our office in Java, Indonesia.",
        "Go to the careers page. Spring hiring is open.",
        "Plan B, then C, then done.",
    ],
)
def test_ambiguous_labels_need_a_skill_context(text: str, vocab: Vocabulary) -> None:
    assert ids(text, vocab) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Programming in R is a must.", {"r"}),
        ("Experience with Go for services.", {"go"}),
        ("Languages such as Julia or Rust.", {"julia", "rust"}),
        ("Proficient in Excel.", {"excel"}),
        ("Python, Rust, Swift and SQL.", {"python", "rust", "swift", "sql"}),
        ("Frontend work using React.", {"react"}),
        ("We write R code daily.", {"r"}),
        ("Spark experience helps.", {"spark"}),
    ],
)
def test_ambiguous_labels_count_in_a_skill_context(text: str, expected: set[str], vocab: Vocabulary) -> None:
    assert ids(text, vocab) == expected


def test_section_headers_set_levels(vocab: Vocabulary) -> None:
    text = (
        "Platform Engineer\n"
        "What you'll be doing:\n- Run Docker images in production\n"
        "Minimum qualifications:\n- Python and SQL\n"
        "Preferred qualifications:\n- Kafka, and Docker at scale\n"
        "Bonus:\n- Scala\n"
    )
    assert found(text, vocab) == {
        "docker": "preferred", "python": "required", "sql": "required", "kafka": "preferred", "scala": "preferred",
    }


def test_clause_cues_apply_to_their_clause_only(vocab: Vocabulary) -> None:
    assert found("Go and Rust are required; Swift is a plus.", vocab) == {
        "go": "required", "rust": "required", "swift": "preferred",
    }
    assert found("Python required, Scala is a plus, SQL daily.", vocab) == {
        "python": "required", "scala": "preferred", "sql": "required",
    }
    assert found("Strong SQL, ideally with Apache Airflow.", vocab) == {"sql": "required", "airflow": "preferred"}
    assert found("Nice to have:\n- Go and Rust are required; Swift is a plus", vocab) == {
        "go": "required", "rust": "required", "swift": "preferred",
    }


@pytest.mark.parametrize(
    "cue",
    ["is a plus", "preferred", "is desirable", "would be beneficial", "is an asset", "is nice to have"],
)
def test_preferred_cues(cue: str, vocab: Vocabulary) -> None:
    assert found(f"Knowledge of Kafka {cue}.", vocab) == {"kafka": "preferred"}


def test_headers_inside_one_long_line(vocab: Vocabulary) -> None:
    text = (
        "We build data tools. What we need to see: Python and SQL skills. "
        "Ways to stand out from the crowd: Docker know-how."
    )
    assert found(text, vocab) == {"python": "required", "sql": "required", "docker": "preferred"}


def test_list_item_label_applies_to_that_item_only(vocab: Vocabulary) -> None:
    text = "+ skill set:\n\t- Bonus: Kafka\n\t- Python\n"
    [posting] = extract_text(text, "n.md", vocab=vocab)
    assert {m.label: m.level for m in posting.skills} == {"Apache Kafka": "preferred", "Python": "required"}


def test_years_per_skill_and_overall(vocab: Vocabulary) -> None:
    [posting] = extract_text("Needs 5+ years of experience with Python; 2 years of SQL.", "y.txt", vocab=vocab)
    assert {m.label: m.years for m in posting.skills} == {"Python": 5, "SQL": 2}
    assert posting.min_years == 5


def test_mention_lines_are_source_lines(vocab: Vocabulary) -> None:
    [posting] = extract_text("Data Engineer\n\nRequirements:\n- SQL\n- Python\n", "l.txt", vocab=vocab)
    assert {m.label: m.line for m in posting.skills} == {"SQL": 4, "Python": 5}


def test_skills_named_as_teams_products_or_fields_of_study_are_not_asked(vocab: Vocabulary) -> None:
    assert ids("Partner with our machine learning teams and AWS consultants.", vocab) == set()
    assert ids("BS in Computer Vision or Statistics; 3 years with Python.", vocab) == {"python"}


def test_number_variants_and_shorthands() -> None:
    matcher = matcher_for(
        ("Neural networks", ()),
        ("Supervised learning", ()),
        ("Unsupervised learning", ()),
        ("Web scraping", ()),
        ("Web crawling", ()),
        ("GPUs", ()),
    )
    assert names(matcher, "a neural network model") == ["neural network"]
    assert names(matcher, "supervised and unsupervised learning") == ["supervised", "unsupervised learning"]
    assert names(matcher, "web scraping/crawling jobs") == ["web scraping", "crawling"]
    assert names(matcher, "CPU and GPU work") == ["GPU"]
    assert number_variants("Random forests") == ["Random forest"]
    assert number_variants("Decision tree") == ["Decision trees"]
    assert verb_variants("Debugging") == ["Debug", "Debugs"]
    assert verb_variants("Communication") == ["Communicate", "Communicates", "Communicating"]
    assert verb_variants("Machine learning") == []


def test_generic_heads_and_compound_heads_need_context() -> None:
    matcher = matcher_for(("Mathematical optimization", ("optimization",)), ("Algorithms", ()), ("Statistics", ()))
    assert names(matcher, "continuous process optimization of the stack") == []
    assert names(matcher, "statistics and optimization") == ["statistics", "optimization"]
    matcher = matcher_for(("Machine learning", ()), ("Algorithms", ()))
    assert names(matcher, "machine learning algorithms") == ["machine learning"]
    assert names(matcher, "data structures & algorithms") == ["algorithms"]


def test_one_letter_labels_respect_boundaries(vocab: Vocabulary) -> None:
    assert ids("Strong C programming, C-level sponsors, and an R&D budget.", vocab) == {"c"}
    assert ids("Our R-based tooling.", vocab) == {"r"}


def test_shorthands_share_words_and_heads() -> None:
    matcher = matcher_for(
        ("Large language models", ()),
        ("Multimodal models", ()),
        ("Analytical skills", ()),
        ("Problem-solving skills", ()),
        ("Interpersonal skills", ()),
        ("Communication skills", ()),
        ("Statistical modeling", ()),
        ("EDA tool development", ()),
        ("EDA flow development", ()),
        ("EDA tools", ()),
        ("Machine learning", ("ML",)),
    )
    assert names(matcher, "large language and multimodal models") == ["large language", "multimodal models"]
    assert names(matcher, "strong analytical and problem-solving skills") == ["analytical", "problem-solving skills"]
    assert names(matcher, "strong interpersonal and excellent communication skills") == [
        "interpersonal", "communication skills",
    ]
    assert names(matcher, "statistical and/or ML modeling techniques") == ["statistical", "ML"]
    assert names(matcher, "EDA tool and flow development") == ["EDA tool", "flow development"]
    # a comma list shares only a "skills" head: "regression, hypothesis testing" is no "regression testing"
    matcher = matcher_for(("Regression testing", ()), ("Hypothesis testing", ()))
    assert names(matcher, "statistics (e.g. regression, hypothesis testing)") == ["hypothesis testing"]


def test_a_label_ending_in_a_sign_is_found_beside_the_same_word_without_it() -> None:
    """"Security+" and "Security" mark alike for the automaton (the sign is no letter): each is a candidate, so the
    longer wins whichever of the two keys came first (the prebuilt matcher holds its keys sorted)."""
    for order in ((("Security", ()), ("Security+", ())), (("Security+", ()), ("Security", ()))):
        matcher = LabelMatcher([(label, SKILL + str(n)) for n, (label, _) in enumerate(order)])
        assert names(matcher, "Security+ or CEH; security reviews") == ["Security+", "security"]


def test_find_lines_is_find_per_line(vocab: Vocabulary) -> None:
    matcher = vocab.matcher("skills")
    lines = ["Python, Go and R.", "", "C/C++ - experience with Spark", "café – naïve’s C++", "Kafka"]
    assert matcher.find_lines(lines) == [matcher.find(line) for line in lines]


def test_a_list_ending_in_a_team_or_product_names_no_skill(vocab: Vocabulary) -> None:
    assert ids("Work with the Python, Kafka and Docker teams.", vocab) == set()
    assert ids("Verify Kafka (v3) and Docker designs.", vocab) == set()
    assert ids("Python, Kafka and Docker; teams of five.", vocab) == {"python", "kafka", "docker"}


def test_a_parenthesis_keeps_its_own_cue(vocab: Vocabulary) -> None:
    assert found("Python scripting (experience with Kafka a plus)", vocab) == {
        "python": "required", "kafka": "preferred",
    }
    assert found("Python (preferred)", vocab) == {"python": "preferred"}
    assert found("Scala and SQL; optimally with Kafka or Docker experience", vocab) == {
        "scala": "required", "sql": "required", "kafka": "preferred", "docker": "preferred",
    }


def test_the_following_carries_a_cue_to_its_items(vocab: Vocabulary) -> None:
    text = "Experience with any of the following will be given preference a. SQL skills b. Python, Kafka"
    assert found(text, vocab) == {"sql": "preferred", "python": "preferred", "kafka": "preferred"}


def test_a_higher_degree_after_a_bachelors_opens_the_preferred_part(vocab: Vocabulary) -> None:
    text = "+ skill set:\n\t- BS in EE or CS\n\t- Python and SQL\n\t- MS or PhD in EE\n\t- Kafka\n\t- Docker\n"
    [posting] = extract_text(text, "d.md", vocab=vocab)
    assert {m.label: m.level for m in posting.skills} == {
        "Python": "required", "SQL": "required", "Apache Kafka": "preferred", "Docker": "preferred",
    }


def test_a_degree_of_something_is_no_degree(vocab: Vocabulary) -> None:
    [posting] = extract_text("Needs a degree of Python skill and some Kafka.", "g.txt", vocab=vocab)
    assert {m.label for m in posting.skills} == {"Python", "Apache Kafka"} and posting.degrees == []


def test_skills_in_a_title_are_required(vocab: Vocabulary) -> None:
    text = "Machine Learning Engineer, Computer Vision\n\nNice to have:\n- Computer vision\n- Python\n"
    assert found(text, vocab) == {"machine-learning": "required", "computer-vision": "required", "python": "preferred"}
    # a one-word name in a title only makes a skill the text asks for required
    assert found("ML Engineer\n\nNice to have:\n- Python\n", vocab) == {"python": "preferred"}
    assert found("ML Engineer\n\nNice to have:\n- ML, Python\n", vocab) == {
        "machine-learning": "required", "python": "preferred"}


def test_sentences_about_the_company_name_no_skills(vocab: Vocabulary) -> None:
    text = (
        "Data Engineer\n"
        "Northwind builds robots with Python. We love Kafka. You will write SQL and use Docker.\n"
    )
    assert ids(text, vocab) == {"sql", "docker"}
