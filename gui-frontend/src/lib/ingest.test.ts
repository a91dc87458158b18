import { describe, expect, it } from "vitest";
import { ago, ingestFigures } from "./ingest";
import { parsePrometheus } from "./metrics";

const L = (id: string) => `{source="auditd",instance="${id}",group="g",topic="auditd"}`;
const NOW = 1795168800;

function fig(text: string, measured: number | null = null, runHosts: string[] = []) {
  return Object.fromEntries(ingestFigures(parsePrometheus(text), 0, measured, runHosts).map((f) => [f.key, f]));
}

describe("ingest figures", () => {
  it("say 'no data yet' when nobody has reported, instead of zeros", () => {
    const f = fig(`ursprung_backend_time_seconds ${NOW}\nursprung_ingest_status_up 1\n`);
    for (const k of ["hosts", "events", "lag", "dlq", "lost"]) {
      expect(f[k].value, k).toBeNull();
      expect(f[k].detail, k).toMatch(/^no data yet/);
    }
    // Hosts of recent runs stand in for hosts nobody reported.
    expect(fig(`ursprung_backend_time_seconds ${NOW}\n`, null, ["w1"]).hosts.value).toBe("1: w1");
  });

  it("sum running consumers, keep stopped ones' totals, and show how old the reports are", () => {
    const text = [
      `ursprung_backend_time_seconds ${NOW}`,
      `ursprung_consumer_up${L("a")} 1`,
      `ursprung_consumer_up${L("b")} 0`,
      `ursprung_consumer_events_total${L("a")} 1000`,
      `ursprung_consumer_events_total${L("b")} 234`,
      `ursprung_consumer_dead_lettered_total${L("a")} 2`,
      `ursprung_consumer_dead_lettered_total${L("b")} 1`,
      `ursprung_consumer_events_per_second${L("a")} 12.5`,
      `ursprung_consumer_events_per_second${L("b")} 99`,
      `ursprung_consumer_lag${L("a")} 40`,
      `ursprung_consumer_lag${L("b")} 7000`,
      `ursprung_consumer_updated_timestamp_seconds${L("a")} ${NOW - 8}`,
      `ursprung_consumer_updated_timestamp_seconds${L("b")} ${NOW - 3600}`,
    ].join("\n");
    const f = fig(text);
    expect(f.events.value).toBe("12.5");
    expect(f.events.detail).toBe("1,234 stored in total; 1 consumer running, updated 8 s ago");
    expect(f.events.stale).toBe(false);
    expect(f.lag.value).toBe("40");
    expect(f.dlq.value).toBe("3");
  });

  it("mark old reports stale and say when no consumer runs", () => {
    const text = [
      `ursprung_backend_time_seconds ${NOW}`,
      `ursprung_consumer_up${L("a")} 0`,
      `ursprung_consumer_events_total${L("a")} 5`,
      `ursprung_consumer_updated_timestamp_seconds${L("a")} ${NOW - 180}`,
    ].join("\n");
    const f = fig(text);
    expect(f.events.value).toBe("0.0");
    expect(f.events.detail).toMatch(/no consumer running, updated 3 min ago/);
    expect(f.events.stale).toBe(true);
    expect(f.lag.value).toBeNull();
    expect(f.lag.detail).toMatch(/no consumer running/);
  });

  it("show kernel losses per host, and why a host's kernel status is unknown", () => {
    const text = [
      `ursprung_backend_time_seconds ${NOW}`,
      'ursprung_plugin_kernel_available{host="w1"} 1',
      'ursprung_plugin_kernel_available{host="w2",reason="not root"} 0',
      'ursprung_plugin_kernel_lost{host="w1"} 17',
      `ursprung_plugin_reported_timestamp_seconds{host="w1"} ${NOW - 20}`,
      `ursprung_plugin_reported_timestamp_seconds{host="w2"} ${NOW - 600}`,
      'ursprung_plugin_report_interval_seconds{host="w1"} 30',
      'ursprung_plugin_report_interval_seconds{host="w2"} 30',
      `ursprung_host_last_event_timestamp_seconds{host="w1",kind="host"} ${NOW - 5}`,
    ].join("\n");
    const f = fig(text);
    expect(f.lost.value).toBe("17");
    expect(f.lost.detail).toBe("w1: 17, 20 s ago · w2: unknown (not root), 10 min ago (stale)");
    expect(f.lost.stale).toBe(true);
    expect(f.hosts.value).toBe("2: w1, w2");
    // Only unreadable kernels: unknown, not zero.
    expect(fig('ursprung_plugin_kernel_available{host="w2",reason="no audit"} 0').lost.value).toBe("unknown");
  });

  it("leave out instances that stopped reporting without a final report", () => {
    const text = [
      `ursprung_backend_time_seconds ${NOW}`,
      `ursprung_consumer_up${L("a")} 1`,
      `ursprung_consumer_up${L("k")} 1`,
      `ursprung_consumer_events_total${L("a")} 10`,
      `ursprung_consumer_events_total${L("k")} 20`,
      `ursprung_consumer_events_per_second${L("a")} 5`,
      `ursprung_consumer_events_per_second${L("k")} 500`,
      `ursprung_consumer_lag${L("a")} 1`,
      `ursprung_consumer_lag${L("k")} 900`,
      `ursprung_consumer_updated_timestamp_seconds${L("a")} ${NOW - 5}`,
      `ursprung_consumer_updated_timestamp_seconds${L("k")} ${NOW - 600}`,
    ].join("\n");
    const f = fig(text);
    expect(f.events.value).toBe("5.0");
    expect(f.events.detail).toBe("30 stored in total; 1 consumer running, updated 5 s ago; 1 silent (no report for 10 min: stopped without saying so?)");
    expect(f.lag.value).toBe("1");
  });

  it("say a CamFlow (MQTT) consumer has no lag, instead of zero or 'not measured yet'", () => {
    const C = (id: string) => `{source="camflow",instance="${id}",group="ursprung-camflow",topic="camflow/provenance/+"}`;
    const camflow = [
      `ursprung_backend_time_seconds ${NOW}`,
      `ursprung_consumer_up${C("c")} 1`,
      `ursprung_consumer_events_total${C("c")} 300`,
      `ursprung_consumer_dead_lettered_total${C("c")} 4`,
      `ursprung_consumer_events_per_second${C("c")} 2.5`,
      `ursprung_consumer_updated_timestamp_seconds${C("c")} ${NOW - 3}`,
    ];
    const only = fig(camflow.join("\n"));
    expect(only.lag.value).toBe("n/a");
    expect(only.lag.detail).toBe("MQTT (CamFlow) has no lag to measure, 1 consumer, updated 3 s ago");
    expect(only.events.value).toBe("2.5");
    expect(only.dlq.value).toBe("4");
    expect(only.dlq.detail).toMatch(/^CamFlow packets set aside in camflow_dead_letters since/);

    // Beside a Kafka consumer: the Kafka lag alone, and a word on the MQTT one.
    const mixed = fig(
      [
        ...camflow,
        `ursprung_consumer_up${L("a")} 1`,
        `ursprung_consumer_events_total${L("a")} 10`,
        `ursprung_consumer_dead_lettered_total${L("a")} 1`,
        `ursprung_consumer_lag${L("a")} 40`,
        `ursprung_consumer_updated_timestamp_seconds${L("a")} ${NOW - 5}`,
      ].join("\n"),
    );
    expect(mixed.lag.value).toBe("40");
    expect(mixed.lag.detail).toBe("behind the end of the topics, 1 consumer, updated 3 s ago; 1 consumer on MQTT (CamFlow): no lag there");
    expect(mixed.dlq.value).toBe("5");
    expect(mixed.dlq.detail).toMatch(/^sent to <topic>.dlq or CamFlow packets set aside in camflow_dead_letters since/);
    // A Kafka consumer that has not fetched yet is still "not measured", not "n/a".
    const unmeasured = fig([...camflow, `ursprung_consumer_up${L("a")} 1`, `ursprung_consumer_events_total${L("a")} 0`].join("\n"));
    expect(unmeasured.lag.value).toBeNull();
    expect(unmeasured.lag.detail).toMatch(/^no data yet: not measured/);
  });

  it("fall back to the rate measured from two readings", () => {
    const text = `ursprung_consumer_up${L("a")} 1\nursprung_consumer_events_total${L("a")} 10\n`;
    expect(fig(text, 42).events.value).toBe("42.0");
    expect(fig(text, null).events.value).toBe("measuring…");
  });

  it("word ages", () => {
    expect(ago(8)).toBe("8 s ago");
    expect(ago(180)).toBe("3 min ago");
    expect(ago(7200)).toBe("2 h ago");
    expect(ago(5 * 86400)).toBe("5 d ago");
  });
});
