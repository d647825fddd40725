"""Alerts that become incident areas: CAP 1.2 and 1.1 messages, and FEMA's disaster declarations."""
