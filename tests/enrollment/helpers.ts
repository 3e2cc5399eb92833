/** Shared set-up of the enrolment tests: sign-ins, courses made by the owner, requests. */
import assert from "node:assert/strict";
import { call } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
import { DEMO_PASSWORD } from "../../lib/demo.ts";
import type { Claims } from "../../lib/db/types.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";

export const ORIGIN = "http://localhost";

/** `student1` → student1@nairobi.demo.elymica.test */
export const demo = (who: string, school = "nairobi") => `${who}@${school}.demo.elymica.test`;

export async function login(app: FreshApp, email: string): Promise<string> {
  const response = await call(app, "/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.accessToken;
}

export interface Person {
  id: string;
  tenant_id: string;
  role: string;
  full_name: string;
}

export async function person(t: TestDatabase, email: string): Promise<Person> {
  const [row] = await t.owner.query<Person>(
    "select id, tenant_id, role::text as role, full_name from public.people where email = $1",
    [email],
  );
  assert.ok(row, `no person ${email}`);
  return row;
}

export const claimsOf = (p: Person): Claims => ({
  sub: p.id,
  role: "authenticated",
  app_metadata: { tenant_id: p.tenant_id, user_role: p.role },
});

export interface CourseSpec {
  code: string;
  title?: string;
  school?: string;
  capacity?: number;
  status?: "draft" | "published";
  lessons?: number;
  /** demo names of the teachers, e.g. ["teacher1"] */
  instructors?: string[];
  prerequisites?: string[];
}

export interface Course {
  id: string;
  code: string;
  title: string;
  lessonIds: string[];
}

/** A course made by the owner, as an admin's catalog work would leave it. */
export async function createCourse(t: TestDatabase, spec: CourseSpec): Promise<Course> {
  const school = spec.school ?? "nairobi";
  const title = spec.title ?? `Course ${spec.code}`;
  const [{ id: tenantId }] = await t.owner.query<{ id: string }>(
    "select id from public.tenants where slug = $1",
    [school],
  );
  const [{ id }] = await t.owner.query<{ id: string }>(
    `insert into public.courses (tenant_id, code, title, subject, grade_level, capacity, status)
     values ($1, $2, $3, 'mathematics', '10', $4, $5) returning id`,
    [tenantId, spec.code, title, spec.capacity ?? 30, spec.status ?? "published"],
  );
  for (const teacher of spec.instructors ?? []) {
    await t.owner.query(
      `insert into public.course_instructors (tenant_id, course_id, teacher_id)
       select $1, $2, id from public.people where email = $3`,
      [tenantId, id, demo(teacher, school)],
    );
  }
  for (const code of spec.prerequisites ?? []) {
    await t.owner.query(
      `insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id)
       select $1, $2, id from public.courses where tenant_id = $1 and code = $3`,
      [tenantId, id, code],
    );
  }
  const lessonIds: string[] = [];
  if (spec.lessons) {
    const [{ id: moduleId }] = await t.owner.query<{ id: string }>(
      `insert into public.modules (tenant_id, course_id, title, position)
       values ($1, $2, 'Module 1', 1) returning id`,
      [tenantId, id],
    );
    for (let n = 1; n <= spec.lessons; n++) {
      const [lesson] = await t.owner.query<{ id: string }>(
        `insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, body)
         values ($1, $2, $3, $4, 'text', $5, 'Read this.') returning id`,
        [tenantId, id, moduleId, `Lesson ${n}`, n],
      );
      lessonIds.push(lesson.id);
    }
  }
  return { id, code: spec.code, title, lessonIds };
}

/** A JSON request to the API with a Bearer token. */
export async function api(
  app: FreshApp,
  token: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await call(app, path, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}
