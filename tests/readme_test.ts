/** The README is the first thing a new engineer runs from: keep it true. */
import assert from "node:assert/strict";
import { configVariables } from "../lib/config.ts";
import { DEMO_PASSWORD, DEMO_SCHOOLS } from "../lib/demo.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
const denoVersion = (await Deno.readTextFile(new URL("../.deno-version", import.meta.url))).trim();
const ciRun = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));

Deno.test("README shows the two commands and their zero-install form at the pinned version", () => {
  for (
    const command of [
      "deno task start",
      "deno task test",
      `npx -y deno@${denoVersion} task start`,
      `npx -y deno@${denoVersion} task test`,
    ]
  ) assert.ok(readme.includes(command), command);
  assert.match(ciRun, /cat \.deno-version/);
  assert.match(ciRun, /deno task test/);
});

Deno.test("README documents every configuration variable", () => {
  for (const name of Object.keys(configVariables)) assert.ok(readme.includes(`\`${name}\``), name);
});

Deno.test("README lists the demo schools and password", () => {
  assert.ok(readme.includes(DEMO_PASSWORD));
  for (const school of DEMO_SCHOOLS) assert.ok(readme.includes(`@${school}.demo.elymica.test`));
});

Deno.test("README names every task deno.json defines", () => {
  for (const task of Object.keys(denoJson.tasks)) {
    assert.ok(readme.includes(`deno task ${task}`), task);
  }
});
