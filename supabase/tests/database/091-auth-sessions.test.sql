-- Staying signed in (AUTH-3) and the admin's side of accounts: a refresh rotates the token
-- within its family; a spent token presented again revokes the whole family; signing out,
-- changing the password and being disabled revoke tokens; an admin unlocks an account and sees
-- everyone's status; the housekeeping job removes only what nothing needs any more.
begin;
select plan(57);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'admin', 'former.admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'alice@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'bob@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'carol@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'ivy@a.test', 'invited');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
select tests.create_person(tests.school_id('school-b'), 'teacher', 'teacher@b.test');
select tests.set_password(tests.person_id('alice@a.test'), 'Alice-Pass-2026');
select tests.set_password(tests.person_id('bob@a.test'), 'Bob-Pass-2026');
select tests.set_password(tests.person_id('carol@a.test'), 'Carol-Pass-2026');

select set_config('app.request_id', 'req-091', true),
       set_config('app.ip', '203.0.113.11', true),
       set_config('app.user_agent', 'Mozilla/5.0 (pgTAP)', true);

create temporary table calls (name text primary key, result jsonb);
grant select, insert on calls to anon, authenticated;

-- The stored row of a token a call returned
create function pg_temp.token_row(p_name text)
  returns setof private.refresh_tokens
  language sql
  stable
as $$
  select t.* from private.refresh_tokens t join calls c on c.name = p_name
  where t.token_hash = extensions.digest(c.result -> 'session' ->> 'refresh_token', 'sha256')
$$;
create function pg_temp.token(p_name text)
  returns text
  language sql
  stable
as $$
  select result -> 'session' ->> 'refresh_token' from calls where name = p_name
$$;
grant execute on function pg_temp.token(text) to anon, authenticated;

-------------------------------------------------------------------------------
-- Refresh: rotation within the family
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('a1', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'device-1'));
insert into calls values ('a_other', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'phone-1'));
insert into calls values ('a2', public.auth_refresh(pg_temp.token('a1'), 'device-2'));
select tests.authenticate_as_owner();

select is((select result ->> 'ok' from calls where name = 'a2'), 'true', 'a live refresh token refreshes');
select is(
  (select array(select jsonb_object_keys(result) order by 1) || array(select jsonb_object_keys(result -> 'session') order by 1)
   from calls where name = 'a2'),
  array['ok', 'person', 'session', 'tenant', 'expires_at', 'family_id', 'id', 'refresh_token'],
  'the refresh answers in the shape of a sign-in'
);
select is(
  (select (result -> 'person') || (result -> 'tenant') from calls where name = 'a2'),
  (select (result -> 'person') || (result -> 'tenant') from calls where name = 'a1'),
  'with the same person and school'
);
select results_eq(
  $$ select n.result -> 'session' ->> 'family_id' = o.result -> 'session' ->> 'family_id',
            n.result -> 'session' ->> 'id' <> o.result -> 'session' ->> 'id',
            n.result -> 'session' ->> 'refresh_token' <> o.result -> 'session' ->> 'refresh_token'
     from calls n, calls o where n.name = 'a2' and o.name = 'a1' $$,
  $$ values (true, true, true) $$,
  'a new token and session id in the same family'
);
select results_eq(
  $$ select revoked_reason, revoked_at = now(), replaced_by::text from pg_temp.token_row('a1') $$,
  $$ select 'rotated', true, result -> 'session' ->> 'id' from calls where name = 'a2' $$,
  'the old token is revoked as rotated and points to its replacement'
);
select results_eq(
  $$ select revoked_at, device_fingerprint, expires_at = now() + interval '7 days' from pg_temp.token_row('a2') $$,
  $$ values (null::timestamptz, 'device-2', true) $$,
  'the new token is live, with the device that refreshed and a fresh 7-day expiry'
);

