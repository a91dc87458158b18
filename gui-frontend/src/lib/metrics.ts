// The backend's /metrics is Prometheus text. The dashboard reads a few series from it and says
// "not available" for every figure the server does not publish (yet), rather than showing zero.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let l: RegExpExecArray | null;
      while ((l = re.exec(m[3]))) {
        labels[l[1]] = l[2].replace(/\\"/g, '"').replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
      }
    }
    const value = Number(m[4]);
    if (!Number.isNaN(value)) out.push({ name: m[1], labels, value });
  }
  return out;
}

/** The sum of a series over its labels, or null when the server does not publish it. */
export function total(samples: Sample[], name: string): number | null {
  let found = false;
  let sum = 0;
  for (const s of samples) {
    if (s.name === name) {
      found = true;
      sum += s.value;
    }
  }
  return found ? sum : null;
}

/** The first of several candidate names that is published (names differ between services). */
export function firstTotal(samples: Sample[], names: string[]): number | null {
  for (const n of names) {
    const t = total(samples, n);
    if (t !== null) return t;
  }
  return null;
}

/** Per-second rate of a counter between two readings; null without two readings or on a reset. */
export function rate(prev: { value: number; at: number } | null, cur: { value: number; at: number } | null): number | null {
  if (!prev || !cur || cur.at <= prev.at || cur.value < prev.value) return null;
  return ((cur.value - prev.value) * 1000) / (cur.at - prev.at);
}

/** Distinct values of one label of a series (for example the hosts a consumer has seen). */
export function labelValues(samples: Sample[], name: string, label: string): string[] {
  const out = new Set<string>();
  for (const s of samples) if (s.name === name && s.labels[label] !== undefined) out.add(s.labels[label]);
  return [...out].sort();
}
