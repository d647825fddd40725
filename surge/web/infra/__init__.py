"""Infrastructure of the HTTP edge: middleware, authentication, errors, health, metrics, OpenAPI."""
