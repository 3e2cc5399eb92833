/**
 * The catalog kept in memory (lib/catalog_cache.ts) never answers what the database would not:
 * through the real app and database, every change — made through the app, or straight in the
 * database as another process would — shows in the very next request; people of one audience
 * share pages, and people who see a draft or ask for their own courses get their own. Hits and
 * misses are read from the app's counter.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { call, withSeededApp } from "../support/app.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { catalogCacheRequests } from "../../lib/metrics.ts";
import { api, createCourse, demo, login } from "../enrollment/helpers.ts";

interface Card {
  id: string;
  code: string;
  title: string;
  seatsLeft: number;
  instructors: { name: string }[];
}

const count = (result: "hit" | "miss") =>
  catalogCacheRequests.values.get(`result="${result}"`) ?? 0;

/** The catalog's cards at `path`, and whether the answer came from memory. */
async function cards(app: FreshApp, token: string, path: string) {
  const hits = count("hit");
  const { status, body } = await api(app, token, path);
  assert.equal(status, 200, JSON.stringify(body));
  return { courses: body.courses as Card[], hit: count("hit") > hits };
}

const CACHE = "/api/lms/courses?q=CACHE&sort=code";

Deno.test("a kept catalog page is answered only while nothing it shows has changed", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, {
      code: "CACHE-1",
      title: "Cached course",
      capacity: 5,
      instructors: ["teacher1"],
    });
    const student = await login(app, demo("student1"));

    const first = await cards(app, student, CACHE);
    assert.deepEqual(first.courses.map((c) => [c.code, c.seatsLeft]), [["CACHE-1", 5]]);
    assert.equal(first.hit, false, "the first request reads the database");
    const again = await cards(app, student, CACHE);
    assert.equal(again.hit, true, "the same request again is answered from memory");
    assert.deepEqual(again.courses, first.courses, "with the same answer");

    // Through the app: the student's own enrolment shows in their next request
    const enrolled = await api(app, student, "/api/enrollment/enroll", { courseId: course.id });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    const afterEnrol = await cards(app, student, CACHE);
    assert.equal(afterEnrol.hit, false);
    assert.equal(afterEnrol.courses[0].seatsLeft, 4, "the seat taken shows at once");

    // Straight in the database, as another process would: each change shows in the next request
    await t.owner.query("update public.courses set title = 'Renamed course' where id = $1", [
      course.id,
    ]);
    assert.equal((await cards(app, student, CACHE)).courses[0].title, "Renamed course");
    await t.owner.query(
      "update public.people set full_name = 'Teacher Renamed' where email = $1",
      [demo("teacher1")],
    );
    assert.deepEqual(
      (await cards(app, student, CACHE)).courses[0].instructors.map((i) => i.name),
      ["Teacher Renamed"],
    );
    await t.owner.query("update public.courses set status = 'draft' where id = $1", [course.id]);
    // student1 is enrolled: the draft is still theirs to see, now in a catalog of their own
    assert.deepEqual((await cards(app, student, CACHE)).courses.map((c) => c.code), ["CACHE-1"]);
    const other = await login(app, demo("student2"));
    await cards(app, other, CACHE);
    assert.deepEqual(
      (await cards(app, other, CACHE)).courses,
      [],
      "another student, whose catalog is kept too, never sees it",
    );

    // Nothing the catalog shows: the page stays kept
    const stays = await cards(app, other, CACHE);
    await t.owner.query(
      "update public.people set phone = '+254700000099' where email = $1",
      [demo("teacher1")],
    );
    assert.equal(stays.hit, true);
    assert.equal((await cards(app, other, CACHE)).hit, true, "a phone number changes nothing");
  });
});

Deno.test("people of one audience share kept pages; a draft or mine=true is a catalog of one's own", async () => {
  await withSeededApp(async (app, t) => {
    await createCourse(t, { code: "CACHE-PUB", instructors: ["teacher1"] });
    await createCourse(t, { code: "CACHE-DRAFT", status: "draft", instructors: ["teacher2"] });
    const student1 = await login(app, demo("student1"));
    const student2 = await login(app, demo("student2"));
    const drafter = await login(app, demo("teacher2"));

    await cards(app, student1, CACHE);
    await cards(app, student2, "/api/lms/courses?limit=1"); // the app learns student2's audience
    const shared = await cards(app, student2, CACHE);
    assert.equal(shared.hit, true, "student2 is answered the page kept for student1");
    assert.deepEqual(shared.courses.map((c) => c.code), ["CACHE-PUB"]);

    await cards(app, drafter, CACHE);
    const own = await cards(app, drafter, CACHE);
    assert.equal(own.hit, true, "the drafter's own page is kept too");
    assert.deepEqual(own.courses.map((c) => c.code), ["CACHE-DRAFT", "CACHE-PUB"]);
    assert.deepEqual(
      (await cards(app, student1, CACHE)).courses.map((c) => c.code),
      ["CACHE-PUB"],
      "and it never reaches a student",
    );

    // The drafter's own courses: kept apart from their whole catalog of the same query
    await cards(app, drafter, `${CACHE}&mine=true`);
    const mine = await cards(app, drafter, `${CACHE}&mine=true`);
    assert.equal(mine.hit, true);
    assert.deepEqual(mine.courses.map((c) => c.code), ["CACHE-DRAFT"]);
  });
});

Deno.test("a kept page goes out gzipped to clients that take gzip, as it is to the others", async () => {
  await withSeededApp(async (app) => {
    const student = await login(app, demo("student1"));
    const get = (encoding?: string) =>
      call(app, "/api/lms/courses?limit=20", {
        headers: {
          Authorization: `Bearer ${student}`,
          ...(encoding ? { "Accept-Encoding": encoding } : {}),
        },
      });
    const plain = await get();
    assert.equal(plain.headers.get("Content-Encoding"), null);
    assert.equal(plain.headers.get("Content-Type"), "application/json");
    assert.match(plain.headers.get("Vary") ?? "", /Accept-Encoding/);
    const text = await plain.text();
    assert.ok(text.length > 1024, "a page of 20 courses is worth compressing");

    for (const round of ["first (made)", "second (kept)"]) {
      const zipped = await get("br, gzip");
      assert.equal(zipped.status, 200, round);
      assert.equal(zipped.headers.get("Content-Encoding"), "gzip", round);
      assert.match(zipped.headers.get("Vary") ?? "", /Accept-Encoding/, round);
      const body = new Uint8Array(await zipped.arrayBuffer());
      assert.equal(gunzipSync(body).toString("utf8"), text, round);
    }
  });
});
