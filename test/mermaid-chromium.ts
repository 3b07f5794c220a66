/**
 * Renders Mermaid flowcharts with the real mermaid (the npm package, a dev dependency) in headless Chromium (Debian's
 * `chromium`), the way GitHub's viewer does: one page renders every diagram given and reports, per diagram, whether
 * mermaid accepted it, the picture's size, and the number of nodes and edges drawn. Optionally a PNG screenshot of
 * one diagram. Chromium runs with the flags this machine needs (no network, no first-run, a fresh profile).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./helpers.js";

export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const MERMAID = join(ROOT, "node_modules", "mermaid", "dist", "mermaid.min.js");
export const HAVE_MERMAID = existsSync(MERMAID);

export interface RenderResult {
  ok: boolean;
  error?: string;
  width?: number;
  height?: number;
  nodes?: number;
  edges?: number;
  /** Text of every edge label drawn. */
  labels?: string[];
}

function flags(dir: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${join(dir, "profile")}`,
    "--allow-file-access-from-files",
    "--virtual-time-budget=120000",
  ];
}

function page(sources: string[], mermaidUrl: string): string {
  const data = JSON.stringify(sources).replace(/</g, "\\u003c");
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff"><div id="out"></div><pre id="status">pending</pre>
<script src="${mermaidUrl}"></script>
<script>
const sources = ${data};
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
(async () => {
  const results = [];
  for (let i = 0; i < sources.length; i++) {
    try {
      const { svg } = await mermaid.render("d" + i, sources[i]);
      const holder = document.createElement("div");
      holder.id = "diagram" + i;
      holder.innerHTML = svg;
      document.getElementById("out").appendChild(holder);
      const el = holder.querySelector("svg");
      const box = el.getBBox();
      results.push({ ok: true, width: Math.round(box.width), height: Math.round(box.height), nodes: el.querySelectorAll("g.node").length, edges: el.querySelectorAll("path.flowchart-link").length, labels: [...el.querySelectorAll("g.edgeLabel")].map((l) => l.textContent.trim()).filter(Boolean) });
      if (i > 0 || sources.length > 1) holder.style.display = "none";
    } catch (e) {
      results.push({ ok: false, error: String((e && e.message) || e) });
    }
  }
  document.getElementById("status").textContent = JSON.stringify(results);
})();
</script></body></html>`;
}

/** Renders each Mermaid source; a PNG of the first one when `png` is given. */
export function renderMermaidSources(sources: string[], png?: string): RenderResult[] {
  if (!CHROMIUM) throw new Error("Chromium is not installed");
  const dir = mkdtempSync(join(tmpdir(), "deputy-mermaid-"));
  const html = join(dir, "page.html");
  writeFileSync(html, page(sources, pathToFileURL(MERMAID).href));
  const r = spawnSync(CHROMIUM, [...flags(dir), "--dump-dom", pathToFileURL(html).href], { encoding: "utf8", maxBuffer: 1 << 30, timeout: 300_000 });
  const status = /<pre id="status">([^<]*)<\/pre>/.exec(r.stdout ?? "")?.[1];
  if (!status || status === "pending") throw new Error(`Chromium did not finish rendering (status ${r.status}): ${(r.stderr ?? "").slice(-2000)}`);
  const results = JSON.parse(status.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as RenderResult[];
  if (png && results[0]?.ok) {
    const w = Math.min(8000, (results[0].width ?? 800) + 40);
    const h = Math.min(8000, (results[0].height ?? 600) + 40);
    writeFileSync(join(dir, "one.html"), page([sources[0]!], pathToFileURL(MERMAID).href));
    spawnSync(CHROMIUM, [...flags(dir), `--window-size=${w},${h}`, `--screenshot=${png}`, pathToFileURL(join(dir, "one.html")).href], { encoding: "utf8", timeout: 300_000 });
  }
  return results;
}
