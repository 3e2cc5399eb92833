/**
 * The catalog `deno task bench:catalog` measures: on top of the demo schools (supabase/seed.sql),
 * `coursesPerSchool` more courses in each school, with what a real school's catalog has — a
 * dozen subjects over the school's own grade levels, titles and codes that repeat their words
 * (so search has to look), one or two instructors each out of 40 teachers, a few drafts,
 * capacities from 5 to 45, creation dates with ties, and enrolments by 300 students (some
 * completed, some withdrawn, some courses full). Written by the owner in one transaction, the
 * way the seed is; VACUUM ANALYZE afterwards, as autovacuum would soon do on a live database.
 */
import type { OwnerSession } from "../lib/db/owner.ts";

export const BENCH_TEACHERS = 40;
export const BENCH_STUDENTS = 300;
/** Courses each bench student is enrolled in (spread over the school's catalog). */
const ENROLMENTS_PER_STUDENT = 8;

/** The subjects every school offers, with the short form used in course codes. */
export const BENCH_SUBJECTS: readonly [string, string][] = [
  ["mathematics", "MAT"],
  ["english", "ENG"],
  ["physics", "PHY"],
  ["chemistry", "CHE"],
  ["biology", "BIO"],
  ["geography", "GEO"],
  ["history", "HIS"],
  ["computer studies", "CMP"],
  ["business studies", "BUS"],
  ["agriculture", "AGR"],
  ["french", "FRE"],
  ["art and design", "ART"],
];

/** Each school's own grade levels, as the demo schools write them. */
export const BENCH_GRADES: Record<string, readonly string[]> = {
  nairobi: ["Grade 9", "Grade 10", "Form 3", "Form 4"],
  lagos: ["JSS1", "JSS2", "JSS3", "SS1", "SS2", "SS3"],
  johannesburg: ["Grade 8", "Grade 9", "Grade 10", "Grade 11", "Grade 12"],
};

/** Words of the titles: a search for one of them finds a few dozen courses in a school. */
export const BENCH_TOPICS = [
  "Foundations",
  "Problem Solving",
  "Practical Skills",
  "Exam Preparation",
  "Projects",
  "Revision",
  "Fieldwork",
  "Reading and Writing",
  "Data and Evidence",
  "Investigations",
  "Theory",
  "Applications",
  "Laboratory Work",
  "Group Studies",
  "Enrichment",
  "Catch-up",
];

const FIRST_NAMES = [
  "Amina",
  "Baraka",
  "Chiamaka",
  "Daudi",
  "Emeka",
  "Folasade",
  "Grace",
  "Hassan",
  "Ifeoma",
  "Jabari",
  "Kagiso",
  "Lerato",
  "Mwangi",
  "Ngozi",
  "Olumide",
  "Precious",
  "Sipho",
  "Thandiwe",
  "Wanjiru",
  "Zanele",
];
const LAST_NAMES = [
  "Achieng",
  "Adeyemi",
  "Dlamini",
  "Kamau",
  "Khumalo",
  "Mahlangu",
  "Mensah",
  "Njoroge",
  "Nkosi",
  "Nwosu",
  "Ochieng",
  "Okafor",
  "Otieno",
  "Sithole",
  "Wambui",
  "Zulu",
];

export interface FilledCatalog {
  schools: number;
  courses: number;
  drafts: number;
  teachers: number;
  students: number;
  enrolments: number;
  fullCourses: number;
}

/**
 * Adds the bench catalog to a migrated, seeded database. Teachers and students are people of
 * each school (`bench.teacherN@<slug>.bench.elymica.test`); they never sign in.
 */
