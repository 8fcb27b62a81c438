"""End to end in a real browser: JupyterLab runs the start-here notebook, then a learner's
clicks on its workbench (create and expose a deployment, trace and send, fail a pod's
readiness) must change the picture and the endpoints table on the page, not just in the
kernel; after every click the picture stays in view, whole, its legend small and its labels
inside their boxes, and nothing in the app is cut off at its right edge.

Controls are found as a learner finds them, by role, label and text. A screenshot is saved to
a temporary path, or to docs/screenshot.png (the README's) when KUBENET_SCREENSHOT=1.
"""

from __future__ import annotations

import os
import re
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
LEGEND_SHARE = 0.12
"""The most of the picture's area its legend may take."""

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

# Where the picture is in the notebook's visible area (px from each edge, negative when out of
# view) and the share of its area the legend takes.
PICTURE_PLACE = """(svg) => {
    const scroller = svg.closest('.jp-WindowedPanel-outer') || document.documentElement;
    const area = scroller.getBoundingClientRect();
    const box = svg.getBoundingClientRect();
    const legend = [...svg.querySelectorAll('g.cluster')].find(
        (g) => g.querySelector('title').textContent === 'cluster_legend');
    const key = legend ? legend.getBoundingClientRect() : {width: 0, height: 0};
    return {
        top: box.top - area.top, bottom: area.bottom - box.bottom,
        left: box.left - area.left, right: area.right - box.right,
        legend: (key.width * key.height) / (box.width * box.height),
    };
}"""

# The texts drawn outside their box: for each node and cluster with an outline, every text
# whose bounding box (as the browser lays it out, in its font) leaves the outline's.
LABELS_OUTSIDE = """(svg) => {
    const outside = [];
    for (const group of svg.querySelectorAll('g.node, g.cluster')) {
        const outline = [...group.children].filter(
            (e) => ['polygon', 'path', 'ellipse'].includes(e.tagName));
        const title = group.querySelector('title').textContent;
        if (title === 'legend' || outline.length === 0) continue;  // the legend: shape=plain
        const boxes = outline.map((e) => e.getBBox());
        const x0 = Math.min(...boxes.map((b) => b.x));
        const y0 = Math.min(...boxes.map((b) => b.y));
        const x1 = Math.max(...boxes.map((b) => b.x + b.width));
        const y1 = Math.max(...boxes.map((b) => b.y + b.height));
        for (const text of group.querySelectorAll('text')) {
            const b = text.getBBox();
            if (b.x < x0 || b.y < y0 || b.x + b.width > x1 || b.y + b.height > y1) {
                outside.push(`${title}: ${text.textContent}`);
            }
        }
    }
    return outside;
}"""

# The picture's caption: the texts drawn outside every node, cluster and edge.
CAPTION = """(svg) => [...svg.querySelectorAll('text')]
    .filter((text) => !text.closest('g.node, g.cluster, g.edge'))
    .map((text) => text.textContent).join(' ')"""

# Whether an element (shown or folded away) comes before a page height: its <details>' top.
ABOVE = "(element, y) => element.closest('details').getBoundingClientRect().top < y"

# Whether a view is narrower than its table and scrolls across all of it.
SCROLLS_TO_ALL = """(view) => view.scrollWidth > view.clientWidth
    && view.scrollWidth >= view.querySelector('table').getBoundingClientRect().width
    && ['auto', 'scroll'].includes(getComputedStyle(view).overflowX)"""

# How far the workbench's content reaches past its right edge (px; 0 when nothing is cut).
OVERFLOW = "(bench) => bench.scrollWidth - bench.clientWidth"

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


def assert_picture_in_view(bench: Locator) -> None:
    """The picture whole in the notebook's visible area, its legend a small part of it, its
    labels inside their boxes, and nothing in the app reaching past its right edge."""
    svg = bench.locator("svg")
    place = svg.evaluate(PICTURE_PLACE)
    assert min(place["top"], place["bottom"], place["left"], place["right"]) >= 0, place
    assert place["legend"] <= LEGEND_SHARE, place
    assert svg.evaluate(LABELS_OUTSIDE) == []
    assert bench.evaluate(OVERFLOW) <= 0


def drag_slider(page: Page, handle: Locator, by: float) -> None:
    """Drag a slider's handle `by` pixels to the right in small steps, as a hand does."""
    box = handle.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + by * step / 10, y)
    page.mouse.up()


def caption(bench: Locator) -> str:
    """The picture's caption (a traced path's), "" when it has none."""
    return bench.locator("svg").evaluate(CAPTION)


def option_text(option: Locator) -> str:
    """An option's label as written (ipywidgets puts no-break spaces in dropdown labels)."""
    return option.inner_text().replace("\xa0", " ")


