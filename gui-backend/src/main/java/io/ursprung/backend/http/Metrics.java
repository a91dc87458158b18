package io.ursprung.backend.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters and latencies per route and status, rendered in the Prometheus text format. Kept
 * in-process and dependency-free; a route is its template ({@code /api/v1/processes/{id}}), never
 * the concrete URL, so the series stay few.
 */
public final class Metrics {

  private static final long[] BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000};

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
  private final long started = System.currentTimeMillis();

  /** Records one finished request. */
  public void record(String method, String route, int status, long nanos) {
    counts.computeIfAbsent(method + " " + route + " " + status, k -> new LongAdder()).increment();
    latencies.computeIfAbsent(method + " " + route, k -> new Histogram()).add(nanos / 1_000_000);
  }

  /** The Prometheus text exposition. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP ursprung_backend_uptime_seconds Seconds since start.\n");
    sb.append("# TYPE ursprung_backend_uptime_seconds gauge\n");
    sb.append("ursprung_backend_uptime_seconds ")
        .append((System.currentTimeMillis() - started) / 1000)
        .append('\n');
    sb.append("# HELP ursprung_backend_requests_total Requests by route and status.\n");
    sb.append("# TYPE ursprung_backend_requests_total counter\n");
    new TreeMap<>(counts)
        .forEach(
            (k, v) -> {
              String[] p = k.split(" ", 3);
              sb.append("ursprung_backend_requests_total{method=\"")
                  .append(p[0])
                  .append("\",route=\"")
                  .append(label(p[1]))
                  .append("\",status=\"")
                  .append(p[2])
                  .append("\"} ")
                  .append(v.sum())
                  .append('\n');
            });
    sb.append("# HELP ursprung_backend_request_duration_ms Request latency by route.\n");
    sb.append("# TYPE ursprung_backend_request_duration_ms histogram\n");
    new TreeMap<>(latencies)
        .forEach(
            (k, h) -> {
              String[] p = k.split(" ", 2);
              String labels = "method=\"" + p[0] + "\",route=\"" + label(p[1]) + "\"";
              long cumulative = 0;
              for (int i = 0; i < BUCKETS_MS.length; i++) {
                cumulative += h.buckets[i].get();
                sb.append("ursprung_backend_request_duration_ms_bucket{")
                    .append(labels)
                    .append(",le=\"")
                    .append(BUCKETS_MS[i])
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
              }
              sb.append("ursprung_backend_request_duration_ms_bucket{")
                  .append(labels)
                  .append(",le=\"+Inf\"} ")
                  .append(h.count.get())
                  .append('\n');
              sb.append("ursprung_backend_request_duration_ms_sum{")
                  .append(labels)
                  .append("} ")
                  .append(h.sum.get())
                  .append('\n');
              sb.append("ursprung_backend_request_duration_ms_count{")
                  .append(labels)
                  .append("} ")
                  .append(h.count.get())
                  .append('\n');
            });
    return sb.toString();
  }

  private static String label(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static final class Histogram {
    final AtomicLong[] buckets = new AtomicLong[BUCKETS_MS.length];
    final AtomicLong count = new AtomicLong();
    final AtomicLong sum = new AtomicLong();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new AtomicLong();
      }
    }

    void add(long ms) {
      count.incrementAndGet();
      sum.addAndGet(ms);
      for (int i = 0; i < BUCKETS_MS.length; i++) {
        if (ms <= BUCKETS_MS[i]) {
          buckets[i].incrementAndGet();
          return;
        }
      }
    }
  }
}
