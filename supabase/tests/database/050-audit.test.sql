-- The audit log: triggers record who changed what with the request's id, ip and user agent;
-- admins read their own school's entries; nobody — app roles, service role, owner — changes
-- or removes an entry; secrets never reach it.
begin;
select plan(34);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');

-- What the TypeScript layer sets per transaction, next to the claims
select set_config('app.request_id', 'req-0001', true),
       set_config('app.ip', '203.0.113.7', true),
       set_config('app.user_agent', 'Mozilla/5.0 (pgTAP)', true);

-- An admin's changes, written by the triggers
select tests.authenticate_as(tests.person_id('admin@a.test'));
insert into public.people (tenant_id, full_name, email, role, status)
values (tests.school_id('school-a'), 'Akinyi Odhiambo', 'new@a.test', 'student', 'invited');
update public.people set full_name = 'Peter Otieno' where email = 'teacher@a.test';
insert into public.guardian_links (tenant_id, parent_id, student_id)
values (tests.school_id('school-a'), tests.person_id('parent@a.test'), tests.person_id('child@a.test'));
delete from public.guardian_links;
update public.tenants set name = 'Alpha Academy';
select tests.authenticate_as_owner();

select results_eq(
  format($$ select action, table_name, actor_id, tenant_id, request_id, host(ip), user_agent, new_data ->> 'email'
            from audit.log where record_id = %L $$, tests.person_id('new@a.test')),
  format($$ values ('insert', 'public.people', %L::uuid, %L::uuid, 'req-0001', '203.0.113.7', 'Mozilla/5.0 (pgTAP)', 'new@a.test') $$,
         tests.person_id('admin@a.test'), tests.school_id('school-a')),
  'adding a person is logged with actor, school, request id, ip and user agent'
);
select results_eq(
  format($$ select old_data ->> 'full_name', new_data ->> 'full_name',
                   array(select jsonb_object_keys(new_data) order by 1)
            from audit.log where action = 'update' and record_id = %L $$, tests.person_id('teacher@a.test')),
  $$ values ('Teacher', 'Peter Otieno', array['full_name', 'updated_at']) $$,
  'an update logs only the columns that changed, before and after'
);
select results_eq(
  format($$ select action, actor_id, old_data ->> 'student_id' from audit.log
            where table_name = 'public.guardian_links' and record_id = %L order by id $$,
         tests.person_id('parent@a.test') || ':' || tests.person_id('child@a.test')),
  format($$ values ('insert', %1$L::uuid, null::text), ('delete', %1$L::uuid, %2$L) $$,
         tests.person_id('admin@a.test'), tests.person_id('child@a.test')),
  'linking and unlinking are logged, keyed parent:student'
);
select results_eq(
  format($$ select tenant_id, new_data ->> 'name' from audit.log where table_name = 'public.tenants' and action = 'update' $$),
  format($$ values (%L::uuid, 'Alpha Academy') $$, tests.school_id('school-a')),
  'a school''s change is logged under that school'
);
select results_eq(
  format($$ select actor_id, request_id from audit.log where action = 'insert' and record_id = %L $$, tests.person_id('admin@b.test')),
  $$ values (null::uuid, null::text) $$,
  'a change without a signed-in person is logged with no actor'
);

-- Secrets never reach the log
insert into private.passwords (tenant_id, person_id, password_hash)
values (tests.school_id('school-a'), tests.person_id('child@a.test'), 'not-a-real-hash');
select is_empty(
  $$ select * from audit.log where table_name like 'private.%' or old_data ? 'password_hash' or new_data ? 'password_hash' $$,
  'password rows are not logged'
);
select audit.record('auth.password_changed', tests.school_id('school-a'),
                    p_new_data => '{"password_hash": "x", "token_hash": "y", "via": "reset"}');
select results_eq(
  $$ select new_data from audit.log where action = 'auth.password_changed' $$,
  $$ values ('{"via": "reset"}'::jsonb) $$,
  'audit.record drops secret keys from the data it is given'
);

-- Where the request came from, when it is malformed or came through PostgREST
select set_config('app.ip', 'not-an-ip', true);
select audit.record('test.bad_ip', null);
select results_eq(
  $$ select host(ip), action from audit.log where action = 'test.bad_ip' $$,
  $$ values (null::text, 'test.bad_ip') $$,
  'a malformed ip does not lose the entry'
);
select set_config('app.request_id', '', true), set_config('app.ip', '', true), set_config('app.user_agent', '', true),
       set_config('request.headers', '{"x-forwarded-for": "198.51.100.4, 10.0.0.1", "user-agent": "supabase-js/2", "x-request-id": "sb-9"}', true);
