-- Schools: checks on the row, who reads and updates which school, nobody changes a school's id.
begin;
select plan(27);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');

-- The row's own checks (as owner)
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency, timezone) values ('Bad', 'Bad Slug', 'KE', 'KES', 'Africa/Nairobi') $$,
  '23514', null, 'a slug must be lowercase letters, digits and hyphens'
);
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency, timezone) values ('Bad', 'bad', 'Kenya', 'KES', 'Africa/Nairobi') $$,
  '23514', null, 'a country must be an ISO 3166 alpha-2 code'
);
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency, timezone) values ('Bad', 'bad', 'KE', 'ksh', 'Africa/Nairobi') $$,
  '23514', null, 'a currency must be an ISO 4217 code'
);
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency, timezone) values ('Bad', 'bad', 'KE', 'KES', 'Mars/Olympus') $$,
  '23514', null, 'a timezone must be a known IANA name'
);
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency) values ('Bad', 'bad', 'KE', 'KES') $$,
  '23502', null, 'a school states its timezone (no silent default)'
);
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency, timezone) values ('Again', 'school-a', 'KE', 'KES', 'Africa/Nairobi') $$,
  '23505', null, 'slugs are unique'
);

-- A student reads their own school only and cannot change it
select tests.authenticate_as(tests.person_id('student@a.test'));
select results_eq(
  $$ select slug from public.tenants $$,
  $$ values ('school-a') $$,
  'a student reads their own school'
);
select is(
  tests.affected_rows($$ update public.tenants set name = 'Renamed by a student' $$),
  0,
  'a student cannot rename their school'
);

-- An admin reads their own school and may rename it and change its timezone
select tests.authenticate_as(tests.person_id('admin@a.test'));
select results_eq(
  $$ select slug from public.tenants $$,
  $$ values ('school-a') $$,
  'an admin reads their own school'
);
select is_empty(
  $$ select * from public.tenants where slug = 'school-b' $$,
  'an admin reads nothing of another school'
);
select is(
  tests.affected_rows($$ update public.tenants set name = 'Alpha Academy', timezone = 'Africa/Lagos' $$),
  1,
  'an admin renames their school and changes its timezone'
);
select is(
  tests.affected_rows($$ update public.tenants set name = 'Taken over' where slug = 'school-b' $$),
  0,
  'an admin cannot update another school'
);
select throws_ok(
  $$ update public.tenants set timezone = 'Africa/Atlantis' $$,
  '23514', null, 'an admin cannot set an unknown timezone'
);
select throws_ok(
  $$ update public.tenants set plan = 'enterprise' $$,
  '42501', 'permission denied for table tenants', 'an admin cannot change the plan'
);
select throws_ok(
  $$ update public.tenants set user_limit = 100000 $$,
  '42501', 'permission denied for table tenants', 'an admin cannot raise the user limit'
);
select throws_ok(
  $$ update public.tenants set id = gen_random_uuid() $$,
  '42501', 'permission denied for table tenants', 'an admin cannot change the school id'
);
select throws_ok(
  $$ insert into public.tenants (name, slug, country, currency) values ('Mine', 'mine', 'KE', 'KES') $$,
  '42501', 'permission denied for table tenants', 'an admin cannot create schools'
);
select throws_ok(
  $$ delete from public.tenants $$,
  '42501', 'permission denied for table tenants', 'an admin cannot delete schools'
);

-- The other school's admin sees only their school, untouched
select tests.authenticate_as(tests.person_id('admin@b.test'));
select results_eq(
  $$ select slug, name from public.tenants $$,
  $$ values ('school-b', 'School B Test School') $$,
  'the other school''s admin reads only their school, unchanged'
);

-- Signed in without a school in the token: nothing
select set_config('request.jwt.claims', '{"sub": "6b1f1f3e-1d7c-4c1a-9a55-3f1f9d0e2b11", "role": "authenticated"}', true);
select is_empty($$ select * from public.tenants $$, 'a token without a school reads no school');

-- anon reads and writes nothing
select tests.clear_authentication();
select throws_ok(
  $$ select * from public.tenants $$,
  '42501', 'permission denied for table tenants', 'anon cannot read schools'
);
select throws_ok(
  $$ update public.tenants set name = 'x' $$,
  '42501', 'permission denied for table tenants', 'anon cannot update schools'
);

-- The service role sees every school but cannot change an id either
select tests.authenticate_as_service_role();
select results_eq(
  $$ select slug from public.tenants where slug like 'school-_' order by slug $$,
  $$ values ('school-a'), ('school-b') $$,
  'the service role reads every school'
);
select throws_ok(
  format($$ update public.tenants set id = gen_random_uuid() where id = %L $$, tests.school_id('school-a')),
  '42501', 'A school''s id cannot be changed', 'the service role cannot change a school id'
);

select tests.authenticate_as_owner();
select throws_ok(
  format($$ update public.tenants set id = gen_random_uuid() where id = %L $$, tests.school_id('school-a')),
  '42501', 'A school''s id cannot be changed', 'the owner cannot change a school id'
);
select results_eq(
  $$ select slug, name, timezone from public.tenants where slug like 'school-_' order by slug $$,
  $$ values ('school-a', 'Alpha Academy', 'Africa/Lagos'), ('school-b', 'School B Test School', 'Africa/Nairobi') $$,
  'only the admin''s own school changed'
);
select ok(
  (select updated_at > created_at from public.tenants where slug = 'school-a')
  and (select updated_at = created_at from public.tenants where slug = 'school-b'),
  'updated_at moves on change only'
);

select * from finish();
rollback;
