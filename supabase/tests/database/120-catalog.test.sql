-- The catalog (LMS-1): what each role sees through public.catalog(), exact filters, stable
-- paging over ties, bad parameters, instructor names and the outline, across two schools.
begin;
select plan(24);

select tests.create_school('cat-a');
select tests.create_school('cat-b');
select tests.create_person(tests.school_id('cat-a'), 'admin', 'admin@cat-a.test');
select tests.create_person(tests.school_id('cat-a'), 'teacher', 'teacher@cat-a.test');
select tests.create_person(tests.school_id('cat-a'), 'teacher', 'teacher2@cat-a.test');
select tests.create_person(tests.school_id('cat-a'), 'student', 'student@cat-a.test');
select tests.create_person(tests.school_id('cat-b'), 'student', 'student@cat-b.test');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status, created_at) values
  ('00000000-0000-4000-c000-000000000001', tests.school_id('cat-a'), 'MATH-10', 'Algebra', 'mathematics', '10', 'published', '2026-01-01'),
  ('00000000-0000-4000-c000-000000000002', tests.school_id('cat-a'), 'MATH-11', 'Calculus', 'mathematics', '11', 'published', '2026-01-03'),
  ('00000000-0000-4000-c000-000000000003', tests.school_id('cat-a'), 'PHYS-10', 'Mechanics', 'physics', '10', 'published', '2026-01-02'),
  ('00000000-0000-4000-c000-000000000004', tests.school_id('cat-a'), 'CHEM-10', 'Draft chemistry', 'chemistry', '10', 'draft', '2026-01-04'),
  ('00000000-0000-4000-c000-000000000005', tests.school_id('cat-b'), 'MATH-10', 'Algebra B', 'mathematics', '10', 'published', '2026-01-01');
