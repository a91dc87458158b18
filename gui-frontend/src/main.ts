import "./style.css";
import { Api, messageOf } from "./api";
import type { AppContext, View } from "./app";
import { clear, h, notice } from "./lib/dom";
import { clearSession, loadSession, type Session } from "./session";
import { renderDashboard } from "./views/dashboard";
import { renderJobs } from "./views/jobs";
import { renderLogin } from "./views/login";
import { renderRuns } from "./views/runs";

// The shell: header with navigation and the signed-in user, and a hash router. Hash routing keeps
// the GUI a set of static files any server (the backend's /public) can serve without rewrites.

let session: Session | null = loadSession();
const api = new Api(() => session?.token ?? null);
api.onUnauthorized = () => {
  // An expired or revoked token: forget it and ask to sign in again, keeping where the user was.
  session = null;
  clearSession();
  const back = location.hash.startsWith("#/login") ? "" : location.hash.slice(1);
  location.hash = "#/login" + (back ? `?next=${encodeURIComponent(back)}` : "");
};

const routes: { path: string; label: string; view: () => Promise<View> }[] = [
  { path: "/", label: "Dashboard", view: async () => renderDashboard },
  // The explorer carries Cytoscape and dagre; it is loaded on first use so the rest opens fast.
  { path: "/graph", label: "Graph explorer", view: async () => (await import("./views/explorer")).renderExplorer },
  { path: "/runs", label: "Runs", view: async () => renderRuns },
  { path: "/jobs", label: "Jobs", view: async () => renderJobs },
];

const app = document.querySelector<HTMLDivElement>("#app")!;
const skip = h("a", { className: "skip", href: "#view" }, "Skip to content");
skip.addEventListener("click", (e) => {
  e.preventDefault();
  main.focus();
});
const nav = h("nav", { "aria-label": "Main" });
const who = h("div", { className: "who" });
const header = h("header", {}, h("h1", {}, h("a", { href: "#/" }, "Ursprung")), nav, who);
const main = h("main", { id: "view", tabindex: "-1" });
app.replaceChildren(skip, header, main);

let cleanup: (() => void) | void = undefined;
let generation = 0;

function parseHash(): { path: string; params: URLSearchParams } {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, q] = raw.split("?", 2);
  return { path: path || "/", params: new URLSearchParams(q ?? "") };
}

function drawHeader(current: string): void {
  clear(nav);
  clear(who);
  if (!session) return;
  for (const r of routes) {
    nav.append(h("a", { href: `#${r.path}`, "aria-current": r.path === current ? "page" : null }, r.label));
  }
  const signOut = h("button", { type: "button", className: "secondary" }, "Sign out");
  signOut.addEventListener("click", async () => {
    const s = session;
    session = null;
    clearSession();
    // A pasted token is shared with automation; revoking it would break that, so only forget it.
    if (s && !s.pasted) {
      await new Api(() => s.token).logout().catch(() => undefined);
    }
    location.hash = "#/login";
  });
  who.append(
    h("span", { "aria-label": "Signed in as" }, h("span", { className: "user-name" }, session.user.name), ` (${session.user.role})`),
    signOut,
  );
}

async function route(): Promise<void> {
  const my = ++generation;
  const { path, params } = parseHash();
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
  clear(main);
  if (!session && path !== "/login") {
    const back = location.hash.slice(1);
    location.hash = "#/login" + (back && back !== "/" ? `?next=${encodeURIComponent(back)}` : "");
    return;
  }
  const ctx: AppContext = {
    api,
    session: session!,
    params,
    navigate: (hash) => (location.hash = hash),
    title: (t) => (document.title = `${t} · Ursprung`),
  };
  if (path === "/login") {
    drawHeader("");
    renderLogin(main, api, params.get("next"), (s) => {
      session = s;
      location.hash = "#" + (params.get("next") || "/");
    });
    document.title = "Sign in · Ursprung";
    return;
  }
  drawHeader(path);
  const r = routes.find((x) => x.path === path);
  if (!r) {
    ctx.title("Not found");
    main.append(h("h2", {}, "Page not found"), notice(`There is no page "${path}". Use the navigation above.`, "error"));
    return;
  }
  try {
    const view = await r.view();
    if (my !== generation) return;
    cleanup = view(main, ctx);
  } catch (e) {
    // A failed chunk load or a bug in a view still leaves words on the screen.
    main.append(h("h2", {}, r.label), notice(`This page could not be shown: ${messageOf(e)}`, "error"));
  }
  // Move focus to the new content so keyboard and screen-reader users land on it.
  main.focus({ preventScroll: true });
}

window.addEventListener("hashchange", () => void route());
window.addEventListener("unhandledrejection", (ev) => {
  main.append(notice(`Unexpected problem: ${messageOf(ev.reason)}`, "error"));
});
void route();
