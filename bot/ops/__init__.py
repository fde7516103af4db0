"""Operations for every adapter: health, Prometheus metrics, and graceful shutdown.

    metrics = Metrics.create()
    engine = MeasuredEngine(engine, metrics)          # answers by kind, latency, failures
    poster = MeasuredPoster(poster, metrics, "slack")  # reflection sends
    health = HealthCheck(db)                           # engine loaded (mark_ready) + database reachable
    app = with_ops(adapter_wsgi_app, health, metrics)  # /healthz and /metrics beside the adapter's routes
    server = make_ops_server(settings, health, metrics)  # or on their own port (Socket Mode)
"""
