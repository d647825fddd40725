"""Surge: disaster-mode surge coordination for 2-1-1 networks."""