select tests.clear_authentication();
insert into calls values ('a3', public.auth_refresh(pg_temp.token('a2'), 'device-2'));
insert into calls values ('a1_reused', public.auth_refresh(pg_temp.token('a1'), 'attacker'));
select tests.authenticate_as_owner();
select is((select result ->> 'ok' from calls where name = 'a3'), 'true', 'the replacement refreshes in turn');
select is(
  (select result from calls where name = 'a1_reused'),
  '{"ok": false, "code": "EL401", "message": "Your session has ended. Please sign in again."}'::jsonb,
  'presenting a rotated token again: EL401'
);
select results_eq(
  $$ select t.revoked_reason, count(*)::int from private.refresh_tokens t
     where t.family_id = (select (result -> 'session' ->> 'family_id')::uuid from calls where name = 'a1')
     group by 1 order by 1 $$,
  $$ values ('reuse_detected', 1), ('rotated', 2) $$,
  'and the whole family is revoked: its live token as reuse_detected'
);
select is(
  (select revoked_at from pg_temp.token_row('a_other')), null,
  'another sign-in (family) of the same person stays live'
);
select results_eq(
  $$ select tenant_id, record_id, new_data ->> 'token_revoked_reason', new_data ->> 'revoked', new_data ->> 'device'
     from audit.log where action = 'auth.refresh_reuse' $$,
  $$ values (tests.school_id('school-a'), tests.person_id('alice@a.test')::text, 'rotated', '1', 'attacker') $$,
  'the reuse is audited under the school, with how many tokens it revoked'
);
select tests.clear_authentication();
insert into calls values ('a3_after_reuse', public.auth_refresh(pg_temp.token('a3'), 'device-2'));
insert into calls values ('unknown', public.auth_refresh('not-a-token', 'd'));
insert into calls values ('null', public.auth_refresh(null, null));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'a3_after_reuse'), (select result from calls where name = 'a1_reused'),
  'the family''s last token no longer works either'
);
select is(
  (select result from calls where name = 'unknown'), (select result from calls where name = 'a1_reused'),
  'an unknown token: EL401'
);
select is(
  (select result from calls where name = 'null'), (select result from calls where name = 'a1_reused'),
  'no token: EL401'
);

-- Expiry
select tests.clear_authentication();
insert into calls values ('b1', public.auth_sign_in('bob@a.test', 'Bob-Pass-2026', 'd'));
select tests.authenticate_as_owner();
update private.refresh_tokens t set expires_at = now() - interval '1 second'
where t.id = (select id from pg_temp.token_row('b1'));
select tests.clear_authentication();
insert into calls values ('b1_expired', public.auth_refresh(pg_temp.token('b1'), 'd'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'b1_expired'), (select result from calls where name = 'a1_reused'),
  'an expired token: EL401'
);
select is((select revoked_at from pg_temp.token_row('b1')), null, 'expiry is not taken for theft: nothing is revoked');

-------------------------------------------------------------------------------
-- Sign-out
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('a_other2', public.auth_refresh(pg_temp.token('a_other'), 'phone-1'));
insert into calls values ('sign_out', public.auth_sign_out(pg_temp.token('a_other2')));
insert into calls values ('sign_out_unknown', public.auth_sign_out('not-a-token'));
insert into calls values ('sign_out_null', public.auth_sign_out(null));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'sign_out'), '{"ok": true}'::jsonb, 'signing out answers {ok: true}');
select results_eq(
  $$ select revoked_reason from pg_temp.token_row('a_other') union all select revoked_reason from pg_temp.token_row('a_other2') $$,
  $$ values ('rotated'), ('signed_out') $$,
  'and revokes the family of the token: its live token as signed_out'
);
select results_eq(
  $$ select actor_id, record_id from audit.log where action = 'auth.sign_out' $$,
  $$ values (tests.person_id('alice@a.test'), tests.person_id('alice@a.test')::text) $$,
  'signing out is audited'
);
select is(
  (select array_agg(result order by name) from calls where name in ('sign_out_unknown', 'sign_out_null')),
  array['{"ok": true}'::jsonb, '{"ok": true}'::jsonb],
  'an unknown or missing token signs out just the same (tells nothing)'
);
select tests.clear_authentication();
insert into calls values ('a4', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'd'));
select tests.authenticate_as(tests.person_id('alice@a.test'));
insert into calls values ('sign_out_signed_in', public.auth_sign_out(pg_temp.token('a4')));
select tests.clear_authentication();
insert into calls values ('a4_after', public.auth_refresh(pg_temp.token('a4'), 'd'));
select tests.authenticate_as_owner();
select results_eq(
  $$ select c.result, t.revoked_reason from calls c, pg_temp.token_row('a4') t where c.name = 'sign_out_signed_in' $$,
  $$ values ('{"ok": true}'::jsonb, 'signed_out') $$,
  'a signed-in person may sign out too'
);
select is(
  (select result ->> 'code' from calls where name = 'a4_after'), 'EL401',
  'a signed-out token no longer refreshes'
);

