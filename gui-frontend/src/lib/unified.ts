// A unified diff (as GET /api/v1/tracked/diff returns it, git's format) turned into rows for a
// line-by-line view: each row has the old and new line number, a visible mark (+, − or blank) and
// a word for screen readers, so that added and removed lines never differ by colour alone.

export interface DiffRow {
  kind: "add" | "del" | "same" | "hunk" | "note";
  /** Line number in the older version, or null for an added line / a hunk header. */
  oldNo: number | null;
  /** Line number in the newer version, or null for a removed line / a hunk header. */
  newNo: number | null;
  /** The visible mark: "+", "−" (minus sign) or "". */
  mark: string;
  /** What a screen reader says before the line: "added", "removed", "unchanged", or "". */
  word: string;
  text: string;
}

export interface DiffSummary {
  rows: DiffRow[];
  added: number;
  removed: number;
  /** Git said the files are binary: no lines to show. */
  binary: boolean;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/** Parses git's unified diff of one file; the header lines (diff --git, index, ---, +++) are skipped. */
export function parseUnifiedDiff(text: string): DiffSummary {
  const rows: DiffRow[] = [];
  let added = 0;
  let removed = 0;
  let binary = false;
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  const lines = text.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const m = HUNK.exec(line);
    if (m) {
      inHunk = true;
      oldNo = Number(m[1]);
      newNo = Number(m[2]);
      // A hunk that starts at line 0 is an empty side: the numbering of that side starts at 1.
      if (oldNo === 0) oldNo = 1;
      if (newNo === 0) newNo = 1;
      rows.push({ kind: "hunk", oldNo: null, newNo: null, mark: "", word: "", text: `lines ${m[1]} → ${m[2]}${m[3] ? ":" + m[3] : ""}` });
      continue;
    }
    if (!inHunk) {
      if (line.startsWith("Binary files")) binary = true;
      continue;
    }
    if (line.startsWith("+")) {
      rows.push({ kind: "add", oldNo: null, newNo: newNo++, mark: "+", word: "added", text: line.slice(1) });
      added++;
    } else if (line.startsWith("-")) {
      rows.push({ kind: "del", oldNo: oldNo++, newNo: null, mark: "−", word: "removed", text: line.slice(1) });
      removed++;
    } else if (line.startsWith("\\")) {
      rows.push({ kind: "note", oldNo: null, newNo: null, mark: "", word: "", text: line.slice(2) });
    } else if (line.startsWith("diff --git")) {
      // A second file: not expected (the API diffs one file), stop numbering.
      inHunk = false;
    } else {
      rows.push({ kind: "same", oldNo: oldNo++, newNo: newNo++, mark: "", word: "unchanged", text: line.startsWith(" ") ? line.slice(1) : line });
    }
  }
  return { rows, added, removed, binary };
}
