import { ApiError, messageOf } from "../api";
import type { View } from "../app";
import { h, notice } from "../lib/dom";
import { exitText, formatDuration, formatTime } from "../lib/format";

// Jobs and accounting come from the job audit records (BRIEF §4). The API has no jobs endpoint
// yet; the view asks anyway so that it fills itself the day one exists, and meanwhile lists the
// runs that are batch jobs.

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
      const cols = Object.keys(page.items[0]);
      body.replaceChildren(
        h(
          "table",
          { className: "grid" },
          h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, page.items.map((j) => h("tr", {}, cols.map((c) => h("td", {}, j[c] == null ? "" : String(j[c])))))),
        ),
      );
    } catch (e) {
      const missing = e instanceof ApiError && e.status === 404;
      const parts: HTMLElement[] = [
        notice(
          missing
            ? "Job audit is not available on this server yet: it has no jobs endpoint. When job records are collected (ursprung job, provd's spool uploader) and served, per-job lifecycle and accounting appear here."
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
