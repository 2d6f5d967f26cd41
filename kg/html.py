"""The HTML pages kg writes: Jinja2 templates from ``kg/templates/`` with autoescaping on."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


def render(template: str, **context: Any) -> str:
    """Render ``kg/templates/<template>``; every ``{{ value }}`` is HTML-escaped unless marked safe."""
    return _environment().get_template(template).render(**context)


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators escaped.

    Keys are sorted, so the same value always gives the same text.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("kg", "templates"), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)
