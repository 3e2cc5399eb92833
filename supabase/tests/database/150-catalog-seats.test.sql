-- Seats left on the catalog (seats_left of public.catalog and private.course_cards):
-- the same rule as public.enroll() — enrolled and completed take a seat, withdrawn frees it —
-- proven against enroll() itself; counts a student may see without reading anyone's enrolment;
-- nothing about another school's course or an unseen draft.
begin;
select plan(20);

select tests.create_school('seats-a');
select tests.create_school('seats-b');
select tests.create_person(tests.school_id('seats-a'), 'admin', 'admin@seats-a.test');
select tests.create_person(tests.school_id('seats-a'), 'teacher', 'teacher@seats-a.test');
select tests.create_person(tests.school_id('seats-a'), 'student', 'student1@seats-a.test');
select tests.create_person(tests.school_id('seats-a'), 'student', 'student2@seats-a.test');
select tests.create_person(tests.school_id('seats-a'), 'student', 'student3@seats-a.test');
select tests.create_person(tests.school_id('seats-a'), 'student', 'student4@seats-a.test');
select tests.create_person(tests.school_id('seats-a'), 'student', 'student5@seats-a.test');
select tests.create_person(tests.school_id('seats-b'), 'student', 'student@seats-b.test');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status, capacity) values
  ('00000000-0000-4000-5000-000000000001', tests.school_id('seats-a'), 'LAB', 'Lab group', 'seats', '10', 'published', 3),
  ('00000000-0000-4000-5000-000000000002', tests.school_id('seats-a'), 'BIG', 'Big class', 'seats', '10', 'published', 30),
  ('00000000-0000-4000-5000-000000000003', tests.school_id('seats-a'), 'DRAFT', 'Draft class', 'seats', '10', 'draft', 5),
  ('00000000-0000-4000-5000-000000000004', tests.school_id('seats-b'), 'OTHER', 'Other school', 'seats', '10', 'published', 3);
insert into public.course_instructors (tenant_id, course_id, teacher_id)
values (tests.school_id('seats-a'), '00000000-0000-4000-5000-000000000003', tests.person_id('teacher@seats-a.test'));
-- LAB: one enrolled, one completed, one withdrawn (made by the owner, as the seed does)
insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
select tests.school_id('seats-a'), '00000000-0000-4000-5000-000000000001', tests.person_id(s.email),
       s.status::public.enrollment_status, tests.person_id(s.email)
from (values ('student2@seats-a.test', 'enrolled'), ('student3@seats-a.test', 'completed'),
             ('student4@seats-a.test', 'withdrawn')) s(email, status);
insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
values (tests.school_id('seats-a'), '00000000-0000-4000-5000-000000000003',
        tests.person_id('student5@seats-a.test'), 'enrolled', tests.person_id('admin@seats-a.test'));

-- A student who is in none of them sees the seats of every published course
select tests.authenticate_as(tests.person_id('student1@seats-a.test'));
select results_eq(
  $$ select code, capacity, seats_left from public.catalog('seats', null, null, 'code', 'asc', 100, 0, false) $$,
  $$ values ('BIG', 30, 30), ('LAB', 3, 1) $$,
  'seats left = capacity less the enrolled and completed; the withdrawn one frees its seat'
);
select is_empty(
  $$ select * from public.enrollments where course_id = '00000000-0000-4000-5000-000000000001' $$,
  'the student still cannot read the enrolments they were counted from'
);
select results_eq(
  $$ select course_id, seats_left from private.course_cards(array[
       '00000000-0000-4000-5000-000000000001', '00000000-0000-4000-5000-000000000003',
       '00000000-0000-4000-5000-000000000004']::uuid[]) $$,
  $$ values ('00000000-0000-4000-5000-000000000001'::uuid, 1) $$,
  'course_cards answers a student only for courses they may read: no draft, no other school'
);
select is(
  (select seats_left from public.catalog(null, null, 'LAB', 'code', 'asc', 1, 0, false)), 1,
  'a search gives the same seats'
);

