-- The catalog's totals (public.catalog's total column) for each static and built statement
-- shape: equal to counting the courses through RLS, for every role, drafts included exactly
-- when the courses policy shows them.
begin;
select plan(6);

select tests.create_school('totals-a');
select tests.create_school('totals-b');
select tests.create_person(tests.school_id('totals-a'), 'admin', 'admin@totals-a.test');
select tests.create_person(tests.school_id('totals-a'), 'teacher', 'teacher@totals-a.test');
select tests.create_person(tests.school_id('totals-a'), 'student', 'student1@totals-a.test');
select tests.create_person(tests.school_id('totals-a'), 'student', 'student2@totals-a.test');
select tests.create_person(tests.school_id('totals-a'), 'parent', 'parent@totals-a.test');
insert into public.guardian_links (tenant_id, parent_id, student_id)
values (tests.school_id('totals-a'), tests.person_id('parent@totals-a.test'),
        tests.person_id('student1@totals-a.test'));

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-5500-000000000001', tests.school_id('totals-a'), 'M9A', 'Maths 9 A', 'maths', '9', 'published'),
  ('00000000-0000-4000-5500-000000000002', tests.school_id('totals-a'), 'M9B', 'Maths 9 B', 'maths', '9', 'published'),
  ('00000000-0000-4000-5500-000000000003', tests.school_id('totals-a'), 'M10', 'Maths 10', 'maths', '10', 'published'),
  ('00000000-0000-4000-5500-000000000004', tests.school_id('totals-a'), 'A9', 'Art 9', 'art', '9', 'published'),
  ('00000000-0000-4000-5500-000000000005', tests.school_id('totals-a'), 'A10', 'Art 10', 'art', '10', 'published'),
  -- drafts: one taught by the teacher, one student1 is enrolled in, one nobody may see but admins
  ('00000000-0000-4000-5500-000000000006', tests.school_id('totals-a'), 'D-TAUGHT', 'Draft taught', 'maths', '9', 'draft'),
  ('00000000-0000-4000-5500-000000000007', tests.school_id('totals-a'), 'D-ENROLLED', 'Draft enrolled', 'maths', '10', 'draft'),
  ('00000000-0000-4000-5500-000000000008', tests.school_id('totals-a'), 'D-HIDDEN', 'Draft hidden', 'art', '9', 'draft'),
  ('00000000-0000-4000-5500-000000000009', tests.school_id('totals-b'), 'M9-B', 'Maths 9 elsewhere', 'maths', '9', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id)
values (tests.school_id('totals-a'), '00000000-0000-4000-5500-000000000006', tests.person_id('teacher@totals-a.test'));
insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
values (tests.school_id('totals-a'), '00000000-0000-4000-5500-000000000007',
        tests.person_id('student1@totals-a.test'), 'enrolled', tests.person_id('admin@totals-a.test'));

-- For each filter shape (whole catalog, a subject, a subject and grade, a grade alone): the
-- total of a first page of one course (full, so the total is counted, not the page's length;
-- no page at all is a total of 0) and the number of courses the same person reads through RLS.
create temporary view total_mismatches with (security_invoker = true) as
  select * from (
    select f.subject, f.grade,
           (select coalesce(max(total), 0)
            from public.catalog(f.subject, f.grade, null, 'title', 'asc', 1, 0, false)) as total,
           (select count(*) from public.courses c
            where (f.subject is null or c.subject = f.subject)
              and (f.grade is null or c.grade_level = f.grade)) as counted
    from (values (null, null), ('maths', null), ('maths', '9'), ('art', null), (null, '9'))
      f(subject, grade)
  ) shapes
  where total is distinct from counted;
grant select on total_mismatches to authenticated;

select tests.authenticate_as(tests.person_id('student2@totals-a.test'));
select is_empty('select * from total_mismatches', 'a student in no draft: totals = what RLS lets them read');
select tests.authenticate_as(tests.person_id('student1@totals-a.test'));
select is_empty('select * from total_mismatches', 'a student enrolled in a draft: it counts for them');
select tests.authenticate_as(tests.person_id('parent@totals-a.test'));
select is_empty('select * from total_mismatches', 'their parent: the child''s draft counts too');
select tests.authenticate_as(tests.person_id('teacher@totals-a.test'));
select is_empty('select * from total_mismatches', 'a teacher: the draft they teach counts');
select tests.authenticate_as(tests.person_id('admin@totals-a.test'));
select is_empty('select * from total_mismatches', 'an admin: every draft counts');
select is(
  (select max(total) from public.catalog(null, null, null, 'title', 'asc', 1, 0, false)), 8::bigint,
  'and the whole catalog is the school''s 8 courses, none of the other school''s'
);

select * from finish();
rollback;
