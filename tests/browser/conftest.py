"""Fixtures for the browser test: JupyterLab on a copy of the workbook, and Debian's Chromium
driven by Playwright (no browser download: Playwright launches the distribution's binary).

Without Chromium, Playwright or JupyterLab the browser test is skipped, with the reason; with
`CI` set it fails instead, so that CI cannot pass without having run it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["CHROMIUM", "Lab", "browser", "lab", "page"]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("KUBENET_CHROMIUM", "/usr/bin/chromium"))
"""The browser to drive: Debian's `chromium` package unless KUBENET_CHROMIUM names another."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 60.0
"""Seconds JupyterLab may take to answer /api/status."""
QUIET_LAB = {
    # JupyterLab otherwise asks in a toast whether to fetch Jupyter news (seen in screenshots).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False}
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser test)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its base URL, token and root directory (a copy of notebooks/)."""

    url: str
    token: str
    root: Path

    def tree(self, path: str) -> str:
        """The address that opens `path` (relative to the root) in JupyterLab."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _isolated_jupyter_dirs(base: Path) -> dict[str, str]:
    """Config, data and runtime directories of our own, so that the user's settings, kernels
    and workspaces play no part; the news toast turned off in the user settings."""
    dirs = {name: base / name for name in ("config", "data", "runtime")}
    for key, settings in QUIET_LAB.items():
        path = dirs["config"] / "lab" / "user-settings" / f"{key}.jupyterlab-settings"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(settings))
    dirs["data"].mkdir()
    return {f"JUPYTER_{name.upper()}_DIR": str(path) for name, path in dirs.items()}


def _wait_until_up(server: subprocess.Popen[bytes], status_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(status_url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its kernels: SIGTERM (it shuts its kernels down), then SIGKILL."""
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a token, serving a temporary copy of notebooks/."""
    if importlib.util.find_spec("jupyterlab") is None:
        _unavailable(f"needs JupyterLab in {sys.executable}: pip install -e '.[test]'")
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    token, port = secrets.token_hex(16), _free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser"]
    command += [
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # fail rather than quietly serve on another port
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_root=True",
        "--LabApp.expose_app_in_browser=True",
    ]
    env = {**os.environ, **_isolated_jupyter_dirs(base)}
    log = base / "jupyterlab.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, f"{url}/api/status?token={token}", log)
        yield Lab(url, token, root)
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system, launched by Playwright."""
    if not CHROMIUM.is_file():
        _unavailable(
            f"needs Chromium at {CHROMIUM}: ./kubenet test installs it, "
            "or run: sudo apt-get install chromium"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("needs Playwright: pip install -e '.[test]' (./kubenet test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own browser context (no cookies or storage from another test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context.new_page()
    context.close()
