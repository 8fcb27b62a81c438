"""`kubectl replace` on a live Cluster: PUT as written, `--force` deletes and creates again."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError

SETTINGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: live\n"


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster()
    cluster.kubectl("apply -f -\n" + SETTINGS.replace("live", "demo"))
    return cluster


def test_replace_puts_the_object_as_written(c: Cluster) -> None:
    uid = c.get("configmap", "settings")["metadata"]["uid"]
    assert c.kubectl("replace -f -\n" + SETTINGS) == "configmap/settings replaced"
    settings = c.get("configmap", "settings")
    assert settings["data"] == {"mode": "live"}
    assert settings["metadata"]["uid"] == uid


def test_force_deletes_and_creates(c: Cluster) -> None:
    uid = c.get("configmap", "settings")["metadata"]["uid"]
    out = c.kubectl("replace --force -f -\n" + SETTINGS)
    assert out == 'configmap "settings" deleted\nconfigmap/settings replaced'
    assert c.get("configmap", "settings")["metadata"]["uid"] != uid


def test_a_stale_resource_version_changes_nothing(c: Cluster) -> None:
    stale = SETTINGS.replace("name: settings", "name: settings\n  resourceVersion: '1'")
    with pytest.raises(KubenetError, match=r"\(Conflict\)"):
        c.kubectl("replace -f -\n" + stale)
    assert c.get("configmap", "settings")["data"] == {"mode": "demo"}
