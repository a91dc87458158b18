// A small HTTP server for the UI tests with CANNED DATA: it serves the built GUI
// (target/classes/public) and answers /api/v1 with fixed JSON shaped like the real API
// (docs/api.md), modelled on the etl-bob capture. It tests the GUI, not the backend; the real
// end-to-end test is it-tests' GuiEndToEndIT.
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const H = "worker01";
const ETL = "/home/bob/etl";
const T = (s) => `2025-11-20T09:14:${String(s).padStart(2, "0")}.${String((s * 137) % 1000).padStart(3, "0")}Z`;

export const USER = { name: "bob", password: "bob-password-123" };
const TOKEN = "canned-token-for-bob-0123456789";
// An admin, for what only admins see (tracked file content).
export const ADMIN = { name: "alice", password: "alice-password-123" };
const ADMIN_TOKEN = "canned-token-for-alice-0123456789";
const TRACKED_DIFF = [
  "diff --git a/worker01/home/bob/etl/out/rows.csv b/worker01/home/bob/etl/out/rows.csv",
  "index 1a2b3c4..5d6e7f8 100644",
  "--- a/worker01/home/bob/etl/out/rows.csv",
  "+++ b/worker01/home/bob/etl/out/rows.csv",
  "@@ -1,4 +1,4 @@",
  " id,name,amount",
  "-1,alpha,10",
  "+1,alpha,12",
  " 2,beta,20",
  " 3,gamma,30",
  "@@ -9,2 +9,3 @@",
  " 8,theta,80",
  " 9,iota,90",
  "+10,kappa,100",
  "",
].join("\n");

function f(name, path, version = 1, t = 1) {
  return { id: `f:${H}:${name}:${version}`, type: "file", host: H, path, version, versionTime: T(t), fs: "253:1", inode: 1000 + name.length, size: 64 * version };
}
function p(name, pid, cmdline, t, extra = {}) {
  return { id: `p:${H}:${pid}:${t}`, type: "process", host: H, pid, cmdline, cwd: ETL, user: "bob", uid: 1001, start: T(t), end: T(t + 1), exitCode: 0, exe: `/usr/bin/${cmdline.split(" ")[0].replace("./", "")}`, ...extra };
}

const F = {
  part1: f("part1", `${ETL}/in/part1.csv`, 1, 2),
  part2: f("part2", `${ETL}/in/part2.csv`, 1, 2),
  part3: f("part3", `${ETL}/in/part3.csv`, 1, 2),
  all: f("all", `${ETL}/in/all.csv`, 1, 5),
  src: f("src", `${ETL}/extract.c`, 0, 0),
  bin: f("bin", `${ETL}/extract`, 1, 4),
  rows: f("rows", `${ETL}/out/rows.csv`, 1, 6),
  sorted: f("sorted", `${ETL}/out/rows.sorted.gz`, 1, 8),
  part: f("part", `${ETL}/out/summary.json.part`, 1, 10),
  summary: f("summary", `${ETL}/out/summary.json`, 1, 11),
  libc: f("libc", "/usr/lib/x86_64-linux-gnu/libc.so.6", 0, 0),
  ldcache: f("ldcache", "/etc/ld.so.cache", 0, 0),
  locale: f("locale", "/usr/lib/locale/locale-archive", 0, 0),
};
const P = {
  bash: p("bash", 4100, "bash /home/bob/etl/etl.sh", 1, { end: T(20) }),
  gcc: p("gcc", 4101, "gcc -O1 -o extract extract.c", 3),
  cat: p("cat", 4102, "cat in/part1.csv in/part2.csv in/part3.csv", 5),
  extract: p("extract", 4103, "./extract in/all.csv out/rows.csv", 6, { exe: `${ETL}/extract` }),
  sort: p("sort", 4104, "sort -t, -k1 -n out/rows.csv", 7),
  uniq: p("uniq", 4105, "uniq", 7),
  gzip: p("gzip", 4106, "gzip", 7),
  python: p("python", 4107, "python3 -", 9),
  mv: p("mv", 4108, "mv out/summary.json.part out/summary.json", 11),
  ls: p("ls", 4109, "ls /nonexistent", 12, { exitCode: 2 }),
};
const E = [];
const used = (proc, file, kind = "read") => E.push({ from: proc.id, to: file.id, type: "used", kind });
const gen = (file, proc, kind = "write") => E.push({ from: file.id, to: proc.id, type: "wasGeneratedBy", kind });
const inf = (reader, writer, kind) => E.push({ from: reader.id, to: writer.id, type: "wasInformedBy", kind });
gen(F.part1, P.bash); gen(F.part2, P.bash); gen(F.part3, P.bash);
used(P.gcc, F.src); gen(F.bin, P.gcc);
used(P.cat, F.part1); used(P.cat, F.part2); used(P.cat, F.part3); gen(F.all, P.cat);
used(P.extract, F.all); used(P.extract, F.bin, "exec"); gen(F.rows, P.extract);
used(P.sort, F.rows); inf(P.uniq, P.sort, "pipe"); inf(P.gzip, P.uniq, "pipe"); gen(F.sorted, P.gzip);
used(P.python, F.sorted); gen(F.part, P.python);
E.push({ from: F.summary.id, to: F.part.id, type: "wasDerivedFrom", kind: "rename" });
used(P.mv, F.part); gen(F.summary, P.mv, "rename");
for (const x of Object.values(P)) {
  if (x !== P.bash) inf(x, P.bash, "fork");
  used(x, F.libc); used(x, F.ldcache); used(x, F.locale);
}
const NODES = new Map([...Object.values(F), ...Object.values(P)].map((n) => [n.id, n]));

