import { ApiError, messageOf } from "../api";
import type { AppContext } from "../app";
import { isNoisePath } from "../graph/filters";
import { changedKeys, diffWords } from "../lib/diff";
import { copyText, download, facts, h, notice } from "../lib/dom";
import { durationBetween, exitText, formatDuration, formatSize, formatTime } from "../lib/format";
import { buildScript, shJoin } from "../lib/script";
import { parseUnifiedDiff, type DiffSummary } from "../lib/unified";
import type { FileDetails, FileNode, FileVersion, GraphNode, ProcessDetails, ProcessNode, TrackedVersion } from "../types";

// The details panel: what is known about the selected node, in full (the canvas shows short labels
// only). It draws the node's own fields at once and fills in the server's details when they come.

export interface DetailActions {
  depth: () => number;
  expanded: () => boolean;
  expand: () => Promise<void>;
  lineage: (dir: "upstream" | "downstream") => Promise<void>;
  focus: (id: string) => void;
}

let generation = 0;

export function renderDetails(panel: HTMLElement, n: GraphNode, ctx: AppContext, act: DetailActions): void {
  const my = ++generation;
  const more = h("div", {}, notice("Loading details…"));
  const expandBtn = h("button", { type: "button" }, act.expanded() ? "Neighbours shown" : `Expand (${act.depth()} hop${act.depth() > 1 ? "s" : ""})`);
  expandBtn.disabled = act.expanded();
  expandBtn.addEventListener("click", () => void act.expand());
  const up = h("button", { type: "button", className: "secondary" }, "Show all upstream");
  up.addEventListener("click", () => void act.lineage("upstream"));
  const down = h("button", { type: "button", className: "secondary" }, "Show all downstream");
  down.addEventListener("click", () => void act.lineage("downstream"));
  const head =
    n.type === "file"
      ? [h("h3", { id: "details-title" }, "File"), h("p", { className: "mono path" }, n.path)]
      : [h("h3", { id: "details-title" }, "Process"), h("p", { className: "mono path" }, n.cmdline)];
  panel.replaceChildren(...head, h("div", { className: "buttons" }, expandBtn, up, down), n.type === "file" ? fileFacts(n) : processFacts(n), more);

  const stillMine = () => my === generation;
  if (n.type === "process") {
    ctx.api
      .process(n.id)
      .then((d) => stillMine() && more.replaceChildren(processMore(d, act)))
      .catch((e) => stillMine() && more.replaceChildren(notice(`More details are not available: ${messageOf(e)}`, "error")));
  } else {
    ctx.api
      .file(n.id)
      .then((d) => stillMine() && more.replaceChildren(fileMore(n, d, ctx, act)))
      .catch((e) => stillMine() && more.replaceChildren(notice(`More details are not available: ${messageOf(e)}`, "error")));
  }
}

function fileFacts(n: FileNode): HTMLElement {
  return facts([
    ["Host", n.host],
    ["Version", n.version === 0 ? "from before capture" : String(n.version ?? "unknown")],
    ["Version made", formatTime(n.versionTime)],
    ["Size", formatSize(n.size)],
    ["Inode", n.inode !== undefined ? `${n.inode} on ${n.fs ?? "?"}` : "unknown"],
  ]);
}

function processFacts(n: ProcessNode): HTMLElement {
  return facts([
    ["Host", n.host],
    ["PID", String(n.pid)],
    ["User", n.user ? `${n.user}${n.uid !== null && n.uid !== undefined ? ` (uid ${n.uid})` : ""}` : "unknown"],
    ["Working directory", h("span", { className: "mono" }, n.cwd ?? "unknown")],
    ["Program", h("span", { className: "mono" }, n.exe ?? "unknown")],
    ["Started", formatTime(n.start)],
    ["Ended", n.end ? formatTime(n.end) : "unknown (still running, or killed without an exit record)"],
    ["Duration", formatDuration(durationBetween(n.start, n.end))],
    ["Exit code", h("span", { className: n.exitCode ? "bad" : "" }, exitText(n.exitCode))],
  ]);
}

