"""The JavaScript a drawing inlines, vendored in ``kg/viz/vendor/`` with their licences: sigma.js and graphology
for the whole graph, vis-network for focused views."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources

#: The files the whole graph's page inlines, in the order they run.
SCRIPTS = ("graphology.umd.min.js", "sigma.min.js")
#: The files a focused view's page inlines.
NETWORK_SCRIPTS = ("vis-network.min.js",)

_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


@cache
def manifest() -> dict[str, dict[str, str]]:
    """``vendor.json``: each file's package, version, licence file and SHA-256."""
    found: dict[str, dict[str, str]] = json.loads(_vendor("vendor.json").decode("utf-8"))
    return found


@cache
def script(name: str) -> str:
    """A vendored script, checked against its recorded hash, ready to inline in a ``<script>`` element.

    Raises:
        RuntimeError: the file differs from the one recorded, or could close the element it sits in.
    """
    data = _vendor(name)
    expected = manifest()[name]["sha256"]
    if hashlib.sha256(data).hexdigest() != expected:
        raise RuntimeError(f"kg/viz/vendor/{name} is not the file vendor.json records (sha256 {expected})")
    text = _SOURCE_MAP.sub("", data.decode("utf-8"))
    if "</script" in text.lower() or "<!--" in text:
        raise RuntimeError(f"{name} cannot be inlined: it contains a closing tag")
    return text


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """Package → version of the files ``names``, for the page's ``generator`` note."""
    return {manifest()[name]["package"]: manifest()[name]["version"] for name in names}


def _vendor(name: str) -> bytes:
    return resources.files("kg.viz").joinpath("vendor", name).read_bytes()
