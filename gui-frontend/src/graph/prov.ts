import type { GraphEdge, GraphNode } from "../types";

// W3C PROV-JSON of what is on screen, assembled in the browser because "what is on screen" is the
// union of several answers after filters, which no single API call returns. The shape follows the
// server's own export (gui-backend ProvJson): file versions are entities, processes activities,
// each edge a relation of its PROV type with that type's formal attributes.

export const URSPRUNG_NS = "https://ursprung.dev/ns/prov#";

type Record_ = Record<string, string | number>;

function put(r: Record_, key: string, v: unknown): void {
  if (v !== null && v !== undefined && v !== "") {
    r[key] = v as string | number;
  }
}

const q = (id: string) => `ursprung:${id}`;

export function toProvJson(nodes: Iterable<GraphNode>, edges: Iterable<GraphEdge>): Record<string, unknown> {
  const entity: Record<string, Record_> = {};
  const activity: Record<string, Record_> = {};
  const ids = new Set<string>();
  for (const n of nodes) {
    ids.add(n.id);
    if (n.type === "file") {
      const e: Record_ = { "prov:type": "ursprung:FileVersion", "prov:label": n.path };
      put(e, "ursprung:path", n.path);
      put(e, "ursprung:host", n.host);
      put(e, "ursprung:version", n.version);
      put(e, "ursprung:fs", n.fs);
      put(e, "ursprung:inode", n.inode);
      put(e, "ursprung:size", n.size);
      put(e, "ursprung:versionTime", n.versionTime);
      entity[q(n.id)] = e;
    } else if (n.type === "process") {
      const a: Record_ = { "prov:type": "ursprung:Process" };
      put(a, "prov:label", n.cmdline);
      put(a, "prov:startTime", n.start);
      put(a, "prov:endTime", n.end);
      put(a, "ursprung:host", n.host);
      put(a, "ursprung:pid", n.pid);
      put(a, "ursprung:cmdline", n.cmdline);
      put(a, "ursprung:cwd", n.cwd);
      put(a, "ursprung:user", n.user);
      put(a, "ursprung:exitCode", n.exitCode);
      put(a, "ursprung:exe", n.exe);
      activity[q(n.id)] = a;
    }
  }
  const doc: Record<string, unknown> = { prefix: { ursprung: URSPRUNG_NS }, entity, activity };
  let count = 0;
  for (const e of edges) {
    // A relation to something not exported would dangle; the document stays self-contained.
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    let r: Record_;
    switch (e.type) {
      case "used":
        r = { "prov:activity": q(e.from), "prov:entity": q(e.to) };
        break;
      case "wasGeneratedBy":
        r = { "prov:entity": q(e.from), "prov:activity": q(e.to) };
        break;
      case "wasInformedBy":
        r = { "prov:informed": q(e.from), "prov:informant": q(e.to) };
        break;
      case "wasDerivedFrom":
        r = { "prov:generatedEntity": q(e.from), "prov:usedEntity": q(e.to) };
        break;
      default:
        continue;
    }
    put(r, "ursprung:kind", e.kind);
    const bucket = (doc[e.type] ??= {}) as Record<string, Record_>;
    bucket[`_:r${++count}`] = r;
  }
  return doc;
}
