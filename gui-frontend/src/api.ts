// The one place the GUI talks HTTP. Every failure becomes an ApiError with words a person can read,
// so no view ever shows a blank page.

import type {
  FileDetails,
  FileSummary,
  Graph,
  Page,
  ProcessDetails,
  ProcessSummary,
  ReproducePlan,
  RunComparison,
  RunSummary,
  TrackedVersion,
  User,
} from "./types";

export const API = "/api/v1";

/** One alert recorded by an ALERT rule (GET /api/v1/alerts, admins only). */
export interface Alert {
  id: number;
  message: string;
  host: string;
  eventType?: string | null;
  eventTime: string;
  pid?: number | null;
  path?: string | null;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Turns a failed response into a sentence, using the API's error body when there is one. */
export async function describeFailure(res: Response): Promise<string> {
  let detail = "";
  try {
    const body = (await res.json()) as { message?: string; errors?: { field?: string; message?: string }[] };
    if (body.errors?.length) {
      detail = body.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : `${e.message}`)).join("; ");
    } else if (body.message) {
      detail = body.message;
    }
  } catch {
    // Not JSON: fall back to the status line.
  }
  switch (res.status) {
    case 400:
      return "The request was not accepted" + (detail ? `: ${detail}.` : ".");
    case 401:
      return "Please sign in again: your session is not valid.";
    case 403:
      return "You are not allowed to see this." + (detail ? ` (${detail})` : "");
    case 404:
      return "Not found, or not visible to you." + (detail ? ` (${detail})` : "");
    case 429: {
      const wait = res.headers.get("Retry-After");
      return "Too many attempts." + (wait ? ` Try again in ${wait} seconds.` : " Try again in a minute.");
    }
    case 503:
      return "The provenance store is unavailable right now; try again shortly." + (detail ? ` (${detail})` : "");
    default:
      return `The server answered ${res.status} ${res.statusText}`.trimEnd() + (detail ? `: ${detail}` : ".");
  }
}

/** Words for anything thrown while talking to the server. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.name === "AbortError") return "The request was cancelled.";
  return "Something went wrong talking to the server" + (e instanceof Error && e.message ? `: ${e.message}` : ".");
}

export async function getJson<T>(path: string, token?: string): Promise<T> {
  return new Api(() => token ?? null).get<T>(path);
}

/** Query string from a record, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export class Api {
  /** Called on every 401, so the application can send the user back to the login view. */
  onUnauthorized: (() => void) | null = null;

  constructor(private readonly token: () => string | null) {}

  private async request(path: string, init: RequestInit = {}, accept = "application/json"): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    const t = this.token();
    if (t) headers.Authorization = `Bearer ${t}`;
    if (init.body) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(path.startsWith("/") ? path : `${API}/${path}`, { ...init, headers });
    } catch (e) {
      if (e instanceof Error && e.name === "AbortError") throw e;
      throw new ApiError("The Ursprung server cannot be reached. Is the backend running?", 0);
    }
    if (!res.ok) {
      if (res.status === 401 && t && this.onUnauthorized) this.onUnauthorized();
      throw new ApiError(await describeFailure(res), res.status);
    }
    return res;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const res = await this.request(path, { signal });
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError("The server sent an answer the GUI cannot read (not JSON).", res.status);
    }
  }

  async text(path: string, accept = "text/plain"): Promise<string> {
    return (await this.request(path, {}, accept)).text();
  }

  async post<T>(path: string, body?: unknown): Promise<T | null> {
    const res = await this.request(path, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
    return res.status === 204 ? null : ((await res.json()) as T);
  }

  // The endpoints the views use; paths and parameters as in docs/api.md.
  health = () => this.get<{ status: string; version?: string }>("health");
  login = (name: string, password: string) =>
    this.post<{ token: string; expiresAt?: string; user: User }>("login", { name, password });
  logout = () => this.post<null>("logout");
  me = () => this.get<User>("me");
  metrics = () => this.text("metrics");
  files = (p: { path?: string; glob?: string; host?: string; limit?: number }) =>
    this.get<Page<FileSummary>>("files" + query(p));
  file = (id: string) => this.get<FileDetails>(`files/${encodeURIComponent(id)}`);
  processes = (p: { q?: string; user?: string; host?: string; limit?: number }) =>
    this.get<Page<ProcessSummary>>("processes" + query(p));
  process = (id: string) => this.get<ProcessDetails>(`processes/${encodeURIComponent(id)}`);
  neighbourhood = (node: string, offset = 0, limit = 100, signal?: AbortSignal) =>
    this.get<Graph>("neighbourhood" + query({ node, offset, limit }), signal);
  lineage = (p: { nodeId?: string; path?: string; host?: string; direction: "upstream" | "downstream"; depth: number; limit: number }, signal?: AbortSignal) =>
    this.get<Graph>("lineage" + query(p), signal);
  reproduce = (path: string, host: string) => this.get<ReproducePlan>("reproduce" + query({ path, host }));
  runs = (p: { limit?: number; offset?: number; user?: string; host?: string } = {}) =>
    this.get<Page<RunSummary>>("runs" + query(p));
  compareRuns = (ids: string[]) => this.get<RunComparison>("runs/compare" + query({ ids: ids.join(",") }));
  jobs = () => this.get<Page<Record<string, unknown>>>("jobs");
  alerts = (limit = 20) => this.get<{ items: Alert[] }>("alerts" + query({ limit }));
  trackedVersions = (path: string) => this.get<{ items: TrackedVersion[] }>("tracked" + query({ path }));
  trackedDiff = (host: string, from: string, to: string) => this.text("tracked/diff" + query({ host, from, to }), "text/x-diff, text/plain");
}
