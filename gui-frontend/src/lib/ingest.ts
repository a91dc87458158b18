// The dashboard's ingest figures, from the series GET /api/v1/metrics serves (docs/api.md):
// consumers report events, lag and dead-lettered per instance; plugins report the kernel's audit
// status per host. A figure nobody has reported says "no data yet" instead of showing zero, and
// every figure says how old its newest report is.
import type { Sample } from "./metrics";

export interface IngestFigure {
  key: "hosts" | "events" | "lag" | "dlq" | "lost";
  label: string;
  /** The figure, or null when there is no data. */
  value: string | null;
  /** One line under the figure: where it comes from, how fresh, or why it is missing. */
  detail: string;
  /** A report older than a few intervals: still shown, but marked. */
  stale: boolean;
}

/** Consumers report every 10 s by default; a row this old is shown as stale. */
const CONSUMER_STALE_S = 120;

/**
 * Sources read over MQTT (CamFlow), not Kafka: a broker tells a subscriber nothing of what is queued
 * for it, so these instances never report a lag. Their missing lag is "not applicable", neither
 * "not measured yet" nor zero.
 */
const NO_LAG_SOURCES = new Set(["camflow"]);

interface Instance {
  id: string;
  source: string;
  up: boolean;
  events: number;
  dlq: number;
  rate: number | null;
  lag: number | null;
  updated: number | null;
}

interface HostReport {
  host: string;
  available: boolean;
  reason: string;
  lost: number | null;
  reported: number | null;
  interval: number | null;
}

function byLabel(samples: Sample[], name: string, label: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const k = s.labels[label];
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), s]);
  }
  return out;
}

function one(samples: Sample[], name: string, label: string, key: string): number | null {
  const s = samples.find((x) => x.name === name && x.labels[label] === key);
  return s ? s.value : null;
}

function instances(samples: Sample[]): Instance[] {
  return [...byLabel(samples, "ursprung_consumer_events_total", "instance").entries()].map(([id, ss]) => ({
    id,
    source: ss[0].labels.source ?? "",
    up: one(samples, "ursprung_consumer_up", "instance", id) === 1,
    events: ss[0].value,
    dlq: one(samples, "ursprung_consumer_dead_lettered_total", "instance", id) ?? 0,
    rate: one(samples, "ursprung_consumer_events_per_second", "instance", id),
    lag: one(samples, "ursprung_consumer_lag", "instance", id),
    updated: one(samples, "ursprung_consumer_updated_timestamp_seconds", "instance", id),
  }));
}

function hostReports(samples: Sample[]): HostReport[] {
  return samples
    .filter((s) => s.name === "ursprung_plugin_kernel_available" && s.labels.host !== undefined)
    .map((s) => ({
      host: s.labels.host,
      available: s.value === 1,
      reason: s.labels.reason ?? "",
      lost: one(samples, "ursprung_plugin_kernel_lost", "host", s.labels.host),
      reported: one(samples, "ursprung_plugin_reported_timestamp_seconds", "host", s.labels.host),
      interval: one(samples, "ursprung_plugin_report_interval_seconds", "host", s.labels.host),
    }))
    .sort((a, b) => a.host.localeCompare(b.host));
}

/** "8 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function ago(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * The five ingest figures.
 *
 * @param samples the parsed metrics
 * @param nowSeconds the server's clock (ursprung_backend_time_seconds) or, without it, the browser's
 * @param measuredRate events/s from two readings of the totals, or null
 * @param runHosts hosts seen in recent runs, shown when no host has reported
 */
