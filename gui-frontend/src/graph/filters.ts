import type { GraphEdge, GraphNode } from "../types";
import { GraphModel } from "./model";

// Filters decide what is drawn; they never drop data from the model, so unticking a filter
// brings nodes back without asking the server again.

export interface Filters {
  showFiles: boolean;
  showProcesses: boolean;
  /** Exact host, empty for all. */
  host: string;
  /** Exact user name (or uid as text), empty for all; applies to processes. */
  user: string;
  /** Shell glob over file paths, empty for all; applies to files. */
  pathGlob: string;
  /** Hide the libraries, device and proc files every program touches. */
  hideNoise: boolean;
}

export const defaultFilters: Filters = {
  showFiles: true,
  showProcesses: true,
  host: "",
  user: "",
  pathGlob: "",
  hideNoise: true,
};

// Paths every dynamically linked program reads or opens: they answer no lineage question and,
// shown, they bury the pipeline (each process adds ten or twenty of them).
const NOISE_PREFIXES = [
  "/usr/",
  "/lib/",
  "/lib32/",
  "/lib64/",
  "/libx32/",
  "/proc/",
  "/sys/",
  "/dev/",
  "/run/",
  "/etc/ld.so.",
  "/etc/locale.",
  "/etc/localtime",
  "/etc/nsswitch.conf",
  "/etc/host.conf",
  "/etc/gai.conf",
  "/etc/passwd",
  "/etc/group",
  "/etc/alternatives/",
  "/var/cache/ldconfig/",
  "/var/lib/locales/",
];
const NOISE_EXACT = new Set(["/usr", "/lib", "/lib64", "/proc", "/dev", "/sys", "/dev/null", "/dev/tty"]);
// Python, R and Node keep caches of compiled modules beside the user's code; also noise.
const NOISE_ANYWHERE = [/\/__pycache__\//, /\.pyc$/];

/** Whether a node is system noise: only files are, a process always matters. */
export function isNoise(n: GraphNode): boolean {
  if (n.type !== "file") {
    return false;
  }
  return isNoisePath(n.path);
}

export function isNoisePath(path: string): boolean {
  if (NOISE_EXACT.has(path)) {
    return true;
  }
  for (const p of NOISE_PREFIXES) {
    if (path.startsWith(p)) {
      return true;
    }
  }
  return NOISE_ANYWHERE.some((r) => r.test(path));
}

/**
 * A shell glob as a regular expression. `*` and `?` stay within one path component, `**` crosses
 * them, `[...]` is a character class. A glob that does not start with `/` matches the end of a path
 * at a component boundary, so `*.csv` finds CSV files anywhere and `out/*.gz` finds them in any
 * `out` directory, which is what a user typing a short pattern means.
 */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
        if (glob[i + 1] === "/") {
          // "**/" also matches no directory at all.
          re = re.slice(0, -2) + "(?:.*/)?";
          i++;
        }
      } else {
        re += "[^/]*";
      }
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close > i + 1) {
        let cls = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
        if (cls.startsWith("!")) {
          cls = "^" + cls.slice(1);
        }
        re += `[${cls}]`;
        i = close;
      } else {
        re += "\\[";
      }
    } else {
      re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
    }
  }
  return glob.startsWith("/") ? new RegExp(`^${re}$`) : new RegExp(`(?:^|/)${re}$`);
}

/** A predicate for one node, built once per filter change (the glob is compiled once). */
export function nodePredicate(f: Filters): (n: GraphNode) => boolean {
  let glob: RegExp | null = null;
  if (f.pathGlob.trim()) {
    try {
      glob = globToRegExp(f.pathGlob.trim());
    } catch {
      glob = null;
    }
  }
  const host = f.host.trim();
  const user = f.user.trim();
  return (n) => {
    if (n.type === "file") {
      if (!f.showFiles) return false;
      if (f.hideNoise && isNoise(n)) return false;
      if (glob && !glob.test(n.path)) return false;
    } else if (n.type === "process") {
      if (!f.showProcesses) return false;
      if (user && n.user !== user && String(n.uid ?? "") !== user) return false;
    }
    if (host && n.host !== host) return false;
    return true;
  };
}

export interface Visible {
  nodes: Set<string>;
  edges: GraphEdge[];
  hidden: number;
}

/**
 * What to draw. Pinned nodes (the one searched for, the selected one) are always drawn so that
 * the user never loses the place they started from. Edges are drawn when both ends are.
 */
export function visibleElements(model: GraphModel, f: Filters, pinned: Iterable<string> = []): Visible {
  const keep = nodePredicate(f);
  const nodes = new Set<string>();
  for (const n of model.nodes.values()) {
    if (keep(n)) nodes.add(n.id);
  }
  for (const id of pinned) {
    if (model.nodes.has(id)) nodes.add(id);
  }
  const edges = [...model.edges.values()].filter((e) => nodes.has(e.from) && nodes.has(e.to));
  return { nodes, edges, hidden: model.nodes.size - nodes.size };
}

/** Hosts and users present in the model, for the filter drop-downs. */
export function facets(model: GraphModel): { hosts: string[]; users: string[] } {
  const hosts = new Set<string>();
  const users = new Set<string>();
  for (const n of model.nodes.values()) {
    if (n.host) hosts.add(n.host);
    if (n.type === "process" && n.user) users.add(n.user);
  }
  return { hosts: [...hosts].sort(), users: [...users].sort() };
}
