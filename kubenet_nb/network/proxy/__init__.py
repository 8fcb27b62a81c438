"""kube-proxy in iptables mode: the rules it programs on each node, from the cluster's objects."""

from __future__ import annotations

from kubenet_nb.network.proxy.iptables import iptables_save, restore_text
from kubenet_nb.network.proxy.settings import ProxySettings

__all__ = ["ProxySettings", "iptables_save", "restore_text"]
