import { messageOf } from "../api";
import type { View } from "../app";
import { compareRuns, onlyDifferences, type Section } from "../lib/compare";
import { h, notice } from "../lib/dom";
import { exitText, formatDuration, formatTime } from "../lib/format";
import type { RunComparison, RunSummary } from "../types";

const PAGE = 50;
const MAX_COMPARED = 20;

export const renderRuns: View = (root, ctx) => {
  ctx.title("Runs");
  const compareIds = (ctx.params.get("compare") ?? "").split(",").filter(Boolean);
  const listBox = h("div", {}, notice("Loading runs…"));
  const result = h("section", { "aria-labelledby": "cmp-title", className: compareIds.length ? "" : "hidden" });
  const selected = new Set<string>(compareIds);
  const compareBtn = h("button", { type: "button" }, "Compare selected");
  const count = h("span", { className: "muted", "aria-live": "polite" });
  const update = () => {
    compareBtn.disabled = selected.size < 2 || selected.size > MAX_COMPARED;
    count.textContent =
      selected.size < 2 ? `Select at least 2 runs to compare (${selected.size} selected).` : `${selected.size} runs selected.`;
  };
  compareBtn.addEventListener("click", () => ctx.navigate(`#/runs?compare=${[...selected].map(encodeURIComponent).join(",")}`));
  root.append(
    h("h2", {}, "Runs"),
    h("p", { className: "muted" }, "Pipeline executions: batch jobs, and process trees started by a user's command. Select two or more to compare them side by side."),
    h("div", { className: "toolbar" }, compareBtn, count),
    listBox,
    result,
  );
  update();

  let offset = 0;
  const rows: RunSummary[] = [];
  const load = async () => {
    try {
      const page = await ctx.api.runs({ limit: PAGE, offset });
      rows.push(...page.items);
      offset += page.items.length;
      listBox.replaceChildren(
        rows.length ? runsTable(rows, selected, update) : notice("No runs that you may see.", "empty"),
        page.more ? moreButton(load) : "",
      );
    } catch (e) {
      listBox.replaceChildren(notice(`The runs could not be loaded: ${messageOf(e)}`, "error"));
    }
  };
  void load();

  if (compareIds.length) {
    result.append(h("h3", { id: "cmp-title" }, `Comparison of ${compareIds.length} runs`), notice("Comparing…"));
    ctx.api
      .compareRuns(compareIds)
      .then((c) => {
        result.replaceChildren(h("h3", { id: "cmp-title" }, `Comparison of ${c.runs.length} runs`), comparison(c, ctx.navigate));
        result.scrollIntoView({ block: "start" });
      })
      .catch((e) => result.replaceChildren(h("h3", { id: "cmp-title" }, "Comparison"), notice(`The runs could not be compared: ${messageOf(e)}`, "error")));
  }
};

function moreButton(load: () => Promise<void>): HTMLElement {
  const b = h("button", { type: "button", className: "secondary" }, "Load more runs");
  b.addEventListener("click", () => void load());
  return b;
}

function runsTable(rows: RunSummary[], selected: Set<string>, update: () => void): HTMLElement {
  return h(
    "table",
    { className: "grid", id: "runs-table" },
    h("caption", { className: "sr-only" }, "Runs; tick the ones to compare"),
    h("thead", {}, h("tr", {}, ["Compare", "Command", "User", "Host", "Started", "Duration", "Exit code", "Processes"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      rows.map((r, i) => {
        const id = `run-${i}`;
        const box = h("input", { type: "checkbox", id, checked: selected.has(r.id), "data-run": r.id });
        box.addEventListener("change", () => {
          if (box.checked) selected.add(r.id);
          else selected.delete(r.id);
          update();
        });
        return h(
          "tr",
          {},
          h("td", {}, box, h("label", { for: id, className: "sr-only" }, `Compare ${r.cmdline} started ${formatTime(r.start)}`)),
          h("td", { className: "mono" }, h("label", { for: id }, r.cmdline)),
          h("td", {}, r.user ?? "unknown"),
          h("td", {}, r.host),
          h("td", {}, formatTime(r.start)),
          h("td", {}, formatDuration(r.durationMs)),
          h("td", { className: r.exitCode ? "bad" : "" }, exitText(r.exitCode)),
          h("td", {}, String(r.processes ?? "")),
        );
      }),
    ),
  );
}

function comparison(c: RunComparison, navigate: (h: string) => void): HTMLElement {
  const box = h("div", { className: "comparison" });
  const onlyDiff = h("input", { type: "checkbox", id: "only-diff" });
  const noise = h("input", { type: "checkbox", id: "cmp-noise", checked: true });
  const count = h("span", { role: "status" });
  const draw = () => {
    const all = compareRuns(c, { hideNoise: noise.checked });
    box.replaceChildren(...(onlyDiff.checked ? onlyDifferences(all) : all).map((s) => sectionTable(s, c, navigate)));
    count.textContent = `${all.reduce((n, s) => n + s.rows.filter((r) => r.differs).length, 0)} differing rows.`;
  };
  onlyDiff.addEventListener("change", draw);
  noise.addEventListener("change", draw);
  draw();
  return h(
    "div",
    {},
    h(
      "div",
      { className: "toolbar" },
      h("span", { className: "legend" }, h("span", { className: "diff swatch" }, "highlighted"), " = differs from the value most runs share"),
      h("span", {}, onlyDiff, h("label", { for: "only-diff" }, " Show differences only")),
      h("span", {}, noise, h("label", { for: "cmp-noise" }, " Hide system files")),
      count,
    ),
    box,
  );
}

function sectionTable(s: Section, c: RunComparison, navigate: (h: string) => void): HTMLElement {
  const head = h(
    "tr",
    {},
    h("th", { scope: "col" }, s.column),
    c.runs.map((r, i) => {
      const link = h("button", { type: "button", className: "link" }, `Run ${i + 1}`);
      link.title = r.cmdline;
      if (r.id.startsWith("p:")) link.addEventListener("click", () => navigate(`#/graph?node=${encodeURIComponent(r.id)}`));
      return h("th", { scope: "col" }, link, h("div", { className: "muted small" }, `${r.host}, ${formatTime(r.start)}`));
    }),
  );
  return h(
    "section",
    { className: "cmp-section" },
    h("h4", {}, s.title),
    s.rows.length
      ? h(
          "div",
          { className: "scroll-x" },
          h(
            "table",
            { className: "grid compare" },
            h("thead", {}, head),
            h(
              "tbody",
              {},
              s.rows.map((r) =>
                h(
                  "tr",
                  { className: r.differs ? "row-diff" : "" },
                  h("th", { scope: "row", className: "mono" }, r.label, r.differs ? h("span", { className: "sr-only" }, " (differs)") : null),
                  r.cells.map((cell) =>
                    h(
                      "td",
                      { className: (cell.differs ? "diff " : "") + "mono" },
                      cell.parts
                        ? cell.parts.map((p) =>
                            p.op === "same" ? p.text + " " : h(p.op === "added" ? "ins" : "del", {}, p.text, " "),
                          )
                        : cell.text,
                    ),
                  ),
                ),
              ),
            ),
          ),
        )
      : notice(s.empty, "empty"),
  );
}
