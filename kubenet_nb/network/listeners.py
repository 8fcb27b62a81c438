"""What listens where, for the data plane: the containers' sockets (kept with the kubelet)."""

from __future__ import annotations

from kubenet_nb.cluster.listeners import Listener, image_repository, pod_listeners

__all__ = ["Listener", "image_repository", "pod_listeners"]
