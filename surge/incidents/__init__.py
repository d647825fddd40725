"""Disaster incidents: their affected area, and the activation that puts the network into disaster mode."""
