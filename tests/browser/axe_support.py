"""Run axe-core in a page: the engine comes from the installed axe-playwright-python, no CDN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
"""axe-core's own minified build, shipped inside the axe-playwright-python wheel."""
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return {version: axe.version, violations: results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300),
                              summary: n.failureSummary}))}))};
}"""


def run_axe(page: Any) -> dict[str, Any]:
    """Inject axe-core once per document and return its version and violations, as plain data."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result: dict[str, Any] = page.evaluate(RUN_AXE)
    return result


def describe(violation: dict[str, Any], node: dict[str, Any]) -> str:
    """One line per failing element: impact, rule, selector and a piece of its markup."""
    target = " ".join(str(part) for part in node["target"])
    return f"{violation['impact']} {violation['id']} at {target}: {node['html'][:160]}"
