package io.ursprung.backend.resources;

import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.IngestMetrics;
import io.ursprung.backend.http.Metrics;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.lineage.GraphCache;
import io.ursprung.db.status.IngestStatus;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/metrics}: the server's request counts and latencies, and the ingest status
 * that consumers and producers store (consumer events, lag, dead-lettered; kernel lost per host),
 * as Prometheus text. Admins only. When the store cannot be read the request metrics are still
 * served, with {@code ursprung_ingest_status_up 0}.
 */
public final class MetricsResource {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsResource.class);

  private final Metrics metrics;
  private final IngestStatus status;
  private final Clock clock;
  private final GraphCache cache;

  /**
   * @param status the ingest status, or null where there is none (test fakes)
   * @param cache the lineage cache, or null when it is not configured
   */
  public MetricsResource(Metrics metrics, IngestStatus status, Clock clock, GraphCache cache) {
    this.metrics = metrics;
    this.status = status;
    this.clock = clock;
    this.cache = cache;
  }

  public void register(Routes routes) {
    routes.get(
        Backend.API + "/metrics",
        Access.ADMIN,
        ctx ->
            ctx.contentType("text/plain; version=0.0.4")
                .result(metrics.render() + (status == null ? "" : ingest()) + lineageCache()));
  }

  private String lineageCache() {
    if (cache == null) {
      return "";
    }
    return "# HELP ursprung_lineage_cache_ready 1 while lineage walks can hop over the in-memory"
        + " graph.\n"
        + "# TYPE ursprung_lineage_cache_ready gauge\n"
        + "ursprung_lineage_cache_ready "
        + (cache.ready() ? 1 : 0)
        + "\n"
        + "# HELP ursprung_lineage_cache_loads_total Times the in-memory graph was loaded.\n"
        + "# TYPE ursprung_lineage_cache_loads_total counter\n"
        + "ursprung_lineage_cache_loads_total "
        + cache.loads()
        + "\n"
        + "# HELP ursprung_lineage_walks_total Lineage walks by where their hops came from.\n"
        + "# TYPE ursprung_lineage_walks_total counter\n"
        + "ursprung_lineage_walks_total{from=\"memory\"} "
        + cache.walksFromMemory()
        + "\n"
        + "ursprung_lineage_walks_total{from=\"sql\"} "
        + cache.walksFromSql()
        + "\n";
  }

  private String ingest() {
    IngestMetrics.Snapshot s;
    try {
      s = new IngestMetrics.Snapshot(status.consumers(), status.hosts(), status.lastSeen(), null);
    } catch (Exception e) {
      LOG.warn("cannot read the ingest status: {}", e.toString());
      s = IngestMetrics.Snapshot.unavailable("the store cannot be read");
    }
    return IngestMetrics.render(s, clock.instant());
  }
}
