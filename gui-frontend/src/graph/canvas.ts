import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import dagre from "cytoscape-dagre";
import type { GraphEdge, GraphNode } from "../types";
import { layered } from "./layered";
import { edgeKey, flow, shortLabel } from "./model";
import { defaultPlacement, placeAround } from "./placement";

/**
 * Dagre draws better (fewer crossings, straighter edges) but its cost grows steeply: fine for the
 * few dozen nodes of a typical expansion, seconds at 500 on a busy machine. Above this the fast
 * layered layout takes over.
 */
export const DAGRE_MAX_NODES = 150;

/** Space between two dagre ranks (columns), between node boxes. */
const DAGRE_RANK_SEP = 45;

const DAGRE_OPTIONS = {
  name: "dagre",
  // Data flows left to right: inputs on the left, outputs on the right.
  rankDir: "LR",
  nodeSep: 10,
  rankSep: DAGRE_RANK_SEP,
  edgeSep: 4,
  padding: 24,
  animate: false,
};

cytoscape.use(dagre);

// The Cytoscape side of the explorer. The canvas mirrors the visible part of the model: each
// render adds what is missing and removes what is filtered out in one batch, then lays out once.
// Labels are short and nothing has a tooltip: the details panel holds the full text, because
// hundreds of tooltips were what made the original unusable.

export interface CanvasCallbacks {
  onTap: (id: string) => void;
  onBackground: () => void;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 11,
      "font-family": "system-ui, sans-serif",
      color: "#111827",
      "text-valign": "center",
      "text-halign": "center",
      "text-wrap": "ellipsis",
      "text-max-width": "136px",
      width: 144,
      height: 30,
      "border-width": 1.5,
      // Labels smaller than this on screen are skipped: at 500 nodes zoomed out they are
      // unreadable anyway and drawing them is most of the cost.
      "min-zoomed-font-size": 7,
    },
  },
  { selector: "node.file", style: { shape: "round-rectangle", "background-color": "#dbeafe", "border-color": "#1d4ed8" } },
  { selector: "node.process", style: { shape: "rectangle", "background-color": "#ffedd5", "border-color": "#c2410c" } },
  { selector: "node.failed", style: { "border-color": "#b91c1c", "border-width": 3, "background-color": "#fee2e2" } },
  // Not yet expanded: a dashed border says "click for more".
  { selector: "node.closed", style: { "border-style": "dashed" } },
  { selector: "node.start", style: { "font-weight": "bold", "border-width": 3 } },
  { selector: "node:selected", style: { "border-color": "#111827", "border-width": 4, "overlay-opacity": 0.08, "overlay-color": "#111827" } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.9,
      "line-color": "#64748b",
      "target-arrow-color": "#64748b",
      label: "data(kind)",
      "font-size": 9,
      color: "#374151",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": "1px",
      "min-zoomed-font-size": 9,
    },
  },
  { selector: "edge.used", style: { "line-color": "#2563eb", "target-arrow-color": "#2563eb" } },
  { selector: "edge.wasGeneratedBy", style: { "line-color": "#15803d", "target-arrow-color": "#15803d" } },
  { selector: "edge.wasInformedBy", style: { "line-color": "#7c3aed", "target-arrow-color": "#7c3aed", "line-style": "dashed" } },
  { selector: "edge.wasDerivedFrom", style: { "line-color": "#b45309", "target-arrow-color": "#b45309", "line-style": "dotted", width: 2 } },
];

export interface RenderStats {
  added: number;
  removed: number;
  layoutMs: number;
  /** Settles when the nodes are where they belong (after a re-layout's animation, if any). */
  settled: Promise<void>;
}

/**
 * How a render places nodes:
 * - `fit`: a new graph; lay out everything and fit it to the view (no animation);
 * - `anchor`: an expansion of node `id`; nodes already drawn keep their positions, new nodes are
 *   placed around the anchor and the view does not move;
 * - `relayout`: lay out everything again (filters changed, or the user asked to re-arrange), with
 *   a short animation of the nodes already drawn and the focus node kept where it is on screen;
 * - `rearrange`: the same on the user's request, also when no node came or went.
 */
export type Placement = { kind: "fit" } | { kind: "anchor"; id: string } | { kind: "relayout" } | { kind: "rearrange" };

