"""Which pods are bound to which node, kept from watch events (undo replays included)."""

from __future__ import annotations

from kubenet_nb.cluster.store import WatchEvent

__all__ = ["NodePods"]


class NodePods:
    """Pod keys (namespace, name) by spec.nodeName, in binding order."""

    def __init__(self) -> None:
        self._pods: dict[str, dict[tuple[str, str], None]] = {}

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "Pod":
            return
        for pod, add in ((event.old, False), (event.obj, True)):
            if not pod:
                continue
            node = pod.get("spec", {}).get("nodeName")
            if not node:
                continue
            key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
            if add:
                self._pods.setdefault(node, {})[key] = None
            else:
                pods = self._pods.get(node, {})
                pods.pop(key, None)
                if not pods:
                    self._pods.pop(node, None)

    def on(self, node: str) -> list[tuple[str, str]]:
        """The keys of the pods bound to `node`."""
        return list(self._pods.get(node, ()))
