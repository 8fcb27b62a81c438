"""discovery"""

from __future__ import annotations
