import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import dagre from "cytoscape-dagre";
import type { GraphEdge, GraphNode } from "../types";
import { layered } from "./layered";
import { edgeKey, flow, shortLabel } from "./model";

/**
 * Dagre draws better (fewer crossings, straighter edges) but its cost grows steeply: fine for the
 * few dozen nodes of a typical expansion, seconds at 500 on a busy machine. Above this the fast
 * layered layout takes over.
 */
export const DAGRE_MAX_NODES = 150;

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
}

/**
 * The smallest zoom a layout may leave a small graph at: below it labels are too small to read
 * (or skipped), and a readable part of the graph beats an unreadable whole. "Fit to screen" still
 * shows everything on request.
 */
export const READABLE_ZOOM = 0.8;

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
   * Makes the canvas show exactly these nodes and edges, then lays them out once. Nodes already
   * drawn keep their element (and selection); only their classes are refreshed.
   */
  render(nodes: GraphNode[], edges: GraphEdge[], classes: (n: GraphNode) => string[], relayout: boolean): RenderStats {
    const cy = this.cy;
    const wantNodes = new Set(nodes.map((n) => n.id));
    const wantEdges = new Map<string, GraphEdge>();
    for (const e of edges) wantEdges.set("e:" + edgeKey(e), e);
    let added = 0;
    let removed = 0;
    // The panes around the canvas may have changed size since the last render; re-measure so that
    // the layout fits the real box and clicks map to the right nodes.
    cy.resize();
    cy.batch(() => {
      const gone = cy.elements().filter((el) => (el.isNode() ? !wantNodes.has(el.id()) : !wantEdges.has(el.id())));
      removed = gone.length;
      gone.remove();
      const add: ElementDefinition[] = [];
      for (const n of nodes) {
        const el = cy.getElementById(n.id);
        const cls = classes(n);
        if (el.empty()) {
          add.push({ group: "nodes", data: { id: n.id, label: shortLabel(n) }, classes: cls });
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
    if (relayout && (added > 0 || removed > 0)) {
      const t = performance.now();
      this.layout();
      layoutMs = performance.now() - t;
    }
    return { added, removed, layoutMs };
  }

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
    this.cy
      .layout({
        name: "dagre",
        // Data flows left to right: inputs on the left, outputs on the right.
        rankDir: "LR",
        nodeSep: 10,
        rankSep: 45,
        edgeSep: 4,
        fit: true,
        padding: 24,
        animate: false,
      } as cytoscape.LayoutOptions)
      .run();
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
