-- People: checks on the row, who reads whom, admins add and edit people of their own school
-- only, nobody deletes through the API, nobody moves a person to another school, passwords
-- stay unreadable.
begin;
select plan(40);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'other@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
select tests.create_person(tests.school_id('school-b'), 'student', 'student@b.test');
insert into public.guardian_links (tenant_id, parent_id, student_id)
values (tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('child@a.test'));
insert into private.passwords (tenant_id, person_id, password_hash)
values (tests.school_id('school-a'), tests.person_id('child@a.test'), 'not-a-real-hash');

-- The row's own checks (as owner)
select tests.create_person(tests.school_id('school-a'), 'teacher', '  Mixed.Case@A.Test ');
select is(
  (select email from public.people where full_name = 'Mixed Case'),
  'mixed.case@a.test',
  'emails are stored trimmed and lowercased'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, 'Dup', 'ADMIN@a.test', 'teacher') $$,
         tests.school_id('school-a')),
  '23505', null, 'an email is unique within a school, whatever its case'
);
select lives_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, 'Same Address', 'mixed.case@a.test', 'parent') $$,
         tests.school_id('school-b')),
  'the same email may exist in another school'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, phone, role) values (%L, 'Bad Phone', '0712 345 678', 'parent') $$,
         tests.school_id('school-a')),
  '23514', null, 'a phone must be in E.164 form'
);
select lives_ok(
  format($$ insert into public.people (tenant_id, full_name, phone, role) values (%L, 'Phone Only', '+254700000999', 'parent') $$,
         tests.school_id('school-a')),
  'a person may have a phone and no email'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, role) values (%L, 'No Contact', 'parent') $$,
         tests.school_id('school-a')),
  '23514', null, 'a person needs an email or a phone'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, '  ', 'blank@a.test', 'parent') $$,
         tests.school_id('school-a')),
  '23514', null, 'a person needs a name'
);

-- A student reads only themself
select tests.authenticate_as(tests.person_id('child@a.test'));
select results_eq(
  $$ select email from public.people $$,
  $$ values ('child@a.test') $$,
  'a student reads only themself'
);
select is(
  tests.affected_rows($$ update public.people set full_name = 'Renamed' $$),
  0,
  'a student cannot edit anyone, themself included'
);
select throws_ok(
  $$ select * from private.passwords $$,
  '42501', 'permission denied for table passwords', 'a student cannot read password hashes, not even their own'
);

-- A parent reads themself and their linked child
select tests.authenticate_as(tests.person_id('parent@a.test'));
select results_eq(
  $$ select email from public.people order by email $$,
  $$ values ('child@a.test'), ('parent@a.test') $$,
  'a parent reads themself and their linked child, not other students'
);

-- A teacher reads everyone in their school, nobody elsewhere, and edits nobody
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select results_eq(
  $$ select count(*)::int from public.people $$,
  $$ values (7) $$,
  'a teacher reads everyone in their school'
);
select is_empty(
  $$ select * from public.people where tenant_id <> (select tenant_id from public.people where id = auth.uid()) $$,
  'a teacher reads nobody of another school'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, 'New', 'new@a.test', 'student') $$,
         tests.school_id('school-a')),
  '42501', 'new row violates row-level security policy for table "people"', 'a teacher cannot add people'
);
select is(
  tests.affected_rows($$ update public.people set full_name = 'Renamed' $$),
  0,
  'a teacher cannot edit people'
);

