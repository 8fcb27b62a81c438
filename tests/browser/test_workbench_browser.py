"""End to end in a real browser: JupyterLab runs the start-here notebook, then a learner's
clicks on its workbench (create and expose a deployment, fail a pod's readiness) must change
the picture and the endpoints table on the page, not just in the kernel.

Controls are found as a learner finds them, by role, label and text. A screenshot is saved to
a temporary path, or to docs/screenshot.png (the README's) when KUBENET_SCREENSHOT=1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from tests.browser.conftest import Lab

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "00-start-here.ipynb"
DEPLOYMENT = "webapp1"
REPLICAS = 3
TIMEOUT_MS = 30_000
"""How long one step may take in the page (a click's round trip to the kernel, a wait)."""
RUN_ALL_TIMEOUT_MS = 60_000
"""How long opening the notebook and running all its cells may take."""
SCREENSHOT_SIZE = {"width": 1400, "height": 1600}

# Opens the notebook through JupyterLab's own commands and runs every cell once its kernel is
# ready: a Run All issued before `sessionContext.ready` can be silently lost on a fresh server.
# Resolves after the last cell has run, with whether they all succeeded; rejects on timeout
# (page.evaluate itself would wait for ever).
RUN_ALL = """async ([path, timeout]) => {
    const run = async () => {
        const app = window.jupyterapp;
        await app.restored;
        const panel = await app.commands.execute('docmanager:open', {path});
        await panel.context.ready;
        await panel.sessionContext.ready;
        app.shell.activateById(panel.id);
        return await app.commands.execute('notebook:run-all-cells');
    };
    const late = new Promise((_, reject) => setTimeout(
        () => reject(new Error(`${path}: not run within ${timeout} ms`)), timeout));
    return await Promise.race([run(), late]);
}"""

# The workbench's picture as {node title: its label}, from the SVG Graphviz drew.
PICTURE_NODES = """(svg) => Object.fromEntries(
    [...svg.querySelectorAll('g.node')].map((node) => [
        node.querySelector('title').textContent,
        [...node.querySelectorAll('text')].map((text) => text.textContent).join(' | '),
    ])
)"""

# The endpoints table as a list of {column: cell text}.
TABLE_ROWS = """(table) => {
    const columns = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    return [...table.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries(
        [...tr.querySelectorAll('td')].map((td, i) => [columns[i], td.textContent])
    ));
}"""


def run_notebook(page: Page, lab: Lab) -> Locator:
    """Open the notebook, run all its cells, and return the workbench in the page."""
    page.goto(lab.tree(NOTEBOOK))
    page.wait_for_function("() => window.jupyterapp !== undefined")
    succeeded = page.evaluate(RUN_ALL, [NOTEBOOK, RUN_ALL_TIMEOUT_MS])
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.all_inner_texts() == []
    assert succeeded is True
    heading = page.get_by_role("heading", name="Workbench: namespace default")
    return page.locator(".jp-OutputArea-output > .widget-vbox").filter(has=heading)


def picture(bench: Locator) -> dict[str, str]:
    """The workbench's picture as {node title: its label lines joined by ` | `}."""
    return bench.locator("svg").evaluate(PICTURE_NODES)


def endpoints(bench: Locator, service: str) -> list[dict[str, str]]:
    """The rows of the workbench's endpoints table for one Service."""
    table = bench.locator("table").filter(has=bench.page.locator("th", has_text="endpoint_ip"))
    return [row for row in table.evaluate(TABLE_ROWS) if row["service"] == service]


def status(bench: Locator, text: str) -> None:
    """Wait until the workbench's status line reports `text`: the action's round trip.

    The workbench redraws its picture and table before its status line, and JupyterLab
    handles a kernel's messages one after the other (each comm message awaited), so once the
    status shows, the picture and the table on the page are the new ones.
    """
    bench.locator("pre", has_text=text).first.wait_for()


def save_screenshot(page: Page, bench: Locator, path: Path) -> None:
    """JupyterLab with the workbench at the top of the notebook, from its tabs down to the
    endpoints table (JupyterLab only paints what is in view)."""
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    page.set_viewport_size(SCREENSHOT_SIZE)
    bench.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def screenshot_path(tmp_path: Path) -> Path:
    """docs/screenshot.png when asked for with KUBENET_SCREENSHOT=1, else a temporary file."""
    if os.environ.get("KUBENET_SCREENSHOT") == "1":
        return REPO / "docs" / "screenshot.png"
    return tmp_path / "screenshot.png"


def test_workbench_clicks_change_the_picture_and_the_endpoints_table(
    page: Page, lab: Lab, tmp_path: Path
) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    bench = run_notebook(page, lab)
    bench.wait_for()
    service = f"svc/default/{DEPLOYMENT}"
    assert service not in picture(bench)
    assert endpoints(bench, DEPLOYMENT) == []

    bench.get_by_role("tab", name="Deploy").click()
    bench.get_by_label("Name", exact=True).fill(DEPLOYMENT)
    replicas = bench.get_by_label("Replicas", exact=True)
    replicas.fill(str(REPLICAS))
    replicas.press("Tab")  # an IntText sends its value on change, not on each keystroke
    bench.get_by_role("button", name="Create deployment").click()
    status(bench, f"deployment.apps/{DEPLOYMENT} created")

    bench.get_by_role("tab", name="Expose").click()
    bench.get_by_role("button", name="Create service").click()
    status(bench, f"service/{DEPLOYMENT} created")
    nodes = picture(bench)
    assert service in nodes
    pods = sorted(title.rpartition("/")[2] for title in nodes if title.startswith("pod/"))
    assert len(pods) == REPLICAS
    assert all(nodes[f"pod/default/{pod}"].endswith(" · ready | app=webapp1") for pod in pods)
    rows = endpoints(bench, DEPLOYMENT)
    assert sorted(row["pod"] for row in rows) == pods
    assert {row["ready"] for row in rows} == {"True"}

    failed = pods[-1]
    bench.get_by_role("tab", name="Scale & pods").click()
    choice = bench.get_by_label("Pod", exact=True)  # options read `name · state · node`
    choice.select_option(label=choice.locator("option", has_text=failed).inner_text())
    bench.get_by_role("button", name="Fail readiness").click()
    status(bench, f"pod {failed}: readiness probe failing")
    nodes = picture(bench)
    assert nodes[f"pod/default/{failed}"].endswith(" · not ready | app=webapp1")
    assert all(nodes[f"pod/default/{pod}"].endswith(" · ready | app=webapp1") for pod in pods[:-1])
    ready = {row["pod"]: (row["ready"], row["serving"]) for row in endpoints(bench, DEPLOYMENT)}
    # A pod that is not ready stays in the EndpointSlice, with ready and serving false
    # (kubernetes/kubernetes staging/src/k8s.io/endpointslice/utils.go, podToEndpoint).
    assert ready == {pod: ("False", "False") if pod == failed else ("True", "True") for pod in pods}

    shot = screenshot_path(tmp_path)
    save_screenshot(page, bench, shot)
    assert shot.read_bytes().startswith(b"\x89PNG")
