import { messageOf } from "../api";
import type { AppContext, View } from "../app";
import { Canvas, type Placement } from "../graph/canvas";
import { defaultFilters, facets, isNoise, visibleElements, type Filters } from "../graph/filters";
import { GraphModel, shortLabel } from "../graph/model";
import { toProvJson } from "../graph/prov";
import { download, h, notice } from "../lib/dom";
import type { Graph, GraphNode } from "../types";
import { renderDetails } from "./details";

// The graph explorer: search, start at one hop, expand on click, filter, inspect. Every expansion
// is one request and one batched canvas update; it places only the new nodes, around the expanded
// one, so the nodes the user was looking at stay where they were.

const NEIGHBOURS_PAGE = 100;
/** Node cap for a deeper expansion (depth > 1), per direction. */
const DEEP_LIMIT = 500;

export interface RenderTiming {
  what: string;
  nodes: number;
  edges: number;
  /** From the user's action to the frame after the layout: what the user waits for. */
  totalMs: number;
  fetchMs: number;
  layoutMs: number;
}

declare global {
  interface Window {
    /** For end-to-end tests and curious users: the canvas and the render timings. */
    __ursprung?: { cy: unknown; timings: RenderTiming[] };
  }
}

export const renderExplorer: View = (root, ctx) => {
  ctx.title("Graph explorer");
  const model = new GraphModel();
  const filters: Filters = { ...defaultFilters };
  let startId: string | null = null;
  let selectedId: string | null = null;
  let depth = Number(ctx.params.get("depth") ?? 1) || 1;

  // --- controls ---------------------------------------------------------------------------
  const kind = h("select", { id: "search-kind" }, h("option", { value: "file" }, "File path"), h("option", { value: "process" }, "Process command"));
  const text = h("input", { id: "search-text", type: "search", placeholder: "e.g. out/rows.csv or *.gz", required: true });
  const searchForm = h(
    "form",
    { role: "search", className: "stack", "aria-label": "Find a file or a process" },
    h("label", { for: "search-kind" }, "Search for"),
    kind,
    h("label", { for: "search-text" }, "Path, glob or command text"),
    h("div", { className: "row" }, text, h("button", { type: "submit" }, "Search")),
  );
  const results = h("div", { className: "results", "aria-live": "polite" });

  const depthInput = h("input", { id: "depth", type: "number", min: 1, max: 10, value: depth, inputmode: "numeric" });
  depthInput.addEventListener("change", () => {
    depth = Math.min(10, Math.max(1, Math.round(Number(depthInput.value) || 1)));
    depthInput.value = String(depth);
  });

  const showFiles = h("input", { type: "checkbox", id: "f-files", checked: true });
  const showProcs = h("input", { type: "checkbox", id: "f-procs", checked: true });
  const hostSel = h("select", { id: "f-host" });
  const userSel = h("select", { id: "f-user" });
  const glob = h("input", { id: "f-glob", type: "text", placeholder: "e.g. /home/*/etl/** or *.csv" });
  const noise = h("input", { type: "checkbox", id: "f-noise", checked: true });
  const filterBox = h(
    "fieldset",
    { className: "stack" },
    h("legend", {}, "Filters"),
    h("div", {}, showFiles, h("label", { for: "f-files" }, " Files"), " ", showProcs, h("label", { for: "f-procs" }, " Processes")),
    h("label", { for: "f-host" }, "Host"),
    hostSel,
    h("label", { for: "f-user" }, "User"),
    userSel,
    h("label", { for: "f-glob" }, "File path glob"),
    glob,
    h("div", {}, noise, h("label", { for: "f-noise" }, " Hide system noise (/usr, /lib, /proc, /dev, /etc/ld.so.cache, …)")),
  );
  const onFilter = () => {
    filters.showFiles = showFiles.checked;
    filters.showProcesses = showProcs.checked;
    filters.host = hostSel.value;
    filters.user = userSel.value;
    filters.pathGlob = glob.value;
    filters.hideNoise = noise.checked;
    // Which nodes are drawn may change anywhere: lay out everything again, gliding.
    redraw("filter", performance.now(), 0, { kind: "relayout" });
  };
  for (const el of [showFiles, showProcs, hostSel, userSel, noise]) el.addEventListener("change", onFilter);
  let globTimer = 0;
  glob.addEventListener("input", () => {
    window.clearTimeout(globTimer);
    globTimer = window.setTimeout(onFilter, 250);
  });

  const fitBtn = h("button", { type: "button", className: "secondary" }, "Fit to screen");
  const layoutBtn = h(
    "button",
    { type: "button", className: "secondary", id: "rearrange", title: "Lay out the whole graph again (tidy); the selected node stays in place" },
    "Re-arrange",
  );
  const provBtn = h("button", { type: "button", id: "prov-download" }, "Download PROV-JSON");
  const clearBtn = h("button", { type: "button", className: "secondary" }, "Clear graph");
  const stats = h("p", { className: "muted", role: "status", id: "graph-stats" }, "Search for a file or a process to start.");
  const nodeList = h("ul", { className: "node-list", id: "node-list", "aria-label": "Nodes on screen" });

  const canvasBox = h("div", {
    className: "canvas",
    id: "cy",
    role: "application",
    "aria-label": "Provenance graph. Inputs on the left, outputs on the right. Click a node to expand it; the node list offers the same by keyboard.",
  });
  const legend = h(
    "div",
    { className: "legend-bar", "aria-hidden": "true" },
    h("span", { className: "lg file" }, "file"),
    h("span", { className: "lg process" }, "process"),
    h("span", { className: "lg failed" }, "failed process"),
    h("span", { className: "lg closed" }, "not expanded yet"),
    h("span", { className: "lg-edge used" }, "read/exec"),
    h("span", { className: "lg-edge gen" }, "write"),
    h("span", { className: "lg-edge inf" }, "pipe/socket/fork"),
    h("span", { className: "lg-edge der" }, "rename"),
  );
  // Messages float over the canvas: a box that pushed the canvas down and back would move it under
  // the pointer, and Cytoscape maps clicks with the container position it measured last.
  const message = h("div", { className: "graph-message", "aria-live": "assertive" });
  const details = h("aside", { className: "details", id: "details", "aria-label": "Details of the selected node" }, notice("Select a node to see its details.", "empty"));

  root.append(
    h("h2", { className: "sr-only" }, "Graph explorer"),
    h(
      "div",
      { className: "explorer" },
      h(
        "aside",
        { className: "controls", "aria-label": "Search and filters" },
        searchForm,
        results,
        h("div", { className: "stack" }, h("label", { for: "depth" }, "Expand depth (hops per click)"), depthInput),
        filterBox,
        h("div", { className: "buttons" }, fitBtn, layoutBtn, provBtn, clearBtn),
        stats,
        h("details", { open: true }, h("summary", {}, "Nodes on screen"), nodeList),
      ),
      h("section", { className: "graph-pane", "aria-label": "Graph" }, message, canvasBox, legend),
      details,
    ),
  );

  const canvas = new Canvas(canvasBox, {
    onTap: (id) => {
      select(id, false);
      if (!model.expanded.has(id)) void expand(id);
    },
    onBackground: () => select(null, false),
  });
  const timings: RenderTiming[] = [];
  window.__ursprung = { cy: canvas.cy, timings };

  // --- drawing ----------------------------------------------------------------------------
  function classes(n: GraphNode): string[] {
    const c: string[] = [n.type];
    if (!model.expanded.has(n.id) || model.partial.has(n.id)) c.push("closed");
    if (n.type === "process" && n.exitCode !== null && n.exitCode !== undefined && n.exitCode !== 0) c.push("failed");
    if (n.id === startId) c.push("start");
    return c;
  }

  function refreshFacets(): void {
    const f = facets(model);
    const fill = (sel: HTMLSelectElement, values: string[], all: string) => {
      const cur = sel.value;
      sel.replaceChildren(h("option", { value: "" }, all), ...values.map((v) => h("option", { value: v }, v)));
      sel.value = values.includes(cur) ? cur : "";
    };
    fill(hostSel, f.hosts, "All hosts");
    fill(userSel, f.users, "All users");
  }

  function redraw(what: string, t0: number, fetchMs: number, placement: Placement): void {
    const pinned = [startId, selectedId].filter((x): x is string => !!x);
    const vis = visibleElements(model, filters, pinned);
    const nodes = [...vis.nodes].map((id) => model.nodes.get(id)!);
    canvas.focus = selectedId ?? startId;
    const r = canvas.render(nodes, vis.edges, classes, placement);
    if (selectedId) canvas.select(selectedId);
    const noiseCount = [...model.nodes.values()].filter(isNoise).length;
    stats.textContent =
      `${nodes.length} nodes and ${vis.edges.length} edges shown` +
      (vis.hidden ? `; ${vis.hidden} hidden by filters` + (filters.hideNoise && noiseCount ? ` (${noiseCount} system files)` : "") : "") +
      ".";
    drawNodeList(nodes);
    // The figure users feel: until the browser has painted the laid-out graph (after the glide of
    // a re-layout, so that tests waiting for a render read final positions).
    void r.settled.then(() =>
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const t = { what, nodes: nodes.length, edges: vis.edges.length, totalMs: performance.now() - t0, fetchMs, layoutMs: r.layoutMs };
          timings.push(t);
          canvasBox.dataset.rendered = String(timings.length);
        }),
      ),
    );
  }

  function drawNodeList(nodes: GraphNode[]): void {
    const sorted = [...nodes].sort((a, b) => (a.type === b.type ? shortLabel(a).localeCompare(shortLabel(b)) : a.type === "process" ? -1 : 1));
    nodeList.replaceChildren(
      ...sorted.map((n) => {
        const b = h(
          "button",
          { type: "button", className: `node-item ${n.type}`, "data-node": n.id, "aria-pressed": n.id === selectedId ? "true" : "false" },
          h("span", { className: "sr-only" }, n.type === "file" ? "File " : "Process "),
          n.type === "file" ? n.path : `${n.cmdline} (pid ${n.pid})`,
        );
        b.addEventListener("click", () => select(n.id, true));
        return h("li", {}, b);
      }),
    );
  }

  function select(id: string | null, center: boolean): void {
    selectedId = id;
    canvas.select(id, center);
    for (const b of nodeList.querySelectorAll<HTMLButtonElement>("button[data-node]")) {
      b.setAttribute("aria-pressed", b.dataset.node === id ? "true" : "false");
    }
    const n = id ? model.nodes.get(id) : undefined;
    if (!n) {
      details.replaceChildren(notice("Select a node to see its details.", "empty"));
      return;
    }
    renderDetails(details, n, ctx, {
      depth: () => depth,
      expanded: () => model.expanded.has(n.id) && !model.partial.has(n.id),
      expand: () => expand(n.id),
      lineage: (dir) => lineage(n, dir),
      focus: (other) => {
        if (model.nodes.has(other)) select(other, true);
        else void start(other);
      },
    });
  }

  // --- loading ----------------------------------------------------------------------------
  let inflight: AbortController | null = null;
  async function load(what: string, placement: Placement, fetcher: (signal: AbortSignal) => Promise<Graph[]>, after?: () => void): Promise<boolean> {
    inflight?.abort();
    const ac = new AbortController();
    inflight = ac;
    const t0 = performance.now();
    message.replaceChildren(notice("Loading…"));
    try {
      const graphs = await fetcher(ac.signal);
      const fetchMs = performance.now() - t0;
      let truncated = false;
      for (const g of graphs) {
        model.merge(g);
        truncated ||= !!g.truncated;
      }
      after?.();
      refreshFacets();
      redraw(what, t0, fetchMs, placement);
      message.replaceChildren(truncated ? notice("The answer was cut at its size limit; expand single nodes to see more.", "info") : "");
      return true;
    } catch (e) {
      if (ac.signal.aborted) return false;
      message.replaceChildren(notice(messageOf(e), "error"));
      return false;
    } finally {
      if (inflight === ac) inflight = null;
    }
  }

  async function expand(id: string): Promise<void> {
    const offset = model.partial.get(id) ?? 0;
    if (depth <= 1 || offset > 0) {
      let next: number | undefined;
      await load(
        "expand",
        { kind: "anchor", id },
        async (signal) => {
          const g = await ctx.api.neighbourhood(id, offset, NEIGHBOURS_PAGE, signal);
          next = g.truncated ? offset + NEIGHBOURS_PAGE : undefined;
          return [g];
        },
        () => model.markExpanded(id, next),
      );
    } else {
      await load(
        "expand",
        { kind: "anchor", id },
        (signal) =>
          Promise.all([
            ctx.api.lineage({ nodeId: id, direction: "upstream", depth, limit: DEEP_LIMIT }, signal),
            ctx.api.lineage({ nodeId: id, direction: "downstream", depth, limit: DEEP_LIMIT }, signal),
            // Lineage skips fork parentage; one hop of neighbourhood keeps it.
            ctx.api.neighbourhood(id, 0, NEIGHBOURS_PAGE, signal),
          ]),
        () => model.markExpanded(id),
      );
    }
    if (selectedId === id) select(id, false);
  }

  async function lineage(n: GraphNode, dir: "upstream" | "downstream"): Promise<void> {
    await load("lineage", { kind: "anchor", id: n.id }, async (signal) => [await ctx.api.lineage({ nodeId: n.id, direction: dir, depth: Math.max(depth, 10), limit: 2000 }, signal)]);
  }

  async function start(id: string): Promise<void> {
    const ok = await load(
      "start",
      { kind: "fit" },
      async (signal) => {
        const g = await ctx.api.neighbourhood(id, 0, NEIGHBOURS_PAGE, signal);
        model.clear();
        startId = id;
        return [g];
      },
      () => model.markExpanded(id, undefined),
    );
    if (ok) {
      select(id, false);
      // Keep the start in the address, so the view can be bookmarked and shared.
      history.replaceState(null, "", `#/graph?node=${encodeURIComponent(id)}`);
    }
  }

  // --- search -----------------------------------------------------------------------------
  searchForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const q = text.value.trim();
    if (!q) return;
    results.replaceChildren(notice("Searching…"));
    try {
      const items: { id: string; label: string; sub: string }[] = [];
      if (kind.value === "file") {
        // An absolute path is a prefix; anything else is a glob over the whole path.
        const p = q.startsWith("/") && !/[*?]/.test(q) ? { path: q } : { glob: q.startsWith("/") || q.startsWith("*") ? q : `*${q}` };
        const page = await ctx.api.files({ ...p, limit: 50 });
        for (const f of page.items) items.push({ id: f.id, label: f.path, sub: `${f.host}, ${f.versions ?? "?"} versions` });
      } else {
        const page = await ctx.api.processes({ q, limit: 50 });
        for (const p of page.items) items.push({ id: p.id, label: p.cmdline, sub: `${p.host}, pid ${p.pid}, ${p.user ?? "?"}, ${p.start ?? ""}` });
      }
      if (!items.length) {
        results.replaceChildren(notice(`Nothing found for "${q}" that you may see.`, "empty"));
        return;
      }
      results.replaceChildren(
        h("p", { className: "muted" }, `${items.length} found${items.length === 50 ? " (first 50)" : ""}:`),
        h(
          "ul",
          { className: "result-list" },
          items.map((it) => {
            const b = h("button", { type: "button", className: "result", "data-id": it.id }, h("span", { className: "mono" }, it.label), h("span", { className: "muted small" }, it.sub));
            b.addEventListener("click", () => void start(it.id));
            return h("li", {}, b);
          }),
        ),
      );
      if (items.length === 1) void start(items[0].id);
    } catch (err) {
      results.replaceChildren(notice(messageOf(err), "error"));
    }
  });

  fitBtn.addEventListener("click", () => canvas.fit());
  layoutBtn.addEventListener("click", () => redraw("rearrange", performance.now(), 0, { kind: "rearrange" }));
  clearBtn.addEventListener("click", () => {
    model.clear();
    startId = null;
    select(null, false);
    redraw("clear", performance.now(), 0, { kind: "fit" });
  });
  provBtn.addEventListener("click", () => {
    const vis = visibleElements(model, filters, [startId, selectedId].filter((x): x is string => !!x));
    if (!vis.nodes.size) {
      message.replaceChildren(notice("Nothing on screen to export yet.", "info"));
      return;
    }
    const doc = toProvJson([...vis.nodes].map((id) => model.nodes.get(id)!), vis.edges);
    download("ursprung-provenance.json", JSON.stringify(doc, null, 2), "application/json");
    message.replaceChildren(notice(`Downloaded PROV-JSON of ${vis.nodes.size} nodes and ${vis.edges.length} edges.`, "info"));
  });

  const initial = ctx.params.get("node");
  if (initial) void start(initial);
  else text.focus();

  return () => {
    inflight?.abort();
    canvas.destroy();
    delete window.__ursprung;
  };
};

export type { AppContext };
