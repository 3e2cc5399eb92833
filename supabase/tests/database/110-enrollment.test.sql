-- Enrolment (ENR-1), content access through enrolment, completion and progress (LMS-2), the
-- roster (ENR-2). The seat limit here is proven in one session (fill, then one more); the
-- concurrent proof — 200 parallel enrolments for 30 seats — is tests/db/seat_limit_test.ts.
begin;
select plan(51);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher2@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student1@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student2@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student3@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent1@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent2@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
select tests.create_person(tests.school_id('school-b'), 'student', 'student@b.test');
-- parent2 has a phone only: their confirmation goes by SMS
update public.people set email = null, phone = '+254700000222' where email = 'parent2@a.test';
insert into public.guardian_links (tenant_id, parent_id, student_id, relationship)
select tests.school_id('school-a'), p.id, tests.person_id('student1@a.test'), 'mother'
from public.people p where p.full_name = 'Parent1';
insert into public.guardian_links (tenant_id, parent_id, student_id, relationship)
select tests.school_id('school-a'), p.id, tests.person_id('student1@a.test'), 'father'
from public.people p where p.full_name = 'Parent2';

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status, capacity) values
  ('00000000-0000-4000-a000-000000000001', tests.school_id('school-a'), 'ALG-1', 'Algebra I', 'mathematics', '9', 'published', 30),
  ('00000000-0000-4000-a000-000000000002', tests.school_id('school-a'), 'ALG-2', 'Algebra II', 'mathematics', '10', 'published', 30),
  ('00000000-0000-4000-a000-000000000003', tests.school_id('school-a'), 'CHESS', 'Chess club', 'games', 'all', 'published', 2),
  ('00000000-0000-4000-a000-000000000004', tests.school_id('school-a'), 'DRAFT', 'Draft course', 'games', 'all', 'draft', 30),
  ('00000000-0000-4000-b000-000000000001', tests.school_id('school-b'), 'ALG-1', 'Algebra I', 'mathematics', '9', 'published', 30);
insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id)
values (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000001');
insert into public.course_instructors (tenant_id, course_id, teacher_id)
values (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', tests.person_id('teacher@a.test'));
insert into public.modules (id, tenant_id, course_id, title, position)
values ('00000000-0000-4000-a100-000000000001', tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', 'Equations', 1);
insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, body) values
  ('00000000-0000-4000-a200-000000000001', tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001',
   '00000000-0000-4000-a100-000000000001', 'Linear equations', 'text', 1, 'x + 1 = 2'),
  ('00000000-0000-4000-a200-000000000002', tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001',
   '00000000-0000-4000-a100-000000000001', 'Quadratics', 'text', 2, 'x² = 4');

create temporary table enrolment_ids (name text primary key, id uuid);
grant select, insert on enrolment_ids to authenticated;

-- A student enrols themself, once
select tests.authenticate_as(tests.person_id('student1@a.test'));
insert into enrolment_ids select 'first', (public.enroll('00000000-0000-4000-a000-000000000001') ->> 'enrollment_id')::uuid;
select is(
  public.enroll('00000000-0000-4000-a000-000000000001', tests.person_id('student1@a.test')) - 'enrollment_id',
  '{"ok": true, "created": false, "course": {"id": "00000000-0000-4000-a000-000000000001", "code": "ALG-1", "title": "Algebra I"}}'::jsonb,
  'enrolling again returns the course and created false'
);
select is(
  (public.enroll('00000000-0000-4000-a000-000000000001') ->> 'enrollment_id')::uuid,
  (select id from enrolment_ids where name = 'first'),
  'enrolling again returns the same enrolment'
);
select results_eq(
  $$ select student_id, enrolled_by, status::text from public.enrollments $$,
  format($$ values (%L::uuid, %L::uuid, 'enrolled') $$, tests.person_id('student1@a.test'), tests.person_id('student1@a.test')),
  'the enrolment is the student''s, made by the student, and there is one'
);
select throws_ok(
  $$ select public.enroll('00000000-0000-4000-a000-000000000002') $$,
  'EL422', 'Complete Algebra I first.', 'a prerequisite not completed is named'
);
select throws_ok(
  format($$ select public.enroll('00000000-0000-4000-a000-000000000003', %L) $$, tests.person_id('student2@a.test')),
  'EL403', 'You can enrol only yourself.', 'a student cannot enrol another student'
);
select throws_ok(
  $$ select public.enroll('00000000-0000-4000-a000-00000000dead') $$,
  'EL404', 'Course not found.', 'an unknown course is not found'
);
select throws_ok(
  $$ select public.enroll('00000000-0000-4000-b000-000000000001') $$,
  'EL404', 'Course not found.', 'another school''s course is not found, with the same message'
);
select throws_ok(
  $$ select public.enroll('00000000-0000-4000-a000-000000000004') $$,
  'EL404', 'Course not found.', 'a draft course is not found'
);
select throws_ok(
  format($$ insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by) values (%L, %L, %L, %L) $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000003', tests.person_id('student1@a.test'),
         tests.person_id('student1@a.test')),
  '42501', 'permission denied for table enrollments', 'nobody inserts enrolments directly'
);

-- Content follows the enrolment
select results_eq(
  $$ select title from public.lessons order by position $$,
  $$ values ('Linear equations'), ('Quadratics') $$,
  'an enrolled student reads the course''s lessons'
);
select is(public.record_lesson_view('00000000-0000-4000-a200-000000000001'), 1, 'a view is counted');
select is(public.record_lesson_view('00000000-0000-4000-a200-000000000001'), 2, 'a second view increments the counter');

-- Completion and progress
select is(
  public.complete_lesson('00000000-0000-4000-a200-000000000001'),
  '{"ok": true, "lesson_id": "00000000-0000-4000-a200-000000000001", "created": true, "lessons_total": 2,
    "lessons_completed": 1, "progress_percent": 50, "enrollment_status": "enrolled"}'::jsonb,
  'completing a lesson reports the progress'
);
select is(
  public.complete_lesson('00000000-0000-4000-a200-000000000001') -> 'created', 'false'::jsonb,
  'completing a lesson twice is idempotent'
);
select results_eq(
  $$ select course_code, status::text, lessons_total, lessons_completed, progress_percent from public.my_enrollments() $$,
  $$ values ('ALG-1', 'enrolled', 2, 1, 50) $$,
  'my enrolments show progress in percent'
);
select is(
  public.complete_lesson('00000000-0000-4000-a200-000000000002') ->> 'enrollment_status', 'completed',
  'completing the last lesson completes the enrolment'
);
select is(
  public.enroll('00000000-0000-4000-a000-000000000002') -> 'created', 'true'::jsonb,
  'with the prerequisite completed, the student enrols in Algebra II'
);
select throws_ok(
  $$ select public.complete_lesson('00000000-0000-4000-a200-00000000dead') $$,
  'EL404', 'Lesson not found.', 'an unknown lesson is not found'
);

