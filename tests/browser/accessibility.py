"""Accessibility checks every browser journey makes on each page it visits.

``assert_accessible(page)`` runs axe-core (installed from npm as a dev dependency, read
from node_modules, never served by the site) with the WCAG 2.1 A and AA rules and the
best practices, and fails with one line per problem: the rule, its impact, what it asks
and the elements it found. On a phone-sized viewport (400 px or narrower) it also checks
that the page does not scroll sideways.
"""

from __future__ import annotations

import os
import re
import warnings
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE_MAX_WIDTH = 400

# Runs a journey at a laptop's width and at a phone's (the viewport fixture, conftest.py).
both_widths = pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)

# Pages known to scroll sideways on a phone, being fixed on another branch (issue 16:
# the header that collapses on phones, the round review's and the goals' tables, the
# mentor search's filters). Their overflow is reported, not failed; axe still runs.
KNOWN_PHONE_OVERFLOW: dict[str, str] = {}


class KnownPhoneOverflow(UserWarning):
    """A phone-width overflow another branch is fixing (see KNOWN_PHONE_OVERFLOW)."""


@cache
def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make install` (npm ci installs it)")
    return AXE.read_text(encoding="utf-8")


def _settle(page) -> None:
    """Wait for the page to load and for htmx to finish swapping."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    _settle(page)
    # evaluate runs in the page through the DevTools protocol: the site's CSP (no inline
    # script) does not apply to it, as it would to a <script> tag added by the test.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
                summaries: v.nodes.map((n) => n.failureSummary),
            }));
        }""",
        TAGS,
    )


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for target, summary in list(zip(v["targets"], v["summaries"], strict=True))[:8]:
            first = (summary or "").splitlines()[1:2]
            lines.append(f"    {target}" + (f"  [{first[0].strip()}]" if first else ""))
        if len(v["targets"]) > 8:
            lines.append(f"    ... and {len(v['targets']) - 8} more")
    return "\n".join(lines)


def sideways_overflow(page, width: int) -> int:
    """How many CSS pixels the page is wider than the viewport (0 or less: it fits).

    Compared with the viewport's set width, not window.innerWidth: a mobile browser
    widens its layout viewport to fit content that overflows."""
    return page.evaluate("(width) => document.documentElement.scrollWidth - width", width)


def known_overflow(url: str) -> str | None:
    for pattern, note in KNOWN_PHONE_OVERFLOW.items():
        if re.search(pattern, url):
            return note
    return None


def assert_accessible(page, what: str = "") -> None:
    """No axe-core violation of any impact; on a phone, no sideways scrolling."""
    where = what or page.url
    violations = axe_violations(page)
    problems = []
    if violations:
        problems.append(f"axe-core found {len(violations)} problem(s):\n{_describe(violations)}")
    width = page.viewport_size["width"] if page.viewport_size else 1280
    if width <= PHONE_MAX_WIDTH:
        overflow = sideways_overflow(page, width)
        if overflow > 0:
            note = known_overflow(page.url)
            if note:
                # Reported in the run's warnings, not failed, until that branch lands.
                warnings.warn(
                    f"{where} scrolls sideways by {overflow}px at {width}px wide: {note}",
                    KnownPhoneOverflow,
                    stacklevel=2,
                )
            else:
                wide = page.evaluate(
                    """(width) => [...document.querySelectorAll('body *')]
                        .filter((e) => e.getBoundingClientRect().right > width + 1)
                        .filter((e) => ![...e.children].some(
                            (c) => c.getBoundingClientRect().right > width + 1))
                        .slice(0, 8)
                        .map((e) => e.tagName.toLowerCase()
                            + (e.id ? '#' + e.id : '')
                            + (e.className && typeof e.className === 'string'
                                ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                            + ' (right edge ' + Math.round(e.getBoundingClientRect().right)
                            + 'px)')""",
                    width,
                )
                problems.append(
                    f"the page scrolls sideways by {overflow}px at {width}px wide; "
                    f"too wide: {', '.join(wide) or '?'}"
                )
    if problems and os.environ.get("AXE_COLLECT"):
        # A survey, not a test: every page's problems appended to a file, the journey
        # goes on (AXE_COLLECT=var/axe.txt pytest -m browser).
        with open(os.environ["AXE_COLLECT"], "a", encoding="utf-8") as survey:
            survey.write(f"## {where} @{width}px\n" + "\n".join(problems) + "\n\n")
        return
    if problems:
        pytest.fail(f"{where} is not accessible:\n" + "\n".join(problems), pytrace=False)