-------------------------------------------------------------------------------
-- Changing the password
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('c1', public.auth_sign_in('carol@a.test', 'Carol-Pass-2026', 'laptop'));
insert into calls values ('c2', public.auth_sign_in('carol@a.test', 'Carol-Pass-2026', 'phone'));
select throws_ok(
  $$ select public.auth_change_password('Carol-Pass-2026', 'New-Carol-2027') $$,
  '42501', 'permission denied for function auth_change_password', 'anon cannot change a password'
);

select tests.authenticate_as(tests.person_id('carol@a.test'));
select throws_ok(
  $$ select public.auth_change_password('Carol-Pass-2026', 'weakpassword') $$,
  'EL422', 'Add an uppercase letter. Add a digit.', 'a new password that breaks the policy: EL422 with every problem'
);
insert into calls values ('c_wrong_current', public.auth_change_password('Not-Carol-2026', 'New-Carol-2027'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'c_wrong_current'),
  '{"ok": false, "code": "EL401", "message": "Your current password is not right."}'::jsonb,
  'a wrong current password: EL401'
);
select is(
  (select failed_attempts from private.sign_in_state where person_id = tests.person_id('carol@a.test')), 1,
  'and it counts towards the lock'
);
select is(
  (select count(*)::int from private.refresh_tokens where person_id = tests.person_id('carol@a.test') and revoked_at is null), 2,
  'nothing else changed'
);

select tests.authenticate_as(tests.person_id('carol@a.test'));
insert into calls values ('c_changed', public.auth_change_password('Carol-Pass-2026', 'New-Carol-2027'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'c_changed'), '{"ok": true}'::jsonb, 'the right current password changes it');
select results_eq(
  $$ select revoked_reason, count(*)::int from private.refresh_tokens
     where person_id = tests.person_id('carol@a.test') group by 1 $$,
  $$ values ('password_changed', 2) $$,
  'every refresh token of the person is revoked (all devices sign in again)'
);
select results_eq(
  $$ select password_hash like '$2a$10$%', password_hash = extensions.crypt('New-Carol-2027', password_hash)
     from private.passwords where person_id = tests.person_id('carol@a.test') $$,
  $$ values (true, true) $$,
  'the new password is stored as a bcrypt hash of cost 10'
);
select is(
  (select failed_attempts from private.sign_in_state where person_id = tests.person_id('carol@a.test')), 0,
  'the failure counter is reset'
);
select results_eq(
  $$ select actor_id, new_data from audit.log where action = 'auth.password_changed' $$,
  $$ values (tests.person_id('carol@a.test'), '{"revoked": 2}'::jsonb) $$,
  'the change is audited, without the password'
);
select tests.clear_authentication();
insert into calls values ('c_old', public.auth_sign_in('carol@a.test', 'Carol-Pass-2026', 'd'));
insert into calls values ('c_new', public.auth_sign_in('carol@a.test', 'New-Carol-2027', 'd'));
select tests.authenticate_as_owner();
select results_eq(
  $$ select name, result ->> 'ok', result ->> 'code' from calls where name in ('c_old', 'c_new') order by name $$,
  $$ values ('c_new', 'true', null), ('c_old', 'false', 'EL401') $$,
  'the old password no longer signs in, the new one does'
);

update private.sign_in_state set failed_attempts = 5, locked_until = now() + interval '10 minutes'
where person_id = tests.person_id('carol@a.test');
select tests.authenticate_as(tests.person_id('carol@a.test'));
select is(
  public.auth_change_password('New-Carol-2027', 'Newer-Carol-2028'),
  '{"ok": false, "code": "EL429", "message": "Too many failed attempts. Try again in 10 minutes.", "retry_after": 600}'::jsonb,
  'a locked account cannot change its password either (no password oracle)'
);
select tests.authenticate_as_owner();
update private.sign_in_state set failed_attempts = 0, locked_until = null
where person_id = tests.person_id('carol@a.test');