select audit.record('platform.event', null);
select results_eq(
  $$ select request_id, host(ip), user_agent, tenant_id from audit.log where action = 'platform.event' $$,
  $$ values ('sb-9', '198.51.100.4', 'supabase-js/2', null::uuid) $$,
  'without app.* settings the request headers of PostgREST are used; platform events have no school'
);
select set_config('request.headers', '', true);

-- Who reads what
select tests.authenticate_as(tests.person_id('admin@a.test'));
select results_eq(
  $$ select distinct tenant_id from audit.log $$,
  format($$ values (%L::uuid) $$, tests.school_id('school-a')),
  'an admin reads their school''s entries only'
);
select ok(
  (select count(*) >= 6 from audit.log),
  'an admin reads the entries of their school'
);
select tests.authenticate_as(tests.person_id('admin@b.test'));
select is_empty(
  format($$ select * from audit.log where tenant_id = %L $$, tests.school_id('school-a')),
  'another school''s admin reads none of them'
);
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select is_empty($$ select * from audit.log $$, 'a teacher reads no audit entries');
select tests.authenticate_as(tests.person_id('parent@a.test'));
select is_empty($$ select * from audit.log $$, 'a parent reads no audit entries');
select tests.clear_authentication();
select throws_ok(
  $$ select * from audit.log $$,
  '42501', 'permission denied for schema audit', 'anon cannot reach the audit log'
);

-- App roles cannot write, change or remove entries
select tests.authenticate_as(tests.person_id('admin@a.test'));
select throws_ok(
  format($$ insert into audit.log (tenant_id, action) values (%L, 'forged') $$, tests.school_id('school-a')),
  '42501', 'permission denied for table log', 'an admin cannot write entries directly'
);
select throws_ok(
  format($$ select audit.record('forged', %L) $$, tests.school_id('school-a')),
  '42501', 'permission denied for function record', 'an admin cannot call audit.record'
);
select throws_ok(
  $$ update audit.log set action = 'nothing happened' $$,
  '42501', 'permission denied for table log', 'an admin cannot change entries'
);
select throws_ok(
  $$ delete from audit.log $$,
  '42501', 'permission denied for table log', 'an admin cannot remove entries'
);

select tests.authenticate_as_service_role();
select ok(
  (select count(distinct tenant_id) = 2 from audit.log where tenant_id in (tests.school_id('school-a'), tests.school_id('school-b'))),
  'the service role reads every school''s entries'
);
select lives_ok(
  format($$ select audit.record('job.export_finished', %L) $$, tests.school_id('school-a')),
  'the service role records events through audit.record'
);
select throws_ok(
  format($$ insert into audit.log (tenant_id, action) values (%L, 'forged') $$, tests.school_id('school-a')),
  '42501', 'permission denied for table log', 'the service role cannot write entries directly'
);
select throws_ok(
  $$ update audit.log set action = 'nothing happened' $$,
  '42501', 'permission denied for table log', 'the service role cannot change entries'
);
select throws_ok(
  $$ delete from audit.log $$,
  '42501', 'permission denied for table log', 'the service role cannot remove entries'
);
select throws_ok(
  $$ truncate audit.log $$,
  '42501', 'permission denied for table log', 'the service role cannot truncate the log'
);

-- The trigger refuses even the owner, and a role someone grants the privileges to later
select tests.authenticate_as_owner();
create temporary table entries_before as select * from audit.log;
select throws_ok(
  $$ update audit.log set action = 'nothing happened' $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'the owner cannot change entries'
);
select throws_ok(
  $$ delete from audit.log $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'the owner cannot remove entries'
);
select throws_ok(
  $$ delete from audit.log where false $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'the refusal does not depend on matching rows'
);
select throws_ok(
  $$ truncate audit.log $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'the owner cannot truncate the log'
);
grant update, delete, truncate on audit.log to service_role;
select tests.authenticate_as_service_role();
select throws_ok(
  $$ update audit.log set action = 'nothing happened' $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'a granted update is still refused'
);
select throws_ok(
  $$ delete from audit.log $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'a granted delete is still refused'
);
select throws_ok(
  $$ truncate audit.log $$,
  '42501', 'The audit log is append-only: entries cannot be changed or removed', 'a granted truncate is still refused'
);
select tests.authenticate_as_owner();
select set_eq(
  $$ select * from audit.log $$,
  $$ select * from entries_before $$,
  'every entry is still there, unchanged'
);
select ok(
  (select count(*) > 0 from entries_before),
  'there were entries to protect'
);

select * from finish();
rollback;
