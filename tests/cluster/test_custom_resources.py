"""Custom resources on the engine: a CRD established, its kind served by its cluster only.

k8s.io/apiextensions-apiserver @ v0.33.1: pkg/controller/status/naming_controller.go and
pkg/controller/establish/establishing_controller.go (the status a CRD reaches),
pkg/apiserver/customresource_handler.go (pruning, strict decoding, defaults) and
pkg/registry/customresource/strategy.go (generation, the status subresource).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubenet_nb.api.errors import BadRequest, Invalid, KubectlError
from kubenet_nb.cluster.control_plane import ControlPlane

SPEC_SCHEMA = {
    "type": "object",
    "properties": {
        "cronSpec": {"type": "string"},
        "image": {"type": "string"},
        "replicas": {"type": "integer", "minimum": 1, "default": 1},
    },
}


def crd(group: str = "stable.example.com", **names: Any) -> dict:
    """The docs' CronTab CRD (custom-resource-definitions.md), with a default on replicas."""
    all_names = {
        "plural": "crontabs",
        "singular": "crontab",
        "kind": "CronTab",
        "shortNames": ["ct"],
    }
    all_names.update(names)
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{all_names['plural']}.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": all_names,
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {"spec": copy.deepcopy(SPEC_SCHEMA)},
                        }
                    },
                }
            ],
        },
    }


def crontab(name: str = "my-new-cron-object", **spec: Any) -> dict:
    return {
        "apiVersion": "stable.example.com/v1",
        "kind": "CronTab",
        "metadata": {"name": name},
        "spec": {"cronSpec": "* * * * */5", "image": "my-awesome-cron-image", **spec},
    }


@pytest.fixture(scope="module")
def base() -> ControlPlane:
    return ControlPlane(workers=0, system_pods=False)


@pytest.fixture
def plane() -> ControlPlane:
    plane = ControlPlane(workers=0, system_pods=False)
    plane.create(crd())
    return plane


def test_an_established_crd_status(plane: ControlPlane) -> None:
    status = plane.get("crd", "crontabs.stable.example.com")["status"]
    assert status["acceptedNames"] == {
        "kind": "CronTab",
        "listKind": "CronTabList",
        "plural": "crontabs",
        "shortNames": ["ct"],
        "singular": "crontab",
    }
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("NamesAccepted", "True", "NoConflicts", "no conflicts found"),
        ("Established", "True", "InitialNamesAccepted", "the initial names have been accepted"),
    ]
    assert status["storedVersions"] == ["v1"]


def test_a_custom_resource_is_stored_defaulted_with_a_generation(plane: ControlPlane) -> None:
    created = plane.create(crontab())
    assert created["apiVersion"] == "stable.example.com/v1"
    assert created["metadata"]["generation"] == 1
    assert created["spec"]["replicas"] == 1
    assert plane.get("ct", "my-new-cron-object")["spec"]["image"] == "my-awesome-cron-image"
    updated = plane.update({**created, "spec": {**created["spec"], "image": "other"}})
    assert updated["metadata"]["generation"] == 2


@pytest.mark.parametrize(
    "name", ["crontabs", "crontab", "ct", "CronTab", "crontabs.stable.example.com"]
)
def test_every_name_resolves(plane: ControlPlane, name: str) -> None:
    plane.create(crontab())
    assert [o["metadata"]["name"] for o in plane.list(name)] == ["my-new-cron-object"]


def test_clusters_do_not_share_crds(plane: ControlPlane, base: ControlPlane) -> None:
    with pytest.raises(KubectlError, match='the server doesn\'t have a resource type "ct"'):
        base.list("ct")
    assert not base.resources.serves("stable.example.com/v1", "CronTab")
    assert plane.resources.serves("stable.example.com/v1", "CronTab")


def test_unknown_fields_strict_warn_ignore(plane: ControlPlane) -> None:
    with pytest.raises(BadRequest) as error:
        plane.create(crontab(bogus=1))
    assert str(error.value) == (
        'Error from server (BadRequest): CronTab in version "v1" cannot be handled as a '
        'CronTab: strict decoding error: unknown field "spec.bogus"'
    )
    created = plane.create(crontab("warned", bogus=1), field_validation="Warn")
    assert plane.last_warnings == ['unknown field "spec.bogus"']
    assert "bogus" not in created["spec"]
    created = plane.create(crontab("ignored", bogus=1), field_validation="Ignore")
    assert plane.last_warnings == []
    assert "bogus" not in created["spec"]