function link(label: string, id: string, act: DetailActions): HTMLElement {
  const b = h("button", { type: "button", className: "link mono" }, label);
  b.addEventListener("click", () => act.focus(id));
  return b;
}

function accessList(title: string, items: { fileId: string; path: string; kind: string; time?: string | null }[], act: DetailActions): HTMLElement {
  const real = items.filter((a) => !isNoisePath(a.path));
  const noise = items.length - real.length;
  return h(
    "section",
    {},
    h("h4", {}, `${title} (${items.length})`),
    real.length
      ? h("ul", { className: "compact" }, real.slice(0, 100).map((a) => h("li", {}, link(a.path, a.fileId, act), h("span", { className: "muted small" }, ` ${a.kind}`))))
      : notice("None.", "empty"),
    noise ? h("p", { className: "muted small" }, `${noise} system files (libraries, /proc, /dev …) not listed.`) : null,
    real.length > 100 ? h("p", { className: "muted small" }, `${real.length - 100} more not listed.`) : null,
  );
}

function processMore(d: ProcessDetails, act: DetailActions): HTMLElement {
  const argv = d.argv ?? [];
  const cmd = h("pre", { className: "script", tabindex: "0", "aria-label": "Command line, quoted for a shell" }, argv.length ? shJoin(argv) : d.process.cmdline);
  const copy = h("button", { type: "button", className: "secondary" }, "Copy command");
  const copied = h("span", { role: "status", className: "muted small" });
  copy.addEventListener("click", async () => {
    copied.textContent = (await copyText(cmd.textContent ?? "", cmd)) ? " Copied." : " Selected; press Ctrl+C to copy.";
  });
  const rel = (title: string, list: { processId: string; cmdline: string; kind: string }[] | undefined) =>
    list && list.length
      ? h("section", {}, h("h4", {}, title), h("ul", { className: "compact" }, list.map((x) => h("li", {}, link(x.cmdline, x.processId, act), h("span", { className: "muted small" }, ` ${x.kind}`)))))
      : null;
  return h(
    "div",
    {},
    h("h4", {}, "Arguments (argv)"),
    argv.length ? h("ol", { className: "argv", start: 0 }, argv.map((a) => h("li", { className: "mono" }, a))) : notice("Not recorded.", "empty"),
    h("div", { className: "row" }, copy, copied),
    cmd,
    facts([
      ["Group", d.gid !== null && d.gid !== undefined ? `gid ${d.gid}` : "unknown"],
      ["Batch job", d.jobId ?? "none"],
      ["Parent", d.parent ? link(d.parent.cmdline, d.parent.id, act) : "unknown"],
      ["Children", String(d.children?.length ?? 0)],
    ]),
    accessList("Read", d.reads ?? [], act),
    accessList("Wrote", d.writes ?? [], act),
    rel("Received data from (pipes, sockets)", d.informedBy),
    rel("Sent data to (pipes, sockets)", d.informs),
    d.children && d.children.length
      ? h("section", {}, h("h4", {}, "Children"), h("ul", { className: "compact" }, d.children.slice(0, 50).map((c) => h("li", {}, link(c.cmdline, c.id, act)))))
      : null,
    d.connections && d.connections.length
      ? h(
          "section",
          {},
          h("h4", {}, "Network"),
          h("ul", { className: "compact" }, d.connections.map((c) => h("li", { className: "mono" }, `${c.op} ${c.family ?? ""} ${c.path ?? `${c.address ?? ""}:${c.port ?? ""}`} → ${c.result ?? ""}`))),
        )
      : null,
  );
}

const VERSION_KEYS = ["path", "time", "cause", "size", "contentHash", "writer"];