export async function fillBenchCatalog(
  owner: OwnerSession,
  coursesPerSchool: number,
): Promise<FilledCatalog> {
  const grades = Object.entries(BENCH_GRADES).map(([slug, list]) => ({ slug, list }));
  await owner.transaction(async (tx) => {
    // People: 40 teachers and 300 students a school, active (none of them signs in).
    await tx.query(
      `insert into public.people (tenant_id, full_name, email, role, status)
       select t.id,
              ($3::text[])[1 + (g * 7 + r.n) % cardinality($3::text[])] || ' ' ||
                ($4::text[])[1 + (g * 5 + r.n * 3) % cardinality($4::text[])],
              format('bench.%s%s@%s.bench.elymica.test', r.role, g, t.slug),
              r.role::public.person_role, 'active'
       from public.tenants t
       cross join (values ('teacher', $1::int, 0), ('student', $2::int, 1)) r(role, count, n)
       cross join lateral generate_series(1, r.count) g
       where t.slug = any($5::text[])`,
      [
        BENCH_TEACHERS,
        BENCH_STUDENTS,
        FIRST_NAMES,
        LAST_NAMES,
        grades.map((g) => g.slug),
      ],
    );
    // Courses: subject by turns, grade by turns of another length, so every subject has
    // every grade; one in 19 is a draft; one in 25 a small group (5 seats) that will be full.
    for (const { slug, list } of grades) {
      await tx.query(
        `insert into public.courses (tenant_id, code, title, subject, grade_level, description,
                                     capacity, status, created_at)
         select t.id,
                s.short || '-' || lpad(g::text, 4, '0'),
                initcap(s.subject) || ' ' || gr.grade || ': ' ||
                  ($4::text[])[1 + (g / 7) % cardinality($4::text[])] ||
                  ' (group ' || (1 + g % 9) || ')',
                s.subject,
                gr.grade,
                'A ' || s.subject || ' course for ' || gr.grade || ' students, ' ||
                  'with weekly lessons, practice work and a test at the end of each module.',
                case when g % 25 = 0 then 5 else 20 + (g * 7) % 26 end,
                (case when g % 19 = 0 then 'draft' else 'published' end)::public.course_status,
                '2025-01-06T07:00:00Z'::timestamptz + (g / 3) * interval '17 hours'
         from public.tenants t
         cross join generate_series(1, $2::int) g
         cross join lateral (
           select ($3::text[])[1 + g % cardinality($3::text[])] as subject,
                  ($5::text[])[1 + g % cardinality($5::text[])] as short
         ) s
         cross join lateral (
           select ($6::text[])[1 + (g / cardinality($3::text[])) % cardinality($6::text[])] as grade
         ) gr
         where t.slug = $1`,
        [
          slug,
          coursesPerSchool,
          BENCH_SUBJECTS.map(([s]) => s),
          BENCH_TOPICS,
          BENCH_SUBJECTS.map(([, short]) => short),
          list,
        ],
      );
    }
    // Instructors: teacher (g mod 40) for every course; every fifth course has a second one.
    await tx.query(
      `insert into public.course_instructors (tenant_id, course_id, teacher_id)
       select c.tenant_id, c.id, p.id
       from (
         select c.*, row_number() over (partition by c.tenant_id order by c.code) as n
         from public.courses c where c.code ~ '^[A-Z]{3}-[0-9]{4}$'
       ) c
       join public.tenants t on t.id = c.tenant_id
       join public.people p on p.tenant_id = c.tenant_id and p.email = any (array[
         format('bench.teacher%s@%s.bench.elymica.test', 1 + c.n % $1, t.slug),
         case when c.n % 5 = 0
           then format('bench.teacher%s@%s.bench.elymica.test', 1 + (c.n + 17) % $1, t.slug)
         end
       ])
       on conflict do nothing`,
      [BENCH_TEACHERS],
    );
    // Enrolments: every student in 8 published courses spread over the catalog (at most ~3 a
    // course, under every capacity), 1 in 10 completed and 1 in 20 withdrawn; then the small
    // groups are filled to their capacity.
    await tx.query(
      `with bench_courses as (
         select c.tenant_id, c.id, c.capacity,
                row_number() over (partition by c.tenant_id order by c.code) as n,
                count(*) over (partition by c.tenant_id) as total
         from public.courses c
         where c.code ~ '^[A-Z]{3}-[0-9]{4}$' and c.status = 'published'
       ),
       students as (
         select p.tenant_id, p.id, row_number() over (partition by p.tenant_id order by p.email) as n
         from public.people p where p.email like 'bench.student%'
       )
       insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
       select s.tenant_id, c.id, s.id,
              (case when (s.n + k) % 20 = 0 then 'withdrawn'
                    when (s.n + k) % 10 = 0 then 'completed'
                    else 'enrolled' end)::public.enrollment_status,
              s.id
       from students s
       cross join generate_series(1, $1::int) k
       join bench_courses c on c.tenant_id = s.tenant_id
         and c.n = 1 + ((s.n * 131 + k * 389) % c.total)
         and c.capacity > 5
       on conflict do nothing`,
      [ENROLMENTS_PER_STUDENT],
    );
    await tx.query(
      `insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
       select c.tenant_id, c.id, s.id, 'enrolled', s.id
       from public.courses c
       cross join lateral (
         select p.id from public.people p
         where p.tenant_id = c.tenant_id and p.email like 'bench.student%'
         order by md5(c.id::text || p.id::text)
         limit c.capacity
       ) s
       where c.code ~ '^[A-Z]{3}-[0-9]{4}$' and c.status = 'published' and c.capacity = 5
       on conflict do nothing`,
    );
  });
  // What autovacuum soon does on a live database: statistics, and the visibility map that lets
  // the catalog read a page from its index alone.
  await owner.exec("vacuum analyze");
  const [counts] = await owner.query<FilledCatalog>(
    `select (select count(*)::int from public.tenants) as schools,
            (select count(*)::int from public.courses) as courses,
            (select count(*)::int from public.courses where status = 'draft') as drafts,
            (select count(*)::int from public.people where role = 'teacher') as teachers,
            (select count(*)::int from public.people where role = 'student') as students,
            (select count(*)::int from public.enrollments) as enrolments,
            (select count(*)::int from public.courses c
              where c.capacity <= (select count(*) from public.enrollments e
                                    where e.tenant_id = c.tenant_id and e.course_id = c.id
                                      and e.status <> 'withdrawn')) as "fullCourses"`,
  );
  return counts;
}
