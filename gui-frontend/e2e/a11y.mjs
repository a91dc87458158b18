// Accessibility checks of the page on screen, run by the GUI scenarios on every view they visit:
// every control has an accessible name, every text meets WCAG AA contrast against the background it
// is drawn on (graph labels included), and keyboard focus is always on something visible and is
// shown. They return problems as sentences instead of throwing, so that a scenario can report every
// problem of every view at once.

/** Problems of the current view (empty when there are none), each naming the element. */
export async function auditView(page) {
  const problems = await page.evaluate(inPage);
  problems.push(...(await focusProblems(page)));
  return problems;
}

// Runs in the browser; everything it needs is inside it.
function inPage() {
  const problems = [];
  const clean = (s) => (s ?? "").replace(/\s+/g, " ").trim();
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    else if (typeof el.className === "string" && el.className.trim()) d += "." + el.className.trim().split(/\s+/).join(".");
    const t = clean(el.textContent).slice(0, 40);
    return t ? `${d} ("${t}")` : d;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && !el.closest("[aria-hidden=true]");
  };

  if (!clean(document.documentElement.lang)) problems.push("the page has no language (html lang)");
  for (const img of document.querySelectorAll("img:not([alt])")) problems.push(`image without alt text: ${describe(img)}`);

  // Accessible names, by the rules that matter for the controls this GUI uses.
  const nameOf = (el) => {
    const aria = el.getAttribute("aria-label");
    if (clean(aria)) return aria;
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const t = by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
      if (clean(t)) return t;
    }
    if (el.labels?.length) {
      const t = [...el.labels].map((l) => l.textContent).join(" ");
      if (clean(t)) return t;
    }
    if (el.matches("button, a, summary, [role=button], [role=link], [role=tab]") && clean(el.textContent)) return el.textContent;
    if (el.matches("input[type=submit], input[type=button], input[type=reset]") && clean(el.value)) return el.value;
    return el.title ?? "";
  };
  const controls = document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button, a[href], summary, [role=button], [role=checkbox], [role=tab], [tabindex]:not([tabindex='-1'])",
  );
  for (const el of controls) {
    if (shown(el) && !clean(nameOf(el))) problems.push(`control without an accessible name: ${describe(el)}`);
  }

  // Contrast. Colours are sRGB (the style sheet uses hex and rgba only); a colour the parser does
  // not know is reported, not skipped, so that a new notation cannot hide a problem.
  const parse = (c) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(c.trim());
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const lin = (v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const white = { r: 255, g: 255, b: 255, a: 1 };
  // The colour an element is drawn on: its own and its ancestors' backgrounds, blended from the
  // page's (white) up.
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c === null) return { unknown: getComputedStyle(e).backgroundColor };
      if (c.a > 0) layers.push(c);
      if (c.a >= 1) break;
    }
    return layers.reverse().reduce((bg, layer) => over(layer, bg), white);
  };
  const checked = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || checked.has(el) || !clean(n.textContent) || !shown(el)) continue;
    checked.add(el);
    // WCAG exempts inactive controls.
    if (el.closest("button:disabled, fieldset:disabled, [aria-disabled=true]") || el.matches("option")) continue;
    const s = getComputedStyle(el);
    const fg = parse(s.color);
    const bg = backgroundOf(el);
    if (fg === null || bg.unknown) {
      problems.push(`colour not checkable (${s.color} on ${bg.unknown ?? "?"}): ${describe(el)}`);
      continue;
    }
    const size = parseFloat(s.fontSize);
    const bold = Number(s.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const got = ratio(over(fg, bg), bg);
    if (got < need) problems.push(`contrast ${got.toFixed(2)}:1 < ${need}:1 (${s.color} on ${JSON.stringify(bg)}): ${describe(el)}`);
  }

  // Graph labels are drawn on the canvas, not in the DOM: check them against their node's fill.
  const cy = window.__ursprung?.cy;
  if (cy) {
    const seen = new Set();
    cy.nodes(":visible").forEach((node) => {
      const fg = parse(node.style("color"));
      const fill = parse(node.style("background-color"));
      const key = `${node.style("color")}|${node.style("background-color")}|${node.style("background-opacity")}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (fg === null || fill === null) {
        problems.push(`graph colour not checkable (${node.style("color")} on ${node.style("background-color")}): node ${node.data("label")}`);
        return;
      }
      const bg = over({ ...fill, a: Number(node.style("background-opacity")) }, white);
      const got = ratio(fg, bg);
      if (got < 4.5) problems.push(`graph label contrast ${got.toFixed(2)}:1 < 4.5:1: node ${node.data("label")} (${node.classes().join(" ")})`);
    });
  }
  return problems;
}

// Tab through the page: focus must land on something shown, with a visible focus indicator, and
// go round without getting stuck. Afterwards nothing has focus and the page is scrolled to the top.
async function focusProblems(page) {
  const problems = [];
  // Start from the top of the page: a focus target that is not itself in the tab order.
  await page.evaluate(() => {
    const start = document.createElement("span");
    start.tabIndex = -1;
    start.id = "a11y-audit-start";
    document.body.prepend(start);
    start.focus();
  });
  const seen = new Set();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none");
      const id = el.id || `${el.tagName.toLowerCase()}:${(el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40)}:${Math.round(r.x)},${Math.round(r.y)}`;
      return { id, shown: r.width > 0 && r.height > 0 && s.visibility !== "hidden", ring };
    });
    if (f === null || seen.has(f.id)) break; // left the page, or came round
    seen.add(f.id);
    if (!f.shown) problems.push(`keyboard focus on something not shown: ${f.id}`);
    else if (!f.ring) problems.push(`keyboard focus not visible (no outline or ring): ${f.id}`);
  }
  if (seen.size === 0) problems.push("Tab reaches no control");
  await page.evaluate(() => {
    document.getElementById("a11y-audit-start")?.remove();
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  return problems;
}
