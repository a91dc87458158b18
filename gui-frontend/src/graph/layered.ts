// A fast layered (Sugiyama-style) layout for large graphs: ranks from data flow, a few barycenter
// sweeps against crossings, then straight rows. Dagre gives nicer drawings but its crossing
// reduction and coordinate assignment grow too fast (seconds at 500 nodes on this machine), and
// the explorer must stay responsive there, so above a size the canvas uses this instead.
// Pure functions over ids, so it is tested without a browser.

export interface LayoutOptions {
  /** Distance between the centres of two ranks (columns). */
  rankSep: number;
  /** Distance between the centres of two nodes in one rank. */
  nodeSep: number;
  /** Barycenter sweeps (each one down and one up). */
  sweeps: number;
}

export const defaultLayout: LayoutOptions = { rankSep: 230, nodeSep: 40, sweeps: 4 };

/**
 * Positions for nodes given directed edges (source → target = left → right). Cycles are broken by
 * ignoring the edges that close them; isolated nodes go to rank 0.
 */
export function layered(ids: string[], edges: { source: string; target: string }[], opt: LayoutOptions = defaultLayout): Map<string, { x: number; y: number }> {
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const inn: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    out[s].push(t);
    inn[t].push(s);
  }

  // 1. Order the nodes topologically, dropping back edges found by an iterative depth-first search.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const topo: number[] = [];
  const back = new Set<number>(); // s * n + t
  for (let root = 0; root < n; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < out[v].length) {
        top[1]++;
        const w = out[v][i];
        if (state[w] === 1) back.add(v * n + w);
        else if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        state[v] = 2;
        topo.push(v);
        stack.pop();
      }
    }
  }
  topo.reverse();
  const fwd = (s: number, t: number) => !back.has(s * n + t);

  // 2. Ranks: longest path from the sources; then each source moves right next to its first
  // consumer, so an input file sits beside the program that read it, not in a far-left column.
  const rank = new Int32Array(n);
  for (const v of topo) for (const w of out[v]) if (fwd(v, w)) rank[w] = Math.max(rank[w], rank[v] + 1);
  for (const v of topo) {
    const preds = inn[v].filter((u) => fwd(u, v));
    const succ = out[v].filter((w) => fwd(v, w));
    if (!preds.length && succ.length) rank[v] = Math.min(...succ.map((w) => rank[w])) - 1;
  }
  let maxRank = 0;
  for (let v = 0; v < n; v++) maxRank = Math.max(maxRank, rank[v]);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (const v of topo) layers[rank[v]].push(v);

  // 3. Crossing reduction: each node moves to the mean position of its neighbours in the
  // previous layer (down sweep) or next layer (up sweep).
  const pos = new Float64Array(n);
  const setPos = (layer: number[]) => layer.forEach((v, i) => (pos[v] = i));
  layers.forEach(setPos);
  const sweep = (layer: number[], neighbours: (v: number) => number[]) => {
    const key = new Map<number, number>();
    for (const v of layer) {
      const nb = neighbours(v);
      key.set(v, nb.length ? nb.reduce((a, w) => a + pos[w], 0) / nb.length : pos[v]);
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)! || pos[a] - pos[b]);
    setPos(layer);
  };
  for (let s = 0; s < opt.sweeps; s++) {
    for (let r = 1; r <= maxRank; r++) sweep(layers[r], (v) => inn[v].filter((u) => rank[u] < rank[v]));
    for (let r = maxRank - 1; r >= 0; r--) sweep(layers[r], (v) => out[v].filter((w) => rank[w] > rank[v]));
  }

  // 4. Coordinates: each column centred on zero, nodes evenly spaced.
  const result = new Map<string, { x: number; y: number }>();
  for (let r = 0; r <= maxRank; r++) {
    const layer = layers[r];
    const top = -((layer.length - 1) * opt.nodeSep) / 2;
    layer.forEach((v, i) => result.set(ids[v], { x: r * opt.rankSep, y: top + i * opt.nodeSep }));
  }
  return result;
}
