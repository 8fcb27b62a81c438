"""`kubectl label` / `annotate`: --overwrite, `key-`, --all, -l, --list, --resource-version,
against the real kubectl's output byte for byte, and what each leaves in the cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from recorded_verbs import assert_matches_recorded, build, cases_named

from kubenet_nb.api.errors import KubenetError


@pytest.mark.parametrize("name", cases_named("label-") + cases_named("annotate-"))
def test_matches_recorded_kubectl(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Source: the real kubectl v1.32.4 run on the same scenario (data/verbs/record_verbs.py).
    assert_matches_recorded(name, tmp_path, monkeypatch, patches=False)


def test_remove_and_overwrite_leave_the_labels_kubectl_asked_for() -> None:
    c = build("label-overwrite")
    c.kubectl("label deploy web app=x --overwrite")
    assert c.get("deployment", "web")["metadata"]["labels"] == {"app": "x"}
    c.kubectl("label deploy web app-")
    assert "labels" not in c.get("deployment", "web")["metadata"]


def test_a_refused_label_changes_nothing() -> None:
    c = build("label-conflict")
    version = c.get("service", "web")["metadata"]["resourceVersion"]
    for line in ("label svc web app=x", "label svc web tier=x --resource-version=1"):
        with pytest.raises(KubenetError):
            c.kubectl(line)
    assert c.get("service", "web")["metadata"]["resourceVersion"] == version
    assert c.get("service", "web")["metadata"]["labels"] == {"app": "web"}


def test_list_shows_the_change_without_sending_it() -> None:
    c = build("label-list")
    assert c.kubectl("label svc web --list tier=x") == "app=web\ntier=x"
    assert c.get("service", "web")["metadata"]["labels"] == {"app": "web"}
    assert c.kubectl("label svc -l app=web --list") == "Listing labels for Service./web:\n app=web"


def test_resource_version_only_for_one_object() -> None:
    c = build("label-list")
    version = c.get("service", "web")["metadata"]["resourceVersion"]
    with pytest.raises(KubenetError, match="may only be used with a single resource"):
        c.kubectl(f"label svc --all tier=x --resource-version={version}")
    assert c.kubectl(f"label svc web tier=x --resource-version={version}") == "service/web labeled"
