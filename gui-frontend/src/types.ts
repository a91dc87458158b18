// Shapes of the REST API's answers (gui-backend/src/main/resources/openapi.yaml, docs/api.md).
// Only the fields the GUI reads are declared; everything optional that the server may omit.

export interface FileNode {
  id: string;
  type: "file";
  host: string;
  path: string;
  version?: number;
  versionTime?: string;
  fs?: string;
  inode?: number;
  size?: number | null;
  depth?: number;
}

export interface ProcessNode {
  id: string;
  type: "process";
  host: string;
  pid: number;
  cmdline: string;
  cwd?: string | null;
  user?: string | null;
  uid?: number | null;
  start?: string | null;
  end?: string | null;
  exitCode?: number | null;
  exe?: string | null;
  depth?: number;
}

export type GraphNode = FileNode | ProcessNode;

/** An edge in W3C PROV direction: from the effect to its cause (a file wasGeneratedBy a process). */
export interface GraphEdge {
  from: string;
  to: string;
  type: "used" | "wasGeneratedBy" | "wasInformedBy" | "wasDerivedFrom" | string;
  kind?: string | null;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated?: boolean;
}

export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  more: boolean;
}

export interface User {
  name: string;
  role: "viewer" | "admin" | string;
  uids?: number[];
  gids?: number[];
  builtin?: boolean;
}

export interface ProcessSummary {
  id: string;
  host: string;
  pid: number;
  cmdline: string;
  cwd?: string | null;
  user?: string | null;
  uid?: number | null;
  start?: string | null;
  end?: string | null;
  exitCode?: number | null;
  exe?: string | null;
}

export interface FileSummary {
  id: string;
  host: string;
  path: string;
  fs?: string;
  inode?: number;
  lastSeen?: string | null;
  versions?: number;
}

export interface FileAccess {
  fileId: string;
  host: string;
  path: string;
  time?: string | null;
  kind: string;
  size?: number | null;
}

export interface Informed {
  processId: string;
  cmdline: string;
  kind: string;
  time?: string | null;
}

export interface ProcessDetails {
  process: ProcessSummary;
  argv?: string[] | null;
  gid?: number | null;
  jobId?: string | null;
  parent?: ProcessSummary | null;
  children?: ProcessSummary[];
  execs?: { time?: string; exe?: string; argv?: string[]; cwd?: string }[];
  reads?: FileAccess[];
  writes?: FileAccess[];
  informedBy?: Informed[];
  informs?: Informed[];
  connections?: { time?: string; op?: string; family?: string; address?: string; port?: number; path?: string; result?: number }[];
}

export interface FileVersion {
  id: string;
  version: number;
  time?: string | null;
  cause?: string | null;
  path?: string | null;
  size?: number | null;
  contentHash?: string | null;
  writer?: ProcessSummary | null;
}

export interface FileDetails {
  host: string;
  fs?: string;
  inode?: number;
  objectType?: string;
  names?: { path: string; op: string; time?: string | null; processId?: string | null }[];
  versions?: FileVersion[];
}

export interface ReproduceStep {
  processId: string;
  cmdline: string;
  argv?: string[] | null;
  cwd?: string | null;
  host: string;
  user?: string | null;
  start?: string | null;
  exitCode?: number | null;
  inScript?: boolean;
  parentId?: string | null;
}

export interface ReproducePlan {
  target: string;
  path: string;
  steps: ReproduceStep[];
  script?: string | null;
  truncated?: boolean;
}

export interface RunSummary {
  id: string;
  kind: string;
  host: string;
  user?: string | null;
  cmdline: string;
  start?: string | null;
  end?: string | null;
  durationMs?: number | null;
  exitCode?: number | null;
  processes?: number;
}

export interface FileValue {
  id: string;
  version: number;
  versionTime?: string | null;
  size?: number | null;
  contentHash?: string | null;
}

export interface RunComparison {
  runs: RunSummary[];
  inputs: { path: string; same: boolean; values: (FileValue | null)[] }[];
  outputs: { path: string; same: boolean; values: (FileValue | null)[] }[];
  steps: {
    program: string;
    occurrence: number;
    argvSame: boolean;
    values: ({ processId: string; argv?: string[] | null; durationMs?: number | null; exitCode?: number | null } | null)[];
  }[];
  /** Metrics captured by rules (name → one value per run); not served by the API yet. */
  metrics?: { name: string; values: (string | number | null)[] }[];
}

/** A file version whose content a TRACK rule kept (GET /api/v1/tracked, admins only). */
export interface TrackedVersion {
  host: string;
  /** Names the version in /tracked/content and /tracked/diff. */
  eventId: string;
  fs?: string;
  inode?: number;
  path: string;
  versionTime: string;
  repository?: string;
  repoPath?: string;
  commitId: string;
  size: number;
}
