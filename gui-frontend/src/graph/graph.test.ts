import { describe, expect, it } from "vitest";
import type { FileNode, Graph, ProcessNode } from "../types";
import { defaultFilters, facets, globToRegExp, isNoise, isNoisePath, visibleElements } from "./filters";
import { GraphModel, edgeKey, flow, shortLabel } from "./model";
import { toProvJson } from "./prov";

const file = (id: string, path: string, extra: Partial<FileNode> = {}): FileNode => ({ id, type: "file", host: "worker01", path, version: 1, ...extra });
const proc = (id: string, cmdline: string, extra: Partial<ProcessNode> = {}): ProcessNode => ({
  id, type: "process", host: "worker01", pid: 100, cmdline, user: "bob", uid: 1001, ...extra,
});

// gzip wrote rows.sorted.gz and read a pipe from uniq (the etl-bob shape).
const gz = file("f:gz", "/home/bob/etl/out/rows.sorted.gz");
const gzip = proc("p:gzip", "gzip");
const uniq = proc("p:uniq", "uniq");
const libc = file("f:libc", "/usr/lib/x86_64-linux-gnu/libc.so.6");
const first: Graph = {
  nodes: [gz, gzip],
  edges: [{ from: "f:gz", to: "p:gzip", type: "wasGeneratedBy", kind: "write" }],
};
const second: Graph = {
  nodes: [gzip, uniq, gz, libc],
  edges: [
    { from: "f:gz", to: "p:gzip", type: "wasGeneratedBy", kind: "write" },
    { from: "p:gzip", to: "p:uniq", type: "wasInformedBy", kind: "pipe" },
    { from: "p:gzip", to: "f:libc", type: "used", kind: "read" },
  ],
};

describe("GraphModel", () => {
  it("merges overlapping answers without duplicates", () => {
    const m = new GraphModel();
    expect(m.merge(first).addedNodes).toHaveLength(2);
    const r = m.merge(second);
    expect(r.addedNodes.map((n) => n.id)).toEqual(["p:uniq", "f:libc"]);
    expect(r.addedEdges).toHaveLength(2);
    expect(m.nodes.size).toBe(4);
    expect(m.edges.size).toBe(3);
  });

  it("fills fields a later answer knows and keeps the known ones", () => {
    const m = new GraphModel();
    m.merge({ nodes: [file("f:a", "/a", { size: null })], edges: [] });
    m.merge({ nodes: [file("f:a", "/a", { size: 42, version: 7 })], edges: [] });
    const a = m.nodes.get("f:a") as FileNode;
    expect(a.size).toBe(42);
    expect(a.version).toBe(1);
  });

  it("drops edges whose ends it does not have, and self loops", () => {
    const m = new GraphModel();
    const r = m.merge({
      nodes: [gz],
      edges: [
        { from: "f:gz", to: "p:missing", type: "wasGeneratedBy" },
        { from: "f:gz", to: "f:gz", type: "wasDerivedFrom" },
      ],
    });
    expect(r.addedEdges).toHaveLength(0);
  });

  it("keeps the same pair with different kinds as different edges", () => {
    const a = { from: "p:1", to: "f:1", type: "used", kind: "read" };
    expect(edgeKey(a)).not.toBe(edgeKey({ ...a, kind: "exec" }));
  });

  it("tracks expansion and pages", () => {
    const m = new GraphModel();
    m.markExpanded("p:gzip", 100);
    expect(m.expanded.has("p:gzip")).toBe(true);
    expect(m.partial.get("p:gzip")).toBe(100);
    m.markExpanded("p:gzip");
    expect(m.partial.has("p:gzip")).toBe(false);
    m.merge(second);
    expect(m.edgesOf("p:gzip")).toHaveLength(3);
    expect(m.edgesOf("p:uniq")).toHaveLength(1);
  });

  it("draws data flow: causes left of effects for every PROV edge type", () => {
    // file wasGeneratedBy process: the process comes first (left).
    expect(flow({ from: "f:out", to: "p:w", type: "wasGeneratedBy" })).toEqual({ source: "p:w", target: "f:out" });
    // process used file: the file comes first.
    expect(flow({ from: "p:r", to: "f:in", type: "used" })).toEqual({ source: "f:in", target: "p:r" });
    // reader wasInformedBy writer: the writer comes first.
    expect(flow({ from: "p:gzip", to: "p:uniq", type: "wasInformedBy" })).toEqual({ source: "p:uniq", target: "p:gzip" });
  });

  it("labels nodes briefly", () => {
    expect(shortLabel(gz)).toBe("rows.sorted.gz");
    expect(shortLabel(file("f:x", "/a/b.csv", { version: 3 }))).toBe("b.csv v3");
    expect(shortLabel(proc("p:s", "/usr/bin/sort -t, -k1 -n out/rows.csv", { pid: 42 }))).toBe("sort (42)");
    expect(shortLabel(proc("p:py", "python3 /home/bob/train.py --lr 0.1", { pid: 7 }))).toBe("python3 train.py (7)");
    expect(shortLabel(proc("p:py", "python3 -", { pid: 7 }))).toBe("python3 (7)");
  });
});

