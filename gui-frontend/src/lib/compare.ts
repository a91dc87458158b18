import { isNoisePath } from "../graph/filters";
import type { FileValue, RunComparison } from "../types";
import { diffWords, type DiffPart } from "./diff";
import { durationBetween, exitText, formatDuration, formatSize, formatTime } from "./format";

// The runs comparison as rows of cells with the differences marked, so the view only draws.
// The baseline for "differs" is the value most runs share (ties: the first selected run), which
// for two runs means "compared with the first" and for many runs points at the odd one out.

export interface Cell {
  text: string;
  differs: boolean;
  /** Word diff against the baseline, for command lines. */
  parts?: DiffPart[];
}

export interface Row {
  label: string;
  cells: Cell[];
  differs: boolean;
}

export interface Section {
  title: string;
  /** What the first column holds. */
  column: string;
  rows: Row[];
  /** Said instead of an empty table. */
  empty: string;
}

/** Durations within this ratio of each other count as the same: timing noise is not a change. */
export const DURATION_TOLERANCE = 1.2;
/** Nor are differences below this many milliseconds (process start-up jitter). */
export const DURATION_SLACK_MS = 50;

function baselineIndex(keys: string[]): number {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best = 0;
  for (let i = 1; i < keys.length; i++) {
    if ((counts.get(keys[i]) ?? 0) > (counts.get(keys[best]) ?? 0)) best = i;
  }
  return best;
}

/** Cells for values compared by key: those whose key is not the baseline's are marked. */
function keyedCells(texts: string[], keys: string[]): { cells: Cell[]; differs: boolean } {
  const base = keys[baselineIndex(keys)];
  const cells = texts.map((text, i) => ({ text, differs: keys[i] !== base }));
  return { cells, differs: cells.some((c) => c.differs) };
}

function durationsDiffer(ms: (number | null | undefined)[]): boolean[] {
  const known = ms.filter((v): v is number => v !== null && v !== undefined);
  if (known.length < 2) return ms.map(() => false);
  // Two runs: compared with the first. More: with the median, so the odd one out stands out.
  const sorted = [...known].sort((a, b) => a - b);
  const median = known.length === 2 ? known[0] : sorted[Math.floor(sorted.length / 2)];
  return ms.map((v) => {
    if (v === null || v === undefined) return known.length > 0;
    const lo = Math.min(v, median);
    const hi = Math.max(v, median);
    return hi - lo > DURATION_SLACK_MS && hi > lo * DURATION_TOLERANCE;
  });
}

function fileText(v: FileValue | null): string {
  if (!v) return "absent";
  const parts = [v.version === 0 ? "from before capture" : `version ${v.version}`];
  if (v.size !== null && v.size !== undefined) parts.push(formatSize(v.size));
  if (v.versionTime) parts.push(formatTime(v.versionTime));
  if (v.contentHash) parts.push(`hash ${v.contentHash.slice(0, 12)}`);
  return parts.join(", ");
}

function fileKey(v: FileValue | null): string {
  if (!v) return "absent";
  return v.contentHash ? `h:${v.contentHash}` : `v:${v.version}|${v.versionTime ?? ""}|${v.size ?? ""}`;
}

function fileSection(title: string, rows: RunComparison["inputs"], empty: string): Section {
  return {
    title,
    column: "Path",
    empty,
    rows: rows.map((r) => {
      const texts = r.values.map(fileText);
      if (r.same) {
        return { label: r.path, cells: texts.map((text) => ({ text, differs: false })), differs: false };
      }
      // Only what can be shown as different counts: runs on two hosts read two distinct files
      // (the server says "not same") whose versions may still look identical.
      const k = keyedCells(texts, r.values.map(fileKey));
      return { label: r.path, cells: k.cells, differs: k.differs };
    }),
  };
}

export interface CompareOptions {
  /** Leave out inputs and outputs that are system files (libraries, /etc/ld.so.cache, …). */
  hideNoise: boolean;
}

