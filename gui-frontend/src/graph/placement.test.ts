import { describe, expect, it } from "vitest";
import { layered } from "./layered";
import { overlaps, placeAround, type Point } from "./placement";

const e = (source: string, target: string) => ({ source, target });

/** Every pair of boxes in `all` is apart. */
function expectNoOverlap(all: Map<string, Point>): void {
  const list = [...all.entries()];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      if (overlaps(list[i][1], list[j][1])) throw new Error(`${list[i][0]} overlaps ${list[j][0]}: ${JSON.stringify([list[i][1], list[j][1]])}`);
    }
}

describe("placeAround", () => {
  // The canned pipeline before the click on sort: rows.csv → sort is not drawn yet.
  const existing = new Map<string, Point>([
    ["bash", { x: 0, y: -40 }],
    ["sort", { x: 200, y: 0 }],
    ["uniq", { x: 430, y: 0 }],
    ["gzip", { x: 660, y: 0 }],
    ["out", { x: 890, y: 0 }],
  ]);

  it("leaves existing nodes out of the answer, so they keep their positions", () => {
    const edges = [e("rows", "sort"), e("sort", "uniq"), e("ld", "sort"), e("bash", "sort")];
    const p = placeAround("sort", ["rows", "ld", "uniq", "bash"], edges, existing);
    expect([...p.keys()].sort()).toEqual(["ld", "rows"]);
  });

  it("puts upstream nodes left of the anchor and downstream nodes right of it", () => {
    const edges = [e("in1", "sort"), e("in2", "sort"), e("sort", "o1"), e("sort", "o2"), e("o1", "o1reader"), e("src", "in1")];
    const p = placeAround("sort", ["in1", "in2", "o1", "o2", "o1reader", "src"], edges, existing);
    const ax = existing.get("sort")!.x;
    for (const id of ["in1", "in2"]) expect(p.get(id)!.x).toBeLessThan(ax);
    for (const id of ["o1", "o2"]) expect(p.get(id)!.x).toBeGreaterThan(ax);
    // Two hops keep their layer order: further upstream further left, further downstream further right.
    expect(p.get("src")!.x).toBeLessThan(p.get("in1")!.x);
    expect(p.get("o1reader")!.x).toBeGreaterThan(p.get("o1")!.x);
  });

  it("places new nodes without overlapping existing ones or each other", () => {
    // Outputs of sort land in uniq's column, which is taken at sort's height.
    const news = Array.from({ length: 12 }, (_, i) => `o${i}`);
    const ins = Array.from({ length: 7 }, (_, i) => `i${i}`);
    const edges = [...news.map((o) => e("sort", o)), ...ins.map((i) => e(i, "sort"))];
    const p = placeAround("sort", [...news, ...ins], edges, existing, { colStep: 230, rowStep: 40, nodeWidth: 144, nodeHeight: 30, gapX: 24, gapY: 8 });
    expect(p.size).toBe(19);
    expectNoOverlap(new Map([...existing, ...p]));
  });

  it("stays near the anchor's height when there is room", () => {
    const p = placeAround("gzip", ["x"], [e("x", "gzip")], new Map([["gzip", { x: 0, y: 500 }]]));
    expect(p.get("x")).toEqual({ x: -230, y: 500 });
  });

  it("places nodes of the anchor's own column (siblings) beside it, not on it", () => {
    // An input of a new reader sits in the anchor's column (next to its reader).
    const p = placeAround("f", ["reader", "other"], [e("f", "reader"), e("other", "reader")], new Map([["f", { x: 0, y: 0 }]]));
    expect(p.get("other")!.x).toBe(0);
    expect(overlaps(p.get("other")!, { x: 0, y: 0 })).toBe(false);
    expect(p.get("reader")!.x).toBeGreaterThan(0);
  });

  it("does not overlap a crowded 500-node layout", () => {
    const ids: string[] = [];
    const edges: { source: string; target: string }[] = [];
    for (let r = 0; r < 10; r++)
      for (let i = 0; i < 50; i++) {
        ids.push(`${r}:${i}`);
        if (r) edges.push(e(`${r - 1}:${i}`, `${r}:${i}`));
      }
    const drawn = layered(ids, edges);
    const anchor = "5:25";
    const news: string[] = [];
    for (let i = 0; i < 100; i++) {
      news.push(`up${i}`, `down${i}`);
      edges.push(e(`up${i}`, anchor), e(anchor, `down${i}`));
    }
    const p = placeAround(anchor, news, edges, drawn);
    expect(p.size).toBe(200);
    expectNoOverlap(new Map([...drawn, ...p]));
    for (let i = 0; i < 100; i++) {
      expect(p.get(`up${i}`)!.x).toBeLessThan(drawn.get(anchor)!.x);
      expect(p.get(`down${i}`)!.x).toBeGreaterThan(drawn.get(anchor)!.x);
    }
  });

  it("does nothing without an anchor on screen or without new nodes", () => {
    expect(placeAround("missing", ["a"], [], existing).size).toBe(0);
    expect(placeAround("sort", ["uniq"], [e("sort", "uniq")], existing).size).toBe(0);
  });
});
