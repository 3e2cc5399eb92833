-- Teaching tools: creating a course, prerequisites by instructors, appending and moving modules
-- and lessons, publishing, capacity — per role, with a teacher who does not teach the course and
-- another school's staff.
begin;
select plan(48);

select tests.create_school('teach-a');
select tests.create_school('teach-b');
select tests.create_person(tests.school_id('teach-a'), 'admin', 'admin@teach-a.test');
select tests.create_person(tests.school_id('teach-a'), 'teacher', 'teacher@teach-a.test');
select tests.create_person(tests.school_id('teach-a'), 'teacher', 'other@teach-a.test');
select tests.create_person(tests.school_id('teach-a'), 'teacher', 'gone@teach-a.test', 'disabled');
select tests.create_person(tests.school_id('teach-a'), 'student', 'student@teach-a.test');
select tests.create_person(tests.school_id('teach-a'), 'student', 'student2@teach-a.test');
select tests.create_person(tests.school_id('teach-a'), 'parent', 'parent@teach-a.test');
select tests.create_person(tests.school_id('teach-b'), 'admin', 'admin@teach-b.test');
select tests.create_person(tests.school_id('teach-b'), 'teacher', 'teacher@teach-b.test');

-- Existing courses (as owner): a published one anyone may require, the other teacher's draft,
-- and one in school B.
insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-d000-000000000001', tests.school_id('teach-a'), 'ALG-1', 'Algebra I', 'mathematics', '9', 'published'),
  ('00000000-0000-4000-d000-000000000002', tests.school_id('teach-a'), 'SECRET-1', 'Other draft', 'art', '9', 'draft'),
  ('00000000-0000-4000-d000-000000000003', tests.school_id('teach-b'), 'ALG-1', 'Algebra I (B)', 'mathematics', '9', 'published'),
  ('00000000-0000-4000-d000-000000000004', tests.school_id('teach-a'), 'NUM-1', 'Numbers', 'mathematics', '8', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('teach-a'), '00000000-0000-4000-d000-000000000002', tests.person_id('other@teach-a.test'));

-------------------------------------------------------------------------------
-- Creating a course
-------------------------------------------------------------------------------

create temporary table created (who text primary key, id uuid);
grant all on created to authenticated;

select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
insert into created values
  ('teacher', public.create_course('ALG-2', 'Algebra II', 'mathematics', '10', 'Quadratics.', 3));
select results_eq(
  $$ select c.tenant_id, c.code, c.status::text, c.capacity from public.courses c join created x on x.id = c.id $$,
  format($$ values (%L::uuid, 'ALG-2', 'draft', 3) $$, tests.school_id('teach-a')),
  'a teacher creates a draft course in their own school'
);
select results_eq(
  $$ select ci.teacher_id from public.course_instructors ci join created x on x.id = ci.course_id $$,
  $$ values (auth.uid()) $$,
  'the teacher who creates a course becomes its instructor'
);
select ok(
  (select id from created where who = 'teacher') in (select private.editable_course_ids()),
  'the new course is among the ones its teacher may change'
);
select throws_ok(
  $$ select public.create_course('ALG-2', 'Again', 'mathematics', '10') $$,
  '23505', null, 'a code the school already uses is refused'
);
select throws_ok(
  $$ select public.create_course('bad code', 'Title', 'mathematics', '10') $$,
  '23514', null, 'the courses checks apply (code format)'
);

select tests.authenticate_as(tests.person_id('admin@teach-a.test'));
insert into created values ('admin', public.create_course('BIO-9', 'Biology 9', 'biology', '9'));
select results_eq(
  $$ select c.status::text, (select count(*)::int from public.course_instructors ci where ci.course_id = c.id)
     from public.courses c join created x on x.id = c.id where x.who = 'admin' $$,
  $$ values ('draft', 0) $$,
  'an admin creates a draft course with no instructor'
);
select throws_ok(
  format($$ insert into public.courses (tenant_id, code, title, subject, grade_level, status) values (%L, 'PUB-1', 'Published', 'art', '9', 'published') $$,
         tests.school_id('teach-a')),
  '42501', 'new row violates row-level security policy for table "courses"',
  'a course inserted directly must be a draft (published only through the lesson check)'
);

