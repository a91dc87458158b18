import type { Graph, GraphEdge, GraphNode } from "../types";

// The graph on screen, independent of Cytoscape so that merging and expansion can be tested
// without a browser. Answers of the API overlap (a neighbourhood repeats the clicked node and
// edges already shown), so everything is keyed and merged, never appended blindly: the original
// GUI drew duplicate ids and broke.

/** A stable key for an edge: the same relation reported twice is one edge. */
export function edgeKey(e: GraphEdge): string {
  return `${e.type}|${e.kind ?? ""}|${e.from}|${e.to}`;
}

/**
 * Where data flows along an edge. PROV edges point from the effect to its cause (a file
 * wasGeneratedBy its writer, a process used its input), so every type is reversed: the cause is
 * drawn on the left and the effect on the right, which puts inputs left and outputs right.
 */
export function flow(e: GraphEdge): { source: string; target: string } {
  return { source: e.to, target: e.from };
}

export interface MergeResult {
  addedNodes: GraphNode[];
  addedEdges: GraphEdge[];
}

export class GraphModel {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** Nodes whose neighbours were fetched (so a second click does not ask again). */
  readonly expanded = new Set<string>();
  /** Nodes whose neighbourhood answer was cut by its page size: more can be loaded. */
  readonly partial = new Map<string, number>();

  clear(): void {
    this.nodes.clear();
    this.edges.clear();
    this.expanded.clear();
    this.partial.clear();
  }

  /**
   * Adds what is new in an answer. A node already known keeps its object but gains fields the
   * new answer has (a lineage answer may carry a depth or size a neighbourhood lacked). Edges whose
   * ends are unknown are dropped: the API sends both ends, so such an edge is a paging remnant.
   */
  merge(g: Graph): MergeResult {
    const addedNodes: GraphNode[] = [];
    const addedEdges: GraphEdge[] = [];
    for (const n of g.nodes ?? []) {
      const old = this.nodes.get(n.id);
      if (old) {
        for (const [k, v] of Object.entries(n)) {
          if (v !== null && v !== undefined && (old as unknown as Record<string, unknown>)[k] == null) {
            (old as unknown as Record<string, unknown>)[k] = v;
          }
        }
      } else {
        const copy = { ...n } as GraphNode;
        this.nodes.set(n.id, copy);
        addedNodes.push(copy);
      }
    }
    for (const e of g.edges ?? []) {
      if (!this.nodes.has(e.from) || !this.nodes.has(e.to) || e.from === e.to) {
        continue;
      }
      const k = edgeKey(e);
      if (!this.edges.has(k)) {
        const copy = { ...e };
        this.edges.set(k, copy);
        addedEdges.push(copy);
      }
    }
    return { addedNodes, addedEdges };
  }

  /** Records that a node was expanded; `more` says the server has another page (next offset). */
  markExpanded(id: string, nextOffset?: number): void {
    this.expanded.add(id);
    if (nextOffset !== undefined) {
      this.partial.set(id, nextOffset);
    } else {
      this.partial.delete(id);
    }
  }

  /** Edges touching a node, both directions. */
  edgesOf(id: string): GraphEdge[] {
    const out: GraphEdge[] = [];
    for (const e of this.edges.values()) {
      if (e.from === id || e.to === id) {
        out.push(e);
      }
    }
    return out;
  }

  /** The current contents, as the API would have answered them (for PROV-JSON and tests). */
  snapshot(): Graph {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()] };
  }
}

/** What a short label on the canvas says; the full text is in the details panel (no tooltips). */
export function shortLabel(n: GraphNode): string {
  if (n.type === "file") {
    const base = n.path.split("/").filter(Boolean).pop() ?? n.path;
    return n.version !== undefined && n.version !== null && n.version > 1 ? `${base} v${n.version}` : base;
  }
  const words = (n.cmdline ?? "").trim().split(/\s+/);
  let prog = (words[0] ?? "").split("/").pop() ?? "";
  // An interpreter's script says more than the interpreter: "python3 train.py" → "python3 train.py".
  if (words.length > 1 && /^(python[\d.]*|bash|sh|perl|ruby|node|Rscript)$/.test(prog) && !words[1].startsWith("-")) {
    prog += " " + (words[1].split("/").pop() ?? "");
  }
  const label = prog || n.exe?.split("/").pop() || "process";
  return `${label.length > 28 ? label.slice(0, 27) + "…" : label} (${n.pid})`;
}
