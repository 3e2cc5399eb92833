-- Course instructors: admins assign and remove them (nobody else, and only in their school), an
-- instructor is an active teacher, and a published course always keeps one.
begin;
select plan(22);

select tests.create_school('inst-a');
select tests.create_school('inst-b');
select tests.create_person(tests.school_id('inst-a'), 'admin', 'admin@inst-a.test');
select tests.create_person(tests.school_id('inst-a'), 'teacher', 'first@inst-a.test');
select tests.create_person(tests.school_id('inst-a'), 'teacher', 'second@inst-a.test');
select tests.create_person(tests.school_id('inst-a'), 'teacher', 'invited@inst-a.test', 'invited');
select tests.create_person(tests.school_id('inst-a'), 'teacher', 'gone@inst-a.test', 'disabled');
select tests.create_person(tests.school_id('inst-a'), 'student', 'student@inst-a.test');
select tests.create_person(tests.school_id('inst-b'), 'admin', 'admin@inst-b.test');
select tests.create_person(tests.school_id('inst-b'), 'teacher', 'teacher@inst-b.test');

-- A published course taught by `first`, and an admin's draft with a lesson and no instructor.
insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-e000-000000000001', tests.school_id('inst-a'), 'PUB-1', 'Published', 'art', '9', 'published'),
  ('00000000-0000-4000-e000-000000000002', tests.school_id('inst-a'), 'DRAFT-1', 'Draft', 'art', '9', 'draft');
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('inst-a'), '00000000-0000-4000-e000-000000000001', tests.person_id('first@inst-a.test'));
insert into public.modules (id, tenant_id, course_id, title, position) values
  ('00000000-0000-4000-e100-000000000001', tests.school_id('inst-a'), '00000000-0000-4000-e000-000000000001', 'One', 1),
  ('00000000-0000-4000-e100-000000000002', tests.school_id('inst-a'), '00000000-0000-4000-e000-000000000002', 'One', 1);
insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, body) values
  (tests.school_id('inst-a'), '00000000-0000-4000-e000-000000000001', '00000000-0000-4000-e100-000000000001', 'Hello', 'text', 1, 'Hi'),
  (tests.school_id('inst-a'), '00000000-0000-4000-e000-000000000002', '00000000-0000-4000-e100-000000000002', 'Hello', 'text', 1, 'Hi');

create function pg_temp.assign(p_course text, p_email text) returns text language sql as $$
  select format(
    $f$ insert into public.course_instructors (tenant_id, course_id, teacher_id) values (%L, %L, %L) $f$,
    private.current_tenant_id(), p_course, tests.person_id(p_email))
$$;
create function pg_temp.unassign(p_course text, p_email text) returns text language sql as $$
  select format(
    $f$ delete from public.course_instructors where course_id = %L and teacher_id = %L $f$,
    p_course, tests.person_id(p_email))
$$;
create function pg_temp.instructors(p_course text) returns setof text language sql as $$
  select p.email from public.course_instructors ci
  join public.people p on p.tenant_id = ci.tenant_id and p.id = ci.teacher_id
  where ci.course_id = p_course::uuid order by p.email
$$;
grant execute on function pg_temp.assign(text, text), pg_temp.unassign(text, text), pg_temp.instructors(text)
  to authenticated;

-------------------------------------------------------------------------------
-- Who may assign
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('first@inst-a.test'));
select throws_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000001', 'second@inst-a.test'),
  '42501', null, 'an instructor cannot add another instructor to their course'
);
select is(
  tests.affected_rows(pg_temp.unassign('00000000-0000-4000-e000-000000000001', 'first@inst-a.test')),
  0, 'an instructor cannot remove themselves (or anyone)'
);

select tests.authenticate_as(tests.person_id('student@inst-a.test'));
select throws_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000001', 'second@inst-a.test'),
  '42501', null, 'a student cannot add an instructor'
);