// A synthetic layered pipeline of 500 nodes, for the render-time figure: 10 ranks of 50.
const BENCH_ID = "f:bench:synthetic:500";
function benchGraph() {
  const nodes = [];
  const edges = [];
  for (let r = 0; r < 10; r++) {
    for (let i = 0; i < 50; i++) {
      const id = r === 0 && i === 0 ? BENCH_ID : `${r % 2 ? "p" : "f"}:bench:${r}:${i}`;
      nodes.push(r % 2 ? { id, type: "process", host: "bench01", pid: 10000 + r * 50 + i, cmdline: `step${r} --part ${i} --threads 4`, cwd: "/scratch/bench", user: "bob", uid: 1001, start: T(r), end: T(r + 1), exitCode: i === 7 ? 1 : 0 }
                         : { id, type: "file", host: "bench01", path: `/scratch/bench/stage${r}/part-${String(i).padStart(3, "0")}.parquet`, version: 1 });
      if (r > 0) {
        for (const j of [i, (i + 1) % 50]) {
          const prev = r - 1 === 0 && j === 0 ? BENCH_ID : `${(r - 1) % 2 ? "p" : "f"}:bench:${r - 1}:${j}`;
          // file (rank r-1) → process (rank r): process used file; process → file: file generated.
          edges.push(r % 2 ? { from: id, to: prev, type: "used", kind: "read" } : { from: id, to: prev, type: "wasGeneratedBy", kind: "write" });
        }
      }
    }
  }
  return { nodes, edges, truncated: false };
}

function neighbourhood(id) {
  if (id === BENCH_ID) return benchGraph();
  const node = NODES.get(id);
  if (!node) return null;
  const edges = E.filter((e) => e.from === id || e.to === id);
  const ids = new Set([id, ...edges.flatMap((e) => [e.from, e.to])]);
  return { nodes: [node, ...[...ids].filter((x) => x !== id).map((x) => NODES.get(x))], edges, truncated: false };
}

function lineage(id, direction, depth) {
  if (!NODES.has(id)) return null;
  const seen = new Set([id]);
  const out = [];
  let frontier = [id];
  for (let d = 0; d < depth && frontier.length; d++) {
    const next = [];
    for (const x of frontier) {
      for (const e of E) {
        if (e.kind === "fork") continue;
        const [here, there] = direction === "upstream" ? [e.from, e.to] : [e.to, e.from];
        if (here !== x) continue;
        out.push(e);
        if (!seen.has(there)) {
          seen.add(there);
          next.push(there);
        }
      }
    }
    frontier = next;
  }
  return { nodes: [...seen].map((x) => NODES.get(x)), edges: [...new Set(out)], truncated: false };
}

