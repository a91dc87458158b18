import { ApiError, messageOf } from "../api";
import type { View } from "../app";
import { h, notice } from "../lib/dom";
import { exitText, formatDuration, formatTime } from "../lib/format";
import { firstTotal, labelValues, parsePrometheus, rate, type Sample } from "../lib/metrics";
import type { RunSummary } from "../types";

// Series names the consumer and plugin publish (or will: until they do, the figure says so).
const EVENTS = ["ursprung_consumer_events_total", "ursprung_consumer_records_total"];
const LAG = ["ursprung_consumer_lag", "ursprung_consumer_lag_records", "kafka_consumergroup_lag"];
const DLQ = ["ursprung_consumer_dead_lettered_total", "ursprung_consumer_dlq_total", "ursprung_dlq_events_total"];
const LOST = ["ursprung_auditd_lost", "ursprung_plugin_kernel_lost", "ursprung_plugin_lost_total"];
const POLL_MS = 10_000;

export const renderDashboard: View = (root, ctx) => {
  ctx.title("Dashboard");
  const server = h("p", { role: "status" }, "Checking the server…");
  const figures = h("dl", { className: "figures" });
  const runs = h("div", {}, notice("Loading recent runs…"));
  const alerts = h("div", {}, notice("Loading alerts…"));
  root.append(
    h("h2", {}, "Dashboard"),
    h("section", { "aria-labelledby": "srv" }, h("h3", { id: "srv" }, "Server"), server),
    h("section", { "aria-labelledby": "ingest" }, h("h3", { id: "ingest" }, "Ingest"), figures),
    h("section", { "aria-labelledby": "recent" }, h("h3", { id: "recent" }, "Recent runs"), runs),
    h("section", { "aria-labelledby": "alerts" }, h("h3", { id: "alerts" }, "Alerts from rules"), alerts),
  );

  ctx.api
    .alerts(20)
    .then((page) =>
      alerts.replaceChildren(
        page.items.length
          ? h(
              "table",
              { className: "grid" },
              h("caption", { className: "sr-only" }, "The most recent alerts raised by ALERT rules"),
              h("thead", {}, h("tr", {}, ["When", "Host", "Alert", "Path", "PID"].map((t) => h("th", { scope: "col" }, t)))),
              h(
                "tbody",
                {},
                page.items.map((a) =>
                  h("tr", {}, h("td", {}, formatTime(a.eventTime)), h("td", {}, a.host), h("td", { className: "bad" }, a.message), h("td", { className: "mono" }, a.path ?? ""), h("td", {}, a.pid == null ? "" : String(a.pid))),
                ),
              ),
            )
          : notice("No alerts: no ALERT rule has fired.", "empty"),
      ),
    )
    .catch((e) =>
      alerts.replaceChildren(
        notice(
          e instanceof ApiError && e.status === 403
            ? "Alerts are shown to admins only."
            : `Alerts are not available: ${messageOf(e)}`,
          e instanceof ApiError && e.status === 403 ? "empty" : "error",
        ),
      ),
    );

  ctx.api
    .health()
    .then((hl) => {
      server.textContent = `The server is ${hl.status}` + (hl.version ? ` (version ${hl.version}).` : ".");
    })
    .catch((e) => {
      server.replaceWith(notice(messageOf(e), "error"));
    });

  let runHosts: string[] = [];
  let prev: { value: number; at: number } | null = null;
  let samples: Sample[] | null = null;
  let metricsProblem = "";

  // A div per figure inside the dl keeps each label with its value in the grid.
  const figure = (label: string, value: string | null, why: string, pending = false) =>
    h("div", { className: "figure" }, h("dt", {}, label), h("dd", { className: value === null || pending ? "na" : "" }, value ?? `not available: ${why}`));

  function drawFigures(eventsPerSecond: number | null): void {
    const why = metricsProblem || "the server does not report it yet";
    const hostsFromMetrics = samples ? labelValues(samples, EVENTS[0], "host") : [];
    const hosts = hostsFromMetrics.length ? hostsFromMetrics : runHosts;
    const hostsText = hosts.length
      ? `${hosts.length}: ${hosts.join(", ")}` + (hostsFromMetrics.length ? "" : " (seen in recent runs)")
      : null;
    const num = (names: string[]) => (samples ? firstTotal(samples, names) : null);
    const events = num(EVENTS);
    figures.replaceChildren(
      figure("Hosts", hostsText, "no host has reported provenance you can see"),
      figure(
        "Events ingested per second",
        eventsPerSecond !== null ? eventsPerSecond.toFixed(1) : events !== null ? "measuring… (needs two readings, 10 s apart)" : null,
        why,
        eventsPerSecond === null,
      ),
      figure("Consumer lag (events)", num(LAG)?.toString() ?? null, why),
      figure("Dead-lettered events", num(DLQ)?.toString() ?? null, why),
      figure("Lost events (kernel audit)", num(LOST)?.toString() ?? null, why),
    );
  }

  async function poll(): Promise<void> {
    try {
      samples = parsePrometheus(await ctx.api.metrics());
      metricsProblem = "";
    } catch (e) {
      samples = null;
      metricsProblem =
        e instanceof ApiError && e.status === 403
          ? "only admins may read the server's metrics"
          : e instanceof ApiError && e.status === 404
            ? "this server has no metrics endpoint"
            : messageOf(e);
    }
    const ev = samples ? firstTotal(samples, EVENTS) : null;
    const cur = ev !== null ? { value: ev, at: Date.now() } : null;
    const r = rate(prev, cur);
    prev = cur;
    drawFigures(r);
  }

  drawFigures(null);
  void poll();
  const timer = window.setInterval(() => void poll(), POLL_MS);

  ctx.api
    .runs({ limit: 10 })
    .then((page) => {
      runHosts = [...new Set(page.items.map((r) => r.host))].sort();
      drawFigures(null);
      runs.replaceChildren(page.items.length ? runTable(page.items, ctx.navigate) : notice("No runs yet that you may see.", "empty"));
    })
    .catch((e) => runs.replaceChildren(notice(`Recent runs are not available: ${messageOf(e)}`, "error")));

  return () => window.clearInterval(timer);
};

function runTable(items: RunSummary[], navigate: (h: string) => void): HTMLElement {
  return h(
    "table",
    { className: "grid" },
    h("caption", { className: "sr-only" }, "The ten most recent runs"),
    h("thead", {}, h("tr", {}, ["Command", "User", "Host", "Started", "Duration", "Exit code", ""].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      items.map((r) => {
        const open = h("button", { type: "button", className: "link" }, "Show in graph");
        open.addEventListener("click", () => navigate(`#/graph?node=${encodeURIComponent(r.id)}`));
        return h(
          "tr",
          {},
          h("td", { className: "mono" }, r.cmdline),
          h("td", {}, r.user ?? "unknown"),
          h("td", {}, r.host),
          h("td", {}, formatTime(r.start)),
          h("td", {}, formatDuration(r.durationMs)),
          h("td", { className: r.exitCode ? "bad" : "" }, exitText(r.exitCode)),
          h("td", {}, r.id.startsWith("p:") ? open : null),
        );
      }),
    ),
  );
}