-- Another student: not enrolled, sees nothing of it
select tests.authenticate_as(tests.person_id('student2@a.test'));
select is_empty($$ select * from public.lessons $$, 'a student not enrolled reads no lessons');
select is_empty($$ select * from public.enrollments $$, 'a student reads no one else''s enrolments');
select throws_ok(
  $$ select public.complete_lesson('00000000-0000-4000-a200-000000000001') $$,
  'EL403', 'Only students enrolled in this course can complete its lessons.',
  'a student not enrolled cannot complete a lesson'
);
select throws_ok(
  $$ select public.record_lesson_view('00000000-0000-4000-a200-000000000001') $$,
  'EL404', 'Lesson not found.', 'a student not enrolled cannot record a view'
);
select is_empty($$ select * from public.my_enrollments() $$, 'a student without enrolments has none');

-- A parent enrols their own children only, and follows their progress
select tests.authenticate_as(tests.person_id('parent1@a.test'));
select is(
  public.enroll('00000000-0000-4000-a000-000000000003', tests.person_id('student1@a.test')) -> 'created', 'true'::jsonb,
  'a parent enrols their child'
);
select throws_ok(
  format($$ select public.enroll('00000000-0000-4000-a000-000000000003', %L) $$, tests.person_id('student2@a.test')),
  'EL403', 'You can enrol only your own children.', 'a parent cannot enrol a child not theirs'
);
select throws_ok(
  $$ select public.enroll('00000000-0000-4000-a000-000000000003') $$,
  'EL422', 'Choose the student to enrol.', 'a parent names the child'
);
select results_eq(
  $$ select student_name, course_code, status::text, progress_percent from public.my_enrollments() order by course_code $$,
  $$ values ('Student1', 'ALG-1', 'completed', 100), ('Student1', 'ALG-2', 'enrolled', 0), ('Student1', 'CHESS', 'enrolled', 0) $$,
  'a parent sees each child''s enrolments with progress (0 when a course has no lessons)'
);
select is(
  (select enrolled_by from public.enrollments where course_id = '00000000-0000-4000-a000-000000000003'),
  tests.person_id('parent1@a.test'),
  'the enrolment records the parent who made it'
);
select results_eq(
  $$ select count(*)::int from public.lessons $$, $$ values (2) $$,
  'a parent reads the lessons of their child''s course'
);

-- A teacher enrols nobody
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select throws_ok(
  format($$ select public.enroll('00000000-0000-4000-a000-000000000003', %L) $$, tests.person_id('student2@a.test')),
  'EL403', 'Teachers cannot enrol students.', 'a teacher cannot enrol a student'
);
select results_eq(
  $$ select count(*)::int from public.enrollments $$, $$ values (1) $$,
  'an instructor reads the enrolments of their course only'
);
select results_eq(
  $$ select view_count from public.lesson_views $$, $$ values (2) $$,
  'an instructor reads the view counts of their course'
);
select is_empty($$ select * from public.my_enrollments() $$, 'a teacher has no enrolments of their own');

