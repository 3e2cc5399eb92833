/** The demo course the content tests read: Nairobi's Algebra I with its video and PDF lessons. */
import assert from "node:assert/strict";
import type { TestDatabase } from "../support/database.ts";
import type { TestStorage } from "../support/app.ts";
import { seedDemoMedia } from "../../lib/demo_media/mod.ts";

export const ALGEBRA_CODE = "MATH-G10-ALG1";

export interface DemoCourse {
  id: string;
  title: string;
  /** Module ids by position (1-based index 0). */
  modules: string[];
  /** Lesson ids in course order, and the two file lessons. */
  lessons: string[];
  video: string;
  pdf: string;
}

/**
 * Nairobi's Algebra I (teacher1 teaches it; student3 enrolled with 4 of 9 lessons done, student5
 * with none; parent2 is student3's parent; student4 is not enrolled), its demo files stored.
 */
export async function algebra(t: TestDatabase, files?: TestStorage, school = "nairobi") {
  const lessons = await t.owner.query<
    { course_id: string; title: string; module_id: string; lesson_id: string; kind: string }
  >(
    `select c.id as course_id, c.title, m.id as module_id, l.id as lesson_id, l.kind::text as kind
       from public.courses c
       join public.tenants s on s.id = c.tenant_id
       join public.modules m on m.course_id = c.id
       join public.lessons l on l.module_id = m.id
      where s.slug = $1 and c.code = $2
      order by m.position, l.position`,
    [school, ALGEBRA_CODE],
  );
  assert.equal(lessons.length, 9);
  const course: DemoCourse = {
    id: lessons[0].course_id,
    title: lessons[0].title,
    modules: [...new Set(lessons.map((l) => l.module_id))],
    lessons: lessons.map((l) => l.lesson_id),
    video: lessons.find((l) => l.kind === "video")!.lesson_id,
    pdf: lessons.find((l) => l.kind === "pdf")!.lesson_id,
  };
  if (files) await seedDemoMedia(t.owner, files.storage, { courseIds: [course.id] });
  return course;
}