describe("noise", () => {
  it("knows the files every program touches", () => {
    for (const p of ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/etc/ld.so.cache", "/proc/self/maps", "/dev/null", "/dev/tty", "/usr/bin/sort", "/etc/locale.alias", "/home/bob/x/__pycache__/m.cpython-311.pyc"]) {
      expect(isNoisePath(p), p).toBe(true);
    }
  });
  it("keeps the user's files and the temporary files of a build", () => {
    for (const p of ["/home/bob/etl/out/rows.csv", "/tmp/ccAbc.s", "/etc/hosts", "/home/usr/data.csv", "/devices.txt", "/library/x"]) {
      expect(isNoisePath(p), p).toBe(false);
    }
  });
  it("never calls a process noise", () => {
    expect(isNoise(proc("p:ld", "/lib64/ld-linux-x86-64.so.2"))).toBe(false);
  });
});

describe("globToRegExp", () => {
  it("matches anchored globs over the whole path", () => {
    const r = globToRegExp("/home/*/etl/*.csv");
    expect(r.test("/home/bob/etl/rows.csv")).toBe(true);
    expect(r.test("/home/bob/etl/out/rows.csv")).toBe(false);
  });
  it("lets ** cross directories, also none", () => {
    const r = globToRegExp("/home/**/rows.csv");
    expect(r.test("/home/bob/etl/out/rows.csv")).toBe(true);
    expect(r.test("/home/rows.csv")).toBe(true);
  });
  it("matches relative globs at the end of a path on a component boundary", () => {
    expect(globToRegExp("*.csv").test("/home/bob/etl/in/part1.csv")).toBe(true);
    expect(globToRegExp("out/*.gz").test("/home/bob/etl/out/rows.sorted.gz")).toBe(true);
    expect(globToRegExp("ut/*.gz").test("/home/bob/etl/out/rows.sorted.gz")).toBe(false);
  });
  it("supports ? and classes, and treats regex characters literally", () => {
    expect(globToRegExp("part?.csv").test("/d/part2.csv")).toBe(true);
    expect(globToRegExp("part[13].csv").test("/d/part2.csv")).toBe(false);
    expect(globToRegExp("part[!13].csv").test("/d/part2.csv")).toBe(true);
    expect(globToRegExp("a+b(1).txt").test("/d/a+b(1).txt")).toBe(true);
    expect(globToRegExp("a.txt").test("/d/aXtxt")).toBe(false);
  });
});

