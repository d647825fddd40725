"""The JSON API under /api/v1: typed routes and their handlers."""
