import type { ReproduceStep } from "../types";

// Shell text for "reproduce this file". The server builds the authoritative script (it knows
// pipes and redirections); this is the fallback when it sends steps only, and the quoting used
// wherever the GUI shows a command someone may paste into a shell.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word, quoted for a POSIX shell: single quotes, with ' written as '\''. */
export function shQuote(word: string): string {
  if (word !== "" && SAFE.test(word)) {
    return word;
  }
  return "'" + word.replace(/'/g, "'\\''") + "'";
}

/** A command line from its argument vector, every word quoted where needed. */
export function shJoin(argv: string[]): string {
  return argv.map(shQuote).join(" ");
}

/**
 * A script re-running the steps in order, changing directory when it changes. Steps the server
 * marks as run by a listed parent (inScript false) are left out. Newlines in arguments are
 * quoted, never interpreted, so a hostile file name cannot add a command.
 */
export function buildScript(steps: ReproduceStep[], target: string): string {
  const lines = ["#!/bin/sh", `# Re-creates ${target.replace(/[\r\n]/g, "?")}`, "set -e"];
  let cwd: string | null | undefined = undefined;
  for (const s of steps) {
    if (s.inScript === false) continue;
    if (s.cwd && s.cwd !== cwd) {
      lines.push(`cd ${shQuote(s.cwd)}`);
      cwd = s.cwd;
    }
    const argv = s.argv && s.argv.length ? s.argv : s.cmdline.split(" ");
    lines.push(shJoin(argv));
  }
  return lines.join("\n") + "\n";
}
