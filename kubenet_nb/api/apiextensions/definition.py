"""What an established CustomResourceDefinition serves: a `CustomKind` read from the stored CRD.

Names come from `status.acceptedNames` (what the naming controller accepted); versions, schemas,
subresources and printer columns from the spec. The preferred version (what kubectl asks for) is
the first served one in apimachinery's kube-aware version order (`v1` > `v1beta2` > `v1beta1` >
`v1alpha1` > others, k8s.io/apimachinery pkg/version/helpers.go CompareKubeAwareVersionStrings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubenet_nb.api.kinds import ResourceInfo

__all__ = ["CustomKind", "custom_kind", "is_established", "version_priority"]

_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple[int, int, int, str]:
    """A sort key: kube-like versions first (GA, then beta, then alpha, newest first), then
    the others alphabetically.

    >>> sorted(["v1beta1", "foo", "v2", "v1", "v1alpha1"], key=version_priority)
    ['v2', 'v1', 'v1beta1', 'v1alpha1', 'foo']
    """
    match = _KUBE_VERSION.match(version)
    if match is None:
        return (3, 0, 0, version)
    major, stage, minor = int(match.group(1)), match.group(2), int(match.group(3) or 0)
    rank = {None: 0, "beta": 1, "alpha": 2}[stage]
    return (rank, -major, -minor, "")


def is_established(crd: dict) -> bool:
    """Whether the CRD's Established condition is True."""
    conditions = (crd.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)


@dataclass(frozen=True)
class CustomKind:
    """A custom resource as its CRD defines it."""

    info: ResourceInfo
    crd_name: str
    versions: dict[str, dict]
    """Each served version's entry of `spec.versions`, by name."""
    storage: str

    def schema(self, version: str) -> dict | None:
        """The version's openAPIV3Schema."""
        entry = self.versions.get(version) or {}
        return (entry.get("schema") or {}).get("openAPIV3Schema")

    def status_enabled(self, version: str) -> bool:
        """Whether the version has the status subresource (status then has its own endpoint)."""
        entry = self.versions.get(version) or {}
        return "status" in (entry.get("subresources") or {})

    def columns(self, version: str) -> list[dict]:
        """The version's additionalPrinterColumns."""
        return list((self.versions.get(version) or {}).get("additionalPrinterColumns") or [])

    @property
    def served(self) -> tuple[str, ...]:
        return tuple(self.versions)


def custom_kind(crd: dict) -> CustomKind:
    """The CustomKind of a stored, established CRD."""
    spec = crd["spec"]
    names = (crd.get("status") or {}).get("acceptedNames") or spec["names"]
    served = {v["name"]: v for v in spec.get("versions") or [] if v.get("served")}
    storage = next(v["name"] for v in spec["versions"] if v.get("storage"))
    preferred = min(served, key=version_priority) if served else storage
    info = ResourceInfo(
        kind=names["kind"],
        plural=names["plural"],
        singular=names.get("singular") or names["kind"].lower(),
        short_names=tuple(names.get("shortNames") or ()),
        group=spec["group"],
        version=preferred,
        namespaced=spec.get("scope") == "Namespaced",
        categories=tuple(names.get("categories") or ()),
    )
    return CustomKind(info, crd["metadata"]["name"], served, storage)
