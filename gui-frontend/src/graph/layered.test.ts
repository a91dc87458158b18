import { describe, expect, it } from "vitest";
import { layered } from "./layered";

const e = (source: string, target: string) => ({ source, target });

describe("layered", () => {
  it("puts causes left of effects", () => {
    const p = layered(["out", "gzip", "uniq", "sort", "rows"], [e("rows", "sort"), e("sort", "uniq"), e("uniq", "gzip"), e("gzip", "out")]);
    const xs = ["rows", "sort", "uniq", "gzip", "out"].map((id) => p.get(id)!.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(5);
  });

  it("keeps an input next to its reader rather than in the first column", () => {
    const p = layered(["a", "b", "c", "late"], [e("a", "b"), e("b", "c"), e("late", "c")]);
    expect(p.get("late")!.x).toBe(p.get("b")!.x);
  });

  it("survives cycles and self loops, and places every node once without overlap", () => {
    const ids = ["x", "y", "z", "alone"];
    const p = layered(ids, [e("x", "y"), e("y", "z"), e("z", "x"), e("x", "x"), e("x", "missing")]);
    expect(p.size).toBe(4);
    const seen = new Set([...p.values()].map((q) => `${q.x},${q.y}`));
    expect(seen.size).toBe(4);
  });

  it("reduces crossings between two ranks", () => {
    // a→d and b→c drawn in input order would cross; the sweep orders c before d or a after b.
    const p = layered(["a", "b", "c", "d"], [e("a", "d"), e("b", "c")]);
    const order = (x: string, y: string) => Math.sign(p.get(x)!.y - p.get(y)!.y);
    expect(order("a", "b")).toBe(order("d", "c"));
  });

  it("lays out 500 nodes quickly", () => {
    const ids: string[] = [];
    const edges: { source: string; target: string }[] = [];
    for (let r = 0; r < 10; r++)
      for (let i = 0; i < 50; i++) {
        ids.push(`${r}:${i}`);
        if (r) edges.push(e(`${r - 1}:${i}`, `${r}:${i}`), e(`${r - 1}:${(i + 1) % 50}`, `${r}:${i}`));
      }
    const t = performance.now();
    const p = layered(ids, edges);
    expect(p.size).toBe(500);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