function fileMore(n: FileNode, d: FileDetails, ctx: AppContext, act: DetailActions): HTMLElement {
  const versions = d.versions ?? [];
  const picked = new Set<number>();
  const diffBox = h("div", { "aria-live": "polite" });
  const diffBtn = h("button", { type: "button", className: "secondary" }, "Compare two versions");
  diffBtn.disabled = true;
  const writers = new Map<string, string>();
  for (const v of versions) if (v.writer) writers.set(v.writer.id, v.writer.cmdline);

  const table = versions.length
    ? h(
        "table",
        { className: "grid small" },
        h("caption", { className: "sr-only" }, "Versions of this file; tick two to compare"),
        h("thead", {}, h("tr", {}, ["Pick", "Version", "Written by"].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          versions.map((v, i) => {
            const box = h("input", { type: "checkbox", id: `ver-${i}`, "aria-label": `Pick version ${v.version} for comparison` });
            box.addEventListener("change", () => {
              if (box.checked) picked.add(i);
              else picked.delete(i);
              diffBtn.disabled = picked.size !== 2;
            });
            // Three columns fit the panel; time, cause and size go under the version number.
            return h(
              "tr",
              { className: v.id === n.id ? "current" : "" },
              h("td", {}, box),
              h(
                "td",
                {},
                h("strong", {}, v.version === 0 ? "before capture" : `v${v.version}`),
                v.id === n.id ? " (this)" : null,
                h("div", { className: "muted small" }, `${formatTime(v.time)}, ${v.cause ?? "?"}, ${formatSize(v.size)}`),
              ),
              h("td", {}, v.writer ? link(v.writer.cmdline, v.writer.id, act) : "unknown"),
            );
          }),
        ),
      )
    : notice("No versions recorded.", "empty");

  diffBtn.addEventListener("click", () => {
    const [a, b] = [...picked].sort((x, y) => x - y).map((i) => versions[i]);
    diffBox.replaceChildren(versionDiff(a, b));
  });

  const repro = h("div", {});
  const reproBtn = h("button", { type: "button", id: "reproduce" }, "Reproduce this file");
  reproBtn.addEventListener("click", async () => {
    repro.replaceChildren(notice("Working out the commands…"));
    try {
      const plan = await ctx.api.reproduce(n.path, n.host);
      const script = plan.script || buildScript(plan.steps, plan.path);
      const pre = h("pre", { className: "script", id: "reproduce-script", tabindex: "0", "aria-label": "Shell script" }, script);
      const copy = h("button", { type: "button" }, "Copy script");
      const save = h("button", { type: "button", className: "secondary" }, "Download script");
      const said = h("span", { role: "status", className: "muted small" });
      copy.addEventListener("click", async () => {
        said.textContent = (await copyText(script, pre)) ? " Copied." : " Selected; press Ctrl+C to copy.";
      });
      save.addEventListener("click", () => download(`reproduce-${(n.path.split("/").pop() || "file").replace(/[^\w.-]/g, "_")}.sh`, script, "text/x-shellscript"));
      repro.replaceChildren(
        h("p", {}, `${plan.steps.length} commands, in the order they ran${plan.truncated ? " (the lineage was cut at its size limit: some may be missing)" : ""}. Review before running: nothing is run for you.`),
        h(
          "ol",
          { className: "compact" },
          plan.steps.map((s) => h("li", { className: s.inScript === false ? "muted" : "" }, h("span", { className: "mono" }, s.cmdline), h("span", { className: "muted small" }, ` in ${s.cwd ?? "?"} on ${s.host}${s.inScript === false ? " (run by its parent)" : ""}`))),
        ),
        h("div", { className: "row" }, copy, save, said),
        pre,
      );
    } catch (e) {
      repro.replaceChildren(notice(`Cannot reproduce this file: ${messageOf(e)}`, "error"));
    }
  });

  return h(
    "div",
    {},
    h("div", { className: "buttons" }, reproBtn),
    repro,
    h("h4", {}, "Path history"),
    d.names && d.names.length
      ? h("ul", { className: "compact" }, d.names.map((x) => h("li", {}, h("span", { className: "mono" }, x.path), h("span", { className: "muted small" }, ` ${x.op}, ${formatTime(x.time)}`))))
      : notice("No names recorded.", "empty"),
    h("h4", {}, `Versions (${versions.length})`),
    table,
    versions.length > 1 ? h("div", { className: "row" }, diffBtn) : null,
    diffBox,
    trackedSection(n, ctx),
    h("h4", {}, `Writers (${writers.size})`),
    writers.size ? h("ul", { className: "compact" }, [...writers].map(([id, cmd]) => h("li", {}, link(cmd, id, act)))) : notice("No writer is known (made before capture, or by someone you may not see).", "empty"),
  );
}

/** Two versions side by side: what changed in how the file was made. */
export function versionDiff(a: FileVersion, b: FileVersion): HTMLElement {
  const flat = (v: FileVersion) => ({
    path: v.path ?? null,
    time: v.time ?? null,
    cause: v.cause ?? null,
    size: v.size ?? null,
    contentHash: v.contentHash ?? null,
    writer: v.writer?.cmdline ?? null,
  });
  const fa = flat(a);
  const fb = flat(b);
  const changed = changedKeys(fa, fb, VERSION_KEYS);
  const show = (k: string, v: unknown) => (v === null ? "unknown" : k === "time" ? formatTime(String(v)) : k === "size" ? formatSize(Number(v)) : String(v));
  const writerDiff =
    a.writer && b.writer && a.writer.cmdline !== b.writer.cmdline
      ? h(
          "p",
          { className: "mono" },
          "Command changes: ",
          diffWords(a.writer.cmdline.split(" "), b.writer.cmdline.split(" ")).map((p) => (p.op === "same" ? p.text + " " : h(p.op === "added" ? "ins" : "del", {}, p.text, " "))),
        )
      : null;
  const sameContent = a.contentHash && b.contentHash ? (a.contentHash === b.contentHash ? "The contents are identical (same hash)." : "The contents differ (different hashes).") : null;
  return h(
    "div",
    { className: "version-diff" },
    h(
      "table",
      { className: "grid small" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), h("th", { scope: "col" }, `Version ${a.version}`), h("th", { scope: "col" }, `Version ${b.version}`))),
      h(
        "tbody",
        {},
        VERSION_KEYS.map((k) =>
          h(
            "tr",
            { className: changed.has(k) ? "row-diff" : "" },
            h("th", { scope: "row" }, k === "contentHash" ? "content hash" : k),
            h("td", { className: changed.has(k) ? "diff" : "" }, show(k, (fa as Record<string, unknown>)[k])),
            h("td", { className: changed.has(k) ? "diff" : "" }, show(k, (fb as Record<string, unknown>)[k])),
          ),
        ),
      ),
    ),
    writerDiff,
    h(
      "p",
      { className: "muted small" },
      sameContent ??
        "A line-by-line content diff needs the file's contents, which Ursprung does not store for this file; the differences above are in how each version was made.",
    ),
  );
}

