// Where the nodes of one expansion go. Re-laying out the whole graph on every click moved the nodes
// the user was looking at; instead the nodes already drawn stay where they are and only the new
// ones are placed: a small layered layout of the new nodes and the expanded node (the anchor)
// decides their columns relative to the anchor (upstream left, downstream right) and their order
// within a column, then each column's stack is slid up or down from the anchor's height to the
// nearest place where it overlaps nothing. Pure functions over ids, tested without a browser.

import { layered } from "./layered";

export interface Point {
  x: number;
  y: number;
}

export interface PlacementOptions {
  /** Distance between the centres of two neighbouring columns. */
  colStep: number;
  /** Distance between the centres of two nodes stacked in a column. */
  rowStep: number;
  /** Node box (all nodes are drawn the same size) and the free space required around it. */
  nodeWidth: number;
  nodeHeight: number;
  gapX: number;
  gapY: number;
}

// Node boxes are 144 × 30 (canvas.ts); the steps match the fast layered layout's spacing.
export const defaultPlacement: PlacementOptions = { colStep: 230, rowStep: 40, nodeWidth: 144, nodeHeight: 30, gapX: 24, gapY: 8 };

/**
 * Positions for `newIds` around `anchor`, which is already drawn (its position is in `existing`,
 * with every other node already drawn). Existing nodes never move and are not in the result. Only
 * edges among the anchor and the new nodes shape the local layout; the rest are ignored.
 */
export function placeAround(
  anchor: string,
  newIds: string[],
  edges: { source: string; target: string }[],
  existing: Map<string, Point>,
  opt: PlacementOptions = defaultPlacement,
): Map<string, Point> {
  const result = new Map<string, Point>();
  const at = existing.get(anchor);
  const fresh = newIds.filter((id) => id !== anchor && !existing.has(id));
  if (!at || !fresh.length) return result;

  // Columns and order from a layered layout of the anchor and the new nodes, in unit steps.
  const local = new Set([anchor, ...fresh]);
  const unit = layered(
    [anchor, ...fresh],
    edges.filter((e) => local.has(e.source) && local.has(e.target)),
    { rankSep: 1, nodeSep: 1, sweeps: 4 },
  );
  const anchorRank = unit.get(anchor)!.x;
  const columns = new Map<number, string[]>();
  for (const id of fresh) {
    const col = unit.get(id)!.x - anchorRank;
    let list = columns.get(col);
    if (!list) columns.set(col, (list = []));
    list.push(id);
  }

  // Obstacles: everything drawn plus what this call has placed, by column position.
  const obstacles: Point[] = [...existing.values()];
  const minDx = opt.nodeWidth + opt.gapX;
  const minDy = opt.nodeHeight + opt.gapY;

  // Nearest columns first, so that they get the places closest to the anchor's height.
  const order = [...columns.keys()].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  for (const col of order) {
    const stack = columns.get(col)!.sort((a, b) => unit.get(a)!.y - unit.get(b)!.y);
    const x = at.x + col * opt.colStep;
    // The heights already taken near this column, sorted for binary search.
    const taken = obstacles.filter((p) => Math.abs(p.x - x) < minDx).map((p) => p.y);
    taken.sort((a, b) => a - b);
    const free = (y: number) => {
      // The first taken height above y - minDy; free when it is not within minDy of y.
      let lo = 0;
      let hi = taken.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (taken[mid] <= y - minDy) lo = mid + 1;
        else hi = mid;
      }
      return lo >= taken.length || taken[lo] >= y + minDy;
    };
    const half = ((stack.length - 1) * opt.rowStep) / 2;
    const fits = (centre: number) => stack.every((_, i) => free(centre - half + i * opt.rowStep));
    // Slide the stack from the anchor's height, alternately down and up, one row at a time. It
    // ends: beyond the outermost obstacle every place is free.
    let centre = at.y;
    for (let k = 1; !fits(centre); k++) centre = at.y + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * opt.rowStep;
    stack.forEach((id, i) => {
      const p = { x, y: centre - half + i * opt.rowStep };
      result.set(id, p);
      obstacles.push(p);
    });
  }
  return result;
}

/**
 * Whether two node boxes (centres) overlap, with the gaps of `opt`. For tests and assertions.
 */
export function overlaps(a: Point, b: Point, opt: PlacementOptions = defaultPlacement): boolean {
  return Math.abs(a.x - b.x) < opt.nodeWidth + opt.gapX && Math.abs(a.y - b.y) < opt.nodeHeight + opt.gapY;
}
