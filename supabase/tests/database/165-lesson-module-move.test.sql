-- Moving a lesson to another module of its course: to the end there, the module it left numbered
-- 1..n again; only the course's instructors and the school's admins, and only within the course.
begin;
select plan(13);

select tests.create_school('move-a');
select tests.create_school('move-b');
select tests.create_person(tests.school_id('move-a'), 'admin', 'admin@move-a.test');
select tests.create_person(tests.school_id('move-a'), 'teacher', 'teacher@move-a.test');
select tests.create_person(tests.school_id('move-a'), 'teacher', 'other@move-a.test');
select tests.create_person(tests.school_id('move-a'), 'student', 'student@move-a.test');
select tests.create_person(tests.school_id('move-b'), 'admin', 'admin@move-b.test');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-f000-000000000001', tests.school_id('move-a'), 'MOVE-1', 'Moves', 'art', '9', 'published'),
  ('00000000-0000-4000-f000-000000000002', tests.school_id('move-a'), 'MOVE-2', 'Other', 'art', '9', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', tests.person_id('teacher@move-a.test')),
  (tests.school_id('move-a'), '00000000-0000-4000-f000-000000000002', tests.person_id('other@move-a.test'));
insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by) values
  (tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', tests.person_id('student@move-a.test'),
   tests.person_id('student@move-a.test'));
insert into public.modules (id, tenant_id, course_id, title, position) values
  ('00000000-0000-4000-f100-000000000001', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', 'First', 1),
  ('00000000-0000-4000-f100-000000000002', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', 'Second', 2),
  ('00000000-0000-4000-f100-000000000003', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000002', 'Elsewhere', 1);
insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, body) values
  ('00000000-0000-4000-f200-000000000001', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', '00000000-0000-4000-f100-000000000001', 'A', 'text', 1, 'a'),
  ('00000000-0000-4000-f200-000000000002', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', '00000000-0000-4000-f100-000000000001', 'B', 'text', 2, 'b'),
  ('00000000-0000-4000-f200-000000000003', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', '00000000-0000-4000-f100-000000000001', 'C', 'text', 3, 'c'),
  ('00000000-0000-4000-f200-000000000004', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000001', '00000000-0000-4000-f100-000000000002', 'D', 'text', 1, 'd'),
  ('00000000-0000-4000-f200-000000000005', tests.school_id('move-a'), '00000000-0000-4000-f000-000000000002', '00000000-0000-4000-f100-000000000003', 'E', 'text', 1, 'e');

-- Each module's lessons as 'title:position', in order.
create function pg_temp.layout() returns setof text language sql as $$
  select m.title || ': ' || coalesce(string_agg(l.title || l.position, ' ' order by l.position), '')
  from public.modules m left join public.lessons l on l.module_id = m.id
  where m.course_id = '00000000-0000-4000-f000-000000000001'
  group by m.title, m.position order by m.position
$$;

select tests.authenticate_as(tests.person_id('teacher@move-a.test'));
select is(
  public.move_lesson_to_module('00000000-0000-4000-f200-000000000002', '00000000-0000-4000-f100-000000000002'),
  2, 'an instructor moves a lesson to the end of another module'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select * from pg_temp.layout() $$,
  $$ values ('First: A1 C2'::text), ('Second: D1 B2') $$,
  'the module it left is numbered 1..n again'
);

select tests.authenticate_as(tests.person_id('teacher@move-a.test'));
select is(
  public.move_lesson_to_module('00000000-0000-4000-f200-000000000003', '00000000-0000-4000-f100-000000000001'),
  2, 'its own module: nothing moves, its place is returned'
);
select throws_ok(
  $$ select public.move_lesson_to_module('00000000-0000-4000-f200-000000000001', '00000000-0000-4000-f100-000000000003') $$,
  'EL422', 'Choose a module of this course.', 'a module of another course is refused'
);
select throws_ok(
  $$ select public.move_lesson_to_module('00000000-0000-4000-f200-000000000001', null) $$,
  'EL400', 'Choose a module.', 'no module is refused'
);
select throws_ok(
  $$ select public.move_lesson_to_module('00000000-0000-4000-f200-000000000005', '00000000-0000-4000-f100-000000000001') $$,
  'EL404', 'Lesson not found.', 'a lesson of a course they do not teach is not even found'
);

-- Moving all of a module's lessons away leaves it empty; moving one back takes place 1.
select is(
  public.move_lesson_to_module('00000000-0000-4000-f200-000000000001', '00000000-0000-4000-f100-000000000002'),
  3, 'a second move'
);
select is(
  public.move_lesson_to_module('00000000-0000-4000-f200-000000000003', '00000000-0000-4000-f100-000000000002'),
  4, 'a third'
);
select is(
  public.move_lesson_to_module('00000000-0000-4000-f200-000000000004', '00000000-0000-4000-f100-000000000001'),
  1, 'into the emptied module, first place'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select * from pg_temp.layout() $$,
  $$ values ('First: D1'::text), ('Second: B1 A2 C3') $$,
  'both modules numbered 1..n'
);

select tests.authenticate_as(tests.person_id('student@move-a.test'));
select throws_ok(
  $$ select public.move_lesson_to_module('00000000-0000-4000-f200-000000000001', '00000000-0000-4000-f100-000000000001') $$,
  'EL403', null, 'an enrolled student can read the lesson but not move it'
);

select tests.authenticate_as(tests.person_id('admin@move-a.test'));
select lives_ok(
  $$ select public.move_lesson_to_module('00000000-0000-4000-f200-000000000001', '00000000-0000-4000-f100-000000000001') $$,
  'the school''s admin moves a lesson'
);

select tests.authenticate_as(tests.person_id('admin@move-b.test'));
select throws_ok(
  $$ select public.move_lesson_to_module('00000000-0000-4000-f200-000000000001', '00000000-0000-4000-f100-000000000002') $$,
  'EL404', 'Lesson not found.', 'another school''s admin does not find the lesson'
);

select * from finish();
rollback;