select tests.authenticate_as(tests.person_id('student@teach-a.test'));
select throws_ok(
  $$ select public.create_course('ST-1', 'Mine', 'art', '9') $$,
  'EL403', 'Only teachers and admins can create courses.', 'a student cannot create a course'
);
select tests.authenticate_as(tests.person_id('parent@teach-a.test'));
select throws_ok(
  $$ select public.create_course('PA-1', 'Mine', 'art', '9') $$,
  'EL403', 'Only teachers and admins can create courses.', 'a parent cannot create a course'
);
select tests.authenticate_as(tests.person_id('gone@teach-a.test'));
select throws_ok(
  $$ select public.create_course('GONE-1', 'Mine', 'art', '9') $$,
  'EL401', 'Sign in to create a course.', 'a disabled teacher with a live token cannot create a course'
);
select tests.clear_authentication();
select throws_ok(
  $$ select public.create_course('ANON-1', 'Mine', 'art', '9') $$,
  '42501', 'permission denied for function create_course', 'anon cannot create a course'
);

-------------------------------------------------------------------------------
-- Prerequisites
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
select lives_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('teach-a'), (select id from created where who = 'teacher'), '00000000-0000-4000-d000-000000000001'),
  'an instructor makes a published course of the school a prerequisite of their course'
);
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('teach-a'), (select id from created where who = 'teacher'), '00000000-0000-4000-d000-000000000002'),
  '42501', 'new row violates row-level security policy for table "course_prerequisites"',
  'an instructor cannot require another teacher''s draft they cannot see'
);
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('teach-a'), (select id from created where who = 'teacher'), '00000000-0000-4000-d000-000000000003'),
  '42501', 'new row violates row-level security policy for table "course_prerequisites"',
  'an instructor cannot require another school''s course'
);
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('teach-a'), '00000000-0000-4000-d000-000000000001', '00000000-0000-4000-d000-000000000004'),
  '42501', 'new row violates row-level security policy for table "course_prerequisites"',
  'a teacher cannot change the prerequisites of a course they do not teach'
);

select tests.authenticate_as(tests.person_id('admin@teach-a.test'));
select throws_ok(
  format($$ insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id) values (%L, %L, %L) $$,
         tests.school_id('teach-a'), '00000000-0000-4000-d000-000000000001', (select id from created where who = 'teacher')),
  'EL422', 'A course cannot require itself, directly or through other courses',
  'an admin cannot close a prerequisite cycle either'
);

select tests.authenticate_as(tests.person_id('other@teach-a.test'));
select is(
  tests.affected_rows($$ delete from public.course_prerequisites $$), 0,
  'a teacher removes no prerequisites of courses they do not teach'
);
select tests.authenticate_as(tests.person_id('admin@teach-b.test'));
select is(
  tests.affected_rows($$ delete from public.course_prerequisites $$), 0,
  'another school''s admin removes no prerequisites'
);
select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
select is(
  tests.affected_rows($$ delete from public.course_prerequisites $$), 1,
  'an instructor removes their course''s prerequisite'
);

-------------------------------------------------------------------------------
-- Modules and lessons go to the end, and move
-------------------------------------------------------------------------------

