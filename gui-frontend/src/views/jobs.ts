import { ApiError, messageOf } from "../api";
import type { View } from "../app";
import { h, notice } from "../lib/dom";
import { exitText, formatDuration, formatTime } from "../lib/format";

// Jobs and accounting come from the job audit records (BRIEF §4, GET /api/v1/jobs): the owner and
// admins see them. A server without job audit answers 404; the view then lists the runs that are
// batch jobs instead.

const JOB_COLUMNS: [string, string][] = [
  ["jobId", "Job"],
  ["user", "User"],
  ["gatewayUser", "Gateway user"],
  ["resourceManager", "Manager"],
  ["localJobId", "Local id"],
  ["executingHost", "Host"],
  ["state", "State"],
  ["exitCode", "Exit"],
  ["created", "Created"],
  ["started", "Started"],
  ["finished", "Finished"],
  ["elapsedSeconds", "Elapsed (s)"],
  ["userCpuSeconds", "User CPU (s)"],
  ["systemCpuSeconds", "System CPU (s)"],
];

function cell(key: string, v: unknown): string {
  if (v == null) return "";
  if (typeof v === "string" && ["created", "started", "finished"].includes(key)) return formatTime(v);
  return String(v);
}

export const renderJobs: View = (root, ctx) => {
  ctx.title("Jobs");
  const body = h("div", {}, notice("Loading jobs…"));
  root.append(h("h2", {}, "Jobs and accounting"), body);
  void (async () => {
    try {
      const page = await ctx.api.jobs();
      if (!page.items.length) {
        body.replaceChildren(notice("No job audit records that you may see.", "empty"));
        return;
      }
      body.replaceChildren(
        h(
          "table",
          { className: "grid" },
          h("thead", {}, h("tr", {}, JOB_COLUMNS.map(([, label]) => h("th", { scope: "col" }, label)))),
          h(
            "tbody",
            {},
            page.items.map((j) =>
              h(
                "tr",
                {},
                JOB_COLUMNS.map(([key]) => h("td", { className: key === "state" && String(j[key] ?? "").startsWith("FAIL") ? "bad" : key === "jobId" ? "mono" : "" }, cell(key, j[key]))),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      const missing = e instanceof ApiError && e.status === 404;
      const parts: HTMLElement[] = [
        notice(
          missing
            ? "Job audit is not available on this server: it has no jobs endpoint."
            : `Jobs are not available: ${messageOf(e)}`,
          missing ? "empty" : "error",
        ),
      ];
      try {
        const runs = await ctx.api.runs({ limit: 200 });
        const jobs = runs.items.filter((r) => r.kind === "job");
        parts.push(
          h("h3", {}, "Runs that are batch jobs"),
          jobs.length
            ? h(
                "table",
                { className: "grid" },
                h("thead", {}, h("tr", {}, ["Job", "User", "Host", "Started", "Duration", "Exit code"].map((t) => h("th", { scope: "col" }, t)))),
                h("tbody", {}, jobs.map((r) => h("tr", {}, h("td", { className: "mono" }, r.id.replace(/^job:/, "")), h("td", {}, r.user ?? "unknown"), h("td", {}, r.host), h("td", {}, formatTime(r.start)), h("td", {}, formatDuration(r.durationMs)), h("td", {}, exitText(r.exitCode))))),
              )
            : notice("None of the runs you may see ran as a batch job.", "empty"),
        );
      } catch (e2) {
        parts.push(notice(`Runs are not available either: ${messageOf(e2)}`, "error"));
      }
      body.replaceChildren(...parts);
    }
  })();
};
