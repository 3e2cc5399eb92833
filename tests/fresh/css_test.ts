import assert from "node:assert/strict";
import { extract, twind, virtual } from "@twind/core";
import presetTailwind from "@twind/preset-tailwind";
import { pageCss } from "../../lib/fresh/render_page.ts";

const fresh = () => twind({ presets: [presetTailwind()] }, virtual());
const page = (classes: string, text = "x") =>
  `<html><head></head><body><p class="${classes}">${text}</p><i class="font-bold"></i></body></html>`;

Deno.test("page CSS: a repeated class set gets the very CSS twind extracts, from the cache", () => {
  const first = pageCss(page("text-red-700 p-4", "first"));
  const again = pageCss(page("text-red-700 p-4", "other text, same classes"));
  const reordered = pageCss(page("p-4 text-red-700", "the same classes in another order"));
  const expected = extract(page("text-red-700 p-4"), fresh()).css;
  assert.equal(first.css, expected);
  assert.equal(again.css, expected);
  assert.equal(reordered.css, expected);
  assert.match(again.css, /\.p-4\{/);
});

Deno.test("page CSS: another class set gets its own CSS, without the first set's rules", () => {
  pageCss(page("text-red-700"));
  const other = pageCss(page("data-[on=true]:text-green-700"));
  assert.equal(other.css, extract(page("data-[on=true]:text-green-700"), fresh()).css);
  assert.doesNotMatch(other.css, /text-red-700/);
  assert.match(other.css, /data-\\\[on\\=true\\\]/);
});
