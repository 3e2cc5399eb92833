/**
 * Renders a page inside the `_app` shell to a complete HTML document: twind CSS for exactly
 * the classes in the markup, and island scripts only when the page used an island (a page
 * without islands ships no `<script>` at all). Every inline tag carries the request's nonce.
 */
import { type ComponentType, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { extract, twind, virtual } from "@twind/core";
import presetTailwind from "@twind/preset-tailwind";
import { collectIslands, IslandCollector } from "./island_hook.ts";
import type { IslandBundles } from "./island_build.ts";
import { payloadToScriptText, PROPS_SCRIPT_ID } from "./props_codec.ts";
import type { PageProps } from "./types.ts";

// One twind instance for the process: extract() snapshots and restores it around each page.
const tw = twind({ presets: [presetTailwind()] }, virtual());

/**
 * CSS depends only on which classes a page uses, and a site has few such sets, while
 * extract() costs about half of a page's render time. So the CSS is kept per set of class
 * attributes (the same attributes mean the same classes; the key is three times cheaper to build
 * than one of single class names, and a page's render builds it every time).
 * Bounded: past the limit the oldest set is dropped.
 */
const CSS_CACHE_LIMIT = 500;
const cssByClasses = new Map<string, string>();
const CLASS_ATTRIBUTE = /\sclass="([^"]*)"/g;

export function pageCss(markup: string): { html: string; css: string } {
  const attributes = new Set<string>();
  for (const [, value] of markup.matchAll(CLASS_ATTRIBUTE)) attributes.add(value);
  const key = [...attributes].sort().join("\n");
  const cached = cssByClasses.get(key);
  if (cached !== undefined) return { html: markup, css: cached };
  const { html, css } = extract(markup, tw);
  // Only when twind left the markup as it was is the CSS alone enough to reuse.
  if (html === markup) {
    if (cssByClasses.size >= CSS_CACHE_LIMIT) {
      cssByClasses.delete(cssByClasses.keys().next().value!);
    }
    cssByClasses.set(key, css);
  }
  return { html, css };
}

// The wrapper must not become a box: layout sees the island's own elements.
const ISLAND_CSS = "preact-island{display:contents}";

export type AnyPageProps = PageProps<unknown, unknown>;
export type RenderProps = Omit<AnyPageProps, "Component">;
/** Renders `Page` with `props` (nonce read from `props.state.nonce`) into an HTML response. */
export type RenderPage = (
  Page: ComponentType<AnyPageProps>,
  props: RenderProps,
  init?: { status?: number; headers?: HeadersInit },
) => Response;

export function createPageRenderer(
  Shell: ComponentType<AnyPageProps> | undefined,
  bundles: IslandBundles | null,
): RenderPage {
  return (Page, props, init) => {
    const nonce = attr(String((props.state as { nonce?: string })?.nonce ?? ""));
    const collector = new IslandCollector();
    const Component = () => h(Page, { ...props, Component: Empty });
    const tree = Shell ? h(Shell, { ...props, Component }) : h(Component, {});
    let markup = renderToString(collectIslands(collector, tree));
    // Without an _app.tsx, a bare document (the app's own shell sets lang, title, viewport).
    if (!Shell) markup = `<html><head><meta charset="utf-8"></head><body>${markup}</body></html>`;
    const { html, css } = pageCss(markup);
    const usesIslands = collector.used.size > 0;
    const style = `<style nonce="${nonce}">${css}${usesIslands ? ISLAND_CSS : ""}</style>`;
    const scripts = usesIslands && bundles ? islandScripts(collector, bundles, nonce) : "";
    const doc = insertBefore(insertBefore(html, "</head>", style), "</body>", scripts);
    const headers = new Headers(init?.headers);
    headers.set("Content-Type", "text/html; charset=utf-8");
    return new Response("<!DOCTYPE html>" + doc, { status: init?.status ?? 200, headers });
  };
}

/** The props JSON plus one module script importing the runtime and only the islands used. */
function islandScripts(collector: IslandCollector, bundles: IslandBundles, nonce: string): string {
  const names = [...collector.used];
  const imports = names
    .map((name, i) => `import i${i} from ${JSON.stringify(bundles.islandUrls.get(name))};`)
    .join("");
  const map = names.map((name, i) => `${JSON.stringify(name)}:i${i}`).join(",");
  const runtime = JSON.stringify(bundles.runtimeUrl);
  return `<script type="application/json" id="${PROPS_SCRIPT_ID}" nonce="${nonce}">` +
    `${payloadToScriptText(collector.payload)}</script><script type="module" nonce="${nonce}">` +
    `import{boot}from${runtime};${imports}boot({${map}})</script>`;
}

/** Inserts before the last `marker` (or at the end / start if the shell has none). */
function insertBefore(html: string, marker: string, text: string): string {
  if (!text) return html;
  const at = html.lastIndexOf(marker);
  if (at === -1) return marker === "</head>" ? text + html : html + text;
  return html.slice(0, at) + text + html.slice(at);
}

function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

function Empty() {
  return null;
}
