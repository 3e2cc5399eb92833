/** The demo sign-ins that `supabase/seed.sql` creates; printed at start-up and listed in the README. */

export const DEMO_PASSWORD = "Elymica-Demo-2026";
export const DEMO_SCHOOLS = ["nairobi", "lagos", "johannesburg"] as const;

const PEOPLE_PER_SCHOOL = { admin: 1, teacher: 2, student: 6, parent: 4 } as const;

export function demoEmails(school: string): string[] {
  return Object.entries(PEOPLE_PER_SCHOOL).flatMap(([role, count]) =>
    Array.from({ length: count }, (_, i) => `${role}${i + 1}@${school}.demo.elymica.test`)
  );
}

/** A few lines for the terminal: the pattern, one example per role, the password. */
export function demoSignInsText(): string {
  return [
    "Demo sign-ins (password for all: " + DEMO_PASSWORD + "):",
    ...DEMO_SCHOOLS.map((school) =>
      `  ${
        school.padEnd(13)
      } admin1, teacher1-2, student1-6, parent1-4 @${school}.demo.elymica.test`
    ),
    "  e.g. admin1@nairobi.demo.elymica.test, parent1@lagos.demo.elymica.test",
  ].join("\n");
}
