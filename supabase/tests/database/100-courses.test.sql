-- Courses, instructors, prerequisites, modules and lessons: integrity whoever writes, and who
-- reads and writes what, per role, across two schools. Enrolment-based reading is in 110.
begin;
select plan(32);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher2@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
select tests.create_person(tests.school_id('school-b'), 'teacher', 'teacher@b.test');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-a000-000000000001', tests.school_id('school-a'), 'MATH-10', 'Mathematics 10', 'mathematics', '10', 'published'),
  ('00000000-0000-4000-a000-000000000002', tests.school_id('school-a'), 'PHYS-10', 'Physics 10', 'physics', '10', 'draft'),
  ('00000000-0000-4000-a000-000000000003', tests.school_id('school-a'), 'ART-9', 'Art 9', 'art', '9', 'published'),
  ('00000000-0000-4000-b000-000000000001', tests.school_id('school-b'), 'MATH-10', 'Mathematics 10 (B)', 'mathematics', '10', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', tests.person_id('teacher@a.test')),
  (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000002', tests.person_id('teacher@a.test'));
insert into public.modules (id, tenant_id, course_id, title, position) values
  ('00000000-0000-4000-a100-000000000001', tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', 'Numbers', 1),
  ('00000000-0000-4000-a100-000000000003', tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', 'Colour', 1);
insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, duration_seconds, storage_path, content_type, byte_size, body) values
  (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a100-000000000001',
   'Counting', 'video', 1, 600, 'school-a/math/counting.mp4', 'video/mp4', 1000000, null),
  (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a100-000000000001',
   'Fractions', 'text', 2, 300, null, null, null, 'A half is one of two equal parts.');

-- Integrity, whoever writes (as owner)
select throws_ok(
  format($$ insert into public.course_instructors (tenant_id, course_id, teacher_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', tests.person_id('student@a.test')),
  'EL422', 'Only a teacher can teach a course; this person is a student',
  'only a teacher can be an instructor'
);
select throws_ok(
  format($$ insert into public.course_instructors (tenant_id, course_id, teacher_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', tests.person_id('teacher@b.test')),
  '23503', null, 'a teacher of another school cannot teach the course'
);
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-b000-000000000001'),
  '23503', null, 'a prerequisite from another school is impossible'
);
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000001'),
  '23514', null, 'a course cannot require itself'
);
insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id)
values (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', '00000000-0000-4000-a000-000000000001');
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003'),
  'EL422', 'A course cannot require itself, directly or through other courses',
  'prerequisites cannot form a cycle'
);
select throws_ok(
  format($$ insert into public.lessons (tenant_id, course_id, module_id, title, kind, position) values (%L, %L, %L, 'No file', 'pdf', 3) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a100-000000000001'),
  '23514', null, 'a PDF lesson needs its stored file'
);
select throws_ok(
  format($$ insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, body) values (%L, %L, %L, 'Wrong course', 'text', 3, 'x') $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', '00000000-0000-4000-a100-000000000001'),
  '23503', null, 'a lesson cannot sit in a module of another course'
);
select throws_ok(
  format($$ insert into public.modules (tenant_id, course_id, title, position) values (%L, %L, 'Again', 1) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001'),
  '23505', null, 'module positions are unique per course'
);

-- A student reads the published courses of their school, and no content without enrolling
select tests.authenticate_as(tests.person_id('student@a.test'));
select results_eq(
  $$ select code from public.courses order by code $$,
  $$ values ('ART-9'), ('MATH-10') $$,
  'a student reads the published courses of their school only'
);
select is_empty($$ select * from public.modules $$, 'a student not enrolled reads no modules');
select is_empty($$ select * from public.lessons $$, 'a student not enrolled reads no lessons');
select throws_ok(
  format($$ insert into public.courses (tenant_id, code, title, subject, grade_level) values (%L, 'X-1', 'X', 'x', '1') $$,
         tests.school_id('school-a')),
  '42501', 'new row violates row-level security policy for table "courses"', 'a student cannot create a course'
);
select is(
  tests.affected_rows($$ update public.courses set title = 'Hacked' $$), 0, 'a student cannot edit a course'
);
select throws_ok(
  $$ insert into public.lesson_completions (tenant_id, course_id, lesson_id, student_id) select tenant_id, course_id, id, tenant_id from public.lessons $$,
  '42501', 'permission denied for table lesson_completions', 'completions are written only through complete_lesson()'
);

-- A parent reads what their children may: the published catalog
select tests.authenticate_as(tests.person_id('parent@a.test'));
select results_eq(
  $$ select code from public.courses order by code $$, $$ values ('ART-9'), ('MATH-10') $$,
  'a parent reads the published courses of their school'
);

-- An instructor reads and edits their courses, drafts included, and their content
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select results_eq(
  $$ select code from public.courses order by code $$,
  $$ values ('ART-9'), ('MATH-10'), ('PHYS-10') $$,
  'a teacher reads the published courses and their own draft'
);
select results_eq(
  $$ select title, kind::text, storage_path from public.lessons order by position $$,
  $$ values ('Counting', 'video', 'school-a/math/counting.mp4'), ('Fractions', 'text', null) $$,
  'an instructor reads the lessons of their course, stored file included'
);
select is_empty(
  $$ select * from public.modules where course_id = '00000000-0000-4000-a000-000000000003' $$,
  'a teacher reads no modules of a course they do not teach'
);
select lives_ok(
  format($$ insert into public.modules (tenant_id, course_id, title, position) values (%L, %L, 'Shapes', 2) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001'),
  'an instructor adds a module to their course'
);
select throws_ok(
  format($$ insert into public.modules (tenant_id, course_id, title, position) values (%L, %L, 'Mine now', 2) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003'),
  '42501', 'new row violates row-level security policy for table "modules"',
  'a teacher cannot add a module to a course they do not teach'
);
select is(
  tests.affected_rows($$ update public.courses set description = 'Numbers and shapes' where code = 'MATH-10' $$),
  1, 'an instructor edits their course'
);
select is(
  tests.affected_rows($$ update public.courses set description = 'Not mine' where code = 'ART-9' $$),
  0, 'a teacher cannot edit a course they do not teach'
);
select throws_ok(
  format($$ insert into public.courses (tenant_id, code, title, subject, grade_level) values (%L, 'X-1', 'X', 'x', '1') $$,
         tests.school_id('school-a')),
  '42501', 'new row violates row-level security policy for table "courses"', 'a teacher cannot create a course'
);

-- Another teacher of the school sees neither the draft nor the content
select tests.authenticate_as(tests.person_id('teacher2@a.test'));
select results_eq(
  $$ select code from public.courses order by code $$, $$ values ('ART-9'), ('MATH-10') $$,
  'another teacher reads the published courses only'
);
select is(
  tests.affected_rows($$ delete from public.lessons $$), 0, 'another teacher cannot remove lessons'
);

-- An admin reads and writes everything of their school, nothing of another
select tests.authenticate_as(tests.person_id('admin@a.test'));
select results_eq(
  $$ select code from public.courses order by code $$,
  $$ values ('ART-9'), ('MATH-10'), ('PHYS-10') $$,
  'an admin reads every course of their school, drafts included, and none of another school'
);
select lives_ok(
  format($$ insert into public.courses (tenant_id, code, title, subject, grade_level, capacity) values (%L, 'BIO-11', 'Biology 11', 'biology', '11', 25) $$,
         tests.school_id('school-a')),
  'an admin creates a course in their school'
);
select throws_ok(
  format($$ insert into public.courses (tenant_id, code, title, subject, grade_level) values (%L, 'BIO-11', 'Biology 11', 'biology', '11') $$,
         tests.school_id('school-b')),
  '42501', 'new row violates row-level security policy for table "courses"', 'an admin cannot create a course in another school'
);
select lives_ok(
  format($$ insert into public.course_instructors (tenant_id, course_id, teacher_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', tests.person_id('teacher2@a.test')),
  'an admin assigns an instructor'
);
select throws_ok(
  format($$ update public.courses set tenant_id = %L where code = 'ART-9' $$, tests.school_id('school-b')),
  '42501', 'permission denied for table courses', 'a course cannot be moved to another school'
);

-- The other school's admin sees and changes nothing of school A
select tests.authenticate_as(tests.person_id('admin@b.test'));
select is(
  tests.affected_rows($$ update public.courses set title = 'Taken' where code = 'ART-9' $$),
  0, 'an admin cannot edit another school''s course'
);
select results_eq(
  $$ select (select count(*) from public.courses)::int, (select count(*) from public.lessons)::int,
            (select count(*) from public.course_instructors)::int $$,
  $$ values (1, 0, 0) $$,
  'an admin reads only their own school''s courses, lessons and instructors'
);

select * from finish();
rollback;
