"""Helpers for the drawing tests: test graphs, and a headless Chromium with the network cut off.

Imported by ``test_viz.py``, ``test_report.py`` and ``test_browser.py``; holds no fixtures.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.lookup_keys import key_quads
from kg.namespaces import COMPANY, CORE_GRAPH, DOMAIN, KG, POSTING, PROV, RDF, ROLE, SKILL, SKOS, SOURCE, XSD

DATA = Path(__file__).parent / "data" / "viz"
TINY = DATA / "tiny.ttl"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

#: Labels that break a page that pastes data into HTML or a script.
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>window.pwned=1</script>"

#: A link or script that would fetch something from the network.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def indexed(db: ox.Store) -> ox.Store:
    """``db`` with the lookup keys of its labels, the tallies of its postings and its summaries, derived again, as
    every write of kg does."""
    from kg import derive, summaries

    db.extend(list(key_quads(list(db), default=ox.NamedNode(CORE_GRAPH))))
    derive.refresh(db)  # what kg load derives of an older kg's file: the tallies it lacks
    summaries.refresh(db)
    return db


def tiny_store() -> ox.Store:
    """An in-memory store holding ``tests/data/viz/tiny.ttl``, with its lookup keys."""
    db = ox.Store()
    db.load(path=str(TINY), format=ox.RdfFormat.TURTLE)
    return indexed(db)


def iri(kind: str, local: str) -> str:
    """``iri("skill", "pytorch")`` → the full IRI of that entity."""
    return {"skill": SKILL, "role": ROLE, "company": COMPANY, "domain": DOMAIN, "posting": POSTING}[kind] + local


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _label(subject: str, text: str) -> ox.Quad:
    return ox.Quad(_n(subject), _n(SKOS + "prefLabel"), ox.Literal(text, language="en"))


def _typed(subject: str, cls: str) -> ox.Quad:
    return ox.Quad(_n(subject), _n(RDF + "type"), _n(KG + cls))


def xss_store() -> ox.Store:
    """The tiny store plus a skill and a role whose labels are HTML and script injections."""
    db = tiny_store()
    evil_skill, evil_role = iri("skill", "evil-img"), iri("role", "evil-script")
    db.extend([
        _typed(evil_skill, "Skill"), _label(evil_skill, XSS_IMG),
        ox.Quad(_n(evil_skill), _n(KG + "partOfDomain"), _n(iri("domain", "ml"))),
        _typed(evil_role, "Role"), _label(evil_role, XSS_SCRIPT),
        ox.Quad(_n(evil_role), _n(KG + "requiresSkill"), _n(evil_skill)),
        ox.Quad(_n(evil_role), _n(KG + "prefersSkill"), _n(iri("skill", "python"))),
        ox.Quad(_n(iri("company", "acme")), _n(KG + "hires"), _n(evil_role)),
    ])
    return indexed(db)


def synthetic_store(seed: int = 11, roles: int = 40, skills: int = 900, companies: int = 60, domains: int = 30,
                    postings: int = 400) -> ox.Store:
    """A graph the size of the real one (1,000+ entities), made up deterministically from ``seed``."""
    rng = random.Random(seed)
    quads: list[ox.Quad] = []
    domain_iris = [iri("domain", f"d{i:02d}") for i in range(domains)]
    for i, d in enumerate(domain_iris):
        quads += [_typed(d, "Domain"), _label(d, f"Domain {i:02d}")]
        if i >= 8:
            quads.append(ox.Quad(_n(d), _n(SKOS + "broader"), _n(domain_iris[i % 8])))
    skill_iris = [iri("skill", f"s{i:04d}") for i in range(skills)]
    for i, s in enumerate(skill_iris):
        quads += [_typed(s, "Skill"), _label(s, f"Skill {i:04d}"),
                  ox.Quad(_n(s), _n(KG + "partOfDomain"), _n(rng.choice(domain_iris)))]
    profiles: dict[str, list[tuple[str, str]]] = {}
    for i in range(roles):
        r = iri("role", f"r{i:02d}")
        quads += [_typed(r, "Role"), _label(r, f"Role {i:02d}")]
        popular = rng.sample(skill_iris[:60], 4)
        profiles[r] = [(s, "requiresSkill" if k % 2 == 0 else "prefersSkill")
                       for k, s in enumerate(popular + rng.sample(skill_iris, 10))]
        quads += [ox.Quad(_n(r), _n(KG + level), _n(s)) for s, level in profiles[r]]
    role_iris = sorted(profiles)
    for i in range(companies):
        c = iri("company", f"c{i:02d}")
        quads += [_typed(c, "Company"), _label(c, f"Company {i:02d}")]
        quads += [ox.Quad(_n(c), _n(KG + "hires"), _n(r)) for r in rng.sample(role_iris, rng.randint(1, 4))]
    for i in range(postings):
        p, r, c = iri("posting", f"p{i:04d}"), rng.choice(role_iris), iri("company", f"c{rng.randrange(companies):02d}")
        doc = SOURCE + f"file{i % 5}"
        quads += [_typed(p, "JobPosting"), ox.Quad(_n(p), _n(KG + "forRole"), _n(r)),
                  ox.Quad(_n(p), _n(KG + "postedBy"), _n(c)),
                  ox.Quad(_n(p), _n(KG + "startLine"), ox.Literal(str(10 * i + 1), datatype=_n(XSD + "integer"))),
                  ox.Quad(_n(p), _n(PROV + "wasDerivedFrom"), _n(doc)),
                  ox.Quad(_n(doc), _n(KG + "sourceFile"), ox.Literal(f"postings/file{i % 5}.txt"))]
        quads += [ox.Quad(_n(p), _n(KG + level), _n(s)) for s, level in rng.sample(profiles[r], 5)]
    db = ox.Store()
    db.extend(quads)
    return indexed(db)


def screenshot_dir(tmp_path: Path) -> Path:
    """``$KG_SCREENSHOTS`` if set, else a folder under ``tmp_path``."""
    folder = Path(os.environ["KG_SCREENSHOTS"]) if os.environ.get("KG_SCREENSHOTS") else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def browser_required() -> bool:
    return os.environ.get("KG_REQUIRE_BROWSER") == "1"


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when ``KG_REQUIRE_BROWSER=1`` (CI must not skip browser tests)."""
    if browser_required():
        pytest.fail(f"KG_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by playwright; skips (or fails, see :func:`unavailable`) without one."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not executable:
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"chromium does not start: {exc}")
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OpenPage:
    """A page loaded offline, with everything it complained about or tried to fetch."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.dialogs == [], self.dialogs
        assert self.blocked == [], f"the page tried to reach the network: {self.blocked}"


class OfflineTab:
    """One page of a browser, offline (every request but ``file:``, ``data:`` and ``blob:`` aborted), that each
    :func:`open_offline` loads a page into at the size it asks for.

    A new browser context and page for each open cost Chromium about 0.8 s of CPU (a renderer process started
    and torn down); loading into the same page costs a third of that. What a test could leave behind is reset
    at each open: the viewport, the emulated media, and the page itself (``about:blank`` after each use).
    """

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.current: OpenPage | None = None
        self._page: Any = None

    def page(self) -> Any:
        """The tab's page, made (in a context of its own) on first use or after a test broke it."""
        if self._page is None or self._page.is_closed():
            context = self.browser.new_context()
            context.route("**/*", self._route)
            context.set_offline(True)
            page = context.new_page()
            page.on("console", lambda message: self._record("console_errors", message.text)
                    if message.type == "error" else None)
            page.on("pageerror", lambda error: self._record("page_errors", str(error)))
            page.on("dialog", self._dialog)
            self._page = page
        return self._page

    def _record(self, kind: str, what: str) -> None:
        if self.current is not None:
            getattr(self.current, kind).append(what)

    def _route(self, request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            self._record("blocked", url)
            request_route.abort()

    def _dialog(self, dialog: Any) -> None:
        self._record("dialogs", dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        if self._page is not None:
            self._page.context.close()
            self._page = None


@contextmanager
def open_offline(tab: OfflineTab, path: Path, width: int = 1400, height: int = 900) -> Iterator[OpenPage]:
    """Open ``path`` as a file:// URL in ``tab`` at ``width`` x ``height``, offline: what the page complained
    about or tried to fetch is recorded in the :class:`OpenPage`."""
    page = tab.page()
    result = OpenPage(page=page)
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(media="screen")
    tab.current = result
    try:
        page.goto(path.resolve().as_uri())
        yield result
    finally:
        tab.current = None
        try:
            page.mouse.up()
            page.goto("about:blank")
        except Exception:  # noqa: BLE001 - a page the test broke is replaced at the next open
            tab.close()


def wait_ready(page: Any, timeout_ms: int = 90_000) -> None:
    """Wait until the drawing is drawn and its labels are placed."""
    page.wait_for_function("window.kgReady === true", timeout=timeout_ms)
