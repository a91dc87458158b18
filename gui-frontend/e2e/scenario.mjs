// The user scenario of issue 6, shared by the canned-data UI test and the real end-to-end test:
// log in; search out/rows.sorted.gz; expand (by clicking nodes on the canvas) until out/rows.csv
// appears; open a process's details; reproduce a file; download PROV-JSON; compare two runs.
// Screenshots of every view go to `shots`.
//
// Run directly against a running backend (the Java GuiEndToEndIT does this):
//   node e2e/scenario.mjs --base http://127.0.0.1:3000 --admin-token TOKEN --uids 1001 [--shots DIR]
// With an admin token it creates a viewer for those uids through the API, then signs in with the
// login form as that viewer, as a person would.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { auditView } from "./a11y.mjs";
import { launch, skipReason } from "./browser.mjs";

const TIMEOUT = 20_000;

/**
 * Saves a screenshot of the view; with `found`, also checks the view's accessibility (a11y.mjs)
 * and adds its problems there, named after the screenshot.
 */
async function shot(page, shots, name, log, found) {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  log(`screenshot ${file}`);
  if (found) for (const p of await auditView(page)) found.push(`${name}: ${p}`);
}

/** How many graph renders the explorer has finished (bumped after each layout has painted). */
async function renders(page) {
  return Number((await page.getAttribute("#cy", "data-rendered").catch(() => null)) ?? 0);
}

async function waitRender(page, after) {
  await page.waitForFunction((n) => Number(document.querySelector("#cy")?.dataset.rendered ?? 0) > n, after, { timeout: TIMEOUT });
}

/** Model and on-page positions of every node on the canvas, by id. */
async function positions(page) {
  return page.evaluate(() => {
    const out = {};
    for (const n of window.__ursprung.cy.nodes().toArray()) {
      const p = n.position();
      const r = n.renderedPosition();
      out[n.id()] = { x: p.x, y: p.y, rx: r.x, ry: r.y, label: n.data("label") };
    }
    return out;
  });
}

/** The labels of two node boxes (144 × 30) that overlap, or null. */
function overlapping(pos) {
  const list = Object.values(pos);
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++)
      if (Math.abs(list[i].x - list[j].x) < 144 && Math.abs(list[i].y - list[j].y) < 30) return `${list[i].label} and ${list[j].label}`;
  return null;
}

/** Paths of the file nodes on screen (from the keyboard node list, which mirrors the canvas). */
async function pathsOnScreen(page) {
  return page.$$eval("#node-list button.node-item.file", (bs) => bs.map((b) => b.textContent.replace(/^File /, "")));
}