-- 25 courses with the same title, for paging over ties
insert into public.courses (tenant_id, code, title, subject, grade_level, status, created_at)
select tests.school_id('cat-a'), 'SAME-' || g, 'Same title', 'history', '9', 'published', '2026-02-01'
from generate_series(1, 25) g;
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000001', tests.person_id('teacher@cat-a.test')),
  (tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000004', tests.person_id('teacher@cat-a.test')),
  (tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000001', tests.person_id('teacher2@cat-a.test'));
insert into public.modules (id, tenant_id, course_id, title, position) values
  ('00000000-0000-4000-c100-000000000001', tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000001', 'Equations', 1),
  ('00000000-0000-4000-c100-000000000002', tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000001', 'Graphs', 2);
insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, body) values
  (tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000001', '00000000-0000-4000-c100-000000000001', 'Linear', 'text', 1, 'x'),
  (tests.school_id('cat-a'), '00000000-0000-4000-c000-000000000001', '00000000-0000-4000-c100-000000000001', 'Quadratic', 'text', 2, 'y');

-- A student: published courses of their school only
select tests.authenticate_as(tests.person_id('student@cat-a.test'));
select results_eq(
  $$ select code from public.catalog(null, null, null, 'code', 'asc', 100, 0, false) where code not like 'SAME-%' $$,
  $$ values ('MATH-10'), ('MATH-11'), ('PHYS-10') $$,
  'a student sees the published courses of their school, no draft'
);
select is(
  (select total from public.catalog(null, null, null, 'code', 'asc', 1, 0, false)), 28::bigint,
  'total counts every course of the query, not just the page'
);
select is_empty(
  $$ select * from public.catalog(null, null, 'Algebra B', 'title', 'asc', 100, 0, false) $$,
  'another school''s course never appears, even searched by its title'
);
select is_empty(
  $$ select * from public.catalog(null, null, 'chem', 'title', 'asc', 100, 0, false) $$,
  'a student does not find a draft by searching'
);

-- Filters are exact
select results_eq(
  $$ select code from public.catalog('mathematics', null, null, 'code', 'asc', 100, 0, false) $$,
  $$ values ('MATH-10'), ('MATH-11') $$, 'subject filter'
);
select results_eq(
  $$ select code from public.catalog(null, '10', null, 'code', 'asc', 100, 0, false) $$,
  $$ values ('MATH-10'), ('PHYS-10') $$, 'grade filter (exact: 10 does not match 1 or 100)'
);
select results_eq(
  $$ select code from public.catalog('mathematics', '11', null, 'code', 'asc', 100, 0, false) $$,
  $$ values ('MATH-11') $$, 'subject and grade together'
);
select is_empty(
  $$ select * from public.catalog('math', null, null, 'code', 'asc', 100, 0, false) $$,
  'the subject filter is not a prefix match'
);
select results_eq(
  $$ select code from public.catalog(null, null, 'CALC', 'code', 'asc', 100, 0, false) $$,
  $$ values ('MATH-11') $$, 'search matches the title in any case'
);
select results_eq(
  $$ select code from public.catalog(null, null, 'phys-', 'code', 'asc', 100, 0, false) $$,
  $$ values ('PHYS-10') $$, 'search matches the code in any case'
);
select is_empty(
  $$ select * from public.catalog(null, null, '%', 'code', 'asc', 100, 0, false) $$,
  'a % in a search is a plain character, not a wildcard'
);

-- Sorting
select results_eq(
  $$ select code from public.catalog('mathematics', null, null, 'title', 'desc', 100, 0, false) $$,
  $$ values ('MATH-11'), ('MATH-10') $$, 'title descending'
);
select results_eq(
  $$ select code from public.catalog(null, '10', null, 'created', 'asc', 100, 0, false) $$,
  $$ values ('MATH-10'), ('PHYS-10') $$, 'created ascending'
);

-- Stable paging over 25 identical titles, both directions
select results_eq(
  $$ select count(*), count(distinct id) from (
       select id from public.catalog('history', null, null, 'title', 'asc', 10, 0, false)
       union all select id from public.catalog('history', null, null, 'title', 'asc', 10, 10, false)
       union all select id from public.catalog('history', null, null, 'title', 'asc', 10, 20, false)) p $$,
  $$ values (25::bigint, 25::bigint) $$,
  '25 courses with one title paged by 10 ascending: each exactly once'
);
select results_eq(
  $$ select count(*), count(distinct id) from (
       select id from public.catalog('history', null, null, 'created', 'desc', 10, 0, false)
       union all select id from public.catalog('history', null, null, 'created', 'desc', 10, 10, false)
       union all select id from public.catalog('history', null, null, 'created', 'desc', 10, 20, false)) p $$,
  $$ values (25::bigint, 25::bigint) $$,
  '25 courses with one date paged by 10 descending: each exactly once'
);

-- Bad parameters
select throws_ok(
  $$ select * from public.catalog(null, null, null, 'bogus', 'asc', 10, 0, false) $$,
  'EL400', 'sort must be one of title, created, code', 'an unknown sort is refused, naming sort'
);
select throws_ok(
  $$ select * from public.catalog(null, null, null, 'title', 'up', 10, 0, false) $$,
  'EL400', 'order must be one of asc, desc', 'an unknown order is refused, naming order'
);
select throws_ok(
  $$ select * from public.catalog(null, null, null, 'title', 'asc', 101, 0, false) $$,
  'EL400', 'limit must be between 1 and 100', 'a limit over 100 is refused, naming limit'
);
select throws_ok(
  $$ select * from public.catalog(null, null, null, 'title', 'asc', 0, 0, false) $$,
  'EL400', 'limit must be between 1 and 100', 'a limit of 0 is refused'
);

-- Instructor names and the outline, for a student who is not enrolled
select results_eq(
  $$ select instructors from public.catalog(null, null, 'Algebra', 'title', 'asc', 10, 0, false) $$,
  $$ values ('[{"id": "$$ || tests.person_id('teacher@cat-a.test') || $$", "name": "Teacher"},
               {"id": "$$ || tests.person_id('teacher2@cat-a.test') || $$", "name": "Teacher2"}]'::jsonb) $$,
  'a student reads the names of a published course''s instructors'
);
select results_eq(
  $$ select title, lessons from public.course_outline('00000000-0000-4000-c000-000000000001') $$,
  $$ values ('Equations', 2), ('Graphs', 0) $$,
  'a student reads a published course''s outline: modules in order with lesson counts'
);
select is_empty(
  $$ select * from public.course_outline('00000000-0000-4000-c000-000000000005') $$,
  'no outline of another school''s course'
);

-- A teacher: mine = the courses they teach, drafts included
select tests.authenticate_as(tests.person_id('teacher@cat-a.test'));
select results_eq(
  $$ select code from public.catalog(null, null, null, 'code', 'asc', 100, 0, true) $$,
  $$ values ('CHEM-10'), ('MATH-10') $$,
  'a teacher with mine sees exactly the courses they teach, their draft included'
);

-- A student of the other school sees only theirs
select tests.authenticate_as(tests.person_id('student@cat-b.test'));
select results_eq(
  $$ select code, total from public.catalog(null, null, null, 'title', 'asc', 100, 0, false) $$,
  $$ values ('MATH-10', 1::bigint) $$,
  'a student of another school sees only their school''s course'
);

select * from finish();
rollback;