def endpoints(bench: Locator, service: str) -> list[dict[str, str]]:
    """The rows of the workbench's endpoints table for one Service."""
    ready = bench.page.locator("th", has_text=re.compile("^ready$"))
    table = bench.locator("table").filter(has=ready)
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
    # The learner brings the workbench up and works in it from there.
    bench.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    service = f"svc/default/{DEPLOYMENT}"
    assert service not in picture(bench)
    assert endpoints(bench, DEPLOYMENT) == []
    assert_picture_in_view(bench)

    bench.get_by_role("tab", name="Deploy").click()
    bench.get_by_label("Name", exact=True).fill(DEPLOYMENT)
    replicas = bench.get_by_label("Replicas", exact=True)
    replicas.fill(str(REPLICAS))
    replicas.press("Tab")  # an IntText sends its value on change, not on each keystroke
    bench.get_by_role("button", name="Create deployment").click()
    status(bench, f"deployment.apps/{DEPLOYMENT} created")
    assert_picture_in_view(bench)

    bench.get_by_role("tab", name="Expose").click()
    bench.get_by_role("button", name="Create service").click()
    status(bench, f"service/{DEPLOYMENT} created")
    assert_picture_in_view(bench)
    # The manifest posted is echoed once above the picture (and kept in the log below it),
    # folded under its command line until asked for.
    manifests = bench.locator("pre", has_text="kind: Service").all()
    top = bench.locator("svg").bounding_box()["y"]
    assert [m.evaluate(ABOVE, top) for m in manifests] == [True, False]
    assert not any(m.is_visible() for m in manifests)
    nodes = picture(bench)
    assert service in nodes
    pods = sorted(title.rpartition("/")[2] for title in nodes if title.startswith("pod/"))
    assert len(pods) == REPLICAS
    assert all(nodes[f"pod/default/{pod}"].endswith(" · ready | app=webapp1") for pod in pods)
    rows = endpoints(bench, DEPLOYMENT)
    assert sorted(row["pod"] for row in rows) == pods
    assert {row["ready"] for row in rows} == {"True"}
    assert list(rows[0]) == ["service", "port", "endpoint", "pod", "node", "ready", "note"]
    serving = bench.locator("th", has_text=re.compile("^serving$"))
    bench.get_by_label("every column (wide)").check()
    serving.wait_for()  # the kernel's answer: the table drawn again, every column
    assert len(endpoints(bench, DEPLOYMENT)[0]) == 14
    bench.get_by_label("every column (wide)").uncheck()
    serving.wait_for(state="detached")

    bench.get_by_role("tab", name="Trace & traffic").click()
    source = bench.get_by_label("From", exact=True)  # options read `pod NAME`, `node NAME`
    assert option_text(source.locator("option:checked")) == f"pod {pods[0]}"  # a ready pod
    outside_fields = [bench.get_by_label(name) for name in ("Outside client IP", "Enters by node")]
    assert not any(field.is_visible() for field in outside_fields)
    source.select_option(label=source.locator("option", has_text="outside client").inner_text())
    for field in outside_fields:
        field.wait_for()  # shown once the kernel has seen the choice
    source.select_option(label=source.locator("option", has_text=pods[0]).inner_text())
    for field in outside_fields:
        field.wait_for(state="hidden")
    bench.get_by_role("button", name="Trace").click()
    status(bench, f"c.trace('default/{pods[0]}', '{DEPLOYMENT}:80')")
    assert_picture_in_view(bench)
    assert caption(bench).startswith(f"trace pod default/{pods[0]} ")  # the path drawn
    hops = bench.locator("table").filter(has=page.locator("th", has_text="chain"))
    view = hops.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' widget-html ')]")
    # The hops table is wider than the app: its own view scrolls to show all of it.
    assert view.evaluate(SCROLLS_TO_ALL)
    bench.get_by_role("button", name="Send 100 requests").click()
    status(bench, "100 of 100 delivered")
    assert_picture_in_view(bench)
    assert caption(bench) == ""  # many connections, no one path: the trace's is gone

    bench.get_by_role("tab", name="Scale & pods").click()
    drag_slider(page, bench.locator(".noUi-handle"), 25)  # a few more pods: still drawn one by one
    status(bench, f"deployment.apps/{DEPLOYMENT} scaled")
    assert_picture_in_view(bench)
    # One drag, one scale: the status line and one log entry, none for the steps between.
    assert bench.locator("pre", has_text=f"kubectl scale deployment {DEPLOYMENT} ").count() == 2

    # The pods the deployment has now (the drag may have scaled some away).
    pods = sorted(t.rpartition("/")[2] for t in picture(bench) if t.startswith("pod/default/"))
    failed = pods[-1]
    choice = bench.get_by_label("Pod", exact=True)  # options read `name · state · node`
    choice.select_option(label=choice.locator("option", has_text=failed).inner_text())
    bench.get_by_role("button", name="Fail readiness").click()
    status(bench, f"pod {failed}: readiness probe failing")
    assert_picture_in_view(bench)
    nodes = picture(bench)
    assert nodes[f"pod/default/{failed}"].endswith(" · not ready | app=webapp1")
    assert all(nodes[f"pod/default/{pod}"].endswith(" · ready | app=webapp1") for pod in pods[:-1])
    bench.get_by_label("every column (wide)").check()
    serving.wait_for()
    rows = [row for row in endpoints(bench, DEPLOYMENT) if row["pod"] in pods]
    ready = {row["pod"]: (row["ready"], row["serving"]) for row in rows}
    # A pod that is not ready stays in the EndpointSlice, with ready and serving false
    # (kubernetes/kubernetes staging/src/k8s.io/endpointslice/utils.go, podToEndpoint).
    assert ready == {pod: ("False", "False") if pod == failed else ("True", "True") for pod in pods}

    shot = screenshot_path(tmp_path)
    save_screenshot(page, bench, shot)
    assert shot.read_bytes().startswith(b"\x89PNG")
