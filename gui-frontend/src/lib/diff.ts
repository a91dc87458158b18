// Word-level differences, for argument vectors of two runs or two writers of a file: the question
// "which parameter changed?" is answered by the words that differ, not by the whole line.

export interface DiffPart {
  text: string;
  op: "same" | "added" | "removed";
}

/** Longest-common-subsequence diff of two word lists (inputs are short: argv, not files). */
export function diffWords(a: string[], b: string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ text: a[i], op: "same" });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({ text: a[i++], op: "removed" });
    } else {
      out.push({ text: b[j++], op: "added" });
    }
  }
  while (i < n) out.push({ text: a[i++], op: "removed" });
  while (j < m) out.push({ text: b[j++], op: "added" });
  return out;
}

/** Field-by-field comparison of two records: which keys differ. */
export function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]): Set<string> {
  const out = new Set<string>();
  for (const k of keys) {
    if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) out.add(k);
  }
  return out;
}