insert into public.modules (tenant_id, course_id, title)
select tests.school_id('teach-a'), id, t from created, unnest(array['One', 'Two', 'Three', 'Four']) t
where who = 'teacher';
select results_eq(
  $$ select title, position from public.modules where course_id = (select id from created where who = 'teacher') order by position $$,
  $$ values ('One', 1), ('Two', 2), ('Three', 3), ('Four', 4) $$,
  'modules inserted without a position go to the end, in order'
);
select is(
  public.move_module((select id from public.modules where title = 'Four'), 1), 1,
  'move_module returns the place the module took'
);
select results_eq(
  $$ select title, position from public.modules where course_id = (select id from created where who = 'teacher') order by position $$,
  $$ values ('Four', 1), ('One', 2), ('Two', 3), ('Three', 4) $$,
  'moving the last module first shifts the others down, positions stay 1..n'
);
select is(
  public.move_module((select id from public.modules where title = 'Four'), 99), 4,
  'a place past the end means last'
);
delete from public.modules where title = 'One';
select public.move_module((select id from public.modules where title = 'Four'), 1);
select results_eq(
  $$ select title, position from public.modules where course_id = (select id from created where who = 'teacher') order by position $$,
  $$ values ('Four', 1), ('Two', 2), ('Three', 3) $$,
  'a move after a removal numbers the modules 1..n again'
);
select throws_ok(
  $$ select public.move_module((select id from public.modules where title = 'Two'), 0) $$,
  'EL400', 'position must be 1 or more', 'position 0 is refused'
);

insert into public.lessons (tenant_id, course_id, module_id, title, kind, body)
select m.tenant_id, m.course_id, m.id, t, 'text', 'Read.'
from public.modules m, unnest(array['a', 'b', 'c']) t
where m.title = 'Two';
select results_eq(
  $$ select title, position from public.lessons order by position $$,
  $$ values ('a', 1), ('b', 2), ('c', 3) $$,
  'lessons inserted without a position go to the end of their module'
);
select is(public.move_lesson((select id from public.lessons where title = 'a'), 2), 2, 'move_lesson returns the place');
select results_eq(
  $$ select title, position from public.lessons order by position $$,
  $$ values ('b', 1), ('a', 2), ('c', 3) $$,
  'moving a lesson down one swaps it with the next'
);

-- Who may move: not a teacher of another course, nor a student who may read the content, nor
-- another school.
select tests.authenticate_as_owner();
insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by)
select tests.school_id('teach-a'), id, tests.person_id('student@teach-a.test'), tests.person_id('student@teach-a.test')
from created where who = 'teacher';
select tests.authenticate_as(tests.person_id('other@teach-a.test'));
select throws_ok(
  $$ select public.move_module((select id from created where who = 'teacher'), 1) $$,
  'EL404', 'Module not found.', 'an unknown module id is not found'
);
select tests.authenticate_as_owner();
create temporary table ids as
  select (select id from public.modules where title = 'Two') as module_id,
         (select id from public.lessons where title = 'a') as lesson_id;
grant select on ids to authenticated;
select tests.authenticate_as(tests.person_id('other@teach-a.test'));
select throws_ok(
  $$ select public.move_module((select module_id from ids), 1) $$,
  'EL404', 'Module not found.', 'a teacher who does not teach the course cannot see its modules to move them'
);
select throws_ok(
  $$ select public.move_lesson((select lesson_id from ids), 1) $$,
  'EL404', 'Lesson not found.', 'nor its lessons'
);
select tests.authenticate_as(tests.person_id('student@teach-a.test'));
select throws_ok(
  $$ select public.move_module((select module_id from ids), 1) $$,
  'EL403', 'Only the course''s instructors and the school''s admins can change it.',
  'an enrolled student reads the modules but cannot move them'
);
select throws_ok(
  $$ select public.move_lesson((select lesson_id from ids), 1) $$,
  'EL403', 'Only the course''s instructors and the school''s admins can change it.',
  'an enrolled student cannot move lessons'
);
select tests.authenticate_as(tests.person_id('admin@teach-b.test'));
select throws_ok(
  $$ select public.move_lesson((select lesson_id from ids), 1) $$,
  'EL404', 'Lesson not found.', 'another school''s admin does not find the lesson'
);
select tests.authenticate_as(tests.person_id('admin@teach-a.test'));
select is(public.move_lesson((select lesson_id from ids), 1), 1, 'the school''s admin moves lessons of any course');

