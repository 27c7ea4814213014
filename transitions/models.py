"""Transitions between services: handovers, consents and visits (see the issue tracker)."""
