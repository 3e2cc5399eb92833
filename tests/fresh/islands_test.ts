import assert from "node:assert/strict";
import { type Signal, signal } from "@preact/signals";
import {
  type IslandPayload,
  payloadToScriptText,
  PropsEncoder,
  revivePayload,
} from "../../lib/fresh/props_codec.ts";
import { BASIC, testApp } from "./helpers.ts";

const app = await testApp(BASIC);

/** Encode on the "server", go through the script text, revive as the browser runtime does. */
function roundTrip(islands: Record<string, unknown>[]): Record<string, unknown>[] {
  const encoder = new PropsEncoder();
  islands.forEach((props, i) => encoder.add(`Island${i}`, props));
  return revivePayload(JSON.parse(payloadToScriptText(encoder.payload)));
}

Deno.test("props survive the trip: strings, numbers, nested objects, Dates, signals", () => {
  const shared = signal({ count: 3 });
  const when = new Date("2026-03-04T05:06:07.089Z");
  const [a, b] = roundTrip([
    {
      text: "Habari",
      n: 42.5,
      flags: [true, false, null],
      nested: { list: [1, "two", { deep: { deeper: "yes" } }], when },
      odd: { $t: "date", v: 1 }, // data that looks like a tag stays data
      specials: [NaN, Infinity, -0, undefined],
      epoch: new Date(0),
      shared,
    },
    { shared, own: signal("mine") },
  ]);
  assert.equal(a.text, "Habari");
  assert.equal(a.n, 42.5);
  assert.deepEqual(a.flags, [true, false, null]);
  const nested = a.nested as { list: unknown[]; when: Date };
  assert.deepEqual(nested.list, [1, "two", { deep: { deeper: "yes" } }]);
  assert.ok(nested.when instanceof Date);
  assert.equal(nested.when.toISOString(), when.toISOString());
  assert.deepEqual(a.odd, { $t: "date", v: 1 });
  const [nan, inf, negZero, undef] = a.specials as number[];
  assert.ok(Number.isNaN(nan) && inf === Infinity && Object.is(negZero, -0) && undef === undefined);
  assert.equal((a.epoch as Date).getTime(), 0);

  // One signal given to two islands is one signal in the browser.
  const sa = a.shared as Signal<{ count: number }>;
  const sb = b.shared as Signal<{ count: number }>;
  assert.equal(typeof sa.subscribe, "function");
  assert.equal(sa, sb);
  assert.deepEqual(sa.value, { count: 3 });
  sa.value = { count: 4 };
  assert.deepEqual(sb.value, { count: 4 });
  assert.notEqual(b.own, sa);
  assert.equal((b.own as Signal<string>).value, "mine");
});

Deno.test("a function, a class instance or a cycle is refused, naming island and prop", () => {
  const encoder = new PropsEncoder();
  assert.throws(
    () => encoder.add("Picker", { options: { onPick: () => {} } }),
    /Island Picker: prop "options\.onPick" is a function/,
  );
  assert.throws(() => encoder.add("Picker", { seen: new Map() }), /prop "seen" is a Map/);
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  assert.throws(
    () => encoder.add("Picker", { loop }),
    /prop "loop\.self" is a reference to itself/,
  );
});

Deno.test("</script> in a prop cannot close the props script", () => {
  const evil = "</script><script>alert(1)</script><!--";
  const encoder = new PropsEncoder();
  encoder.add("Show", { evil, nested: [{ evil }] });
  const text = payloadToScriptText(encoder.payload);
  assert.ok(!text.includes("<"), text);
  const [props] = revivePayload(JSON.parse(text) as IslandPayload);
  assert.equal(props.evil, evil);
});

Deno.test("the server wraps each island, sends its props once and loads only used bundles", async () => {
  const res = await app.request("/islands");
  const html = await res.text();
  assert.equal(res.status, 200);
  for (const [name, i] of [["Counter", 0], ["Counter", 1], ["Show", 2], ["Outer", 3]]) {
    assert.ok(html.includes(`<preact-island data-island="${name}" data-i="${i}">`), `${name} ${i}`);
  }
  // Inner is rendered inside Outer: hydrating Outer covers it, so it gets no wrapper.
  assert.ok(!html.includes(`data-island="Inner"`));
  assert.ok(html.includes("<em>nested</em>"));
  assert.match(html, /preact-island\{display:contents\}/);

  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2, "one props script and one module script");
  const json = scripts.find((s) => s[0].includes('type="application/json"'))!;
  assert.ok(!json[1].includes("</script"));
  const props = revivePayload(JSON.parse(json[1]));
  assert.equal(props.length, 4);
  assert.equal(props[0].label, "first");
  assert.equal(props[0].count, props[1].count, "shared signal stays shared");
  assert.equal((props[0].count as Signal<number>).value, 3);
  assert.equal(props[2].text, "</script><script>alert(1)</script>");
  assert.equal(
    (props[2].nested as { when: Date }).when.toISOString(),
    "2026-01-02T03:04:05.000Z",
  );

  const module = scripts.find((s) => s[0].includes('type="module"'))![1];
  for (const used of ["Counter", "Show", "Outer"]) assert.ok(module.includes(app.islands[used]));
  assert.ok(!module.includes(app.islands.Inner), "no bundle for an island the page did not use");
  assert.match(module, /import\{boot\}from"\/_islands\/runtime-[A-Z0-9]+\.js"/);
});

Deno.test("route-local islands in (_islands)/ are islands, and the folder is no route", async () => {
  const html = await (await app.request("/courses/enrol")).text();
  assert.match(html, /<preact-island data-island="Enrol" data-i="0"><button/);
  assert.ok(html.includes(app.islands.Enrol));
  assert.ok(!html.includes(app.islands.Counter));
  const res = await app.request("/courses/(_islands)/Enrol");
  assert.notEqual(res.status, 200);
  await res.body?.cancel();
});

Deno.test("a page that uses no island ships no <script> at all", async () => {
  const html = await (await app.request("/")).text();
  assert.ok(html.includes("Home without islands"));
  assert.ok(!/<script/i.test(html));
  assert.ok(!html.includes("preact-island"));
});

Deno.test("island bundles have hashed names and are served immutable", async () => {
  assert.deepEqual(Object.keys(app.islands).sort(), ["Counter", "Enrol", "Inner", "Outer", "Show"]);
  const html = await (await app.request("/islands")).text();
  const runtime = /"(\/_islands\/runtime-[A-Z0-9]{8}\.js)"/.exec(html)![1];
  for (const url of [...Object.values(app.islands), runtime]) {
    assert.match(url, /^\/_islands\/[A-Za-z]+-[A-Z0-9]{8}\.js$/);
    const res = await app.request(url);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
    assert.match(res.headers.get("Content-Type")!, /^text\/javascript/);
    const code = await res.text();
    // Shared code (preact) lives in chunks the entries import, so it is fetched once.
    for (const [, chunk] of code.matchAll(/from"\.\/(chunk-[A-Z0-9]+\.js)"/g)) {
      const c = await app.request(`/_islands/${chunk}`);
      assert.equal(c.status, 200, chunk);
      await c.body?.cancel();
    }
  }
  const missing = await app.request("/_islands/Counter-00000000.js");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("a function prop fails the render with a message naming island and prop", async () => {
  const before = app.lines.length;
  const res = await app.request("/bad-island");
  assert.equal(res.status, 500);
  assert.ok(!(await res.text()).includes("onPick"), "the reason stays in the log");
  const logged = JSON.stringify(app.lines.slice(before));
  assert.match(logged, /Island Show: prop \\"onPick\\" is a function/);
});
