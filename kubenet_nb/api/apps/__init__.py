"""apps"""

from __future__ import annotations