/**
 * Content versions kept by TRACK rules, with a line-by-line diff between two of them. Admin only
 * (as the API): file content is more sensitive than provenance.
 */
function trackedSection(n: FileNode, ctx: AppContext): HTMLElement {
  const body = h("div", {});
  const box = h("section", { className: "tracked", "aria-labelledby": "tracked-title" }, h("h4", { id: "tracked-title" }, "Tracked content"), body);
  const adminOnly = () => body.replaceChildren(notice("Tracked file content (kept by TRACK rules) is shown to admins only.", "empty"));
  if (ctx.session.user.role !== "admin") {
    adminOnly();
    return box;
  }
  body.replaceChildren(notice("Looking for tracked content…"));
  ctx.api
    .trackedVersions(n.path)
    .then((r) => {
      // The same path on another host is another file.
      const items = r.items.filter((v) => v.host === n.host);
      if (!items.length) {
        body.replaceChildren(notice("This file's content is not tracked (no TRACK rule kept it).", "empty"));
        return;
      }
      body.replaceChildren(trackedVersions(items, ctx));
    })
    .catch((e) => {
      if (e instanceof ApiError && e.status === 403) adminOnly();
      else body.replaceChildren(notice(`Tracked content is not available: ${messageOf(e)}`, "error"));
    });
  return box;
}

