"""Routing by geography: which centers should take a caller's call, in order, and why."""
