"""node.k8s.io"""

from __future__ import annotations