select tests.authenticate_as(tests.person_id('admin@inst-b.test'));
select throws_ok(
  format($f$ insert into public.course_instructors (tenant_id, course_id, teacher_id) values (%L, %L, %L) $f$,
         tests.school_id('inst-a'), '00000000-0000-4000-e000-000000000001', tests.person_id('second@inst-a.test')),
  '42501', null, 'another school''s admin cannot add an instructor'
);
select throws_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000001', 'teacher@inst-b.test'),
  '23503', null, 'nor add their own teacher to a course of another school'
);
select is(
  tests.affected_rows(pg_temp.unassign('00000000-0000-4000-e000-000000000001', 'first@inst-a.test')),
  0, 'another school''s admin cannot remove an instructor'
);

-------------------------------------------------------------------------------
-- Whom: an active (or invited) teacher of the school
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('admin@inst-a.test'));
select lives_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000001', 'second@inst-a.test'),
  'an admin adds a teacher of their school to a course'
);
select lives_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000002', 'invited@inst-a.test'),
  'an invited teacher (not signed in yet) may be assigned'
);
select throws_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000002', 'gone@inst-a.test'),
  'EL422', 'This teacher''s account is disabled; enable it before they can teach a course.',
  'a disabled teacher is refused'
);
select throws_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000002', 'student@inst-a.test'),
  'EL422', 'Only a teacher can teach a course; this person is a student', 'a student is refused'
);
select throws_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000001', 'second@inst-a.test'),
  '23505', null, 'the same teacher twice is refused'
);
select results_eq(
  $$ select * from pg_temp.instructors('00000000-0000-4000-e000-000000000001') $$,
  $$ values ('first@inst-a.test'::text), ('second@inst-a.test') $$,
  'the published course has both teachers'
);

-------------------------------------------------------------------------------
-- A published course keeps an instructor
-------------------------------------------------------------------------------

select is(
  tests.affected_rows(pg_temp.unassign('00000000-0000-4000-e000-000000000001', 'first@inst-a.test')),
  1, 'an admin removes one of two instructors'
);
select throws_ok(
  pg_temp.unassign('00000000-0000-4000-e000-000000000001', 'second@inst-a.test'),
  'EL409', 'A published course needs at least one instructor: add another teacher first, or unpublish the course.',
  'the last instructor of a published course cannot be removed'
);
select results_eq(
  $$ select * from pg_temp.instructors('00000000-0000-4000-e000-000000000001') $$,
  $$ values ('second@inst-a.test'::text) $$,
  'and stays'
);
select is(
  tests.affected_rows(pg_temp.unassign('00000000-0000-4000-e000-000000000002', 'invited@inst-a.test')),
  1, 'a draft may lose its last instructor'
);

-- Publishing needs an instructor as well as a lesson.
select throws_ok(
  $$ update public.courses set status = 'published' where id = '00000000-0000-4000-e000-000000000002' $$,
  'EL422', 'Assign a teacher to this course before publishing it.',
  'a course without an instructor cannot be published'
);
select lives_ok(
  pg_temp.assign('00000000-0000-4000-e000-000000000002', 'first@inst-a.test'),
  'the admin assigns a teacher'
);
select lives_ok(
  $$ update public.courses set status = 'published' where id = '00000000-0000-4000-e000-000000000002' $$,
  'then it can be published'
);

-- Unpublished, the course may lose its last instructor.
update public.courses set status = 'draft' where id = '00000000-0000-4000-e000-000000000001';
select is(
  tests.affected_rows(pg_temp.unassign('00000000-0000-4000-e000-000000000001', 'second@inst-a.test')),
  1, 'once unpublished, its last instructor can be removed'
);

-- Deleting the course or the teacher takes their rows along.
select tests.authenticate_as_owner();
select lives_ok(
  $$ delete from public.people where email = 'first@inst-a.test' $$,
  'a teacher who is a published course''s last instructor can still be deleted'
);
select is(
  (select count(*)::int from public.course_instructors
    where course_id = '00000000-0000-4000-e000-000000000002'),
  0, 'and their instructor rows go with them'
);

select * from finish();
rollback;
