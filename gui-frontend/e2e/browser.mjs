// Launches the machine's Chromium (Debian's package) for the end-to-end tests. playwright-core
// never downloads a browser; a fresh profile per run keeps runs independent, and the flags keep
// the browser from calling home or updating itself during a test.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.URSPRUNG_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null when they can. */
export function skipReason() {
  if (!existsSync(CHROMIUM)) {
    return `${CHROMIUM} is not installed (apt-get install -y chromium); skipping the GUI end-to-end tests`;
  }
  return null;
}

/** A persistent context on a throw-away profile; close() also removes the profile. */
export async function launch({ width = 1440, height = 900 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "ursprung-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width, height },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-quic",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
