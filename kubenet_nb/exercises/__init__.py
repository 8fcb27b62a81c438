"""Exercises that end each notebook, checked against the learner's own cluster."""

from __future__ import annotations

from kubenet_nb.exercises.base import Exercise, Feedback

__all__ = ["Exercise", "Feedback"]
