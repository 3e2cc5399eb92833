-- The helpers everything else stands on: auth.jwt()/uid()/role() read the claims, the
-- private policy helpers read the caller's school, role and children, the test helpers
-- switch roles and freeze time.
begin;
select plan(29);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child1@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child2@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child3@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
insert into public.guardian_links (tenant_id, parent_id, student_id)
select tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id(e)
from unnest(array['child1@a.test', 'child2@a.test']) e;

-- Frozen time
select tests.freeze_time('2026-01-15 08:00:00+03');
select is(now(), '2026-01-15 05:00:00+00'::timestamptz, 'freeze_time fixes now()');
select is((select now()), '2026-01-15 05:00:00+00'::timestamptz, 'now() stays frozen in sub-selects');
select tests.freeze_time('2026-02-01 00:00:00+00');
select is(now(), '2026-02-01 00:00:00+00'::timestamptz, 'freezing again moves the clock');
select is(pg_catalog.now(), transaction_timestamp(), 'pg_catalog.now() keeps the real clock (see helpers.sql)');
select tests.unfreeze_time();
select is(now(), transaction_timestamp(), 'unfreeze_time restores now()');
select unalike(current_setting('search_path'), '%test_overrides%', 'unfreeze_time restores the search_path');

-- auth.* read the claims the app sets
select tests.authenticate_as(tests.person_id('parent@a.test'));
select is(current_user, 'authenticated'::name, 'authenticate_as switches to the authenticated role');
select is(auth.uid(), tests.person_id('parent@a.test'), 'auth.uid() is the person');
select is(auth.role(), 'authenticated', 'auth.role() is the claim role');
select is(auth.jwt() -> 'app_metadata' ->> 'user_role', 'parent', 'auth.jwt() carries app_metadata');

-- private helpers
select is(private.current_tenant_id(), tests.school_id('school-a'), 'current_tenant_id() is the school in the token');
select is(private.current_user_role(), 'parent'::public.person_role, 'current_user_role() is the role in the token');
select set_eq(
  $$ select private.guardian_student_ids() $$,
  $$ select tests.person_id(e) from unnest(array['child1@a.test', 'child2@a.test']) e $$,
  'guardian_student_ids() lists the parent''s linked children'
);
select set_config('request.jwt.claims',
  jsonb_set(current_setting('request.jwt.claims')::jsonb, '{app_metadata,tenant_id}', to_jsonb(tests.school_id('school-b')))::text,
  true);
select is_empty(
  $$ select private.guardian_student_ids() $$,
  'a token for another school finds no children there'
);
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select is_empty($$ select private.guardian_student_ids() $$, 'a teacher has no linked children');
select is(private.current_user_role(), 'teacher'::public.person_role, 'the role follows the token');
select throws_ok(
  $$ select private.plan_user_limit('starter') $$,
  '42501', 'permission denied for function plan_user_limit', 'authenticated cannot call private functions it is not granted'
);

-- service role and anon
select tests.authenticate_as_service_role();
select is(current_user, 'service_role'::name, 'authenticate_as_service_role switches role');
select ok(private.current_tenant_id() is null and auth.uid() is null, 'the service role has no school and no person');
select tests.clear_authentication();
select is(current_user, 'anon'::name, 'clear_authentication switches to anon');
select ok(auth.jwt() is null and auth.uid() is null, 'anon has no claims');
select throws_ok(
  $$ select private.current_tenant_id() $$,
  '42501', 'permission denied for schema private', 'anon cannot reach the private helpers'
);
select tests.authenticate_as_owner();
select is(current_user, session_user, 'authenticate_as_owner goes back to the session user');

-- What the helpers are made of
select ok(private.is_valid_timezone('Africa/Johannesburg'), 'a known timezone is valid');
select ok(not private.is_valid_timezone('Africa/Wakanda'), 'an unknown timezone is not');
select results_eq(
  $$ select private.plan_user_limit(p) from unnest(enum_range(null::public.tenant_plan)) p $$,
  $$ values (1000), (5000), (null::int) $$,
  'plan_user_limit() per plan'
);
select results_eq(
  $$ select p.oid::regprocedure::text, p.provolatile::text, p.prosecdef
     from pg_proc p where p.pronamespace = 'private'::regnamespace
       and p.proname in ('current_tenant_id', 'current_user_role', 'guardian_student_ids') order by 1 $$,
  $$ values ('private.current_tenant_id()', 's', false), ('private.current_user_role()', 's', false),
            ('private.guardian_student_ids()', 's', true) $$,
  'the policy helpers are stable; only guardian_student_ids reads past RLS (security definer)'
);
select ok(
  (select bool_and(p.proconfig @> array['search_path=""']) from pg_proc p
   where p.pronamespace in ('private'::regnamespace, 'audit'::regnamespace)),
  'every private and audit function runs with an empty search_path'
);

select is(
  (select count(*)::int from public.people where tenant_id = tests.school_id('school-a')),
  5,
  'the owner sees the whole school again'
);

select * from finish();
rollback;