-- An admin enrols any student of the school, up to the seat limit
select tests.authenticate_as(tests.person_id('admin@a.test'));
select is(
  public.enroll('00000000-0000-4000-a000-000000000003', tests.person_id('student2@a.test')) -> 'created', 'true'::jsonb,
  'an admin enrols a student, taking the last seat'
);
select throws_ok(
  format($$ select public.enroll('00000000-0000-4000-a000-000000000003', %L) $$, tests.person_id('student3@a.test')),
  'EL409', 'This course is full.', 'one more than the capacity is refused'
);
select is(
  public.enroll('00000000-0000-4000-a000-000000000003', tests.person_id('student2@a.test')) -> 'created', 'false'::jsonb,
  'an enrolled student gets their enrolment back even when the course is full'
);
select throws_ok(
  format($$ select public.enroll('00000000-0000-4000-a000-000000000001', %L) $$, tests.person_id('teacher2@a.test')),
  'EL404', 'Student not found.', 'only a student can be enrolled'
);
select throws_ok(
  format($$ select public.enroll('00000000-0000-4000-a000-000000000001', %L) $$, tests.person_id('student@b.test')),
  'EL404', 'Student not found.', 'a student of another school cannot be enrolled'
);

-- The roster: instructors and admins only
select results_eq(
  $$ select full_name, email, guardians from public.course_roster('00000000-0000-4000-a000-000000000001') $$,
  $$ values ('Student1', 'student1@a.test',
             '[{"name": "Parent1", "phone": null, "email": "parent1@a.test"},
               {"name": "Parent2", "phone": "+254700000222", "email": null}]'::jsonb) $$,
  'an admin reads the roster with every guardian''s contacts'
);
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select results_eq(
  $$ select student_id from public.course_roster('00000000-0000-4000-a000-000000000001') $$,
  format($$ values (%L::uuid) $$, tests.person_id('student1@a.test')),
  'the instructor reads the roster of their course'
);
select throws_ok(
  $$ select * from public.course_roster('00000000-0000-4000-b000-000000000001') $$,
  'EL404', 'Course not found.', 'another school''s course is not found'
);
select throws_ok(
  $$ select * from public.course_roster('00000000-0000-4000-a000-00000000dead') $$,
  'EL404', 'Course not found.', 'an unknown course is not found, with the same message'
);
select tests.authenticate_as(tests.person_id('teacher2@a.test'));
select throws_ok(
  $$ select * from public.course_roster('00000000-0000-4000-a000-000000000001') $$,
  'EL403', 'Only the course''s instructors and the school''s admins can see its roster.',
  'another teacher cannot read the roster'
);
select is_empty($$ select * from public.enrollments $$, 'another teacher reads no enrolments');
select tests.authenticate_as(tests.person_id('student1@a.test'));
select throws_ok(
  $$ select * from public.course_roster('00000000-0000-4000-a000-000000000001') $$,
  'EL403', 'Only the course''s instructors and the school''s admins can see its roster.',
  'a student cannot read the roster'
);
select tests.authenticate_as(tests.person_id('parent1@a.test'));
select throws_ok(
  $$ select * from public.course_roster('00000000-0000-4000-a000-000000000001') $$,
  'EL403', 'Only the course''s instructors and the school''s admins can see its roster.',
  'a parent cannot read the roster'
);
select tests.authenticate_as(tests.person_id('admin@b.test'));
select throws_ok(
  $$ select * from public.course_roster('00000000-0000-4000-a000-000000000001') $$,
  'EL404', 'Course not found.', 'another school''s admin gets not found'
);
select is_empty($$ select * from public.enrollments $$, 'another school''s admin reads no enrolments');

-- Confirmations went through the outbox, once per enrolment, to the student and each guardian
select tests.authenticate_as_owner();
select results_eq(
  $$ select channel, recipient, subject from private.outbox
     where subject like '%Algebra I' order by channel, recipient $$,
  $$ values ('email', 'parent1@a.test', 'Student1 is enrolled in Algebra I'),
            ('email', 'student1@a.test', 'Enrolled in Algebra I'),
            ('sms', '+254700000222', 'Student1 is enrolled in Algebra I') $$,
  'the student and both guardians are told once, by email or SMS'
);
select results_eq(
  $$ select count(*)::int from private.outbox where subject like '%Chess club' $$,
  $$ values (4) $$,
  'each new enrolment is confirmed (student1 and two guardians, student2 without guardians), a refused one is not'
);
select results_eq(
  $$ select actor_id, action from audit.log
     where table_name = 'public.enrollments' and record_id = (select id::text from enrolment_ids where name = 'first')
     order by id $$,
  format($$ values (%1$L::uuid, 'insert'), (%1$L::uuid, 'update') $$, tests.person_id('student1@a.test')),
  'the enrolment and its completion are audited with the student as actor'
);

select * from finish();
rollback;