describe("visibleElements", () => {
  const m = new GraphModel();
  m.merge(second);
  m.merge({ nodes: [proc("p:alice", "cat", { user: "alice", uid: 1002, host: "worker02" })], edges: [] });

  it("hides system noise and the edges to it", () => {
    const v = visibleElements(m, defaultFilters);
    expect(v.nodes.has("f:libc")).toBe(false);
    expect(v.edges.every((e) => e.to !== "f:libc")).toBe(true);
    expect(v.hidden).toBe(1);
    expect(visibleElements(m, { ...defaultFilters, hideNoise: false }).nodes.has("f:libc")).toBe(true);
  });

  it("filters by node type, host, user and glob", () => {
    expect([...visibleElements(m, { ...defaultFilters, showProcesses: false }).nodes]).toEqual(["f:gz"]);
    expect(visibleElements(m, { ...defaultFilters, host: "worker02" }).nodes).toEqual(new Set(["p:alice"]));
    expect(visibleElements(m, { ...defaultFilters, user: "alice" }).nodes.has("p:gzip")).toBe(false);
    expect(visibleElements(m, { ...defaultFilters, user: "1002" }).nodes.has("p:alice")).toBe(true);
    const g = visibleElements(m, { ...defaultFilters, pathGlob: "*.csv" });
    expect(g.nodes.has("f:gz")).toBe(false);
    expect(g.nodes.has("p:gzip")).toBe(true);
  });

  it("always keeps pinned nodes", () => {
    const v = visibleElements(m, { ...defaultFilters, showFiles: false }, ["f:gz"]);
    expect(v.nodes.has("f:gz")).toBe(true);
    expect(v.edges.some((e) => e.from === "f:gz")).toBe(true);
  });

  it("offers the hosts and users present", () => {
    expect(facets(m)).toEqual({ hosts: ["worker01", "worker02"], users: ["alice", "bob"] });
  });
});

describe("toProvJson", () => {
  it("maps files to entities, processes to activities and edges to PROV relations", () => {
    const doc = toProvJson(second.nodes, second.edges) as Record<string, Record<string, Record<string, unknown>>>;
    expect(doc.prefix).toEqual({ ursprung: "https://ursprung.dev/ns/prov#" });
    expect(doc.entity["ursprung:f:gz"]["prov:type"]).toBe("ursprung:FileVersion");
    expect(doc.entity["ursprung:f:gz"]["ursprung:path"]).toBe("/home/bob/etl/out/rows.sorted.gz");
    expect(doc.activity["ursprung:p:gzip"]["ursprung:user"]).toBe("bob");
    const gen = Object.values(doc.wasGeneratedBy);
    expect(gen).toEqual([{ "prov:entity": "ursprung:f:gz", "prov:activity": "ursprung:p:gzip", "ursprung:kind": "write" }]);
    expect(Object.values(doc.wasInformedBy)[0]).toMatchObject({ "prov:informed": "ursprung:p:gzip", "prov:informant": "ursprung:p:uniq" });
    expect(Object.values(doc.used)[0]).toMatchObject({ "prov:activity": "ursprung:p:gzip", "prov:entity": "ursprung:f:libc" });
  });

  it("leaves out relations to nodes not exported, nulls, and unknown edge types", () => {
    const doc = toProvJson([gz, { ...gzip, exitCode: null, cwd: undefined }], [...second.edges, { from: "f:gz", to: "p:gzip", type: "sameAs" }]);
    expect(doc.used).toBeUndefined();
    expect(doc.wasInformedBy).toBeUndefined();
    expect(doc.sameAs).toBeUndefined();
    const act = (doc.activity as Record<string, Record<string, unknown>>)["ursprung:p:gzip"];
    expect("ursprung:exitCode" in act).toBe(false);
    expect("ursprung:cwd" in act).toBe(false);
    // Relation ids are blank nodes, unique across types.
    expect(Object.keys(doc.wasGeneratedBy as object)).toEqual(["_:r1"]);
  });

  it("uses wasDerivedFrom's formal attributes for renames", () => {
    const a = file("f:new", "/d/summary.json");
    const b = file("f:old", "/d/summary.json.part");
    const doc = toProvJson([a, b], [{ from: "f:new", to: "f:old", type: "wasDerivedFrom", kind: "rename" }]);
    expect(Object.values(doc.wasDerivedFrom as object)[0]).toEqual({ "prov:generatedEntity": "ursprung:f:new", "prov:usedEntity": "ursprung:f:old", "ursprung:kind": "rename" });
  });
});
