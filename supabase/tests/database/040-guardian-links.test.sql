-- Guardian links: never across schools, only parent -> student, read by staff and by the two
-- people linked, written by admins of the school only.
begin;
select plan(30);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent2@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child2@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
select tests.create_person(tests.school_id('school-b'), 'parent', 'parent@b.test');
select tests.create_person(tests.school_id('school-b'), 'student', 'child@b.test');

-- Integrity, whoever writes (as owner)
select lives_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id, relationship) values (%L, %L, %L, 'mother') $$,
         tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('child@a.test')),
  'a parent is linked to a student of the same school'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('child@b.test')),
  '23503', null, 'a link to a student of another school is impossible'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-b'), tests.person_id('parent@a.test'), tests.person_id('child@b.test')),
  '23503', null, 'a link from a parent of another school is impossible'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('teacher@a.test'), tests.person_id('child@a.test')),
  'EL422', 'Only a parent can be linked to a student; this person is a teacher',
  'only a parent can be the parent of a link'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('parent2@a.test')),
  'EL422', 'A parent can only be linked to a student; this person is a parent',
  'only a student can be the student of a link'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('child@a.test')),
  '23505', null, 'a parent is linked to a student once'
);
insert into public.guardian_links (tenant_id, parent_id, student_id)
values (tests.school_id('school-b'), tests.person_id('parent@b.test'), tests.person_id('child@b.test'));

-- An admin links and unlinks within their school only
select tests.authenticate_as(tests.person_id('admin@a.test'));
select lives_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('parent2@a.test'), tests.person_id('child2@a.test')),
  'an admin links a parent to a student of their school'
);
select results_eq(
  $$ select p.email, s.email, gl.relationship
     from public.guardian_links gl
     join public.people p on p.id = gl.parent_id
     join public.people s on s.id = gl.student_id
     order by 1 $$,
  $$ values ('parent2@a.test', 'child2@a.test', 'guardian'), ('parent@a.test', 'child@a.test', 'mother') $$,
  'an admin reads the links of their school, and only those'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-b'), tests.person_id('parent@b.test'), tests.person_id('child@b.test')),
  '42501', 'new row violates row-level security policy for table "guardian_links"',
  'an admin cannot link people of another school'
);
select throws_ok(
  $$ update public.guardian_links set relationship = 'father' $$,
  '42501', 'permission denied for table guardian_links', 'links are not edited (remove and add instead)'
);
select is(
  tests.affected_rows(format($$ delete from public.guardian_links where tenant_id = %L $$, tests.school_id('school-b'))),
  0,
  'an admin cannot remove links of another school'
);
select is(
  tests.affected_rows(format($$ delete from public.guardian_links where parent_id = %L $$, tests.person_id('parent2@a.test'))),
  1,
  'an admin removes a link of their school'
);
select lives_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id, relationship) values (%L, %L, %L, 'father') $$,
         tests.school_id('school-a'), tests.person_id('parent2@a.test'), tests.person_id('child@a.test')),
  'an admin links a second parent to a student'
);

-- A teacher reads the links of their school and writes none
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select results_eq(
  $$ select count(*)::int from public.guardian_links $$,
  $$ values (2) $$,
  'a teacher reads the links of their school'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('parent2@a.test'), tests.person_id('child2@a.test')),
  '42501', 'new row violates row-level security policy for table "guardian_links"', 'a teacher cannot link people'
);
select is(
  tests.affected_rows($$ delete from public.guardian_links $$),
  0,
  'a teacher cannot remove links'
);

-- A parent reads their own links only
select tests.authenticate_as(tests.person_id('parent@a.test'));
select results_eq(
  $$ select parent_id, student_id from public.guardian_links $$,
  format($$ values (%L::uuid, %L::uuid) $$, tests.person_id('parent@a.test'), tests.person_id('child@a.test')),
  'a parent reads their own links, not the other parent''s'
);
select throws_ok(
  format($$ insert into public.guardian_links (tenant_id, parent_id, student_id) values (%L, %L, %L) $$,
         tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('child2@a.test')),
  '42501', 'new row violates row-level security policy for table "guardian_links"', 'a parent cannot link themself to a student'
);
select is(
  tests.affected_rows($$ delete from public.guardian_links $$),
  0,
  'a parent cannot remove links'
);

-- A student reads the links to themself only
select tests.authenticate_as(tests.person_id('child@a.test'));
select results_eq(
  $$ select count(*)::int from public.guardian_links where student_id = auth.uid() $$,
  $$ values (2) $$,
  'a student reads the links to their parents'
);
select is_empty(
  $$ select * from public.guardian_links where student_id <> auth.uid() $$,
  'a student reads no other student''s links'
);
select tests.authenticate_as(tests.person_id('child2@a.test'));
select is_empty($$ select * from public.guardian_links $$, 'an unlinked student reads no links');

-- The other school sees its own link only
select tests.authenticate_as(tests.person_id('admin@b.test'));
select results_eq(
  $$ select parent_id from public.guardian_links $$,
  format($$ values (%L::uuid) $$, tests.person_id('parent@b.test')),
  'the other school''s admin reads only their school''s links'
);

-- anon reads and writes nothing
select tests.clear_authentication();
select throws_ok(
  $$ select * from public.guardian_links $$,
  '42501', 'permission denied for table guardian_links', 'anon cannot read links'
);
select throws_ok(
  $$ delete from public.guardian_links $$,
  '42501', 'permission denied for table guardian_links', 'anon cannot remove links'
);

-- Nobody moves a link to another school
select tests.authenticate_as_service_role();
select results_eq(
  format($$ select count(*)::int from public.guardian_links where tenant_id in (%L, %L) $$,
         tests.school_id('school-a'), tests.school_id('school-b')),
  $$ values (3) $$,
  'the service role reads the links of every school'
);
select throws_ok(
  $$ update public.guardian_links set relationship = 'uncle' $$,
  '42501', 'permission denied for table guardian_links', 'the service role does not edit links either'
);
select tests.authenticate_as_owner();
select throws_ok(
  format($$ update public.guardian_links set tenant_id = %L where tenant_id = %L $$,
         tests.school_id('school-b'), tests.school_id('school-a')),
  '42501', 'A record cannot be moved to another school', 'the owner cannot move a link to another school'
);
select throws_ok(
  format($$ update public.guardian_links set student_id = %L where parent_id = %L $$,
         tests.person_id('parent2@a.test'), tests.person_id('parent@a.test')),
  'EL422', 'A parent can only be linked to a student; this person is a parent',
  'the role check holds on update too'
);
select results_eq(
  format($$ select count(*)::int from public.guardian_links where tenant_id = %L $$, tests.school_id('school-a')),
  $$ values (2) $$,
  'school A keeps exactly the links its admin made'
);

select * from finish();
rollback;
