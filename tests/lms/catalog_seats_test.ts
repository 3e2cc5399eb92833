/**
 * Seats left on the catalog's cards and the course page, through the real app and database
 * (embedded, or the server in DATABASE_URL), on the demo schools: Nairobi's nearly full lab group
 * (COMP-F3-LAB, 6 seats, 5 taken, one more student withdrawn) shows 1 seat left; a withdrawal
 * frees a seat; the last seat taken through enrol shows Full — in the API, on the cards and on
 * the course page.
 */
import assert from "node:assert/strict";
import { call, withSeededApp } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { seatsLeftText } from "../../components/SeatsLeft.tsx";
import { api, demo, login } from "../enrollment/helpers.ts";

const LAB = "COMP-F3-LAB";

interface Card {
  id: string;
  code: string;
  capacity: number;
  seatsLeft: number;
}

async function labCard(app: FreshApp, token: string): Promise<Card> {
  const { status, body } = await api(app, token, `/api/lms/courses?q=${LAB}`);
  assert.equal(status, 200);
  const courses = body.courses as Card[];
  assert.deepEqual(courses.map((c) => c.code), [LAB]);
  return courses[0];
}

/** The text of the catalog card (or the course page) that says how many seats are left. */
async function seatsShown(app: FreshApp, token: string, path: string): Promise<string[]> {
  const response = await call(app, path, { headers: { Cookie: `elymica_access=${token}` } });
  assert.equal(response.status, 200, path);
  const html = await response.text();
  return [...html.matchAll(/data-testid="seats"[^>]*>([^<]*)</g)].map((m) => m[1]);
}

async function setStatus(t: TestDatabase, who: string, status: "enrolled" | "withdrawn") {
  const rows = await t.owner.query(
    `update public.enrollments e set status = $2::public.enrollment_status
       from public.courses c, public.people p
      where c.id = e.course_id and c.code = $3 and p.id = e.student_id and p.email = $1
     returning e.id`,
    [demo(who), status, LAB],
  );
  assert.equal(rows.length, 1, `${who}'s enrolment in ${LAB}`);
}

Deno.test("seats left: the demo lab group has 1, a withdrawal frees one, the last one taken is Full", async () => {
  await withSeededApp(async (app, t) => {
    // The count must not depend on who asks: student1 is in the lab group, student5 withdrew.
    const inside = await login(app, demo("student1"));
    const outside = await login(app, demo("student5"));

    const card = await labCard(app, inside);
    assert.equal(card.capacity, 6);
    assert.equal(card.seatsLeft, 1, "6 seats, 5 enrolled (the withdrawn student frees theirs)");
    assert.equal((await labCard(app, outside)).seatsLeft, 1, "the same count for a non-member");
    assert.deepEqual(await seatsShown(app, outside, `/portal/courses?q=${LAB}`), ["1 seat left"]);
    const detail = await api(app, outside, `/api/lms/courses/${card.id}`);
    assert.equal((detail.body.course as Card).seatsLeft, 1, "the course API agrees");
    assert.deepEqual(await seatsShown(app, outside, `/portal/courses/${card.id}`), [
      "1 seat left",
    ]);

    // student2 withdraws: two seats left
    await setStatus(t, "student2", "withdrawn");
    assert.equal((await labCard(app, outside)).seatsLeft, 2);
    assert.deepEqual(await seatsShown(app, outside, `/portal/courses?q=${LAB}`), [
      "2 seats left",
    ]);

    // student2 comes back and student5 takes the last seat through enrol: Full
    await setStatus(t, "student2", "enrolled");
    const enrolled = await api(app, outside, "/api/enrollment/enroll", { courseId: card.id });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    assert.equal((await labCard(app, outside)).seatsLeft, 0);
    assert.deepEqual(await seatsShown(app, inside, `/portal/courses?q=${LAB}`), ["Full"]);
    assert.deepEqual(await seatsShown(app, inside, `/portal/courses/${card.id}`), ["Full"]);

    // …and enrol agrees: a new student of the school is refused the seat the card says is gone
    const [newcomer] = await t.owner.query<{ id: string }>(
      `insert into public.people (tenant_id, full_name, email, role, status)
       select tenant_id, 'Late Comer', 'late.comer@nairobi.demo.elymica.test', 'student', 'active'
         from public.courses where id = $1
       returning id`,
      [card.id],
    );
    const admin = await login(app, demo("admin1"));
    const refused = await api(app, admin, "/api/enrollment/enroll", {
      courseId: card.id,
      studentId: newcomer.id,
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, "This course is full.");
  });
});

Deno.test("seat texts: plural, singular and full", () => {
  assert.equal(seatsLeftText(3), "3 seats left");
  assert.equal(seatsLeftText(1), "1 seat left");
  assert.equal(seatsLeftText(0), "Full");
  assert.equal(seatsLeftText(-2), "Full");
});
