"""The HTTP edge: templating, middleware, request helpers."""
