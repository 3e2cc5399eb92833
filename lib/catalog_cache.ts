/**
 * Catalog pages kept in memory, each under the catalog version of its school at which the
 * database built it (`public.catalog_version()`) and the audience it was built for
 * (`public.catalog_audience()`): who else gets the same answer. A page is handed out again only
 * for the version the caller has just read, so it is exactly what the database would answer;
 * the database decides what changes a version and who shares an audience, this only compares.
 *
 * Bounded: the pages by their JSON's size, the callers' audiences by count; the least recently
 * used go first. A page of an older version is never answered and ages out the same way.
 */
import type { CatalogPage } from "./catalog.ts";
import type { GzipMemo } from "./fresh/mod.ts";

export interface CatalogCacheLimits {
  /**
   * Sum of the kept pages' JSON lengths (UTF-16 code units, about bytes for our text); their
   * gzip, made for the clients that take it, adds about a fifth of that.
   */
  pageChars: number;
  /** Callers (claims and `mine`) whose audience is kept. */
  audiences: number;
}

export const DEFAULT_CATALOG_CACHE_LIMITS: CatalogCacheLimits = {
  pageChars: 32 * 1024 * 1024,
  audiences: 10_000,
};

/** A page and its JSON, made once: the API answers the JSON, the catalog page renders the page. */
export interface CachedCatalogPage extends GzipMemo {
  page: CatalogPage;
  json: string;
}

interface Versioned {
  tenantId: string;
  version: bigint;
}

/** A Map read in least-recently-used order: get() moves the entry to the end. */
function touch<K, V>(map: Map<K, V>, key: K): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

export class CatalogCache {
  readonly #limits: CatalogCacheLimits;
  readonly #audiences = new Map<string, Versioned & { audience: string }>();
  readonly #pages = new Map<string, Versioned & CachedCatalogPage>();
  #pageChars = 0;

  constructor(limits: Partial<CatalogCacheLimits> = {}) {
    this.#limits = { ...DEFAULT_CATALOG_CACHE_LIMITS, ...limits };
  }

  /** Whether an audience of `caller` is kept, of any version: worth reading the version for. */
  knows(caller: string): boolean {
    return this.#audiences.has(caller);
  }

  /** The audience recorded for `caller` at `version` of their school, if any. */
  audience(caller: string, tenantId: string, version: bigint): string | undefined {
    const found = touch(this.#audiences, caller);
    return found?.tenantId === tenantId && found.version === version ? found.audience : undefined;
  }

  /** The page `query` of `audience` built at `version` of the school, if kept. */
  page(
    tenantId: string,
    version: bigint,
    audience: string,
    query: string,
  ): CachedCatalogPage | undefined {
    const found = touch(this.#pages, pageKey(tenantId, audience, query));
    return found?.version === version ? found : undefined;
  }

  /** Keeps what the database answered `caller` at `version`, in one snapshot. */
  remember(
    caller: string,
    tenantId: string,
    version: bigint,
    audience: string,
    query: string,
    page: CatalogPage,
  ): CachedCatalogPage {
    const entry = { tenantId, version, page, json: JSON.stringify(page) };
    this.#audiences.delete(caller);
    this.#audiences.set(caller, { tenantId, version, audience });
    while (this.#audiences.size > this.#limits.audiences) {
      this.#audiences.delete(this.#audiences.keys().next().value!);
    }
    const key = pageKey(tenantId, audience, query);
    const previous = this.#pages.get(key);
    // An answer read before a newer one was kept must not replace it.
    if (previous && previous.version > version) return entry;
    if (previous) this.#forget(key, previous);
    if (entry.json.length <= this.#limits.pageChars) {
      this.#pages.set(key, entry);
      this.#pageChars += entry.json.length;
    }
    while (this.#pageChars > this.#limits.pageChars) {
      const [oldest, value] = this.#pages.entries().next().value!;
      this.#forget(oldest, value);
    }
    return entry;
  }

  /** How many pages and callers are kept, and the pages' JSON length (for tests). */
  get size(): { pages: number; pageChars: number; audiences: number } {
    return { pages: this.#pages.size, pageChars: this.#pageChars, audiences: this.#audiences.size };
  }

  #forget(key: string, entry: CachedCatalogPage) {
    this.#pages.delete(key);
    this.#pageChars -= entry.json.length;
  }
}

const pageKey = (tenantId: string, audience: string, query: string) =>
  `${tenantId}\n${audience}\n${query}`;