-- An admin reads, adds and edits the people of their own school only
select tests.authenticate_as(tests.person_id('admin@a.test'));
select results_eq(
  $$ select count(*)::int from public.people $$,
  $$ values (7) $$,
  'an admin reads everyone in their school'
);
select is_empty(
  format($$ select * from public.people where tenant_id = %L $$, tests.school_id('school-b')),
  'an admin reads nobody of another school'
);
select lives_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role, status) values (%L, 'Wanjiku Njoroge', 'new@a.test', 'student', 'invited') $$,
         tests.school_id('school-a')),
  'an admin adds a person to their school'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, 'Planted', 'planted@b.test', 'admin') $$,
         tests.school_id('school-b')),
  '42501', 'new row violates row-level security policy for table "people"', 'an admin cannot add a person to another school'
);
select throws_ok(
  format($$ insert into public.people (id, tenant_id, full_name, email, role) values (gen_random_uuid(), %L, 'Chosen Id', 'id@a.test', 'student') $$,
         tests.school_id('school-a')),
  '42501', 'permission denied for table people', 'an admin cannot choose a person''s id'
);
select is(
  tests.affected_rows($$ update public.people set full_name = 'Otieno Ochieng', status = 'disabled' where email = 'teacher@a.test' $$),
  1,
  'an admin edits and disables a person of their school'
);
select is(
  tests.affected_rows(format($$ update public.people set full_name = 'Hijacked' where id = %L $$, tests.person_id('student@b.test'))),
  0,
  'an admin cannot edit a person of another school'
);
select throws_ok(
  format($$ update public.people set tenant_id = %L where email = 'other@a.test' $$, tests.school_id('school-b')),
  '42501', 'permission denied for table people', 'an admin cannot move a person to another school'
);
select throws_ok(
  $$ update public.people set created_at = now() - interval '1 year' $$,
  '42501', 'permission denied for table people', 'an admin cannot rewrite timestamps'
);
select throws_ok(
  $$ delete from public.people where email = 'other@a.test' $$,
  '42501', 'permission denied for table people', 'nobody deletes people through the API (disable instead)'
);
select throws_ok(
  $$ update public.people set role = 'teacher' where email = 'child@a.test' $$,
  'EL409', 'This person is linked to parents as a student; remove those links before changing their role',
  'a linked student''s role cannot change while linked'
);
select throws_ok(
  $$ update public.people set role = 'admin' where email = 'parent@a.test' $$,
  'EL409', 'This person is linked to students as a parent; remove those links before changing their role',
  'a linked parent''s role cannot change while linked'
);
select is(
  tests.affected_rows($$ update public.people set role = 'teacher' where email = 'other@a.test' $$),
  1,
  'an unlinked person''s role can change'
);

-- The other school's admin reads only their school, untouched
select tests.authenticate_as(tests.person_id('admin@b.test'));
select results_eq(
  $$ select email, full_name from public.people order by email $$,
  $$ values ('admin@b.test', 'Admin'), ('mixed.case@a.test', 'Same Address'), ('student@b.test', 'Student') $$,
  'the other school''s admin reads only their school, unchanged'
);

-- anon reads and writes nothing
select tests.clear_authentication();
select throws_ok(
  $$ select * from public.people $$,
  '42501', 'permission denied for table people', 'anon cannot read people'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, 'Anon', 'anon@a.test', 'admin') $$,
         tests.school_id('school-a')),
  '42501', 'permission denied for table people', 'anon cannot add people'
);
select throws_ok(
  $$ select * from private.passwords $$,
  '42501', 'permission denied for schema private', 'anon cannot even reach the private schema'
);

-- The service role reads every school but cannot move a person or read passwords
select tests.authenticate_as_service_role();
select results_eq(
  format($$ select count(*)::int from public.people where tenant_id in (%L, %L) $$,
         tests.school_id('school-a'), tests.school_id('school-b')),
  $$ values (11) $$,
  'the service role reads the people of every school'
);
select throws_ok(
  format($$ update public.people set tenant_id = %L where id = %L $$, tests.school_id('school-b'), tests.person_id('other@a.test')),
  '42501', 'A record cannot be moved to another school', 'the service role cannot move a person to another school'
);
select throws_ok(
  $$ select * from private.passwords $$,
  '42501', 'permission denied for table passwords', 'the service role cannot read password hashes'
);

-- Nor can the owner move a person, or a password row
select tests.authenticate_as_owner();
select throws_ok(
  format($$ update public.people set tenant_id = %L where id = %L $$, tests.school_id('school-b'), tests.person_id('other@a.test')),
  '42501', 'A record cannot be moved to another school', 'the owner cannot move a person to another school'
);
select throws_ok(
  format($$ update private.passwords set tenant_id = %L $$, tests.school_id('school-b')),
  '42501', 'A record cannot be moved to another school', 'the owner cannot move a password row to another school'
);
select results_eq(
  $$ select full_name, status::text from public.people where email = 'teacher@a.test' $$,
  $$ values ('Otieno Ochieng', 'disabled') $$,
  'the admin''s edit landed'
);
select results_eq(
  $$ select count(*)::int from public.people where full_name in ('Renamed', 'Hijacked') or email in ('planted@b.test', 'anon@a.test') $$,
  $$ values (0) $$,
  'no refused write landed'
);
select ok(
  (select updated_at > created_at from public.people where email = 'teacher@a.test'),
  'updated_at moves when a person changes'
);

select * from finish();
rollback;
