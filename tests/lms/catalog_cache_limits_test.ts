/**
 * CatalogCache on its own: a page is answered only for the version it was kept at, an older
 * answer never replaces a newer one, and memory stays within its limits, least recently used
 * first.
 */
import assert from "node:assert/strict";
import { CatalogCache } from "../../lib/catalog_cache.ts";
import type { CatalogPage } from "../../lib/catalog.ts";

const SCHOOL = "school-a";
const pageOf = (total: number): CatalogPage => ({ courses: [], total, page: 1, limit: 20 });
const chars = (page: CatalogPage) => JSON.stringify(page).length;

Deno.test("a kept page is answered for its version and audience only", () => {
  const cache = new CatalogCache();
  assert.equal(cache.knows("caller-1"), false);
  cache.remember("caller-1", SCHOOL, 5n, "published", "q1", pageOf(1));
  assert.equal(cache.knows("caller-1"), true);
  assert.equal(cache.audience("caller-1", SCHOOL, 5n), "published");
  assert.equal(cache.audience("caller-1", SCHOOL, 6n), undefined, "a newer version: not known");
  assert.equal(cache.audience("caller-1", "school-b", 5n), undefined, "another school");
  assert.deepEqual(cache.page(SCHOOL, 5n, "published", "q1")?.page, pageOf(1));
  assert.equal(cache.page(SCHOOL, 5n, "published", "q1")?.json, JSON.stringify(pageOf(1)));
  assert.equal(cache.page(SCHOOL, 6n, "published", "q1"), undefined);
  assert.equal(cache.page(SCHOOL, 5n, "admin", "q1"), undefined);
  assert.equal(cache.page(SCHOOL, 5n, "published", "q2"), undefined);
  assert.equal(cache.page("school-b", 5n, "published", "q1"), undefined);
});

Deno.test("an answer read before a newer one was kept does not replace it", () => {
  const cache = new CatalogCache();
  cache.remember("caller-1", SCHOOL, 7n, "published", "q1", pageOf(7));
  const late = cache.remember("caller-2", SCHOOL, 6n, "published", "q1", pageOf(6));
  assert.deepEqual(late.page, pageOf(6), "the late caller still gets what they read");
  assert.deepEqual(cache.page(SCHOOL, 7n, "published", "q1")?.page, pageOf(7));
  cache.remember("caller-1", SCHOOL, 8n, "published", "q1", pageOf(8));
  assert.equal(cache.page(SCHOOL, 7n, "published", "q1"), undefined, "a newer one does");
  assert.deepEqual(cache.size.pages, 1);
  assert.equal(cache.size.pageChars, chars(pageOf(8)));
});

Deno.test("pages stay within their size and callers within their count, oldest used first", () => {
  const one = chars(pageOf(1));
  const cache = new CatalogCache({ pageChars: one * 3, audiences: 2 });
  for (const q of ["q1", "q2", "q3"]) {
    cache.remember("caller-1", SCHOOL, 1n, "published", q, pageOf(1));
  }
  assert.ok(cache.page(SCHOOL, 1n, "published", "q1"), "q1 used: q2 is now the oldest");
  cache.remember("caller-1", SCHOOL, 1n, "published", "q4", pageOf(1));
  assert.equal(cache.page(SCHOOL, 1n, "published", "q2"), undefined, "q2 made room");
  for (const q of ["q1", "q3", "q4"]) assert.ok(cache.page(SCHOOL, 1n, "published", q), q);
  assert.deepEqual(cache.size, { pages: 3, pageChars: one * 3, audiences: 1 });

  const huge = { ...pageOf(1), courses: [{ title: "x".repeat(one * 3) }] } as never;
  cache.remember("caller-1", SCHOOL, 1n, "published", "huge", huge);
  assert.equal(cache.page(SCHOOL, 1n, "published", "huge"), undefined, "too big to keep");
  assert.equal(cache.size.pages, 3, "and nothing was pushed out for it");

  cache.remember("caller-2", SCHOOL, 1n, "published", "q1", pageOf(1));
  cache.remember("caller-3", SCHOOL, 1n, "published", "q1", pageOf(1));
  assert.equal(cache.knows("caller-1"), false, "the caller not seen longest is forgotten");
  assert.equal(cache.size.audiences, 2);
});