def test_metadata_unknown_fields_come_first(plane: ControlPlane) -> None:
    obj = crontab(zzz=1)
    obj["metadata"]["bogus"] = 1
    with pytest.raises(
        BadRequest, match=r'unknown field "metadata\.bogus", unknown field "spec\.zzz"'
    ):
        plane.create(obj)


def test_schema_refusals_leave_the_cluster_as_it_was(plane: ControlPlane) -> None:
    before = plane.list("ct")
    version = plane.store.resource_version
    with pytest.raises(Invalid) as error:
        plane.create(crontab(replicas="a"))
    assert str(error.value) == (
        'The CronTab "my-new-cron-object" is invalid: spec.replicas: Invalid value: "string": '
        'spec.replicas in body must be of type integer: "string"'
    )
    with pytest.raises(Invalid, match="should be greater than or equal to 1"):
        plane.create(crontab(replicas=0))
    assert plane.list("ct") == before
    assert plane.store.resource_version == version


def test_a_refused_crd_serves_nothing(base: ControlPlane) -> None:
    bad = crd()
    bad["metadata"]["name"] = "wrong.stable.example.com"
    with pytest.raises(Invalid, match=r'must be spec\.names\.plural\+"\."\+spec\.group'):
        base.create(bad)
    assert not base.resources.is_custom("CronTab")


def test_a_name_taken_in_the_group_is_not_accepted(plane: ControlPlane) -> None:
    other = crd(plural="crontabbers", singular="crontabber", kind="CronTabber", shortNames=["ct"])
    plane.create(other)
    status = plane.get("crd", "crontabbers.stable.example.com")["status"]
    names, established = status["conditions"]
    assert (names["status"], names["reason"], names["message"]) == (
        "False",
        "ShortNamesConflict",
        '"ct" is already in use',
    )
    assert (established["status"], established["reason"]) == ("False", "NotAccepted")
    assert not plane.resources.is_custom("CronTabber")


def test_deleting_the_crd_deletes_its_resources(plane: ControlPlane) -> None:
    plane.create(crontab())
    plane.delete("crd", "crontabs.stable.example.com")
    assert plane.store.count("CronTab") == 0
    with pytest.raises(KubectlError, match="doesn't have a resource type"):
        plane.list("crontabs")


def test_a_namespace_takes_its_custom_resources_with_it(plane: ControlPlane) -> None:
    plane.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "jobs"}})
    plane.create({**crontab(), "metadata": {"name": "a", "namespace": "jobs"}})
    plane.delete("namespace", "jobs", "")
    assert plane.list("ct", None) == []


def test_status_subresource_resets_status_on_create(base: ControlPlane) -> None:
    plane = ControlPlane(workers=0, system_pods=False)
    definition = crd()
    version = definition["spec"]["versions"][0]
    version["subresources"] = {"status": {}}
    version["schema"]["openAPIV3Schema"]["properties"]["status"] = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
    }
    plane.create(definition)
    created = plane.create({**crontab(), "status": {"phase": "Done"}})
    assert "status" not in created
    changed = plane.update({**created, "status": {"phase": "Done"}})
    assert "status" not in changed
    assert changed["metadata"]["generation"] == 1


def test_cluster_scoped_custom_resources(base: ControlPlane) -> None:
    plane = ControlPlane(workers=0, system_pods=False)
    definition = crd()
    definition["spec"]["scope"] = "Cluster"
    plane.create(definition)
    created = plane.create({**crontab(), "metadata": {"name": "c", "namespace": "x"}})
    assert "namespace" not in created["metadata"]


def test_a_kind_served_elsewhere_is_not_accepted(base: ControlPlane) -> None:
    # A departure (objects are stored by kind here): upstream checks the CRD's own group only.
    plane = ControlPlane(workers=0, system_pods=False)
    plane.create(
        crd(
            group="example.com",
            plural="services",
            singular="service",
            kind="Service",
            shortNames=[],
        )
    )
    names = plane.get("crd", "services.example.com")["status"]["conditions"][0]
    assert (names["reason"], names["message"]) == ("KindConflict", '"Service" is already in use')