const summary = (x) => ({ id: x.id, host: x.host, pid: x.pid, cmdline: x.cmdline, cwd: x.cwd, user: x.user, uid: x.uid, start: x.start, end: x.end, exitCode: x.exitCode, exe: x.exe });

function processDetails(id) {
  const x = NODES.get(id);
  if (!x || x.type !== "process") return null;
  const acc = (type) =>
    E.filter((e) => (type === "used" ? e.from === id && e.type === "used" : e.to === id && e.type === "wasGeneratedBy")).map((e) => {
      const file = NODES.get(type === "used" ? e.to : e.from);
      return { fileId: file.id, host: H, path: file.path, time: x.start, kind: e.kind, size: file.size };
    });
  return {
    process: summary(x),
    argv: x.cmdline.split(" "),
    gid: 1001,
    jobId: null,
    parent: x === P.bash ? null : summary(P.bash),
    children: x === P.bash ? Object.values(P).filter((c) => c !== P.bash).map(summary) : [],
    execs: [{ time: x.start, exe: x.exe, argv: x.cmdline.split(" "), cwd: x.cwd }],
    reads: acc("used"),
    writes: acc("gen"),
    informedBy: E.filter((e) => e.from === id && e.type === "wasInformedBy").map((e) => ({ processId: e.to, cmdline: NODES.get(e.to).cmdline, kind: e.kind, time: x.start })),
    informs: E.filter((e) => e.to === id && e.type === "wasInformedBy").map((e) => ({ processId: e.from, cmdline: NODES.get(e.from).cmdline, kind: e.kind, time: x.start })),
    connections: [],
  };
}

function fileDetails(id) {
  if (id === BENCH_ID) return { host: "bench01", fs: "0:0", inode: 1, objectType: "file", names: [], versions: [] };
  const x = NODES.get(id);
  if (!x || x.type !== "file") return null;
  const writer = E.find((e) => e.from === id && e.type === "wasGeneratedBy");
  const versions = [{ id: x.id, version: x.version, time: x.versionTime, cause: "write", path: x.path, size: x.size, contentHash: null, writer: writer ? summary(NODES.get(writer.to)) : null }];
  if (x === F.rows) {
    // A second, earlier version made with other arguments, so the version diff has something to show.
    versions.unshift({ id: `f:${H}:rows:0`, version: 0, time: T(0), cause: "create", path: x.path, size: 12, contentHash: null, writer: { ...summary(P.extract), id: "p:worker01:3999:0", pid: 3999, cmdline: "./extract in/old.csv out/rows.csv --strict" } });
  }
  return { host: H, fs: "253:1", inode: x.inode, objectType: "file", names: [{ path: x.path, op: "create", time: x.versionTime, processId: writer?.to ?? null }], versions };
}

function reproduce(path) {
  const target = [...NODES.values()].find((n) => n.type === "file" && n.path === path);
  if (!target) return null;
  const steps = [P.gcc, P.cat, P.extract].map((x) => ({ processId: x.id, cmdline: x.cmdline, argv: x.cmdline.split(" "), cwd: x.cwd, host: H, user: "bob", start: x.start, exitCode: 0, inScript: true, parentId: P.bash.id }));
  return { target: target.id, path, steps, script: `#!/bin/sh\nset -e\ncd /home/bob/etl\ngcc -O1 -o extract extract.c\ncat in/part1.csv in/part2.csv in/part3.csv > in/all.csv\n./extract in/all.csv out/rows.csv\n`, truncated: false };
}

const RUNS = [
  { id: P.bash.id, kind: "process-tree", host: H, user: "bob", cmdline: P.bash.cmdline, start: T(1), end: T(20), durationMs: 19137, exitCode: 0, processes: 41 },
  { id: "p:worker01:5100:100", kind: "process-tree", host: H, user: "bob", cmdline: P.bash.cmdline, start: "2025-11-21T09:00:00Z", end: "2025-11-21T09:00:31Z", durationMs: 31000, exitCode: 0, processes: 43 },
  { id: "p:worker02:6100:200", kind: "process-tree", host: "worker02", user: "bob", cmdline: "bash /home/bob/etl/etl.sh --fast", start: "2025-11-22T09:00:00Z", end: "2025-11-22T09:00:18Z", durationMs: 18000, exitCode: 1, processes: 39 },
];

