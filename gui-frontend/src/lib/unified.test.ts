import { describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "./unified";

const DIFF = [
  "diff --git a/worker1/train.py b/worker1/train.py",
  "index 3b18e51..f1e2d3c 100644",
  "--- a/worker1/train.py",
  "+++ b/worker1/train.py",
  "@@ -1,4 +1,4 @@ def main():",
  " import sys",
  "-epochs = 1",
  "+epochs = 5",
  " lr = 0.1",
  "+seed = 7",
  "\\ No newline at end of file",
  "",
].join("\n");

describe("unified diff rows", () => {
  const d = parseUnifiedDiff(DIFF);
  it("skips git's headers and numbers both sides", () => {
    expect(d.rows.map((r) => [r.kind, r.oldNo, r.newNo, r.mark, r.text])).toEqual([
      ["hunk", null, null, "", "lines 1 → 1: def main():"],
      ["same", 1, 1, "", "import sys"],
      ["del", 2, null, "−", "epochs = 1"],
      ["add", null, 2, "+", "epochs = 5"],
      ["same", 3, 3, "", "lr = 0.1"],
      ["add", null, 4, "+", "seed = 7"],
      ["note", null, null, "", "No newline at end of file"],
    ]);
    expect([d.added, d.removed, d.binary]).toEqual([2, 1, false]);
  });
  it("marks changes with a visible sign and a word, not by colour alone", () => {
    for (const r of d.rows.filter((x) => x.kind === "add")) expect([r.mark, r.word]).toEqual(["+", "added"]);
    for (const r of d.rows.filter((x) => x.kind === "del")) expect([r.mark, r.word]).toEqual(["−", "removed"]);
  });
  it("handles a new file, identical versions and binary content", () => {
    const created = parseUnifiedDiff("--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    expect(created.rows.slice(1).map((r) => [r.newNo, r.text])).toEqual([[1, "a"], [2, "b"]]);
    expect(parseUnifiedDiff("").rows).toEqual([]);
    expect(parseUnifiedDiff("diff --git a/x b/x\nBinary files a/x and b/x differ\n").binary).toBe(true);
  });
});
