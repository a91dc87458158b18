import "./style.css";
import { ApiError, getJson } from "./api";

// The shell of the GUI. Views (graph explorer, runs, jobs) plug into #view as the API grows.

interface Health {
  status: string;
  version?: string;
}

const app = document.querySelector<HTMLDivElement>("#app")!;
app.innerHTML = `
  <header>
    <h1>Ursprung</h1>
    <nav aria-label="Main">
      <a href="#/" aria-current="page">Dashboard</a>
      <a href="#/graph">Graph explorer</a>
      <a href="#/runs">Runs</a>
      <a href="#/jobs">Jobs</a>
    </nav>
  </header>
  <main id="view" tabindex="-1">
    <section aria-labelledby="status-title">
      <h2 id="status-title">Server status</h2>
      <p id="status" role="status">Checking the server…</p>
    </section>
  </main>`;

const status = document.querySelector<HTMLParagraphElement>("#status")!;
getJson<Health>("/api/v1/health")
  .then((h) => {
    status.textContent = `The server is ${h.status}` + (h.version ? ` (version ${h.version}).` : ".");
  })
  .catch((e: unknown) => {
    status.classList.add("error");
    status.textContent = e instanceof ApiError ? e.message : "Something went wrong talking to the server.";
  });
