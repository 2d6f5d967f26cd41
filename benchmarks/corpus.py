"""A synthetic posting corpus for benchmarks: own vocabulary and templates, dates, places, planted near-duplicates.

Every sentence comes from the templates below (written for this benchmark);
skill names are labels of kg's vocabulary so that extraction finds them. Dates
spread over 24 months with planted trends (some skills rise, some fall); places
come in the formats data sets use; a share of the postings are reposts of an
earlier posting with small edits, on another board or another day: the ground
truth for measuring near-duplicate detection.

    python benchmarks/corpus.py OUT_DIR [--postings 100000] [--near 0.05] [--seed 7]

writes ``OUT_DIR/postings.csv`` (the LinkedIn layout), ``OUT_DIR/postings.jsonl``
(JobSpy-like records) and ``OUT_DIR/truth.json`` (which row repeats which).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # role title variants, and the skills its postings draw from (the first ones most often)
    "data engineer": (("Data Engineer", "Senior Data Engineer", "Data Platform Engineer", "Big Data Engineer"),
                      ("Python", "SQL", "Apache Spark", "Apache Airflow", "Apache Kafka", "dbt", "Snowflake", "AWS",
                       "Docker", "Scala", "Terraform", "Databricks")),
    "data scientist": (("Data Scientist", "Senior Data Scientist", "Applied Scientist", "Data Scientist II"),
                       ("Python", "SQL", "pandas", "scikit-learn", "statistics", "machine learning", "R", "PyTorch",
                        "TensorFlow", "Tableau", "A/B testing", "XGBoost")),
    "machine learning engineer": (("Machine Learning Engineer", "ML Engineer", "Senior ML Engineer"),
                                  ("Python", "PyTorch", "TensorFlow", "Kubernetes", "Docker", "MLflow", "AWS",
                                   "machine learning", "deep learning", "C++", "Ray", "ONNX")),
    "data analyst": (("Data Analyst", "Business Data Analyst", "Senior Data Analyst"),
                     ("SQL", "Excel", "Tableau", "Power BI", "Python", "statistics", "Looker", "data visualization")),
    "devops engineer": (("DevOps Engineer", "Site Reliability Engineer", "Platform Engineer"),
                        ("Kubernetes", "Docker", "Terraform", "AWS", "Linux", "Prometheus", "Ansible", "Python",
                         "Go", "CI/CD", "Helm", "Grafana")),
    "software engineer": (("Software Engineer", "Backend Engineer", "Senior Software Engineer"),
                          ("Java", "Python", "Go", "PostgreSQL", "Docker", "Kubernetes", "REST APIs", "Git",
                           "TypeScript", "Redis", "gRPC", "microservices")),
}
#: Skills whose share grows (or shrinks) over the 24 months, for the trend queries.
RISING = ("dbt", "Ray", "Databricks", "Helm")
FALLING = ("Excel", "Ansible")
FIRST_NAMES = ("North", "Blue", "Silver", "Iron", "Bright", "Cedar", "Harbor", "Summit", "Quartz", "Maple",
               "Copper", "Lumen", "Pine", "Atlas", "Nova", "Delta", "Orbit", "Vertex", "Willow", "Beacon")
SECOND_NAMES = ("Analytics", "Labs", "Systems", "Data", "Robotics", "Health", "Logistics", "Energy", "Finance",
                "Media", "Retail", "Networks", "Bio", "Foods", "Mobility")
PLACES = ("Austin, TX", "Seattle, WA", "New York, NY", "San Francisco, CA", "Boston, MA", "Chicago, IL",
          "Denver, CO", "Atlanta, GA", "Berlin, Germany", "Munich, Germany", "London, United Kingdom",
          "Manchester, UK", "Paris, France", "Amsterdam, Netherlands", "Dublin, Ireland", "Toronto, ON, Canada",
          "Vancouver, BC, Canada", "Bangalore, Karnataka, India", "Singapore", "Sydney, NSW, Australia",
          "Remote", "Remote - US", "Remote (Germany)", "Hybrid - London, UK", "Zurich, Switzerland",
          "Stockholm, Sweden", "Warsaw, Poland", "Madrid, Spain", "Lisbon, Portugal", "Tel Aviv, Israel")
INTROS = (
    "{company} is growing its {team} team and is hiring a {title}.",
    "At {company}, the {team} group builds the systems our customers rely on every day.",
    "Join {company} as a {title} and help us turn raw data into decisions.",
    "{company} makes products for {market}; our {team} team is looking for a {title}.",
    "We are {company}, a {size} company working in {market}, and we need a {title}.",
)
DUTIES = (
    "You will design and run services that process {volume} of events.",
    "You will own a part of our platform end to end, from design to on-call.",
    "You will work closely with product managers and analysts on {market} problems.",
    "You will improve the reliability and cost of our {team} stack.",
    "You will mentor teammates and review their work.",
    "You will write clear documentation and share what you learn.",
    "You will help plan the roadmap of the {team} team for the next year.",
)
REQUIRED = (
    "You have at least {years} years of experience with {a} and {b}.",
    "Strong skills in {a} are required.",
    "You know {a} well and have shipped work with {b}.",
    "Experience with {a}, {b} and {c} is required.",
    "Hands-on experience with {a} in production.",
)
PREFERRED = (
    "Experience with {a} is a plus.",
    "Nice to have: {a} or {b}.",
    "Bonus points for knowledge of {a}.",
)
OUTROS = (
    "We offer flexible hours, a learning budget and a friendly team.",
    "Apply with your CV; we answer every application within two weeks.",
    "We welcome applicants from every background.",
    "Our interview has three short steps and no take-home task.",
)
TEAMS = ("data", "platform", "analytics", "infrastructure", "search", "payments", "growth", "research")
MARKETS = ("healthcare", "logistics", "retail", "banking", "energy", "travel", "education", "gaming")
SIZES = ("small", "mid-sized", "fast-growing", "well-established")
VOLUMES = ("millions", "billions", "terabytes", "thousands")
SYNONYMS = {"design": "build", "improve": "raise", "clear": "concise", "closely": "together",
            "friendly": "welcoming", "growing": "expanding", "help": "support", "systems": "tools"}
START = dt.date(2023, 1, 1)
MONTHS = 24


@dataclass
class Posting:
    """One generated posting."""

    title: str
    company: str
    description: str
    date: dt.date
    place: str
    salary: tuple[int, int] | None


def _skills(rng: random.Random, pool: tuple[str, ...], month: int, count: int) -> list[str]:
    """Skills for a posting, the first of the pool most often, with planted rising and falling ones."""
    weights = []
    for index, skill in enumerate(pool):
        weight = 1.0 / (1 + index * 0.35)
        if skill in RISING:
            weight *= 0.2 + 2.5 * month / MONTHS
        if skill in FALLING:
            weight *= 2.0 - 1.8 * month / MONTHS
        weights.append(weight)
    chosen: list[str] = []
    while len(chosen) < min(count, len(pool)):
        skill = rng.choices(pool, weights)[0]
        if skill not in chosen:
            chosen.append(skill)
    return chosen


def make_posting(rng: random.Random, number: int) -> Posting:
    """A new posting, with ``number`` making its text its own."""
    role = rng.choice(list(ROLES))
    titles, pool = ROLES[role]
    month = rng.randrange(MONTHS)
    date = (START.replace(year=START.year + (START.month - 1 + month) // 12, month=(START.month - 1 + month) % 12 + 1)
            + dt.timedelta(days=rng.randrange(28)))
    company = f"{rng.choice(FIRST_NAMES)} {rng.choice(SECOND_NAMES)}"
    title = rng.choice(titles)
    fill = {"company": company, "title": title, "team": rng.choice(TEAMS), "market": rng.choice(MARKETS),
            "size": rng.choice(SIZES), "volume": rng.choice(VOLUMES)}
    skills = _skills(rng, pool, month, rng.randint(4, 8))
    required, preferred = skills[: max(2, len(skills) - 2)], skills[max(2, len(skills) - 2):]
    parts = [rng.choice(INTROS).format(**fill), f"Requisition {number}."]
    parts += [d.format(**fill) for d in rng.sample(DUTIES, 3)]
    parts.append("What you bring:")
    for i in range(0, len(required), 2):
        group = [*required[i : i + 3], "", ""]
        parts.append(rng.choice(REQUIRED).format(years=rng.randint(2, 8), a=group[0], b=group[1] or group[0],
                                                 c=group[2] or group[0]))
    if preferred:
        parts.append("Nice to have:")
        parts.append(rng.choice(PREFERRED).format(a=preferred[0], b=preferred[-1]))
    parts.append(rng.choice(OUTROS))
    low = rng.randrange(60, 180) * 1000
    salary = (low, low + rng.randrange(10, 60) * 1000) if rng.random() < 0.6 else None
    return Posting(title, company, "\n".join(parts), date, rng.choice(PLACES), salary)


def repost(rng: random.Random, original: Posting) -> Posting:
    """The same posting again with small edits: a word or two changed, a line added or dropped, another day."""
    lines = original.description.split("\n")
    for edit in rng.sample(range(5), rng.randint(1, 3)):  # one to three small edits
        if edit == 0:
            line = rng.randrange(len(lines))
            lines[line] = " ".join(SYNONYMS.get(w, w) for w in lines[line].split())
        elif edit == 1:
            lines.insert(len(lines) - 1, rng.choice(OUTROS))
        elif edit == 2 and len(lines) > 8:
            del lines[rng.randrange(2, len(lines) - 1)]
        elif edit == 3:
            lines[0] = lines[0].replace(".", "!", 1)
            lines[-1] = lines[-1].rstrip(".") + " today."
        else:
            lines[1] = f"Reference {rng.randrange(10_000, 99_999)}."  # a board's own reference number
    description = "\n".join(lines)
    if rng.random() < 0.5:
        description = "<div>" + "".join(f"<p>{line}</p>" for line in description.split("\n")) + "</div>"
    return Posting(original.title, original.company, description,
                   original.date + dt.timedelta(days=rng.randrange(1, 20)), original.place, original.salary)


def corpus(count: int, near: float = 0.05, seed: int = 7) -> tuple[list[Posting], dict[int, int]]:
    """``count`` postings and the planted near-duplicates: index of a repost -> index of its original."""
    rng = random.Random(seed)
    postings: list[Posting] = []
    truth: dict[int, int] = {}
    for index in range(count):
        if index > 10 and rng.random() < near:
            original = rng.randrange(index)
            while original in truth:
                original = truth[original]
            truth[index] = original
            postings.append(repost(rng, postings[original]))
        else:
            postings.append(make_posting(rng, index))
    return postings, truth


LINKEDIN_HEADER = ["job_id", "company_name", "title", "description", "max_salary", "pay_period", "location",
                   "min_salary", "currency", "listed_time", "remote_allowed", "job_posting_url"]


def write(out: Path, postings: list[Posting], split: float = 0.5) -> tuple[Path, Path]:
    """The first ``split`` of the postings as a LinkedIn-layout CSV, the rest as JobSpy-like JSON Lines."""
    out.mkdir(parents=True, exist_ok=True)
    cut = int(len(postings) * split)
    csv_path, jsonl_path = out / "postings.csv", out / "postings.jsonl"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LINKEDIN_HEADER)
        for index, p in enumerate(postings[:cut]):
            stamp = int(dt.datetime.combine(p.date, dt.time(12), tzinfo=dt.UTC).timestamp() * 1000)
            low, high = p.salary or ("", "")
            writer.writerow([index, p.company, p.title, p.description, high, "YEARLY" if p.salary else "", p.place,
                             low, "USD" if p.salary else "", stamp, "1.0" if "Remote" in p.place else "",
                             f"https://example.invalid/jobs/{index}"])
    with jsonl_path.open("w", encoding="utf-8") as handle:
        for index, p in enumerate(postings[cut:], start=cut):
            low, high = p.salary or (None, None)
            handle.write(json.dumps({"id": f"jb-{index}", "site": "example", "job_url": f"https://example.invalid/{index}",
                                     "title": p.title, "company": p.company, "location": p.place,
                                     "date_posted": p.date.isoformat(), "interval": "yearly" if p.salary else None,
                                     "min_amount": low, "max_amount": high, "currency": "USD" if p.salary else None,
                                     "is_remote": "Remote" in p.place, "description": p.description}) + "\n")
    return csv_path, jsonl_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--near", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    postings, truth = corpus(args.postings, args.near, args.seed)
    for path in write(args.out, postings):
        print(path, path.stat().st_size)
    (args.out / "truth.json").write_text(json.dumps({str(k): v for k, v in truth.items()}), encoding="utf-8")


if __name__ == "__main__":
    main()
