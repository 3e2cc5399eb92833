/**
 * ENR-1's seat limit through HTTP: 200 students send POST /api/enrollment/enroll at once for a
 * course with 30 seats. Exactly 30 are enrolled (201); the other 170 get 409 "This course is
 * full." The students are made by the owner and carry access tokens signed as login would.
 */
import assert from "node:assert/strict";
import { call, testJwtSecret, withSeededApp } from "../support/app.ts";
import { signAccessToken } from "../../lib/auth/tokens.ts";
import { createCourse } from "./helpers.ts";

Deno.test("200 parallel HTTP enrolments for 30 seats: 30 created, 170 told the course is full", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, { code: "SEATS-30", capacity: 30 });
    const students = await t.owner.query<{ id: string; tenant_id: string }>(
      `insert into public.people (tenant_id, full_name, email, role, status)
       select t.id, 'Seat Student ' || n, 'seat-http-' || n || '@nairobi.test', 'student', 'active'
       from public.tenants t, generate_series(1, 200) n
       where t.slug = 'nairobi'
       returning id, tenant_id`,
    );
    const tokens = await Promise.all(students.map((s) =>
      signAccessToken(testJwtSecret, {
        personId: s.id,
        tenantId: s.tenant_id,
        role: "student",
        sessionId: crypto.randomUUID(),
      })
    ));
    const outcomes = await Promise.all(tokens.map(async (token) => {
      const response = await call(app, "/api/enrollment/enroll", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ courseId: course.id }),
      });
      const body = await response.json();
      if (response.status === 409) assert.equal(body.error, "This course is full.");
      return response.status;
    }));
    const count = (status: number) => outcomes.filter((s) => s === status).length;
    assert.equal(count(201), 30, JSON.stringify(outcomes));
    assert.equal(count(409), 170);
    const [{ n }] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from public.enrollments where course_id = $1",
      [course.id],
    );
    assert.equal(n, 30);
  });
});
