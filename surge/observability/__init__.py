"""Operations: Prometheus metrics and structured access logs."""

from surge.observability.access_log import AccessLogMiddleware
from surge.observability.metrics import MetricsMiddleware, new_registry
from surge.observability.metrics import routes as metrics_routes

__all__ = ["AccessLogMiddleware", "MetricsMiddleware", "metrics_routes", "new_registry"]
