import assert from "node:assert/strict";
import { summariseTap, tapLines } from "../support/tap.ts";

Deno.test("TAP: all planned tests ok passes", () => {
  const summary = summariseTap(tapLines([[{ plan: "1..2" }], [{ ok: "ok 1 - a" }, {
    ok: "ok 2 - b",
  }], [{ finish: null }]]));
  assert.deepEqual({ planned: summary.planned, passed: summary.passed }, { planned: 2, passed: 2 });
  assert.deepEqual(summary.failures, []);
});

Deno.test("TAP: a `not ok` line, a short run or a missing plan is a failure", () => {
  assert.deepEqual(
    summariseTap(["1..2", "ok 1 - a", "not ok 2 - b", "# Failed test 2"]).failures,
    ["not ok 2 - b"],
  );
  assert.deepEqual(summariseTap(["1..3", "ok 1", "ok 2"]).failures, [
    "planned 3 tests but ran 2",
  ]);
  assert.deepEqual(summariseTap(["ok 1"]).failures, ["no plan: the file never called plan()"]);
});

Deno.test("TAP: lines inside one multi-line value are split", () => {
  assert.deepEqual(tapLines([[{ diag: "# one\n# two" }]]), ["# one", "# two"]);
});
