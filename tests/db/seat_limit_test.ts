/**
 * ENR-1's seat limit under concurrency: 200 students enrol at once in a course with 30 seats.
 * public.enroll() locks the course row before counting, so exactly 30 are enrolled and the other
 * 170 get EL409 "This course is full." — on a real server (parallel connections) and embedded
 * (one queued session), whichever DATABASE_URL selects.
 */
import assert from "node:assert/strict";
import { openTestDatabase } from "../support/database.ts";
import type { Claims } from "../../lib/db/types.ts";
import { DbError } from "../../lib/db/errors.ts";

Deno.test("200 concurrent enrolments for 30 seats: exactly 30 enrolled, 170 told the course is full", async () => {
  const t = await openTestDatabase();
  try {
    const [school] = await t.owner.query<{ id: string }>(
      `insert into public.tenants (name, slug, country, currency, timezone)
       values ('Seat Test School', 'seat-test', 'KE', 'KES', 'Africa/Nairobi') returning id`,
    );
    const students = await t.owner.query<{ id: string }>(
      `insert into public.people (tenant_id, full_name, email, role, status)
       select $1, 'Student ' || n, 'seat-student-' || n || '@seat.test', 'student', 'active'
       from generate_series(1, 200) n returning id`,
      [school.id],
    );
    const [course] = await t.owner.query<{ id: string }>(
      `insert into public.courses (tenant_id, code, title, subject, grade_level, capacity, status)
       values ($1, 'SEATS-30', 'Thirty seats', 'mathematics', '10', 30, 'published') returning id`,
      [school.id],
    );

    const outcomes = await Promise.all(students.map(async (student) => {
      const claims: Claims = {
        sub: student.id,
        role: "authenticated",
        app_metadata: { tenant_id: school.id, user_role: "student" },
      };
      try {
        const [row] = await t.db.asUser(
          claims,
          (q) =>
            q<{ result: { created: boolean } }>("select public.enroll($1) as result", [course.id]),
        );
        return row.result.created ? "enrolled" : "again";
      } catch (error) {
        assert.ok(error instanceof DbError, String(error));
        assert.equal(error.code, "EL409", error.message);
        assert.equal(error.message, "This course is full.");
        return "full";
      }
    }));

    const count = (outcome: string) => outcomes.filter((o) => o === outcome).length;
    assert.equal(count("enrolled"), 30);
    assert.equal(count("full"), 170);
    const [stored] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from public.enrollments where course_id = $1 and status = 'enrolled'",
      [course.id],
    );
    assert.equal(stored.n, 30);
  } finally {
    await t.close();
  }
});
