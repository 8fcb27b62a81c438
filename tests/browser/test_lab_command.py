"""`./kubenet lab` as a new user meets it, in a real browser: the URL it prints opens
00-start-here.ipynb (not the Launcher), the notebooks are trusted so their stored pictures show
without running anything, and the links between notebooks open the next one.

The script runs in this repository, as the README says (a copy would need a set-up of its own:
the script installs the package from where it runs); Jupyter's trust database and settings live
in a temporary directory, and the test checks that no notebook was written to.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import _free_port, _isolated_jupyter_dirs, _stop

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0
"""Seconds the script may take to check its set-up, trust the notebooks and start JupyterLab."""
TIMEOUT_MS = 30_000
PRINTED_URL = re.compile(r"http://127\.0\.0\.1:\d+/\S+")


def _printed_url(server: subprocess.Popen[bytes], log: Path) -> str:
    """The first address the server prints for the user to open."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = PRINTED_URL.search(log.read_text(errors="replace"))
        if found:
            return found.group(0)
        if server.poll() is not None:
            raise RuntimeError(f"./kubenet lab exited ({server.returncode}):\n{log.read_text()}")
        time.sleep(0.3)
    raise RuntimeError(f"./kubenet lab printed no URL in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`./kubenet lab` started as the README says, on 127.0.0.1; the URL it printed."""
    if not (REPO / ".venv" / "bin" / "jupyter").exists():
        pytest.skip("needs the set-up of ./kubenet test (.venv with JupyterLab)")
    base = tmp_path_factory.mktemp("kubenet-lab")
    notebooks = {path: path.read_bytes() for path in (REPO / "notebooks").glob("*.ipynb")}
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, **_isolated_jupyter_dirs(base), "CI": "true"}
    command = [
        str(REPO / "kubenet"),
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]
    log = base / "lab.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        # A token given in the configuration is printed as "..." (jupyter_server's
        # ServerApp._get_urlparts): put ours back, as the user would paste theirs.
        yield _printed_url(server, log).replace("token=...", f"token={token}")
    finally:
        _stop(server)
    assert {path: path.read_bytes() for path in notebooks} == notebooks, "a notebook was written"


def test_the_printed_url_opens_start_here_trusted_with_its_picture_and_next_opens_01(
    lab_url: str, page: Page
) -> None:
    assert "/lab/tree/00-start-here.ipynb?token=" in lab_url
    page.goto(lab_url)
    tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text="00-start-here.ipynb")
    tab.first.wait_for(timeout=TIMEOUT_MS)
    start_here = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    # Trusted: the stored picture of the fresh cluster shows before anything is run.
    start_here.locator(".jp-RenderedSVG img").first.wait_for(timeout=TIMEOUT_MS)
    nav = start_here.locator(".jp-RenderedMarkdown a", has_text="01 · Containers in one pod")
    nav.first.click(timeout=TIMEOUT_MS)
    page.locator(
        ".lm-TabBar-tab.lm-mod-current", has_text="01-containers-in-a-pod.ipynb"
    ).first.wait_for(timeout=TIMEOUT_MS)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    # A trusted notebook shows its stored SVG as an image; an untrusted one falls back to text.
    picture = panel.locator(".jp-RenderedSVG img").first
    picture.wait_for(timeout=TIMEOUT_MS)
    box = picture.bounding_box()
    assert box is not None
    assert box["width"] > 100
    assert box["height"] > 100