/**
 * The smallest zoom a layout may leave a small graph at: below it labels are too small to read
 * (or skipped), and a readable part of the graph beats an unreadable whole. "Fit to screen" still
 * shows everything on request.
 */
export const READABLE_ZOOM = 0.8;

/** How long nodes glide to their new places after a full re-layout of a graph already on screen. */
export const RELAYOUT_ANIMATION_MS = 300;

type Positions = Map<string, { x: number; y: number }>;

export class Canvas {
  readonly cy: Core;
  /** The node a layout keeps in view when the graph is too wide to show readably. */
  focus: string | null = null;

  constructor(container: HTMLElement, cb: CanvasCallbacks) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.05,
      maxZoom: 3,
      // Cheaper pans and zooms on big graphs: a bitmap while moving, edges back when still.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      boxSelectionEnabled: false,
    });
    this.cy.on("tap", "node", (ev) => cb.onTap(ev.target.id()));
    this.cy.on("tap", (ev) => {
      if (ev.target === this.cy) cb.onBackground();
    });
  }

  /**
   * Makes the canvas show exactly these nodes and edges, then places them as `placement` says.
   * Nodes already drawn keep their element (and selection); only their classes are refreshed.
   */
  render(nodes: GraphNode[], edges: GraphEdge[], classes: (n: GraphNode) => string[], placement: Placement): RenderStats {
    const cy = this.cy;
    const wantNodes = new Set(nodes.map((n) => n.id));
    const wantEdges = new Map<string, GraphEdge>();
    for (const e of edges) wantEdges.set("e:" + edgeKey(e), e);
    let added = 0;
    let removed = 0;
    // A re-layout still gliding is finished at once, so that positions read below are final ones.
    cy.nodes().stop(true, true);
    // The panes around the canvas may have changed size since the last render; re-measure so that
    // the layout fits the real box and clicks map to the right nodes.
    cy.resize();
    const before: Positions = new Map();
    const newIds: string[] = [];
    cy.batch(() => {
      const gone = cy.elements().filter((el) => (el.isNode() ? !wantNodes.has(el.id()) : !wantEdges.has(el.id())));
      removed = gone.length;
      gone.remove();
      cy.nodes().forEach((n) => {
        before.set(n.id(), { ...n.position() });
      });
      const add: ElementDefinition[] = [];
      for (const n of nodes) {
        const el = cy.getElementById(n.id);
        const cls = classes(n);
        if (el.empty()) {
          add.push({ group: "nodes", data: { id: n.id, label: shortLabel(n) }, classes: cls });
          newIds.push(n.id);
        } else {
          el.classes(cls);
        }
      }
      for (const [id, e] of wantEdges) {
        if (cy.getElementById(id).empty()) {
          const f = flow(e);
          add.push({ group: "edges", data: { id, source: f.source, target: f.target, kind: e.kind ?? "" }, classes: [e.type] });
        }
      }
      added = add.length;
      // One call for all new elements: Cytoscape recomputes styles once instead of per element.
      if (add.length) cy.add(add);
    });
    let layoutMs = 0;
    let settled = Promise.resolve();
    if (added > 0 || removed > 0 || placement.kind === "rearrange") {
      const t = performance.now();
      if (placement.kind === "anchor" && before.has(placement.id) && before.size > 0) {
        this.placeNew(placement.id, newIds, before);
      } else if ((placement.kind === "relayout" || placement.kind === "rearrange") && before.size > 0) {
        settled = this.relayout(before);
      } else {
        this.layout();
      }
      layoutMs = performance.now() - t;
    }
    return { added, removed, layoutMs, settled };
  }

  /** Expansion: only the new nodes get positions, around the anchor; nothing else moves. */
  private placeNew(anchor: string, newIds: string[], before: Positions): void {
    const cy = this.cy;
    const edges = cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() }));
    // Columns as far apart as the layout that drew the graph put them, so new nodes line up.
    const colStep = cy.nodes().length - newIds.length > DAGRE_MAX_NODES ? 230 : 144 + DAGRE_RANK_SEP;
    const pos = placeAround(anchor, newIds, edges, before, { ...defaultPlacement, colStep });
    cy.batch(() => {
      for (const id of newIds) {
        const p = pos.get(id);
        if (p) cy.getElementById(id).position(p);
      }
    });
  }

  /**
   * Everything laid out again, but the user's bearings kept: the focus node (or, without one on
   * screen before, the middle of the nodes that were) stays where it was, the view does not move,
   * and nodes already drawn glide to their new places while new ones appear at theirs.
   */
  private relayout(before: Positions): Promise<void> {
    const cy = this.cy;
    const target = this.positions();
    let dx = 0;
    let dy = 0;
    const keep = this.focus && before.has(this.focus) && target.has(this.focus) ? this.focus : null;
    if (keep) {
      dx = before.get(keep)!.x - target.get(keep)!.x;
      dy = before.get(keep)!.y - target.get(keep)!.y;
    } else {
      const common = [...before.keys()].filter((id) => target.has(id));
      if (!common.length) {
        this.layout();
        return Promise.resolve();
      }
      for (const id of common) {
        dx += before.get(id)!.x - target.get(id)!.x;
        dy += before.get(id)!.y - target.get(id)!.y;
      }
      dx /= common.length;
      dy /= common.length;
    }
    // Dagre has just moved the nodes (in the same task, so nothing was painted): put the old ones
    // back so that they glide from where the user saw them.
    cy.batch(() => {
      for (const [id, p] of before) cy.getElementById(id).position(p);
    });
    const layout = cy.layout({
      name: "preset",
      positions: (n: cytoscape.NodeSingular) => {
        const p = target.get(n.id())!;
        return { x: p.x + dx, y: p.y + dy };
      },
      fit: false,
      animate: true,
      animationDuration: RELAYOUT_ANIMATION_MS,
      animationEasing: "ease-out",
      animateFilter: (n: cytoscape.NodeSingular) => before.has(n.id()),
    } as cytoscape.LayoutOptions);
    const done = layout.promiseOn("layoutstop").then(() => undefined);
    layout.run();
    // A later render stops the animation (which may then never report its end): do not wait on it.
    return Promise.race([done, new Promise<void>((r) => window.setTimeout(r, RELAYOUT_ANIMATION_MS + 200))]);
  }

  /**
   * Full-layout positions of every node, by the same rule as layout(). Dagre applies its result
   * to the nodes; the caller decides what to make of that.
   */
  private positions(): Positions {
    const nodes = this.cy.nodes();
    if (nodes.length > DAGRE_MAX_NODES) {
      const ids = nodes.map((n) => n.id());
      const edges = this.cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() }));
      return layered(ids, edges);
    }
    this.cy.layout({ ...DAGRE_OPTIONS, fit: false } as cytoscape.LayoutOptions).run();
    const out: Positions = new Map();
    nodes.forEach((n) => {
      out.set(n.id(), { ...n.position() });
    });
    return out;
  }

  /** Lays out every node and fits the graph to the view (a new graph: nothing to keep). */
  layout(): void {
    const nodes = this.cy.nodes();
    if (nodes.length > DAGRE_MAX_NODES) {
      // Large screens: the fast layered layout, applied as fixed positions in one pass.
      const ids = nodes.map((n) => n.id());
      const edges = this.cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() }));
      const pos = layered(ids, edges);
      this.cy.layout({ name: "preset", positions: (n: cytoscape.NodeSingular) => pos.get(n.id())!, fit: true, padding: 24, animate: false } as cytoscape.LayoutOptions).run();
      return;
    }
    this.cy.layout({ ...DAGRE_OPTIONS, fit: true } as cytoscape.LayoutOptions).run();
    if (this.cy.zoom() < READABLE_ZOOM) {
      const f = this.focus ? this.cy.getElementById(this.focus) : null;
      this.cy.zoom(READABLE_ZOOM);
      this.cy.center(f && f.nonempty() ? f : undefined);
    }
  }

  select(id: string | null, center = false): void {
    this.cy.$(":selected").unselect();
    if (!id) return;
    const el = this.cy.getElementById(id);
    if (el.nonempty()) {
      el.select();
      if (center) this.cy.animate({ center: { eles: el }, zoom: Math.max(this.cy.zoom(), 0.9) }, { duration: 200 });
    }
  }

  fit(): void {
    this.cy.fit(undefined, 24);
  }

  destroy(): void {
    this.cy.destroy();
  }
}