function compare(ids) {
  const runs = ids.map((id) => RUNS.find((r) => r.id === id));
  if (runs.some((r) => !r)) return null;
  const n = runs.length;
  const fv = (v, i) => ({ id: `f:x:${v}:${i}`, version: v, versionTime: T(v), size: 100 * v, contentHash: null });
  return {
    runs,
    inputs: [
      { path: "extract.c", same: runs.every((r) => r.host === H), values: runs.map((r, i) => fv(r.host === H ? 0 : 1, i)) },
      { path: "in/part1.csv", same: true, values: runs.map((_, i) => fv(1, i)) },
    ],
    outputs: [
      { path: "out/rows.csv", same: false, values: runs.map((_, i) => fv(1, i)) },
      { path: "out/summary.json", same: false, values: runs.map((r, i) => (r.exitCode ? null : fv(1, i))) },
    ],
    steps: [
      { program: "sort", occurrence: 1, argvSame: n < 3, values: runs.map((r) => ({ processId: r.id, argv: ["sort", "-t,", r.host === H ? "-k1" : "-k2", "-n", "out/rows.csv"], durationMs: r.host === H ? 12 : 14, exitCode: 0 })) },
      { program: "gzip", occurrence: 1, argvSame: true, values: runs.map((r) => ({ processId: r.id, argv: ["gzip"], durationMs: r.durationMs / 10, exitCode: 0 })) },
      { program: "python3", occurrence: 1, argvSame: true, values: runs.map((r) => (r.exitCode ? { processId: r.id, argv: ["python3", "-"], durationMs: 80, exitCode: 1 } : { processId: r.id, argv: ["python3", "-"], durationMs: 75, exitCode: 0 })) },
    ],
  };
}

let eventsCounter = 100_000;