-------------------------------------------------------------------------------
-- Disabling a person revokes their tokens
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('b2', public.auth_sign_in('bob@a.test', 'Bob-Pass-2026', 'd'));
insert into calls values ('b3', public.auth_sign_in('bob@a.test', 'Bob-Pass-2026', 'd'));
select tests.authenticate_as_owner();
create temporary table live_before as
  select person_id, count(*)::int as n from private.refresh_tokens where revoked_at is null group by 1;
select tests.authenticate_as(tests.person_id('admin@a.test'));
update public.people set status = 'disabled' where email = 'bob@a.test';
select tests.authenticate_as_owner();
select is(
  (select count(*)::int from private.refresh_tokens
   where person_id = tests.person_id('bob@a.test') and revoked_at is null), 0,
  'an admin disabling a person revokes all their refresh tokens'
);
select is(
  (select count(*)::int from private.refresh_tokens
   where person_id = tests.person_id('bob@a.test') and revoked_reason = 'person_disabled'), 3,
  'as person_disabled (expired ones included: nothing is left live)'
);
select set_eq(
  $$ select person_id, count(*)::int from private.refresh_tokens
     where revoked_at is null and person_id <> tests.person_id('bob@a.test') group by 1 $$,
  $$ select person_id, n from live_before where person_id <> tests.person_id('bob@a.test') $$,
  'nobody else''s tokens are touched'
);
select tests.clear_authentication();
insert into calls values ('b2_disabled', public.auth_refresh(pg_temp.token('b2'), 'd'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'b2_disabled'),
  '{"ok": false, "code": "EL403", "message": "This account has been disabled. Ask your school''s admin."}'::jsonb,
  'a disabled person''s refresh: EL403 (not taken for token theft)'
);
select is(
  (select count(*)::int from audit.log where action = 'auth.refresh_refused' and record_id = tests.person_id('bob@a.test')::text), 1,
  'and audited as auth.refresh_refused'
);
select is(
  (select count(*)::int from audit.log where action = 'auth.refresh_reuse' and record_id = tests.person_id('bob@a.test')::text), 0,
  'not as reuse'
);

-------------------------------------------------------------------------------
-- An admin unlocks an account
-------------------------------------------------------------------------------

insert into private.sign_in_state (tenant_id, person_id, failed_attempts, locked_until)
values (tests.school_id('school-a'), tests.person_id('alice@a.test'), 5, now() + interval '10 minutes')
on conflict (person_id) do update set failed_attempts = 5, locked_until = now() + interval '10 minutes';

select tests.clear_authentication();
select throws_ok(
  format('select public.auth_unlock(%L)', tests.person_id('alice@a.test')),
  '42501', 'permission denied for function auth_unlock', 'anon cannot unlock'
);
select tests.authenticate_as(tests.person_id('carol@a.test'));
select throws_ok(
  format('select public.auth_unlock(%L)', tests.person_id('alice@a.test')),
  '42501', 'Only a school admin can do that.', 'a student cannot unlock'
);
select tests.authenticate_as(tests.person_id('admin@b.test'));
select throws_ok(
  format('select public.auth_unlock(%L)', tests.person_id('alice@a.test')),
  'EL404', 'This person is not in your school.', 'another school''s admin cannot unlock'
);
select throws_ok(
  'select public.auth_unlock(gen_random_uuid())',
  'EL404', 'This person is not in your school.', 'nor can anyone unlock a person who does not exist'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select failed_attempts, locked_until > now() from private.sign_in_state where person_id = tests.person_id('alice@a.test') $$,
  $$ values (5, true) $$,
  'the lock is still there after the refused attempts'
);
select tests.authenticate_as(tests.person_id('admin@a.test'));
select lives_ok(
  format('select public.auth_unlock(%L)', tests.person_id('alice@a.test')),
  'the school''s admin unlocks'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select failed_attempts, locked_until from private.sign_in_state where person_id = tests.person_id('alice@a.test') $$,
  $$ values (0, null::timestamptz) $$,
  'the counter and the lock are cleared'
);
select results_eq(
  $$ select tenant_id, actor_id, record_id from audit.log where action = 'auth.unlocked' $$,
  $$ values (tests.school_id('school-a'), tests.person_id('admin@a.test'), tests.person_id('alice@a.test')::text) $$,
  'the unlock is audited with the admin as actor'
);
select tests.clear_authentication();
select is(
  public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'd') ->> 'ok', 'true',
  'the person signs in again at once'
);

