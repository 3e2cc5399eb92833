/**
 * The browser side of islands (bundled by esbuild, never run on the server). The page's
 * inline module script imports this and the bundles of the islands it uses, then calls
 * `boot({ Name: Component, … })`.
 */
import { type ComponentType, h, hydrate } from "preact";
import { type IslandPayload, PROPS_SCRIPT_ID, revivePayload } from "./props_codec.ts";

export function boot(components: Record<string, ComponentType>): void {
  const script = document.getElementById(PROPS_SCRIPT_ID);
  if (!script?.textContent) return;
  const props = revivePayload(JSON.parse(script.textContent) as IslandPayload);
  // Only top-level islands carry wrappers; nested ones hydrate as part of their parent.
  for (const el of document.querySelectorAll<HTMLElement>("preact-island")) {
    const Component = components[el.dataset.island ?? ""];
    const islandProps = props[Number(el.dataset.i)];
    if (Component && islandProps) hydrate(h(Component, islandProps), el);
  }
}