function trackedVersions(items: TrackedVersion[], ctx: AppContext): HTMLElement {
  const label = (v: TrackedVersion, i: number) => `#${i + 1}, ${formatTime(v.versionTime)}, ${formatSize(v.size)}`;
  const list = h(
    "ol",
    { className: "compact", id: "tracked-list" },
    items.map((v, i) => h("li", {}, label(v, i), h("span", { className: "muted small mono" }, ` commit ${v.commitId.slice(0, 10)}`))),
  );
  if (items.length < 2) {
    return h("div", {}, list, h("p", { className: "muted small" }, "One tracked version: a diff needs two."));
  }
  const pick = (id: string, text: string, selected: number) =>
    h(
      "label",
      { for: id },
      text,
      " ",
      h(
        "select",
        { id },
        items.map((v, i) => h("option", { value: String(i), selected: i === selected }, label(v, i))),
      ),
    );
  const from = pick("tracked-from", "From", items.length - 2);
  const to = pick("tracked-to", "to", items.length - 1);
  const show = h("button", { type: "button", id: "tracked-diff-button" }, "Show content diff");
  const out = h("div", { "aria-live": "polite" });
  show.addEventListener("click", async () => {
    const a = items[Number((from.querySelector("select") as HTMLSelectElement).value)];
    const b = items[Number((to.querySelector("select") as HTMLSelectElement).value)];
    out.replaceChildren(notice("Loading the diff…"));
    try {
      const text = await ctx.api.trackedDiff(b.host, a.eventId, b.eventId);
      out.replaceChildren(diffView(parseUnifiedDiff(text), label(a, items.indexOf(a)), label(b, items.indexOf(b))));
    } catch (e) {
      out.replaceChildren(notice(`The diff is not available: ${messageOf(e)}`, "error"));
    }
  });
  return h("div", {}, list, h("div", { className: "row" }, from, to, show), out);
}

/** Most diff lines drawn; the rest is summarised (the panel is narrow, the API caps content too). */
const MAX_DIFF_ROWS = 2000;

/** A line-by-line diff: line numbers, a visible + or − per changed line, and words for readers. */
export function diffView(d: DiffSummary, fromLabel: string, toLabel: string): HTMLElement {
  const head = h(
    "p",
    { className: "small" },
    d.binary
      ? "Binary content: no line diff."
      : d.rows.length
        ? `${d.added} line${d.added === 1 ? "" : "s"} added (+), ${d.removed} removed (−), from ${fromLabel} to ${toLabel}.`
        : "The two versions have the same content.",
  );
  if (!d.rows.length) return h("div", { className: "content-diff" }, head);
  const shown = d.rows.slice(0, MAX_DIFF_ROWS);
  return h(
    "div",
    { className: "content-diff" },
    head,
    h(
      "table",
      { className: "diff-lines", id: "tracked-diff" },
      h("caption", { className: "sr-only" }, `Line-by-line changes from ${fromLabel} to ${toLabel}`),
      h("thead", { className: "sr-only" }, h("tr", {}, ["old line", "new line", "change", "text"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        shown.map((r) =>
          h(
            "tr",
            { className: `diff-${r.kind}` },
            h("td", { className: "ln" }, r.oldNo === null ? "" : String(r.oldNo)),
            h("td", { className: "ln" }, r.newNo === null ? "" : String(r.newNo)),
            h("td", { className: "mark" }, h("span", { "aria-hidden": "true" }, r.mark), r.word && r.kind !== "same" ? h("span", { className: "sr-only" }, r.word) : null),
            h("td", { className: "code" }, r.text),
          ),
        ),
      ),
    ),
    d.rows.length > shown.length ? h("p", { className: "muted small" }, `${d.rows.length - shown.length} more lines not shown.`) : null,
  );
}

