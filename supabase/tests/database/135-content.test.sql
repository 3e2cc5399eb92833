-- Opening a course's lessons (LMS-2): public.content_course_id() per role — enrolled student,
-- their parent, instructor, admin allowed; a student not enrolled, a parent whose child is not,
-- a teacher who does not teach it refused (EL403); unknown, other-school and hidden drafts not
-- found (EL404) by course, module or lesson id alike; and the policies agree with it.
begin;
select plan(23);

select tests.create_school('content-a');
select tests.create_school('content-b');
select tests.create_person(tests.school_id('content-a'), 'admin', 'admin@content-a.test');
select tests.create_person(tests.school_id('content-a'), 'teacher', 'teacher@content-a.test');
select tests.create_person(tests.school_id('content-a'), 'teacher', 'other-teacher@content-a.test');
select tests.create_person(tests.school_id('content-a'), 'student', 'enrolled@content-a.test');
select tests.create_person(tests.school_id('content-a'), 'student', 'outsider@content-a.test');
select tests.create_person(tests.school_id('content-a'), 'parent', 'parent@content-a.test');
select tests.create_person(tests.school_id('content-a'), 'parent', 'other-parent@content-a.test');
select tests.create_person(tests.school_id('content-b'), 'admin', 'admin@content-b.test');
insert into public.guardian_links (tenant_id, parent_id, student_id, relationship) values
  (tests.school_id('content-a'), tests.person_id('parent@content-a.test'), tests.person_id('enrolled@content-a.test'), 'mother'),
  (tests.school_id('content-a'), tests.person_id('other-parent@content-a.test'), tests.person_id('outsider@content-a.test'), 'father');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-d000-000000000001', tests.school_id('content-a'), 'BIO-1', 'Biology', 'biology', '9', 'published'),
  ('00000000-0000-4000-d000-000000000002', tests.school_id('content-a'), 'DRAFT', 'Draft', 'biology', '9', 'draft'),
  ('00000000-0000-4000-d000-000000000003', tests.school_id('content-b'), 'BIO-1', 'Biology B', 'biology', '9', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('content-a'), '00000000-0000-4000-d000-000000000001', tests.person_id('teacher@content-a.test'));
insert into public.modules (id, tenant_id, course_id, title, position) values
  ('00000000-0000-4000-d100-000000000001', tests.school_id('content-a'), '00000000-0000-4000-d000-000000000001', 'Cells', 1),
  ('00000000-0000-4000-d100-000000000002', tests.school_id('content-a'), '00000000-0000-4000-d000-000000000002', 'Draft module', 1),
  ('00000000-0000-4000-d100-000000000003', tests.school_id('content-b'), '00000000-0000-4000-d000-000000000003', 'Cells B', 1);
insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, body) values
  ('00000000-0000-4000-d200-000000000001', tests.school_id('content-a'), '00000000-0000-4000-d000-000000000001',
   '00000000-0000-4000-d100-000000000001', 'The cell', 'text', 1, 'Cells are…'),
  ('00000000-0000-4000-d200-000000000003', tests.school_id('content-b'), '00000000-0000-4000-d000-000000000003',
   '00000000-0000-4000-d100-000000000003', 'The cell B', 'text', 1, 'Cells are…');
insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by) values
  (tests.school_id('content-a'), '00000000-0000-4000-d000-000000000001', tests.person_id('enrolled@content-a.test'),
   tests.person_id('enrolled@content-a.test'));

-- Allowed: by course, module and lesson id alike
select tests.authenticate_as(tests.person_id('enrolled@content-a.test'));
select is(public.content_course_id('00000000-0000-4000-d000-000000000001'), '00000000-0000-4000-d000-000000000001'::uuid,
  'an enrolled student opens the course');
select is(public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000001'),
  '00000000-0000-4000-d000-000000000001'::uuid, 'by one of its modules');
select is(public.content_course_id(p_lesson_id => '00000000-0000-4000-d200-000000000001'),
  '00000000-0000-4000-d000-000000000001'::uuid, 'by one of its lessons');