export function compareRuns(c: RunComparison, opt: CompareOptions = { hideNoise: true }): Section[] {
  const keep = (r: { path: string }) => !opt.hideNoise || !isNoisePath(r.path);
  const runs = c.runs;
  const summary: Row[] = [];
  const cmd = runs.map((r) => r.cmdline ?? "");
  summary.push({ label: "Command", ...keyedCells(cmd, cmd) });
  summary.push({ label: "User", ...keyedCells(runs.map((r) => r.user ?? "unknown"), runs.map((r) => r.user ?? "")) });
  summary.push({ label: "Host", ...keyedCells(runs.map((r) => r.host), runs.map((r) => r.host)) });
  summary.push({ label: "Started", cells: runs.map((r) => ({ text: formatTime(r.start), differs: false })), differs: false });
  const runMs = runs.map((r) => r.durationMs ?? durationBetween(r.start, r.end));
  const runDiff = durationsDiffer(runMs);
  summary.push({
    label: "Duration",
    cells: runMs.map((ms, i) => ({ text: formatDuration(ms), differs: runDiff[i] })),
    differs: runDiff.some(Boolean),
  });
  const codes = runs.map((r) => exitText(r.exitCode));
  summary.push({ label: "Exit code", ...keyedCells(codes, codes) });
  const procs = runs.map((r) => String(r.processes ?? "unknown"));
  summary.push({ label: "Processes", ...keyedCells(procs, procs) });

  const params: Row[] = [];
  const durations: Row[] = [];
  const exits: Row[] = [];
  for (const s of c.steps ?? []) {
    const label = s.occurrence > 1 ? `${s.program} (#${s.occurrence})` : s.program;
    const argvs = s.values.map((v) => (v ? v.argv ?? [] : null));
    const keys = argvs.map((a) => (a ? JSON.stringify(a) : "absent"));
    const base = argvs[baselineIndex(keys)] ?? [];
    params.push({
      label,
      differs: !s.argvSame,
      cells: argvs.map((a, i) => {
        if (!a) return { text: "not run", differs: true };
        const differs = !s.argvSame && keys[i] !== keys[baselineIndex(keys)];
        return { text: a.join(" "), differs, parts: differs ? diffWords(base, a) : undefined };
      }),
    });
    const ms = s.values.map((v) => (v ? v.durationMs : null));
    const dd = durationsDiffer(ms);
    durations.push({
      label,
      cells: ms.map((v, i) => ({ text: s.values[i] ? formatDuration(v) : "not run", differs: dd[i] })),
      differs: dd.some(Boolean),
    });
    const ex = s.values.map((v) => (v ? exitText(v.exitCode) : "not run"));
    exits.push({ label, ...keyedCells(ex, ex) });
  }

  const metrics: Row[] = (c.metrics ?? []).map((m) => {
    const texts = m.values.map((v) => (v === null || v === undefined ? "not captured" : String(v)));
    return { label: m.name, ...keyedCells(texts, texts) };
  });

  return [
    { title: "Runs", column: "", rows: summary, empty: "" },
    fileSection("Inputs", (c.inputs ?? []).filter(keep), "No run read a file from outside itself."),
    { title: "Parameters (command lines of each step)", column: "Step", rows: params, empty: "No steps were matched across these runs." },
    fileSection("Outputs", (c.outputs ?? []).filter(keep), "No run wrote a file."),
    {
      title: "Metrics",
      column: "Metric",
      rows: metrics,
      empty: "No metrics were captured by rules for these runs (a rule with LOGLOAD or DBLOAD captures them).",
    },
    { title: "Durations", column: "Step", rows: durations, empty: "No steps to time." },
    { title: "Exit codes", column: "Step", rows: exits, empty: "No steps with exit codes." },
  ];
}

/** Only the rows that differ, keeping sections (and saying when a section has none). */
export function onlyDifferences(sections: Section[]): Section[] {
  return sections.map((s) => ({
    ...s,
    rows: s.rows.filter((r) => r.differs),
    empty: s.rows.length ? "No differences here." : s.empty,
  }));
}
