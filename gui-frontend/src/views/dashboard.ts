import { ApiError, messageOf } from "../api";
import type { View } from "../app";
import { h, notice } from "../lib/dom";
import { exitText, formatDuration, formatTime } from "../lib/format";
import { ingestFigures, type IngestFigure } from "../lib/ingest";
import { parsePrometheus, rate, total, type Sample } from "../lib/metrics";
import type { RunSummary } from "../types";

// The ingest figures come from the series consumers and plugins report through the store
// (lib/ingest.ts); the page reads them again every POLL_MS.
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
  let measured: number | null = null;

  // A div per figure inside the dl keeps each label with its value in the grid; the detail line
  // says where the figure comes from and how old it is, or why there is none.
  const figure = (f: IngestFigure, empty = "no data yet") =>
    h(
      "div",
      { className: "figure" + (f.stale ? " stale" : ""), "data-figure": f.key },
      h("dt", {}, f.label),
      h("dd", { className: f.value === null ? "na" : "" }, f.value ?? empty),
      h("dd", { className: "detail" }, (f.value === null ? f.detail.replace(/^no data yet: /, "") : f.detail) + (f.stale ? " (stale: no recent report)" : "")),
    );

  function drawFigures(): void {
    if (!samples) {
      // Not "no data yet": the data may well exist, this page cannot read it.
      const empty = metricsProblem ? "not available" : "loading…";
      const why = metricsProblem || "reading the server's metrics";
      const hostsFig: IngestFigure = runHosts.length
        ? { key: "hosts", label: "Hosts", value: `${runHosts.length}: ${runHosts.join(", ")}`, detail: "seen in recent runs", stale: false }
        : { key: "hosts", label: "Hosts", value: null, detail: why, stale: false };
      figures.replaceChildren(
        figure(hostsFig, empty),
        ...(
          [
            ["events", "Events ingested per second"],
            ["lag", "Consumer lag (events)"],
            ["dlq", "Dead-lettered events"],
            ["lost", "Lost events (kernel audit)"],
          ] as const
        ).map(([key, label]) => figure({ key, label, value: null, detail: why, stale: false }, empty)),
      );
      return;
    }
    figures.replaceChildren(...ingestFigures(samples, Date.now() / 1000, measured, runHosts).map((f) => figure(f)));
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
    const ev = samples ? total(samples, "ursprung_consumer_events_total") : null;
    const cur = ev !== null ? { value: ev, at: Date.now() } : null;
    measured = rate(prev, cur);
    prev = cur;
    drawFigures();
  }

  drawFigures();
  void poll();
  const timer = window.setInterval(() => void poll(), POLL_MS);

  ctx.api
    .runs({ limit: 10 })
    .then((page) => {
      runHosts = [...new Set(page.items.map((r) => r.host))].sort();
      drawFigures();
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
