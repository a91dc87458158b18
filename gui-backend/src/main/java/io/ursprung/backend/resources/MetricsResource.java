package io.ursprung.backend.resources;

import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.Metrics;
import io.ursprung.backend.http.Routes;

/** {@code GET /api/v1/metrics}: request counts and latencies (Prometheus text), admins only. */
public final class MetricsResource {
  private final Metrics metrics;

  public MetricsResource(Metrics metrics) {
    this.metrics = metrics;
  }

  public void register(Routes routes) {
    routes.get(
        Backend.API + "/metrics",
        Access.ADMIN,
        ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render()));
  }
}