export async function runScenario(page, { base, name, password, shots, log = console.log, minRuns = 2 }) {
  mkdirSync(shots, { recursive: true });
  const timings = {};
  // Accessibility problems of every view the scenario visits, reported together at the end.
  const a11y = [];

  // 1. Log in.
  await page.goto(base + "/", { waitUntil: "domcontentloaded" });
  await page.waitForSelector("#login-name", { timeout: TIMEOUT });
  await shot(page, shots, "01-login", log, a11y);
  await page.fill("#login-name", name);
  await page.fill("#login-password", "wrong-password-for-sure");
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("form.login .notice.error", { timeout: TIMEOUT });
  assert.match(await page.textContent("form.login .notice.error"), /wrong password|not valid|Too many/i);
  await page.fill("#login-password", password);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("header .user-name", { timeout: TIMEOUT });
  assert.equal(await page.textContent("header .user-name"), name);
  log(`signed in as ${name}`);

  // Dashboard.
  // "Loading …" is a .notice.info too: wait for the answer (a table, or an empty or error notice).
  await page.waitForSelector("section[aria-labelledby=recent] table, section[aria-labelledby=recent] .notice.empty, section[aria-labelledby=recent] .notice.error", { timeout: TIMEOUT });
  await page.waitForFunction(() => !document.querySelector("section[aria-labelledby=srv] p")?.textContent.includes("Checking"), null, { timeout: TIMEOUT });
  await page.waitForSelector("section[aria-labelledby=alerts] table, section[aria-labelledby=alerts] .notice.empty, section[aria-labelledby=alerts] .notice.error", { timeout: TIMEOUT });
  await shot(page, shots, "02-dashboard", log, a11y);
  const dash = await page.textContent("main");
  assert.match(dash, /Events ingested per second/);
  assert.match(dash, /Lost events/);
  // Ingest figures: numbers for admins, and for viewers the reason there are none, never a bare 0.
  await page.waitForFunction(() => !document.querySelector("[data-figure=events]")?.textContent.includes("loading"), null, { timeout: TIMEOUT });
  assert.match(await page.textContent("[data-figure=events]"), /stored in total|not available.*only admins may read the server's metrics|no data yet/);
  // Alerts from ALERT rules: a table for admins, a sentence otherwise; never a blank section.
  assert.match(dash, /Alerts from rules[\s\S]*(When|Alerts are shown to admins only|No alerts|Alerts are not available)/);

  // 2. Search out/rows.sorted.gz.
  await page.click("nav a[href='#/graph']");
  await page.waitForSelector("#search-text", { timeout: TIMEOUT });
  await page.selectOption("#search-kind", "file");
  await page.fill("#search-text", "out/rows.sorted.gz");
  let before = await renders(page);
  const t0 = Date.now();
  await page.press("#search-text", "Enter");
  await page.waitForSelector("button.result", { timeout: TIMEOUT });
  // One result opens by itself; with several (several hosts) the user picks the first.
  const results = await page.$$("button.result");
  if (results.length > 1) {
    await results[0].click();
  }
  await waitRender(page, before);
  timings.firstGraphMs = Date.now() - t0;
  let paths = await pathsOnScreen(page);
  assert.ok(paths.some((p) => p.endsWith("/out/rows.sorted.gz")), `start graph lacks rows.sorted.gz: ${paths}`);
  await shot(page, shots, "03-explorer-start", log, a11y);

  // 3. Expand by clicking nodes until out/rows.csv appears. Shells fork everything; a person
  // looking for inputs clicks the pipeline's programs first, so shells go last.
  const clicked = [];
  for (let i = 0; i < 12 && !paths.some((p) => p.endsWith("/out/rows.csv")); i++) {
    const target = await page.evaluate(() => {
      const cy = window.__ursprung?.cy;
      const shell = (l) => (/^(bash|sh|su|sudo|sshd)\b/.test(l) ? 1 : 0);
      const closed = cy.nodes(".closed.process").toArray().sort((a, b) => shell(a.data("label")) - shell(b.data("label")));
      const n = closed[0];
      if (!n) return null;
      cy.center(n);
      const p = n.renderedPosition();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, label: n.data("label") };
    });
    assert.ok(target, `nothing left to expand and no out/rows.csv; on screen: ${paths}`);
    const placed = await positions(page);
    before = await renders(page);
    await page.mouse.click(target.x, target.y);
    await waitRender(page, before);
    clicked.push(target.label);
    paths = await pathsOnScreen(page);
    // An expansion keeps the user's mental map: every node drawn before (the clicked one and those
    // expanded earlier included) is where it was, on the page too (the view did not move), and the
    // new nodes overlap nothing.
    const now = await positions(page);
    for (const [id, p] of Object.entries(placed)) {
      const q = now[id];
      if (!q) continue; // filtered out meanwhile (not expected, but not this check's business)
      assert.ok([q.x - p.x, q.y - p.y, q.rx - p.rx, q.ry - p.ry].every((d) => Math.abs(d) < 0.5), `${p.label} moved from ${JSON.stringify(p)} to ${JSON.stringify(q)} when ${target.label} was expanded`);
    }
    const overlap = overlapping(now);
    assert.equal(overlap, null, `nodes overlap after expanding ${target.label}: ${overlap}`);
  }
  assert.ok(paths.some((p) => p.endsWith("/out/rows.csv")), `out/rows.csv never appeared after expanding ${clicked}`);
  log(`out/rows.csv appeared after expanding: ${clicked.join(", ")}`);
  await shot(page, shots, "04-explorer-expanded", log, a11y);

  // 4. A process's details, reached by keyboard through the node list.
  const sortBtn = await page.$("#node-list button.node-item.process:has-text('sort -t, -k1')");
  assert.ok(sortBtn, "the sort process is not on screen");
  await sortBtn.focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#details h4:has-text('Arguments')", { timeout: TIMEOUT });
  const details = await page.textContent("#details");
  assert.match(details, /Working directory\s*\/home\/bob\/etl/);
  assert.match(details, /-t,/);
  assert.match(details, /Exit code/);
  await shot(page, shots, "05-explorer-process-details", log, a11y);

  // File details, versions and "reproduce this file".
  const rowsBtn = await page.$("#node-list button.node-item.file:has-text('/out/rows.csv')");
  await rowsBtn.click();
  await page.waitForSelector("#details h4:has-text('Versions')", { timeout: TIMEOUT });
  // Tracked content is admin-only; a viewer is told so in words.
  assert.match(await page.textContent("#details section.tracked"), /shown to admins only/);
  await page.click("#reproduce");
  await page.waitForSelector("#reproduce-script", { timeout: TIMEOUT });
  const script = await page.textContent("#reproduce-script");
  assert.match(script, /cd \/home\/bob\/etl/);
  assert.match(script, /extract/);
  await shot(page, shots, "06-explorer-reproduce", log, a11y);

  // 5. PROV-JSON of what is on screen.
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: TIMEOUT }), page.click("#prov-download")]);
  const file = join(shots, "provenance.json");
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const entities = Object.values(doc.entity ?? {});
  const activities = Object.values(doc.activity ?? {});
  assert.ok(entities.some((e) => String(e["ursprung:path"]).endsWith("/out/rows.csv")), "PROV-JSON lacks out/rows.csv");
  assert.ok(activities.length > 0 && doc.wasGeneratedBy, "PROV-JSON lacks activities or relations");
  log(`PROV-JSON: ${entities.length} entities, ${activities.length} activities`);

  // 6. Compare two runs.
  await page.click("nav a[href='#/runs']");
  await page.waitForSelector("#runs-table", { timeout: TIMEOUT });
  const boxes = await page.$$("#runs-table input[type=checkbox]");
  assert.ok(boxes.length >= minRuns, `expected at least ${minRuns} runs, found ${boxes.length}`);
  await boxes[0].check();
  await boxes[1].check();
  await page.click("button:has-text('Compare selected')");
  await page.waitForSelector(".comparison h4:has-text('Inputs')", { timeout: TIMEOUT });
  const cmp = await page.textContent(".comparison");
  for (const s of ["Inputs", "Parameters", "Outputs", "Metrics", "Durations", "Exit codes"]) assert.ok(cmp.includes(s), `comparison lacks ${s}`);
  await page.$eval("#cmp-title", (el) => el.scrollIntoView());
  await shot(page, shots, "07-runs-compare", log, a11y);

  // Jobs: filled or saying why not, never blank.
  await page.click("nav a[href='#/jobs']");
  // Wait for the Jobs view itself (the previous view may still be on screen right after the click),
  // then for its records or its reason for having none.
  await page.waitForSelector("main h2:has-text('Jobs and accounting')", { timeout: TIMEOUT });
  await page.waitForFunction(() => !document.querySelector("main")?.textContent.includes("Loading jobs"), null, { timeout: TIMEOUT });
  const jobsText = await page.textContent("main");
  assert.ok(jobsText.replace("Jobs and accounting", "").trim().length > 20, `the Jobs view is nearly empty: ${jobsText}`);
  await shot(page, shots, "08-jobs", log, a11y);

  // Sign out returns to the login form.
  // The viewer's scenario ends signed out; sign out here otherwise.
  if (await page.$("button:has-text('Sign out')")) await page.click("button:has-text('Sign out')");
  await page.waitForSelector("#login-name", { timeout: TIMEOUT });
  assert.deepEqual(a11y, [], `accessibility problems:\n${a11y.join("\n")}`);
  return timings;
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const reason = skipReason();
  if (reason) {
    console.log(`SKIPPED: ${reason}`);
    process.exit(0);
  }
  const base = arg("base");
  const token = arg("admin-token");
  const shots = resolve(arg("shots", "target/screenshots/real"));
  assert.ok(base && token, "usage: scenario.mjs --base URL --admin-token TOKEN [--uids 1001] [--shots DIR]");
  const name = arg("user", "e2e-viewer");
  const password = `e2e-${Math.random().toString(36).slice(2)}-password`;
  const uids = (arg("uids", "1001") ?? "").split(",").filter(Boolean).map(Number);
  const put = await fetch(`${base}/api/v1/users/${name}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ password, role: "viewer", uids }),
  });
  assert.ok(put.ok, `creating ${name} failed: ${put.status} ${await put.text()}`);
  const { context, close } = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  // What the browser saw go wrong, for the log of a failed run.
  page.on("console", (m) => m.type() === "error" && console.log(`browser console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && console.log(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`));
  try {
    const t = await runScenario(page, { base, name, password, shots, minRuns: Number(arg("min-runs", "2")) });
    await adminDashboard(page, { base, token, shots });
    assert.deepEqual(problems, [], "the page threw");
    console.log(`E2E PASSED against ${base}; first graph after search in ${t.firstGraphMs} ms`);
  } catch (e) {
    await page.screenshot({ path: join(shots, "failure.png") }).catch(() => undefined);
    console.log(`page errors: ${JSON.stringify(problems)}`);
    console.log(`messages on screen: ${await page.$$eval("[role=alert], [role=status]", (els) => els.map((x) => x.textContent)).catch(() => "?")}`);
    throw e;
  } finally {
    await close();
  }
}

/**
 * The ingest figures are admin-only (they come from GET /api/v1/metrics): an admin signs in and
 * the dashboard must show a figure for events ingested, from the consumer's status row.
 */
async function adminDashboard(page, { base, token, shots, log = console.log }) {
  const name = "e2e-admin";
  const password = `e2e-${Math.random().toString(36).slice(2)}-admin`;
  const put = await fetch(`${base}/api/v1/users/${name}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ password, role: "admin", uids: [], gids: [] }),
  });
  assert.ok(put.ok, `creating ${name} failed: ${put.status} ${await put.text()}`);
  // The viewer's scenario ends signed out; sign out here otherwise.
  if (await page.$("button:has-text('Sign out')")) await page.click("button:has-text('Sign out')");
  await page.waitForSelector("#login-name", { timeout: TIMEOUT });
  await page.fill("#login-name", name);
  await page.fill("#login-password", password);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("header .user-name", { timeout: TIMEOUT });
  await page.goto(base + "/#/");
  await page.waitForSelector("[data-figure=events] dd:first-of-type:not(.na)", { timeout: TIMEOUT });
  await page.waitForSelector("[data-figure=lost] dd", { timeout: TIMEOUT });
  const events = await page.textContent("[data-figure=events]");
  log(`admin dashboard, events figure: ${events}`);
  assert.match(events, /Events ingested per second\d+(\.\d)?[\d,]+ stored in total/);
  assert.match(await page.textContent("[data-figure=lag]"), /Consumer lag \(events\)\d/);
  assert.match(await page.textContent("[data-figure=dlq]"), /Dead-lettered events\d/);
  const a11y = [];
  await shot(page, shots, "10-dashboard-admin", log, a11y);
  assert.deepEqual(a11y, [], `accessibility problems:\n${a11y.join("\n")}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(`E2E FAILED: ${e.stack ?? e}`);
    process.exit(1);
  });
}
