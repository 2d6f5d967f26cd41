"""Commands for people: gap, match, next, related, similar-roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from kg.cli.common import (
    ENDPOINT,
    VOCAB,
    parse_skills,
    print_json,
    print_table,
    say,
    source_of,
    write_output,
)
from kg.numbers import percent

if TYPE_CHECKING:
    from kg.analytics import Profiles

FORMAT = click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
HAVE = click.option("--have", "have", multiple=True, required=True, metavar="SKILLS",
                    help="Your skills, comma-separated (aliases and any case work); repeatable.")
TOP = click.option("--top", type=click.IntRange(1, 500), default=10, show_default=True, help="How many rows.")
SINCE = click.option("--since", metavar="DATE", help="Weigh skills by the postings posted on or after this date only.")
LOCATION = click.option("--location", metavar="TEXT",
                        help="Weigh skills by the postings in this place only: a city, region, country or remote.")


def _profiles(ctx: click.Context, endpoint: str | None, vocab: str | None, roles: list[str] | None = None,
              since: str | None = None, location: str | None = None, only_named: bool = False) -> Profiles:
    """The profiles to answer from: kg's own roles, those of ``--vocab``, or those the role names are found in
    (``only_named``: those roles' only)."""
    from kg.analytics import Profiles, filters

    day, place = filters(since, location)
    return Profiles.of(source_of(ctx, endpoint), vocabulary=vocab, roles=roles or (), since=day, location=place,
                       only_named=only_named)


def _notes(ctx: click.Context, profiles: Profiles) -> list[dict[str, object]]:
    """Say which concept each name was taken to mean where another vocabulary has one too; the JSON of the names."""
    for note in profiles.notes():
        say(ctx, note)
    return [found.to_json() for found in profiles.resolved]


@click.command()
@HAVE
@click.option("--role", required=True, help="The role you aim for (any label or alias).")
@FORMAT
@click.option("--html", "html", metavar="FILE", help="Also draw the role's skills, coloured have/missing.")
@SINCE
@LOCATION
@ENDPOINT
@VOCAB
@click.pass_context
def gap(ctx: click.Context, have: tuple[str, ...], role: str, fmt: str, html: str | None, since: str | None,
        location: str | None, endpoint: str | None, vocab: str | None) -> None:
    """What you have and what you miss for a role, most important first.

    Coverage weighs required skills more than preferred ones, and skills that
    more of the role's postings ask for more.

    \b
    Examples:
      kg gap --have "python, sql, pandas" --role "data scientist"
      kg gap --have "python, sql" --role "data engineer" --since 2024-01-01 --location Germany
    """
    from kg.analytics import Profiles, filters
    from kg.analytics import gap as compute

    source = source_of(ctx, endpoint)
    day, place = filters(since, location)
    profiles = Profiles.of(source, vocabulary=vocab, roles=[role], since=day, location=place, only_named=True)
    result = compute(profiles, profiles.resolve_skills(parse_skills(have)), profiles.resolve_role(role))
    names = _notes(ctx, profiles)
    if html:
        from kg.viz import gap_page

        write_output(gap_page(source, result).encode("utf-8"), html)
        say(ctx, f"wrote {html}")
    if fmt == "json":
        print_json({**result.to_json(), "names": names})
        return
    basis = f"from {result.postings:,} posting{'' if result.postings == 1 else 's'}"
    thin = f" ({result.thin})" if result.thin else ""
    click.echo(f"{result.label}: {percent(result.coverage)} covered, {basis}{thin}")
    # the order's reason: importance (the postings' share, with the curated profile as a prior), halved if preferred
    rows = [{"status": status, "label": m.label, "level": m.level, "importance": percent(m.importance),
             "support": m.support, "share": m.share}
            for status, skills in (("have", result.matched), ("missing", result.missing)) for m in skills]
    print_table(rows, ["status", "label", "level", "importance", "support", "share"])


@click.command()
@HAVE
@TOP
@FORMAT
@SINCE
@LOCATION
@ENDPOINT
@VOCAB
@click.pass_context
def match(ctx: click.Context, have: tuple[str, ...], top: int, fmt: str, since: str | None,
          location: str | None, endpoint: str | None, vocab: str | None) -> None:
    """Rank the roles by how well your skills cover them.

    Each score says how many postings it rests on; fewer than 5 is marked thin.

    \b
    Examples:
      kg match --have "python, sql, spark, kafka, airflow"
      kg match --have "python, sql" --since 2024-06-01 --location remote
    """
    from kg.analytics import match as compute

    profiles = _profiles(ctx, endpoint, vocab, since=since, location=location, only_named=True)
    roles = compute(profiles, profiles.resolve_skills(parse_skills(have)), top)
    names = _notes(ctx, profiles)
    if fmt == "json":
        print_json({"roles": [r.to_json() for r in roles], "names": names})
        return
    print_table([{"role": r.role, "coverage": r.score, "postings": r.postings, "thin": r.thin,
                  "matched": len(r.matched), "missing": len(r.missing), "top missing": ", ".join(r.missing[:3])}
                 for r in roles])


@click.command(name="next")
@HAVE
@click.option("--roles", "roles", multiple=True, metavar="ROLES",
              help="Only these roles (comma-separated); default all.")
@TOP
@FORMAT
@ENDPOINT
@VOCAB
@click.pass_context
def next_cmd(ctx: click.Context, have: tuple[str, ...], roles: tuple[str, ...], top: int, fmt: str,
             endpoint: str | None, vocab: str | None) -> None:
    """The skills that would raise your coverage most: what to learn next.

    Example: kg next --have "python, sql" --roles "data engineer, ML engineer"
    """
    from kg.analytics import next_skills

    role_names = parse_skills(roles)
    profiles = _profiles(ctx, endpoint, vocab, role_names, only_named=True)
    targets = [profiles.resolve_role(name) for name in role_names]
    skills = next_skills(profiles, profiles.resolve_skills(parse_skills(have)), targets or None, top)
    names = _notes(ctx, profiles)
    if fmt == "json":
        print_json({"skills": [s.to_json() for s in skills], "names": names})
        return
    print_table([{"label": s.label, "gain": s.gain, "roles": s.roles, "postings": s.postings, "thin": s.thin}
                 for s in skills])


@click.command()
@click.argument("skill")
@TOP
@FORMAT
@ENDPOINT
@VOCAB
@click.pass_context
def related(ctx: click.Context, skill: str, top: int, fmt: str, endpoint: str | None, vocab: str | None) -> None:
    """The skills that go with SKILL: asked for together in postings and roles (Jaccard).

    Example: kg related pytorch --top 5
    """
    from kg.analytics import related_to as compute
    from kg.lookup import Names

    source = source_of(ctx, endpoint)
    found = Names(source, vocab).resolve(skill, "Skill")
    if note := found.note():
        say(ctx, note)
    skills = compute(source, found.iri, top)
    if fmt == "json":
        print_json({"skills": [s.to_json() for s in skills], "names": [found.to_json()]})
        return
    if not skills:
        from kg.analytics import MIN_TOGETHER, asked_by

        asked = asked_by(source, found.iri)
        click.echo(f"(no rows: no skill is asked for together with {found.label!r} by {MIN_TOGETHER} or more "
                   f"postings or roles; {asked:,} posting(s) and role(s) ask for it in all)", err=True)
        return
    print_table([{"label": s.label, "score": s.score, "together": s.together} for s in skills])


@click.command(name="similar-roles")
@click.argument("role")
@TOP
@FORMAT
@ENDPOINT
@VOCAB
@click.pass_context
def similar_roles(ctx: click.Context, role: str, top: int, fmt: str, endpoint: str | None, vocab: str | None) -> None:
    """The roles whose skill profiles are closest to ROLE's (cosine).

    Example: kg similar-roles "data engineer"
    """
    from kg.analytics import similar_roles as compute

    profiles = _profiles(ctx, endpoint, vocab, [role], only_named=True)
    roles = compute(profiles, profiles.resolve_role(role), top)
    names = _notes(ctx, profiles)
    if fmt == "json":
        print_json({"roles": [r.to_json() for r in roles], "names": names})
        return
    print_table([{"role": r.label, "score": r.score, "shared": len(r.shared)} for r in roles])


COMMANDS = [gap, match, next_cmd, related, similar_roles]
