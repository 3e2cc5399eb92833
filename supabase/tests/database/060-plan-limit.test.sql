-- The plan's user limit: defaults per plan, and the (N+1)th person who is not disabled is
-- refused (EL403) whoever adds them — admin, service role or owner.
begin;
select plan(17);

select tests.create_school('starter-school', 'starter');
select tests.create_school('growth-school', 'growth');
select tests.create_school('enterprise-school', 'enterprise');

select results_eq(
  $$ select slug, user_limit from public.tenants where slug like '%-school' order by user_limit nulls last $$,
  $$ values ('starter-school', 1000), ('growth-school', 5000), ('enterprise-school', null) $$,
  'each plan gives its default user limit: starter 1000, growth 5000, enterprise none'
);
update public.tenants set plan = 'growth' where slug = 'starter-school';
select is(
  (select user_limit from public.tenants where slug = 'starter-school'), 5000,
  'changing plan gives the new plan''s limit'
);
update public.tenants set plan = 'enterprise', user_limit = 20000 where slug = 'growth-school';
select is(
  (select user_limit from public.tenants where slug = 'growth-school'), 20000,
  'a limit given with the plan change is kept'
);
select ok(
  (select user_limit is null from public.tenants where slug = 'enterprise-school' and plan = 'enterprise'),
  'enterprise has no limit'
);
select throws_ok(
  $$ update public.tenants set user_limit = 0 where slug = 'growth-school' $$,
  '23514', null, 'a limit is positive'
);

-- A small limit to test with: 3 people who are not disabled
select tests.create_school('small-school');
select tests.create_school('other-school');
update public.tenants set user_limit = 3 where slug in ('small-school', 'other-school');
select tests.create_person(tests.school_id('small-school'), 'admin', 'admin@small.test');
select tests.create_person(tests.school_id('small-school'), 'teacher', 'teacher@small.test');
select tests.create_person(tests.school_id('other-school'), 'admin', 'admin@other.test');
select tests.create_person(tests.school_id('other-school'), 'teacher', 'teacher@other.test');
select tests.create_person(tests.school_id('other-school'), 'teacher', 'teacher2@other.test');

select tests.authenticate_as(tests.person_id('admin@small.test'));
select lives_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role, status) values (%L, 'Third', 'third@small.test', 'student', 'invited') $$,
         tests.school_id('small-school')),
  'the third person fits a limit of 3 (another school''s people do not count)'
);
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role, status) values (%L, 'Fourth', 'fourth@small.test', 'student', 'invited') $$,
         tests.school_id('small-school')),
  'EL403', 'This school has reached its plan limit of 3 people',
  'the fourth person is refused for the admin'
);
select lives_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role, status) values (%L, 'Former', 'former@small.test', 'student', 'disabled') $$,
         tests.school_id('small-school')),
  'a disabled person does not count, so may be recorded'
);
select throws_ok(
  $$ update public.people set status = 'active' where email = 'former@small.test' $$,
  'EL403', 'This school has reached its plan limit of 3 people',
  'enabling a disabled person past the limit is refused'
);
select is(
  tests.affected_rows($$ update public.people set status = 'active', full_name = 'Teacher Two' where email = 'teacher@small.test' $$),
  1,
  'people already counted can still be edited at the limit'
);
select is(
  tests.affected_rows($$ update public.people set status = 'disabled' where email = 'teacher@small.test' $$),
  1,
  'disabling someone frees a place'
);
select lives_ok(
  $$ update public.people set status = 'active' where email = 'former@small.test' $$,
  'the freed place can be taken'
);

select tests.authenticate_as_service_role();
select throws_ok(
  format($$ insert into public.people (tenant_id, full_name, email, role) values (%L, 'Service', 'service@small.test', 'parent') $$,
         tests.school_id('small-school')),
  'EL403', 'This school has reached its plan limit of 3 people',
  'the service role is refused too'
);

select tests.authenticate_as_owner();
select throws_ok(
  $$ select tests.create_person(tests.school_id('small-school'), 'parent', 'owner@small.test') $$,
  'EL403', 'This school has reached its plan limit of 3 people',
  'the owner is refused too'
);
select results_eq(
  $$ select status::text, count(*)::int from public.people
     where tenant_id = tests.school_id('small-school') group by 1 order by 1 $$,
  $$ values ('active', 2), ('disabled', 1), ('invited', 1) $$,
  'the school holds exactly 3 people who count'
);
update public.tenants set user_limit = 2 where slug = 'small-school';
select is(
  tests.affected_rows($$ update public.people set full_name = 'Still Here' where email = 'third@small.test' $$),
  1,
  'lowering the limit below the count keeps everyone'
);
select throws_ok(
  $$ select tests.create_person(tests.school_id('small-school'), 'parent', 'late@small.test') $$,
  'EL403', 'This school has reached its plan limit of 2 people',
  'but admits nobody new'
);

select * from finish();
rollback;
