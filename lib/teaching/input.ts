/**
 * The shapes of the teaching forms (zod), shared by the pages and the upload route. They check
 * what a person typed so each field gets its own message; the database's checks stay the rule
 * and their refusals are mapped back to the same fields (lib/db/errors.ts).
 */
import { z } from "zod";

const title = z.string().trim()
  .min(1, "Give a title.")
  .max(200, "Keep the title to 200 characters.");

/** A course's details. Codes are stored in capitals and subjects in lower case, as the catalog filters them. */
export const CourseInput = z.object({
  code: z.string().trim().toUpperCase()
    .min(1, "Give the course a short code, e.g. MATH-10A.")
    .regex(
      /^[A-Z0-9][A-Z0-9._-]{0,31}$/,
      "Use up to 32 capital letters, digits, dots, dashes or underscores, e.g. MATH-10A.",
    ),
  title,
  subject: z.string().trim().toLowerCase()
    .min(1, "Give the subject, e.g. mathematics.")
    .regex(
      /^[a-z0-9][a-z0-9 -]{0,59}$/,
      "Use lowercase letters, digits, spaces and dashes (up to 60), e.g. mathematics.",
    ),
  grade_level: z.string().trim()
    .min(1, "Give the grade, e.g. 10 or Form 2.")
    .max(20, "Keep the grade to 20 characters."),
  description: z.string().max(10_000, "Keep the description to 10,000 characters.").default(""),
  capacity: z.coerce.number({ error: "Capacity must be a whole number between 1 and 10,000." })
    .int("Capacity must be a whole number between 1 and 10,000.")
    .min(1, "Capacity must be a whole number between 1 and 10,000.")
    .max(10_000, "Capacity must be a whole number between 1 and 10,000."),
});
export type CourseInput = z.infer<typeof CourseInput>;
export const COURSE_FIELDS = Object.keys(CourseInput.shape) as (keyof CourseInput)[];

export const ModuleInput = z.object({ title });

const durationMinutes = z.coerce.number({ error: "Give the minutes as a whole number." })
  .int("Give the minutes as a whole number.")
  .min(0, "Minutes cannot be negative.")
  .max(1440, "A lesson lasts at most 24 hours (1440 minutes).")
  .default(0);

/** The part every lesson has; text lessons add a body, file lessons a file. */
export const LessonInput = z.object({ title, duration_minutes: durationMinutes });
export type LessonInput = z.infer<typeof LessonInput>;

export const TextLessonInput = LessonInput.extend({
  body: z.string()
    .refine((v) => v.trim().length > 0, "Write the lesson's text.")
    .refine((v) => v.length <= 200_000, "Keep the text to 200,000 characters."),
});
export type TextLessonInput = z.infer<typeof TextLessonInput>;

export const LESSON_KINDS = ["text", "pdf", "video"] as const;
export type LessonKind = typeof LESSON_KINDS[number];

/** A place in an ordered list, 1 = first (the move buttons send it). */
export const PositionInput = z.object({
  position: z.coerce.number({ error: "position must be a whole number of 1 or more." })
    .int("position must be a whole number of 1 or more.")
    .min(1, "position must be a whole number of 1 or more.")
    .max(100_000, "position must be a whole number of 1 or more."),
});

/** Form values by name (first value of each, files left out), for re-showing a refused form. */
export function formValues(form: FormData, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = form.get(name);
    values[name] = typeof value === "string" ? value : "";
  }
  return values;
}
