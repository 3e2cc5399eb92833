/**
 * Server-side island marking. A Preact `options.vnode` hook swaps every island vnode for a
 * wrapper that, at render time, records the island's props and emits
 * `<preact-island data-island="Name" data-i="N">…</preact-island>` for the browser runtime
 * to hydrate. Imported only by the server, so the hook never reaches a browser bundle.
 *
 * Why a context rather than a global "current page": the collector travels with the render
 * tree, so concurrent renders cannot mix their islands, and an island inside an island
 * (which the outer island's hydration already covers) sees `null` and is not wrapped again.
 */
import { type ComponentType, createContext, h, options, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { type IslandPayload, PropsEncoder } from "./props_codec.ts";

/** Island component → its name. A WeakMap: several apps (e.g. tests) can share the process. */
const islandNames = new WeakMap<ComponentType, string>();

export function registerIsland(component: ComponentType, name: string): void {
  islandNames.set(component, name);
}

/** The islands one page render used. */
export class IslandCollector {
  #encoder = new PropsEncoder();
  /** Island names in first-use order: the page imports exactly these bundles. */
  readonly used = new Set<string>();

  add(name: string, props: Record<string, unknown>): number {
    this.used.add(name);
    return this.#encoder.add(name, props);
  }

  get payload(): IslandPayload {
    return this.#encoder.payload;
  }
}

const CollectorContext = createContext<IslandCollector | null>(null);

/** Renders `vnode` with island collection on. */
// deno-lint-ignore no-explicit-any
export function collectIslands(collector: IslandCollector, vnode: VNode<any>): VNode {
  return h(CollectorContext.Provider, { value: collector }, vnode) as VNode;
}

interface WrapperProps {
  name: string;
  component: ComponentType;
  props: Record<string, unknown>;
}

// Set while the wrapper creates the real island vnode, so the hook lets that one through.
let creatingInner = false;

function IslandWrapper({ name, component, props }: WrapperProps) {
  const collector = useContext(CollectorContext);
  creatingInner = true;
  let inner: VNode;
  try {
    inner = h(component, props);
  } finally {
    creatingInner = false;
  }
  if (!collector) return inner;
  const index = collector.add(name, props);
  return h(
    "preact-island",
    { "data-island": name, "data-i": String(index) },
    h(CollectorContext.Provider, { value: null }, inner),
  );
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  previousVnodeHook?.(vnode);
  if (creatingInner || typeof vnode.type !== "function") return;
  const name = islandNames.get(vnode.type);
  if (!name) return;
  const v = vnode as unknown as { type: unknown; props: WrapperProps };
  v.props = { name, component: vnode.type, props: vnode.props as Record<string, unknown> };
  v.type = IslandWrapper;
};