export function ingestFigures(samples: Sample[], nowSeconds: number, measuredRate: number | null, runHosts: string[] = []): IngestFigure[] {
  const now = samples.find((s) => s.name === "ursprung_backend_time_seconds")?.value ?? nowSeconds;
  const insts = instances(samples);
  // An instance that says it runs but has not reported for a while was probably killed (SIGKILL
  // leaves no final report): its last rate and lag are not counted, and the figure says so.
  const silentFor = (i: Instance) => (i.up && i.updated !== null && now - i.updated > CONSUMER_STALE_S ? now - i.updated : 0);
  const silent = insts.filter((i) => silentFor(i) > 0);
  const running = insts.filter((i) => i.up && !silentFor(i));
  const silentNote = silent.length
    ? `; ${silent.length} silent (no report for ${ago(Math.min(...silent.map(silentFor))).replace(" ago", "")}: stopped without saying so?)`
    : "";
  const newest = Math.max(...insts.map((i) => i.updated ?? -Infinity));
  const consumerAge = Number.isFinite(newest) ? now - newest : null;
  const consumerStale = consumerAge !== null && consumerAge > CONSUMER_STALE_S;
  const fresh = consumerAge === null ? "" : `updated ${ago(consumerAge)}`;
  const noConsumer = "no data yet: no consumer has reported";
  const who = (n: number) => `${n} consumer${n === 1 ? "" : "s"}`;

  // Hosts: those the graph holds events for, and those that sent a status report.
  const reports = hostReports(samples);
  const seen = new Map<string, number>();
  for (const s of samples) if (s.name === "ursprung_host_last_event_timestamp_seconds" && s.labels.host) seen.set(s.labels.host, s.value);
  const hostNames = [...new Set([...seen.keys(), ...reports.map((r) => r.host)])].sort();
  const lastEvent = Math.max(...seen.values());
  const hosts: IngestFigure = hostNames.length
    ? {
        key: "hosts",
        label: "Hosts",
        value: `${hostNames.length}: ${hostNames.join(", ")}`,
        detail: Number.isFinite(lastEvent) ? `latest event ${ago(now - lastEvent)} (event time)` : "from status reports",
        stale: false,
      }
    : runHosts.length
      ? { key: "hosts", label: "Hosts", value: `${runHosts.length}: ${runHosts.join(", ")}`, detail: "seen in recent runs", stale: false }
      : { key: "hosts", label: "Hosts", value: null, detail: "no data yet: no host has sent events", stale: false };

  // Events per second: what the running consumers measured over their last interval, or from two
  // readings of the totals when they did not say.
  const reported = running.filter((i) => i.rate !== null);
  const total = insts.reduce((a, i) => a + i.events, 0);
  let events: IngestFigure;
  if (!insts.length) {
    events = { key: "events", label: "Events ingested per second", value: null, detail: noConsumer, stale: false };
  } else {
    const rate = reported.length ? reported.reduce((a, i) => a + (i.rate ?? 0), 0) : running.length ? measuredRate : 0;
    events = {
      key: "events",
      label: "Events ingested per second",
      value: rate === null ? "measuring…" : rate.toFixed(1),
      detail:
        `${count(total)} stored in total; ` +
        (running.length ? `${who(running.length)} running` : "no consumer running") +
        (fresh ? `, ${fresh}` : "") +
        silentNote,
      stale: consumerStale,
    };
  }

  const lagless = running.filter((i) => NO_LAG_SOURCES.has(i.source));
  const kafka = running.filter((i) => !NO_LAG_SOURCES.has(i.source));
  const lags = kafka.filter((i) => i.lag !== null);
  const mqttNote = lagless.length ? `; ${who(lagless.length)} on MQTT (CamFlow): no lag there` : "";
  const lag: IngestFigure = !insts.length
    ? { key: "lag", label: "Consumer lag (events)", value: null, detail: noConsumer, stale: false }
    : !running.length
      ? { key: "lag", label: "Consumer lag (events)", value: null, detail: `no consumer running${fresh ? `; ${fresh}` : ""}${silentNote}`, stale: consumerStale }
      : !kafka.length
        ? { key: "lag", label: "Consumer lag (events)", value: "n/a", detail: `MQTT (CamFlow) has no lag to measure, ${who(lagless.length)}${fresh ? `, ${fresh}` : ""}`, stale: consumerStale }
        : !lags.length
          ? { key: "lag", label: "Consumer lag (events)", value: null, detail: `no data yet: not measured (no partition fetched yet)${mqttNote}`, stale: consumerStale }
          : { key: "lag", label: "Consumer lag (events)", value: count(lags.reduce((a, i) => a + (i.lag ?? 0), 0)), detail: `behind the end of the topics, ${who(lags.length)}${fresh ? `, ${fresh}` : ""}${mqttNote}`, stale: consumerStale };

  // Kafka consumers send bad messages to <topic>.dlq; the CamFlow consumer sets bad packets aside
  // in the camflow_dead_letters table.
  const anyMqtt = insts.some((i) => NO_LAG_SOURCES.has(i.source));
  const anyKafka = insts.some((i) => !NO_LAG_SOURCES.has(i.source));
  const dlqWhere = [anyKafka ? "sent to <topic>.dlq" : "", anyMqtt ? "CamFlow packets set aside in camflow_dead_letters" : ""].filter(Boolean).join(" or ");
  const dlq: IngestFigure = !insts.length
    ? { key: "dlq", label: "Dead-lettered events", value: null, detail: noConsumer, stale: false }
    : { key: "dlq", label: "Dead-lettered events", value: count(insts.reduce((a, i) => a + i.dlq, 0)), detail: `${dlqWhere} since the consumers started${fresh ? `; ${fresh}` : ""}`, stale: consumerStale };

  // Lost: per host, because each kernel counts its own; a host whose kernel could not be read
  // says why instead of adding a zero.
  let lost: IngestFigure;
  if (!reports.length) {
    lost = { key: "lost", label: "Lost events (kernel audit)", value: null, detail: "no data yet: no host has sent a status report", stale: false };
  } else {
    const known = reports.filter((r) => r.available && r.lost !== null);
    const parts = reports.map((r) => {
      const age = r.reported === null ? "" : `, ${ago(now - r.reported)}`;
      const isStale = r.reported !== null && now - r.reported > 3 * (r.interval ?? 60);
      return r.available && r.lost !== null
        ? `${r.host}: ${count(r.lost)}${age}${isStale ? " (stale)" : ""}`
        : `${r.host}: unknown (${r.reason || "not readable"})${age}${isStale ? " (stale)" : ""}`;
    });
    const anyStale = reports.some((r) => r.reported !== null && now - r.reported > 3 * (r.interval ?? 60));
    lost = {
      key: "lost",
      label: "Lost events (kernel audit)",
      value: known.length ? count(known.reduce((a, r) => a + (r.lost ?? 0), 0)) : "unknown",
      detail: parts.join(" · "),
      stale: anyStale,
    };
  }
  return [hosts, events, lag, dlq, lost];
}