select isnt_empty($$ select * from public.lessons where module_id = '00000000-0000-4000-d100-000000000001' $$,
  'and the lessons policy lets them read the lessons');

select tests.authenticate_as(tests.person_id('parent@content-a.test'));
select is(public.content_course_id(p_lesson_id => '00000000-0000-4000-d200-000000000001'),
  '00000000-0000-4000-d000-000000000001'::uuid, 'the parent of an enrolled student opens it');
select tests.authenticate_as(tests.person_id('teacher@content-a.test'));
select is(public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000001'),
  '00000000-0000-4000-d000-000000000001'::uuid, 'its instructor opens it');
select tests.authenticate_as(tests.person_id('admin@content-a.test'));
select is(public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000002'),
  '00000000-0000-4000-d000-000000000002'::uuid, 'an admin opens even a draft of their school');

-- Refused: the course is visible in the catalog, its lessons are not theirs
select tests.authenticate_as(tests.person_id('outsider@content-a.test'));
select throws_ok($$ select public.content_course_id('00000000-0000-4000-d000-000000000001') $$,
  'EL403', null, 'a student not enrolled is refused the course');
select throws_ok($$ select public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000001') $$,
  'EL403', null, '… and its module');
select throws_ok($$ select public.content_course_id(p_lesson_id => '00000000-0000-4000-d200-000000000001') $$,
  'EL403', null, '… and its lesson');
select is_empty($$ select * from public.lessons where course_id = '00000000-0000-4000-d000-000000000001' $$,
  'and the lessons policy shows them none');
select tests.authenticate_as(tests.person_id('other-parent@content-a.test'));
select throws_ok($$ select public.content_course_id(p_lesson_id => '00000000-0000-4000-d200-000000000001') $$,
  'EL403', null, 'a parent whose child is not enrolled is refused');
select tests.authenticate_as(tests.person_id('other-teacher@content-a.test'));
select throws_ok($$ select public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000001') $$,
  'EL403', null, 'a teacher who does not teach the course is refused');
select is_empty($$ select * from public.modules where course_id = '00000000-0000-4000-d000-000000000001' $$,
  'and the modules policy shows them none');

-- Not found: hidden drafts, other schools, unknown ids — one answer
select throws_ok($$ select public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000002') $$,
  'EL404', 'Module not found.', 'a draft the teacher does not teach is not found');
select tests.authenticate_as(tests.person_id('outsider@content-a.test'));
select throws_ok($$ select public.content_course_id('00000000-0000-4000-d000-000000000002') $$,
  'EL404', 'Course not found.', 'a student does not find a draft course');
select throws_ok($$ select public.content_course_id('00000000-0000-4000-d000-000000000003') $$,
  'EL404', 'Course not found.', 'another school''s course is not found');
select throws_ok($$ select public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000003') $$,
  'EL404', 'Module not found.', 'another school''s module is not found');
select throws_ok($$ select public.content_course_id(p_lesson_id => '00000000-0000-4000-d200-000000000003') $$,
  'EL404', 'Lesson not found.', 'another school''s lesson is not found');
select throws_ok($$ select public.content_course_id(p_lesson_id => '00000000-0000-4000-d200-0000000000ff') $$,
  'EL404', 'Lesson not found.', 'an unknown lesson is not found');
select tests.authenticate_as(tests.person_id('admin@content-b.test'));
select throws_ok($$ select public.content_course_id(p_module_id => '00000000-0000-4000-d100-000000000001') $$,
  'EL404', 'Module not found.', 'even another school''s admin does not find it');

-- Bad calls
select throws_ok($$ select public.content_course_id() $$, 'EL400', null, 'nothing named is a bad request');
select throws_ok(
  $$ select public.content_course_id('00000000-0000-4000-d000-000000000003', '00000000-0000-4000-d100-000000000003') $$,
  'EL400', null, 'two things named is a bad request'
);

select * from finish();
rollback;