-------------------------------------------------------------------------------
-- Publishing
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
insert into created values
  ('empty', public.create_course('EMPTY-1', 'Nothing yet', 'art', '9'));
select throws_ok(
  $$ update public.courses set status = 'published' where id = (select id from created where who = 'empty') $$,
  'EL422', 'Add at least one lesson before publishing.', 'a course without lessons cannot be published'
);
select is(
  tests.affected_rows($$ update public.courses set status = 'published' where id = (select id from created where who = 'teacher') $$),
  1, 'an instructor publishes their course once it has a lesson'
);
select tests.authenticate_as(tests.person_id('other@teach-a.test'));
select is(
  tests.affected_rows($$ update public.courses set status = 'draft' where id = (select id from created where who = 'teacher') $$),
  0, 'a teacher cannot unpublish a course they do not teach'
);
select tests.authenticate_as(tests.person_id('admin@teach-b.test'));
select is(
  tests.affected_rows($$ update public.courses set status = 'draft' where code = 'ALG-2' $$),
  0, 'another school''s admin cannot unpublish it'
);
select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
delete from public.lessons where title in ('a', 'b');
select throws_ok(
  $$ delete from public.lessons where title = 'c' $$,
  'EL409', 'A published course needs at least one lesson: add another lesson first, or unpublish the course.',
  'the last lesson of a published course cannot be removed'
);
select throws_ok(
  $$ delete from public.modules where title = 'Two' $$,
  'EL409', 'A published course needs at least one lesson: add another lesson first, or unpublish the course.',
  'nor with its module'
);
select tests.authenticate_as(tests.person_id('admin@teach-a.test'));
select is(
  tests.affected_rows($$ update public.courses set status = 'draft' where id = (select id from created where who = 'teacher') $$),
  1, 'an admin unpublishes a course of their school'
);
select is(
  tests.affected_rows($$ delete from public.lessons where title = 'c' $$), 1,
  'a draft may lose its last lesson'
);

-------------------------------------------------------------------------------
-- Capacity
-------------------------------------------------------------------------------

select tests.authenticate_as_owner();
insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by)
select tests.school_id('teach-a'), id, tests.person_id('student2@teach-a.test'), tests.person_id('student2@teach-a.test')
from created where who = 'teacher';
select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
select throws_ok(
  $$ update public.courses set capacity = 1 where id = (select id from created where who = 'teacher') $$,
  'EL422', '2 students are enrolled in this course; the capacity cannot be lower than that.',
  'capacity below the students enrolled is refused'
);
select is(
  tests.affected_rows($$ update public.courses set capacity = 2 where id = (select id from created where who = 'teacher') $$),
  1, 'capacity equal to the students enrolled is fine'
);
select tests.authenticate_as_owner();
update public.enrollments set status = 'withdrawn'
where student_id = tests.person_id('student2@teach-a.test');
select tests.authenticate_as(tests.person_id('teacher@teach-a.test'));
select is(
  tests.affected_rows($$ update public.courses set capacity = 1 where id = (select id from created where who = 'teacher') $$),
  1, 'a withdrawn student does not count'
);

-------------------------------------------------------------------------------
-- Which courses each person may change
-------------------------------------------------------------------------------

select results_eq(
  $$ select code from public.courses where id in (select private.editable_course_ids()) order by code $$,
  $$ values ('ALG-2'), ('EMPTY-1') $$,
  'a teacher may change the courses they teach'
);
select tests.authenticate_as(tests.person_id('admin@teach-a.test'));
select results_eq(
  $$ select code from public.courses where id in (select private.editable_course_ids()) order by code $$,
  $$ values ('ALG-1'), ('ALG-2'), ('BIO-9'), ('EMPTY-1'), ('NUM-1'), ('SECRET-1') $$,
  'an admin may change every course of their school, none of another'
);

select * from finish();
rollback;
