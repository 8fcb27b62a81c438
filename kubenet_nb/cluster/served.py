"""What one cluster serves beyond the built-ins: the kinds of its established CRDs.

`ServedResources` follows the store's CustomResourceDefinition events (undo replays included,
so a refused request takes back what it served): an Established CRD adds its resource to the
cluster's `ResourceTable` and its strategy to the API server; a CRD that goes, or stops being
established, takes them away. Each `ControlPlane` has its own: clusters never see each other's.
"""

from __future__ import annotations

from kubenet_nb.api.apiextensions import CustomKind, custom_kind, is_established
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.registry.custom import CustomResourceStrategy
from kubenet_nb.cluster.store import WatchEvent

__all__ = ["ServedResources"]


class ServedResources:
    """The custom kinds a cluster serves, by kind, kept in step with its CRDs."""

    def __init__(self, resources: ResourceTable, api: ApiServer) -> None:
        self.resources, self.api = resources, api
        self._by_crd: dict[str, CustomKind] = {}
        self._by_kind: dict[str, CustomKind] = {}

    def custom(self, kind: str) -> CustomKind | None:
        """The custom kind served under this `kind`, if any."""
        return self._by_kind.get(kind)

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "CustomResourceDefinition":
            return
        name = event.subject["metadata"]["name"]
        old = self._by_crd.pop(name, None)
        if old is not None:
            del self._by_kind[old.info.kind]
            self.resources.remove(old.info.kind)
            self.api.unregister(old.info.kind)
        crd = event.obj
        if crd is None or not is_established(crd):
            return
        custom = custom_kind(crd)
        kind = custom.info.kind
        if self.resources.has_kind(kind):
            return  # a kind served elsewhere (a loaded snapshot's clash): not served twice
        self._by_crd[name] = self._by_kind[kind] = custom
        self.resources.add(custom.info, custom.served)
        self.api.register(CustomResourceStrategy(custom))