-- The last seat, taken through enroll(): the catalog says full exactly when enroll() does
select is(
  public.enroll('00000000-0000-4000-5000-000000000001') ->> 'created', 'true',
  'the student takes the last seat'
);
select is(
  (select seats_left from public.catalog('seats', null, null, 'code', 'asc', 100, 0, false) where code = 'LAB'),
  0, 'the course now shows no seat left'
);
select tests.authenticate_as(tests.person_id('student4@seats-a.test'));
select throws_ok(
  $$ select public.enroll('00000000-0000-4000-5000-000000000001') $$,
  'EL409', 'This course is full.', 'and enroll() agrees: the withdrawn student cannot come back'
);

-- A withdrawal frees a seat, and enroll() gives it to the next student
select tests.authenticate_as_owner();
update public.enrollments set status = 'withdrawn'
where course_id = '00000000-0000-4000-5000-000000000001' and student_id = tests.person_id('student2@seats-a.test');
select tests.authenticate_as(tests.person_id('student4@seats-a.test'));
select is(
  (select seats_left from public.catalog('seats', null, null, 'code', 'asc', 100, 0, false) where code = 'LAB'),
  1, 'a withdrawal frees one seat'
);
select is(
  public.enroll('00000000-0000-4000-5000-000000000001') ->> 'created', 'true',
  'the withdrawn student comes back into the freed seat (their enrolment, enrolled again)'
);
select is(
  (select seats_left from public.catalog('seats', null, null, 'code', 'asc', 100, 0, false) where code = 'LAB'),
  0, 'and the course is full again'
);

-- More capacity, more seats (a capacity under the enrolments is refused by the teaching rules)
select tests.authenticate_as_owner();
update public.courses set capacity = 5 where id = '00000000-0000-4000-5000-000000000001';
select tests.authenticate_as(tests.person_id('student1@seats-a.test'));
select is(
  (select seats_left from public.catalog('seats', null, null, 'code', 'asc', 100, 0, false) where code = 'LAB'),
  2, 'three seats taken of five: two left'
);

-- Staff: the draft's seats for those who may read it
select tests.authenticate_as(tests.person_id('teacher@seats-a.test'));
select results_eq(
  $$ select code, seats_left from public.catalog(null, null, null, 'code', 'asc', 100, 0, true) $$,
  $$ values ('DRAFT', 4) $$,
  'the teacher of a draft sees its seats (mine)'
);
select results_eq(
  $$ select seats_left, instructors -> 0 ->> 'name' from private.course_cards(array['00000000-0000-4000-5000-000000000003']::uuid[]) $$,
  $$ values (4, 'Teacher') $$,
  'course_cards answers the draft''s teacher with its seats and instructors'
);
select tests.authenticate_as(tests.person_id('admin@seats-a.test'));
select results_eq(
  $$ select code, seats_left from public.catalog('seats', null, null, 'code', 'desc', 100, 0, false) $$,
  $$ values ('LAB', 2), ('DRAFT', 4), ('BIG', 30) $$,
  'an admin sees every course of the school with its seats, code descending'
);
select is_empty(
  $$ select * from private.course_cards(array['00000000-0000-4000-5000-000000000004']::uuid[]) $$,
  'not even an admin gets another school''s course from course_cards'
);

-- Another school
select tests.authenticate_as(tests.person_id('student@seats-b.test'));
select results_eq(
  $$ select code, seats_left, total from public.catalog('seats', null, null, 'title', 'asc', 100, 0, false) $$,
  $$ values ('OTHER', 3, 1::bigint) $$,
  'a student of the other school sees their own course''s seats only'
);
select is_empty(
  $$ select * from private.course_cards(array['00000000-0000-4000-5000-000000000001',
       '00000000-0000-4000-5000-000000000002']::uuid[]) $$,
  'course_cards tells nothing about another school''s courses'
);
select is_empty(
  $$ select * from private.course_cards(null) $$,
  'no ids, no rows'
);

-- Signed out
select tests.clear_authentication();
select throws_ok(
  $$ select * from private.course_cards(array['00000000-0000-4000-5000-000000000001']::uuid[]) $$,
  '42501', null, 'anon cannot call course_cards'
);
select throws_ok(
  $$ select * from public.catalog() $$,
  '42501', null, 'anon cannot call the catalog'
);

select * from finish();
rollback;