function globToRe(glob) {
  return new RegExp("^" + glob.replace(/[.+^${}()|\\[\]]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
}

function api(method, url, headers, body) {
  const u = new URL(url, "http://x");
  const q = u.searchParams;
  const route = u.pathname.replace(/^\/api\/v1/, "");
  if (route === "/health") return [200, { status: "up", version: "0.1.0-canned" }];
  if (route === "/login" && method === "POST") {
    const b = JSON.parse(body || "{}");
    if (b.name === USER.name && b.password === USER.password) return [200, { token: TOKEN, expiresAt: "2099-01-01T00:00:00Z", user: { name: "bob", role: "viewer", uids: [1001], gids: [] } }];
    if (b.name === ADMIN.name && b.password === ADMIN.password) return [200, { token: ADMIN_TOKEN, expiresAt: "2099-01-01T00:00:00Z", user: { name: "alice", role: "admin", uids: [], gids: [] } }];
    return [401, { status: 401, message: "unknown user name or wrong password", errors: [] }];
  }
  const admin = headers.authorization === `Bearer ${ADMIN_TOKEN}`;
  if (!admin && headers.authorization !== `Bearer ${TOKEN}`) return [401, { status: 401, message: "missing or unknown token", errors: [] }];
  if (route === "/logout") return [204, null];
  if (route === "/me") return [200, admin ? { name: "alice", role: "admin", uids: [], gids: [] } : { name: "bob", role: "viewer", uids: [1001], gids: [] }];
  if (route.startsWith("/tracked")) {
    if (!admin) return [403, { status: 403, message: "this needs the admin role", errors: [] }];
    const v = (n, t, size) => ({ host: H, eventId: `${H}:auditd:${900 + n}:0`, fs: "253:1", inode: F.rows.inode, path: F.rows.path, versionTime: T(t), repository: "/var/lib/ursprung/tracked.git", repoPath: `${H}${F.rows.path}`, commitId: `${n}`.repeat(40), size });
    if (route === "/tracked") return [200, { items: q.get("path") === F.rows.path ? [v(1, 6, 180), v(2, 30, 196)] : [] }];
    if (route === "/tracked/diff") return [200, TRACKED_DIFF, "text/x-diff; charset=utf-8"];
  }
  if (route === "/metrics") {
    eventsCounter += 2500;
    const now = Date.now() / 1000;
    const l = '{source="auditd",instance="master/auditd/4242-canned",group="ursprung-consumer-auditd",topic="auditd"}';
    return [
      200,
      [
        "# TYPE ursprung_backend_uptime_seconds gauge",
        "ursprung_backend_uptime_seconds 42",
        `ursprung_backend_time_seconds ${now}`,
        "ursprung_ingest_status_up 1",
        `ursprung_consumer_up${l} 1`,
        `ursprung_consumer_events_total${l} ${eventsCounter}`,
        `ursprung_consumer_dead_lettered_total${l} 1`,
        `ursprung_consumer_updated_timestamp_seconds${l} ${now - 4}`,
        `ursprung_host_last_event_timestamp_seconds{host="worker01",kind="host"} ${now - 60}`,
        'ursprung_plugin_kernel_available{host="worker01",reason="not root"} 0',
        `ursprung_plugin_reported_timestamp_seconds{host="worker01"} ${now - 12}`,
        "ursprung_plugin_report_interval_seconds{host=\"worker01\"} 30",
        "",
      ].join("\n"),
      "text/plain",
    ];
  }
  if (route === "/files") {
    const glob = q.get("glob");
    const prefix = q.get("path");
    if (prefix === "/bench/synthetic-500") return [200, { items: [{ id: BENCH_ID, host: "bench01", path: "/scratch/bench/stage0/part-000.parquet", versions: 1 }], offset: 0, limit: 50, more: false }];
    const re = glob ? globToRe(glob) : null;
    const items = Object.values(F).filter((x) => (re ? re.test(x.path) : x.path.startsWith(prefix ?? "\0"))).map((x) => ({ id: x.id, host: H, path: x.path, fs: x.fs, inode: x.inode, lastSeen: x.versionTime, versions: 1 }));
    return [200, { items, offset: 0, limit: 50, more: false }];
  }
  if (route === "/processes") {
    const text = q.get("q") ?? "";
    if (text === "explode") return [503, { status: 503, message: "the store is unavailable", errors: [] }];
    return [200, { items: Object.values(P).filter((x) => x.cmdline.includes(text)).map(summary), offset: 0, limit: 50, more: false }];
  }
  const one = (v) => (v ? [200, v] : [404, { status: 404, message: "not found", errors: [] }]);
  if (route.startsWith("/processes/")) return one(processDetails(decodeURIComponent(route.slice(11))));
  if (route.startsWith("/files/")) return one(fileDetails(decodeURIComponent(route.slice(7))));
  if (route === "/neighbourhood") return one(neighbourhood(q.get("node")));
  if (route === "/lineage") return one(lineage(q.get("nodeId"), q.get("direction") ?? "upstream", Number(q.get("depth") ?? 10)));
  if (route === "/reproduce") return one(reproduce(q.get("path")));
  if (route === "/runs") return [200, { items: RUNS, offset: 0, limit: 50, more: false }];
  if (route === "/alerts") {
    return [200, { items: [{ id: 1, ruleId: "r1", actionIndex: 0, message: "a binary ran from /tmp", host: H, eventId: "worker01:auditd:77:0", eventType: "process.exec", eventTime: T(5), pid: 4242, path: "/tmp/x" }], offset: 0, limit: 20 }];
  }
  if (route === "/runs/compare") {
    const ids = (q.get("ids") ?? "").split(",");
    if (ids.length < 2) return [400, { status: 400, message: "1 parameter is invalid", errors: [{ field: "ids", message: "compare at least 2 runs" }] }];
    return one(compare(ids));
  }
  return [404, { status: 404, message: `no route ${route}`, errors: [] }];
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

/** Starts the server on a free port; resolves to { url, close }. */
export function startCannedServer(publicDir) {
  const root = normalize(publicDir);
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url.startsWith("/api/")) {
        const [status, json, type] = api(req.method, req.url, req.headers, body);
        res.writeHead(status, { "Content-Type": type ?? "application/json" });
        res.end(json === null ? "" : typeof json === "string" ? json : JSON.stringify(json));
        return;
      }
      const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
      const file = path.startsWith(root) && existsSync(path) && statSync(path).isFile() ? path : join(root, "index.html");
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) })),
  );
}
