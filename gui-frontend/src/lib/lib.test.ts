import { describe, expect, it } from "vitest";
import type { RunComparison } from "../types";
import { compareRuns, onlyDifferences } from "./compare";
import { changedKeys, diffWords } from "./diff";
import { formatDuration, formatSize, formatTime } from "./format";
import { firstTotal, labelValues, parsePrometheus, rate, total } from "./metrics";
import { buildScript, shJoin, shQuote } from "./script";

describe("shQuote", () => {
  it("leaves plain words alone", () => {
    expect(shQuote("out/rows.csv")).toBe("out/rows.csv");
    expect(shQuote("-k1")).toBe("-k1");
    expect(shQuote("-t,")).toBe("-t,");
  });
  it("quotes what a shell would interpret", () => {
    expect(shQuote("")).toBe("''");
    expect(shQuote("a b")).toBe("'a b'");
    expect(shQuote("$(rm -rf ~)")).toBe("'$(rm -rf ~)'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
    expect(shQuote("a;b|c&d>e")).toBe("'a;b|c&d>e'");
    expect(shQuote("*.csv")).toBe("'*.csv'");
    expect(shQuote("line1\nline2")).toBe("'line1\nline2'");
  });
  it("joins argv", () => {
    expect(shJoin(["python3", "-c", "print('hi')"])).toBe("python3 -c 'print('\\''hi'\\'')'");
  });
});

describe("buildScript", () => {
  it("changes directory when needed, skips steps run by a parent, quotes every word", () => {
    const s = buildScript(
      [
        { processId: "p:1", cmdline: "gcc -o extract extract.c", argv: ["gcc", "-o", "extract", "extract.c"], cwd: "/home/bob/etl", host: "w" },
        { processId: "p:2", cmdline: "cc1 ...", argv: ["cc1"], cwd: "/home/bob/etl", host: "w", inScript: false },
        { processId: "p:3", cmdline: "./extract in/all.csv out/rows.csv", argv: ["./extract", "in/all.csv", "out/my rows.csv"], cwd: "/home/bob/etl", host: "w" },
        { processId: "p:4", cmdline: "ls", cwd: "/tmp/x y", host: "w" },
      ],
      "/home/bob/etl/out/rows.csv\nrm -rf /",
    );
    expect(s).toBe(
      [
        "#!/bin/sh",
        "# Re-creates /home/bob/etl/out/rows.csv?rm -rf /",
        "set -e",
        "cd /home/bob/etl",
        "gcc -o extract extract.c",
        "./extract in/all.csv 'out/my rows.csv'",
        "cd '/tmp/x y'",
        "ls",
        "",
      ].join("\n"),
    );
  });
});

describe("diffWords", () => {
  it("finds the changed parameter", () => {
    const d = diffWords(["train.py", "--lr", "0.1", "--epochs", "5"], ["train.py", "--lr", "0.01", "--epochs", "5"]);
    expect(d.filter((p) => p.op !== "same")).toEqual([
      { text: "0.1", op: "removed" },
      { text: "0.01", op: "added" },
    ]);
    expect(d.filter((p) => p.op === "same").map((p) => p.text)).toEqual(["train.py", "--lr", "--epochs", "5"]);
  });
  it("handles additions at the ends and empty inputs", () => {
    expect(diffWords([], ["a"])).toEqual([{ text: "a", op: "added" }]);
    expect(diffWords(["a", "b"], ["a"])).toEqual([{ text: "a", op: "same" }, { text: "b", op: "removed" }]);
  });
  it("compares records by key", () => {
    expect(changedKeys({ a: 1, b: [1] }, { a: 1, b: [2], c: null }, ["a", "b", "c"])).toEqual(new Set(["b"]));
  });
});

const run = (id: string, extra = {}) => ({
  id, kind: "process-tree", host: "worker01", user: "bob", cmdline: "bash etl.sh", start: "2025-11-20T09:00:00Z", durationMs: 1000, exitCode: 0, processes: 40, ...extra,
});

describe("compareRuns", () => {
  const c: RunComparison = {
    runs: [run("p:a"), run("p:b", { durationMs: 1100 }), run("p:c", { durationMs: 5000, exitCode: 1 })],
    inputs: [
      { path: "in/part1.csv", same: true, values: [1, 2, 3].map((i) => ({ id: `f:${i}`, version: 1, versionTime: `2025-11-20T0${i}:00:00Z` })) },
      {
        path: "extract.c",
        same: false,
        values: [
          { id: "f:x1", version: 1, contentHash: "aaa" },
          { id: "f:x2", version: 1, contentHash: "aaa" },
          { id: "f:x3", version: 2, contentHash: "bbb" },
        ],
      },
    ],
    outputs: [{ path: "out/rows.csv", same: false, values: [{ id: "f:o1", version: 1 }, { id: "f:o2", version: 1 }, null] }],
    steps: [
      {
        program: "sort",
        occurrence: 1,
        argvSame: false,
        values: [
          { processId: "p:1", argv: ["sort", "-k1", "-n"], durationMs: 10, exitCode: 0 },
          { processId: "p:2", argv: ["sort", "-k1", "-n"], durationMs: 12, exitCode: 0 },
          { processId: "p:3", argv: ["sort", "-k2", "-n"], durationMs: 900, exitCode: 2 },
        ],
      },
      { program: "gzip", occurrence: 1, argvSame: true, values: [{ processId: "p:4", argv: ["gzip"] }, { processId: "p:5", argv: ["gzip"] }, null] },
    ],
  };
  const sections = compareRuns(c);
  const section = (t: string) => sections.find((s) => s.title.startsWith(t))!;

  it("has every section the issue asks for", () => {
    expect(sections.map((s) => s.title.split(" ")[0])).toEqual(["Runs", "Inputs", "Parameters", "Outputs", "Metrics", "Durations", "Exit"]);
  });

  it("marks the odd run out against the majority", () => {
    const inputs = section("Inputs");
    expect(inputs.rows[0].differs).toBe(false);
    expect(inputs.rows[0].cells.every((x) => !x.differs)).toBe(true);
    expect(inputs.rows[1].cells.map((x) => x.differs)).toEqual([false, false, true]);
    const exit = section("Runs").rows.find((r) => r.label === "Exit code")!;
    expect(exit.cells.map((x) => x.differs)).toEqual([false, false, true]);
    expect(section("Outputs").rows[0].cells.map((x) => x.text)).toEqual(["version 1", "version 1", "absent"]);
  });

  it("diffs command lines word by word against the baseline", () => {
    const sort = section("Parameters").rows[0];
    expect(sort.differs).toBe(true);
    expect(sort.cells[2].parts?.filter((p) => p.op !== "same").map((p) => p.text)).toEqual(["-k1", "-k2"]);
    expect(sort.cells[0].differs).toBe(false);
    const gzip = section("Parameters").rows[1];
    expect(gzip.cells[2]).toEqual({ text: "not run", differs: true });
  });

  it("ignores timing noise but flags real slow-downs", () => {
    const d = section("Runs").rows.find((r) => r.label === "Duration")!;
    expect(d.cells.map((x) => x.differs)).toEqual([false, false, true]);
    const steps = section("Durations").rows[0];
    expect(steps.cells.map((x) => x.differs)).toEqual([false, false, true]);
  });

  it("says so when there are no metrics, and can show differences only", () => {
    expect(section("Metrics").rows).toHaveLength(0);
    expect(section("Metrics").empty).toMatch(/No metrics/);
    const only = onlyDifferences(sections);
    expect(only.find((s) => s.title === "Inputs")!.rows.map((r) => r.label)).toEqual(["extract.c"]);
    expect(only.find((s) => s.title === "Runs")!.rows.map((r) => r.label)).toEqual(["Duration", "Exit code"]);
  });

  it("compares metrics captured by rules when the server sends them", () => {
    const s = compareRuns({ ...c, metrics: [{ name: "accuracy", values: [0.91, 0.91, 0.5] }] });
    expect(s.find((x) => x.title === "Metrics")!.rows[0].cells.map((x) => x.differs)).toEqual([false, false, true]);
  });

  it("hides system files unless asked, and does not count rows that look the same", () => {
    const withLibs = {
      ...c,
      inputs: [...c.inputs, { path: "/usr/lib/x86_64-linux-gnu/libc.so.6", same: false, values: c.runs.map((_, i) => ({ id: `f:l${i}`, version: 0 })) }],
    };
    expect(compareRuns(withLibs)[1].rows.map((r) => r.label)).toEqual(["in/part1.csv", "extract.c"]);
    const all = compareRuns(withLibs, { hideNoise: false })[1].rows;
    const libc = all.find((r) => r.label.includes("libc"))!;
    // Runs on two hosts read two files that look alike: nothing to show, so not a difference.
    expect(libc.differs).toBe(false);
  });

  it("uses the first run as baseline between two differing runs", () => {
    const s = compareRuns({ ...c, runs: c.runs.slice(0, 2), inputs: [{ path: "x", same: false, values: [{ id: "a", version: 1 }, { id: "b", version: 2 }] }], outputs: [], steps: [] });
    expect(s[1].rows[0].cells.map((x) => x.differs)).toEqual([false, true]);
  });
});

describe("metrics", () => {
  const text = [
    "# HELP ursprung_backend_requests_total Requests.",
    "# TYPE ursprung_backend_requests_total counter",
    'ursprung_backend_requests_total{method="GET",route="/api/v1/runs",status="200"} 3',
    'ursprung_backend_requests_total{method="GET",route="/api/v1/x",status="404"} 2',
    'ursprung_consumer_events_total{host="worker01"} 100',
    'ursprung_consumer_events_total{host="worker02",note="a \\"q\\""} 50',
    "ursprung_backend_uptime_seconds 12",
    "garbage line",
  ].join("\n");
  const s = parsePrometheus(text);
  it("parses samples and labels", () => {
    expect(total(s, "ursprung_backend_requests_total")).toBe(5);
    expect(total(s, "nope")).toBeNull();
    expect(firstTotal(s, ["nope", "ursprung_consumer_events_total"])).toBe(150);
    expect(labelValues(s, "ursprung_consumer_events_total", "host")).toEqual(["worker01", "worker02"]);
    expect(s.find((x) => x.labels.note)?.labels.note).toBe('a "q"');
  });
  it("computes rates and refuses resets", () => {
    expect(rate({ value: 100, at: 0 }, { value: 600, at: 10_000 })).toBe(50);
    expect(rate({ value: 100, at: 0 }, { value: 50, at: 10_000 })).toBeNull();
    expect(rate(null, { value: 1, at: 1 })).toBeNull();
  });
});

describe("format", () => {
  it("prints UTC times with the date", () => {
    expect(formatTime("2025-11-20T09:14:03.512Z")).toBe("2025-11-20 09:14:03.512 UTC");
    expect(formatTime("2025-11-20T09:14:03Z")).toBe("2025-11-20 09:14:03 UTC");
    expect(formatTime(null)).toBe("unknown");
  });
  it("prints durations and sizes for people", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(2500)).toBe("2.50 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(null)).toBe("unknown");
    expect(formatSize(61)).toBe("61 B");
    expect(formatSize(2_500_000)).toBe("2.4 MiB");
  });
});
