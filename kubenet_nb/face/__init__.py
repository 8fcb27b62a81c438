"""face"""

from __future__ import annotations