-------------------------------------------------------------------------------
-- The admin's People list
-------------------------------------------------------------------------------

select tests.authenticate_as_owner();
update private.sign_in_state set failed_attempts = 5, locked_until = now() + interval '15 minutes'
where person_id = tests.person_id('alice@a.test');
insert into private.sign_in_state (tenant_id, person_id, failed_attempts, locked_until)
values (tests.school_id('school-a'), tests.person_id('carol@a.test'), 5, now() - interval '1 minute')
on conflict (person_id) do update set failed_attempts = 5, locked_until = now() - interval '1 minute';

select tests.authenticate_as(tests.person_id('admin@a.test'));
select results_eq(
  $$ select email, status, failed_attempts, locked_until from public.people_with_status() order by email $$,
  $$ values ('admin@a.test', 'active', 0, null::timestamptz),
            ('alice@a.test', 'locked', 5, now() + interval '15 minutes'),
            ('bob@a.test', 'disabled', 0, null),
            ('carol@a.test', 'active', 5, null),
            ('former.admin@a.test', 'active', 0, null),
            ('ivy@a.test', 'invited', 0, null) $$,
  'an admin sees everyone in their school: invited, active, locked (until when) or disabled'
);
select tests.authenticate_as(tests.person_id('admin@b.test'));
select results_eq(
  $$ select email, status from public.people_with_status() order by email $$,
  $$ values ('admin@b.test', 'active'), ('teacher@b.test', 'active') $$,
  'another school''s admin sees only their own school'
);
select tests.authenticate_as(tests.person_id('teacher@b.test'));
select throws_ok(
  'select * from public.people_with_status()', '42501', 'Only a school admin can do that.',
  'a teacher cannot list statuses'
);
-- An admin disabled minutes ago still holds a valid token: the table is asked too
select tests.authenticate_as_owner();
update public.people set status = 'disabled' where email = 'former.admin@a.test';
select tests.authenticate_as(tests.person_id('former.admin@a.test')); -- claims still say admin
select throws_ok(
  'select * from public.people_with_status()', '42501', 'Only a school admin can do that.',
  'a disabled admin whose token has not expired yet is refused'
);
select tests.clear_authentication();
select throws_ok(
  'select * from public.people_with_status()', '42501', 'permission denied for function people_with_status',
  'anon cannot list statuses'
);

-------------------------------------------------------------------------------
-- Housekeeping (a scheduled job, as service_role)
-------------------------------------------------------------------------------

select tests.authenticate_as_owner();
insert into private.ip_sign_in_failures (ip, attempted_at)
values ('192.0.2.1', now() - interval '16 minutes'), ('192.0.2.1', now() - interval '1 minute');
update private.refresh_tokens set expires_at = now() - interval '31 days'
where id = (select id from pg_temp.token_row('b1'));
create temporary table counts_before as
  select (select count(*) from private.ip_sign_in_failures) as failures, (select count(*) from private.refresh_tokens) as tokens;
select tests.authenticate_as_service_role();
select is(private.purge_auth_records(), 2::bigint,
  'the job deletes address failures older than 15 minutes and tokens expired over 30 days ago');
select tests.authenticate_as_owner();
select results_eq(
  $$ select (select count(*) from private.ip_sign_in_failures), (select count(*) from private.refresh_tokens) $$,
  $$ select failures - 1, tokens - 1 from counts_before $$,
  'one of each, and nothing else'
);
select ok(
  exists (select from private.ip_sign_in_failures where ip = '192.0.2.1'),
  'a recent failure is kept'
);

select * from finish();
rollback;
