"""Open data: the read-only JSON API and its OpenAPI schema."""
