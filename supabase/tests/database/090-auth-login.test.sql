-- Signing in (AUTH-1): the right password gives a session whose refresh token is stored only as
-- a hash; unknown email, wrong password and "no password yet" are indistinguishable; a disabled
-- account is told so only with the right password; 5 consecutive failures lock the account for
-- 15 minutes (even the right password is refused, nothing is checked); one address may fail 30
-- times in 15 minutes; the password policy; injection strings are just wrong credentials; no
-- API role reads the auth tables.
--
-- Time: the auth functions pin search_path = '', so tests.freeze_time cannot reach their now();
-- the clock is moved instead by changing the stored times (locked_until, attempted_at) as the
-- owner. Exactness of the lock under 50 concurrent attempts cannot be shown from one session:
-- the lock is a row lock (FOR UPDATE), and the HTTP tests fire the concurrent attempts.
begin;
select plan(68);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'alice@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'bob@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'carol@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'dora@a.test', 'disabled');
select tests.create_person(tests.school_id('school-a'), 'parent', 'ivy@a.test', 'invited');
-- the same address in two schools: two people
insert into public.people (tenant_id, full_name, email, role, status) values
  (tests.school_id('school-a'), 'Sam Otieno', 'sam@shared.test', 'parent', 'active'),
  (tests.school_id('school-b'), 'Sam Otieno', 'sam@shared.test', 'teacher', 'active');

select tests.set_password(tests.person_id('alice@a.test'), 'Alice-Pass-2026');
select tests.set_password(tests.person_id('bob@a.test'), 'Bob-Pass-2026');
select tests.set_password(tests.person_id('carol@a.test'), 'Carol-Pass-2026');
select tests.set_password(tests.person_id('dora@a.test'), 'Dora-Pass-2026');
select tests.set_password(p.id, case t.slug when 'school-a' then 'Sam-School-A-1' else 'Sam-School-B-1' end)
from public.people p join public.tenants t on t.id = p.tenant_id
where p.email = 'sam@shared.test';

-- What the TypeScript layer sets per transaction
select set_config('app.request_id', 'req-090', true),
       set_config('app.ip', '203.0.113.10', true),
       set_config('app.user_agent', 'Mozilla/5.0 (pgTAP)', true);

create temporary table calls (name text primary key, result jsonb);
grant select, insert on calls to anon, authenticated;
create temporary table expected (name text primary key, result jsonb);
grant select on expected to anon, authenticated;
insert into expected values
  ('wrong', '{"ok": false, "code": "EL401", "message": "Email or password is incorrect."}'),
  ('disabled', '{"ok": false, "code": "EL403", "message": "This account has been disabled. Ask your school''s admin."}');

-------------------------------------------------------------------------------
-- Success
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('alice', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'device-alice-1'));
select tests.authenticate_as_owner();

select is((select result ->> 'ok' from calls where name = 'alice'), 'true', 'the right email and password sign in');
select is(
  (select result -> 'person' from calls where name = 'alice'),
  jsonb_build_object('id', tests.person_id('alice@a.test'), 'full_name', 'Alice', 'email', 'alice@a.test',
                     'phone', null, 'role', 'teacher'),
  'the person comes back: id, full name, email, phone, role'
);
select is(
  (select result -> 'tenant' from calls where name = 'alice'),
  jsonb_build_object('id', tests.school_id('school-a'), 'name', 'School A Test School', 'slug', 'school-a',
                     'country', 'KE', 'currency', 'KES', 'timezone', 'Africa/Nairobi'),
  'the school comes back: id, name, slug, country, currency, timezone'
);
select is(
  (select array(select jsonb_object_keys(result -> 'session') order by 1) from calls where name = 'alice'),
  array['expires_at', 'family_id', 'id', 'refresh_token'],
  'the session has an id, a family, the refresh token and its expiry'
);
select ok(
  (select result -> 'session' ->> 'refresh_token' ~ '^[A-Za-z0-9_-]{43}$' from calls where name = 'alice'),
  'the refresh token is 32 random bytes in base64url'
);
select results_eq(
  $$ select t.id::text, t.family_id::text, t.person_id, t.tenant_id, t.device_fingerprint, host(t.ip), t.user_agent,
            t.expires_at = now() + interval '7 days', t.revoked_at is null, octet_length(t.token_hash)
     from private.refresh_tokens t
     join calls c on c.name = 'alice'
       and t.token_hash = extensions.digest(c.result -> 'session' ->> 'refresh_token', 'sha256') $$,
  $$ select c.result -> 'session' ->> 'id', c.result -> 'session' ->> 'family_id', tests.person_id('alice@a.test'),
            tests.school_id('school-a'), 'device-alice-1', '203.0.113.10', 'Mozilla/5.0 (pgTAP)', true, true, 32
     from calls c where c.name = 'alice' $$,
  'the token is stored as its SHA-256, with the device, ip, user agent, a new family and a 7-day expiry'
);
select is(
  (select count(*)::int from private.refresh_tokens t, calls c
   where c.name = 'alice' and position(convert_to(c.result -> 'session' ->> 'refresh_token', 'UTF8') in t.token_hash) > 0),
  0,
  'the token itself is stored nowhere'
);
select results_eq(
  $$ select tenant_id, actor_id, record_id, request_id, host(ip), new_data ->> 'device'
     from audit.log where action = 'auth.sign_in' $$,
  $$ values (tests.school_id('school-a'), tests.person_id('alice@a.test'), tests.person_id('alice@a.test')::text,
             'req-090', '203.0.113.10', 'device-alice-1') $$,
  'the sign-in is audited with the person, the request id and the address'
);

-------------------------------------------------------------------------------
-- Refusals that tell nothing
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('wrong', public.auth_sign_in('alice@a.test', 'not-her-password', 'd'));
insert into calls values ('unknown', public.auth_sign_in('nobody@a.test', 'Alice-Pass-2026', 'd'));
insert into calls values ('invited', public.auth_sign_in('ivy@a.test', 'Anything-2026', 'd'));
insert into calls values ('disabled_wrong', public.auth_sign_in('dora@a.test', 'Not-Dora-2026', 'd'));
insert into calls values ('disabled', public.auth_sign_in('dora@a.test', 'Dora-Pass-2026', 'd'));
insert into calls values ('nulls', public.auth_sign_in(null, null, null));
insert into calls values ('mixed_case', public.auth_sign_in('  ALICE@A.Test ', 'Alice-Pass-2026', 'd'));
select tests.authenticate_as_owner();

select is(
  (select result from calls where name = 'wrong'), (select result from expected where name = 'wrong'),
  'a wrong password: EL401 "Email or password is incorrect."'
);
select is(
  (select result from calls where name = 'unknown'), (select result from calls where name = 'wrong'),
  'an unknown email gives exactly the same result as a wrong password'
);
select is(
  (select result from calls where name = 'invited'), (select result from calls where name = 'wrong'),
  'a person without a password yet (invited) gives the same result'
);
select is(
  (select result from calls where name = 'disabled_wrong'), (select result from calls where name = 'wrong'),
  'a disabled account with a wrong password gives the same result'
);
select is(
  (select result from calls where name = 'disabled'), (select result from expected where name = 'disabled'),
  'a disabled account with the right password: EL403 "This account has been disabled…"'
);
select is(
  (select result from calls where name = 'nulls'), (select result from calls where name = 'wrong'),
  'nothing at all is just wrong credentials'
);
select is(
  (select result -> 'person' ->> 'id' from calls where name = 'mixed_case'), tests.person_id('alice@a.test')::text,
  'the email is matched trimmed and case-insensitively'
);
select results_eq(
  $$ select new_data ->> 'reason', record_id, tenant_id from audit.log where action = 'auth.sign_in_failed' order by id $$,
  $$ values ('wrong_password', tests.person_id('alice@a.test')::text, tests.school_id('school-a')),
            ('unknown_email', null, null),
            ('no_password', tests.person_id('ivy@a.test')::text, tests.school_id('school-a')),
            ('wrong_password', tests.person_id('dora@a.test')::text, tests.school_id('school-a')),
            ('disabled', tests.person_id('dora@a.test')::text, tests.school_id('school-a')),
            ('unknown_email', null, null) $$,
  'every failure is audited with its reason, under the school of the account'
);
select is_empty(
  $$ select * from audit.log
     where concat(old_data::text, new_data::text, record_id) ~* 'pass-2026|not-her-password|anything-2026|nobody@a' $$,
  'no password, and no unknown email (often a password typed in the wrong box), reaches the audit log'
);

-------------------------------------------------------------------------------
-- Lockout: 5 consecutive failures lock the account for 15 minutes
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls select 'bob_wrong_' || i, public.auth_sign_in('bob@a.test', 'Wrong-Pass-' || i, 'd')
from generate_series(1, 4) i;
select tests.authenticate_as_owner();
select is(
  (select count(*)::int from calls where name like 'bob_wrong_%' and result = (select result from expected where name = 'wrong')),
  4,
  'four wrong passwords: four times EL401'
);
select results_eq(
  $$ select failed_attempts, locked_until, last_failed_at = now() from private.sign_in_state
     where person_id = tests.person_id('bob@a.test') $$,
  $$ values (4, null::timestamptz, true) $$,
  'four failures are counted, the account is not locked yet'
);

select tests.clear_authentication();
insert into calls values ('bob_wrong_5', public.auth_sign_in('bob@a.test', 'Wrong-Pass-5', 'd'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'bob_wrong_5'), (select result from expected where name = 'wrong'),
  'the fifth wrong password is still EL401'
);
select results_eq(
  $$ select failed_attempts, locked_until from private.sign_in_state where person_id = tests.person_id('bob@a.test') $$,
  $$ values (5, now() + interval '15 minutes') $$,
  'the fifth failure locks the account for 15 minutes'
);
select results_eq(
  $$ select tenant_id, new_data ->> 'failed_attempts' from audit.log
     where action = 'auth.locked' and record_id = tests.person_id('bob@a.test')::text $$,
  $$ values (tests.school_id('school-a'), '5') $$,
  'the lock is audited under the school'
);

select tests.clear_authentication();
insert into calls values ('bob_locked_right', public.auth_sign_in('bob@a.test', 'Bob-Pass-2026', 'd'));
insert into calls values ('bob_locked_wrong', public.auth_sign_in('bob@a.test', 'Wrong-Pass-7', 'd'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'bob_locked_right'),
  '{"ok": false, "code": "EL429", "message": "Too many failed sign-in attempts. Try again in 15 minutes.", "retry_after": 900}'::jsonb,
  'while locked, even the right password is refused: EL429 with retry_after'
);
select is(
  (select result from calls where name = 'bob_locked_wrong'), (select result from calls where name = 'bob_locked_right'),
  'while locked, a wrong password gets the same EL429'
);
select is(
  (select failed_attempts from private.sign_in_state where person_id = tests.person_id('bob@a.test')), 5,
  'no password is checked or counted while locked'
);
select is(
  (select count(*)::int from audit.log
   where action = 'auth.sign_in_failed' and new_data ->> 'reason' = 'locked' and record_id = tests.person_id('bob@a.test')::text),
  2,
  'refusals while locked are audited'
);
select is(
  (select count(*)::int from private.refresh_tokens where person_id = tests.person_id('bob@a.test')), 0,
  'a locked account gets no session'
);

-- 61 seconds left
update private.sign_in_state set locked_until = now() + interval '61 seconds'
where person_id = tests.person_id('bob@a.test');
select tests.clear_authentication();
insert into calls values ('bob_61s', public.auth_sign_in('bob@a.test', 'Bob-Pass-2026', 'd'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'bob_61s'),
  '{"ok": false, "code": "EL429", "message": "Too many failed sign-in attempts. Try again in 2 minutes.", "retry_after": 61}'::jsonb,
  'retry_after counts down; the message rounds up to whole minutes'
);

-- 15 minutes later
update private.sign_in_state set locked_until = now() - interval '1 second'
where person_id = tests.person_id('bob@a.test');
select tests.clear_authentication();
insert into calls values ('bob_later', public.auth_sign_in('bob@a.test', 'Bob-Pass-2026', 'd'));
select tests.authenticate_as_owner();
select is((select result ->> 'ok' from calls where name = 'bob_later'), 'true', 'once the lock has run out, the right password signs in');
select results_eq(
  $$ select failed_attempts, locked_until from private.sign_in_state where person_id = tests.person_id('bob@a.test') $$,
  $$ values (0, null::timestamptz) $$,
  'and the counter starts again from zero'
);

-- A lock that ran out: the next failure starts a new count instead of locking again
update private.sign_in_state set failed_attempts = 5, locked_until = now() - interval '1 second'
where person_id = tests.person_id('bob@a.test');
select tests.clear_authentication();
insert into calls values ('bob_after_lock_wrong', public.auth_sign_in('bob@a.test', 'Wrong-Pass-8', 'd'));
select tests.authenticate_as_owner();
select results_eq(
  $$ select c.result = e.result, s.failed_attempts, s.locked_until
     from calls c, expected e, private.sign_in_state s
     where c.name = 'bob_after_lock_wrong' and e.name = 'wrong' and s.person_id = tests.person_id('bob@a.test') $$,
  $$ values (true, 1, null::timestamptz) $$,
  'a failure after the lock ran out counts as the first of a new series'
);

-- Success resets the counter; failures must be consecutive
select tests.clear_authentication();
insert into calls select 'carol_wrong_' || i, public.auth_sign_in('carol@a.test', 'Wrong-Pass-' || i, 'd')
from generate_series(1, 4) i;
insert into calls values ('carol_right', public.auth_sign_in('carol@a.test', 'Carol-Pass-2026', 'd'));
select tests.authenticate_as_owner();
select is((select result ->> 'ok' from calls where name = 'carol_right'), 'true', 'four failures, then the right password signs in');
select is(
  (select failed_attempts from private.sign_in_state where person_id = tests.person_id('carol@a.test')), 0,
  'a success resets the counter'
);
select tests.clear_authentication();
insert into calls values ('carol_wrong_again', public.auth_sign_in('carol@a.test', 'Wrong-Pass-9', 'd'));
select tests.authenticate_as_owner();
select results_eq(
  $$ select failed_attempts, locked_until from private.sign_in_state where person_id = tests.person_id('carol@a.test') $$,
  $$ values (1, null::timestamptz) $$,
  'so a fifth failure overall does not lock: only consecutive failures count'
);

-------------------------------------------------------------------------------
-- One email in two schools
-------------------------------------------------------------------------------

select tests.clear_authentication();
insert into calls values ('sam_wrong', public.auth_sign_in('sam@shared.test', 'Sam-School-C-1', 'd'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'sam_wrong'), (select result from expected where name = 'wrong'),
  'an email in two schools with a password of neither: EL401');
select results_eq(
  $$ select t.slug, s.failed_attempts from private.sign_in_state s
     join public.tenants t on t.id = s.tenant_id
     join public.people p on p.id = s.person_id
     where p.email = 'sam@shared.test' order by t.slug $$,
  $$ values ('school-a'::text, 1), ('school-b', 1) $$,
  'and the failure counts for both accounts'
);
select tests.clear_authentication();
insert into calls values ('sam_b', public.auth_sign_in('sam@shared.test', 'Sam-School-B-1', 'd'));
insert into calls values ('sam_a', public.auth_sign_in('sam@shared.test', 'Sam-School-A-1', 'd'));
select tests.authenticate_as_owner();
select results_eq(
  $$ select name, result -> 'tenant' ->> 'slug', result -> 'person' ->> 'role' from calls
     where name in ('sam_a', 'sam_b') order by name $$,
  $$ values ('sam_a', 'school-a', 'parent'), ('sam_b', 'school-b', 'teacher') $$,
  'each school''s password signs in to that school''s account'
);

-------------------------------------------------------------------------------
-- One address: 30 failures in 15 minutes
-------------------------------------------------------------------------------

select set_config('app.ip', '198.51.100.20', true);
insert into private.ip_sign_in_failures (ip, attempted_at)
select '198.51.100.20', now() - interval '1 minute' from generate_series(1, 29);
select tests.clear_authentication();
insert into calls values ('ip_30th', public.auth_sign_in('nobody@a.test', 'Whatever-2026', 'd'));
insert into calls values ('ip_limited', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'd'));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'ip_30th'), (select result from expected where name = 'wrong'),
  'an address with 29 recent failures may still try: the 30th failure is EL401'
);
select is(
  (select result from calls where name = 'ip_limited'),
  '{"ok": false, "code": "EL429", "message": "Too many failed sign-in attempts from this network. Try again in 14 minutes.", "retry_after": 840}'::jsonb,
  'after 30 failures in 15 minutes every sign-in from the address is refused, the right password too'
);
select is(
  (select count(*)::int from private.ip_sign_in_failures where ip = '198.51.100.20'), 30,
  'the refusal itself is not counted as a failure'
);
select is(
  (select failed_attempts from private.sign_in_state where person_id = tests.person_id('alice@a.test')), 0,
  'the address limit does not touch the account''s own counter'
);
select tests.authenticate_as(tests.person_id('admin@a.test'));
select results_eq(
  $$ select record_id, host(ip) from audit.log
     where action = 'auth.sign_in_failed' and new_data ->> 'reason' = 'ip_limited' $$,
  $$ values (tests.person_id('alice@a.test')::text, '198.51.100.20') $$,
  'the school''s admin sees the refusal in the audit log, with the address'
);
select tests.authenticate_as_owner();

select set_config('app.ip', '198.51.100.21', true);
select tests.clear_authentication();
insert into calls values ('ip_other', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'd'));
select tests.authenticate_as_owner();
select is((select result ->> 'ok' from calls where name = 'ip_other'), 'true', 'another address is not affected');

update private.ip_sign_in_failures set attempted_at = now() - interval '16 minutes' where ip = '198.51.100.20';
select set_config('app.ip', '198.51.100.20', true);
select tests.clear_authentication();
insert into calls values ('ip_later', public.auth_sign_in('alice@a.test', 'Alice-Pass-2026', 'd'));
select tests.authenticate_as_owner();
select is((select result ->> 'ok' from calls where name = 'ip_later'), 'true', 'failures older than 15 minutes no longer count');

select set_config('app.ip', '2001:db8::abcd:1', true);
select tests.clear_authentication();
insert into calls values ('ipv6', public.auth_sign_in('nobody@a.test', 'Whatever-2026', 'd'));
select tests.authenticate_as_owner();
select results_eq(
  $$ select ip::text from private.ip_sign_in_failures where family(ip) = 6 $$,
  $$ values ('2001:db8::/64') $$,
  'an IPv6 failure counts against its /64, which one client usually holds whole'
);

-------------------------------------------------------------------------------
-- Injection strings are just wrong credentials
-------------------------------------------------------------------------------

select set_config('app.ip', '198.51.100.30', true);
select tests.clear_authentication();
insert into calls values
  ('inject_1', public.auth_sign_in($$' or '1'='1$$, $$' or '1'='1$$, 'd')),
  ('inject_2', public.auth_sign_in($$alice@a.test' --$$, 'x', 'd')),
  ('inject_3', public.auth_sign_in('alice@a.test', $$Alice-Pass-2026' or '1'='1$$, 'd')),
  ('inject_4', public.auth_sign_in($$x'); drop table public.people; --$$, $$'); delete from private.passwords; --$$, 'd'));
select tests.authenticate_as_owner();
select is(
  (select count(*)::int from calls where name like 'inject_%' and result = (select result from expected where name = 'wrong')),
  4,
  'SQL in the email or password is just a wrong email or password (EL401)'
);
select ok(
  (select count(*) = 4 from private.passwords where tenant_id = tests.school_id('school-a') and person_id in (
     tests.person_id('alice@a.test'), tests.person_id('bob@a.test'), tests.person_id('carol@a.test'), tests.person_id('dora@a.test'))),
  'and nothing was run: the people and their passwords are all there'
);

-------------------------------------------------------------------------------
-- The password policy
-------------------------------------------------------------------------------

select tests.clear_authentication();
select is(public.auth_password_problems('short'),
  array['Use at least 8 characters.', 'Add an uppercase letter.', 'Add a digit.'],
  'every problem at once: too short, no uppercase letter, no digit');
select is(public.auth_password_problems(null), public.auth_password_problems(''),
  'no password is an empty one');
select is(public.auth_password_problems('lowercase-42'), array['Add an uppercase letter.'], 'an uppercase letter is needed');
select is(public.auth_password_problems('No-Digits-Here'), array['Add a digit.'], 'a digit is needed');
select is(public.auth_password_problems('Jambo-7'), array['Use at least 8 characters.'], 'seven characters are too few');
select is(public.auth_password_problems('Kiboko-Ndefu-42'), '{}'::text[], 'a good password has no problem');
select is(public.auth_password_problems('Jambo-78'), '{}'::text[], 'eight characters with an uppercase letter and a digit pass');
select is(public.auth_password_problems('Password1'),
  array['This password is too common. Choose one that is harder to guess.'],
  'a common password is refused, compared case-insensitively');
select is(public.auth_password_problems('NAIROBI2026'), array['This password is too common. Choose one that is harder to guess.'],
  'local words with the usual suffixes are common too');
select is(public.auth_password_problems('P@ssw0rd1'), array['This password is too common. Choose one that is harder to guess.'],
  'and the usual substitutions');
select is(public.auth_password_problems(repeat('Ab1', 25)), array['Use at most 72 characters.'],
  'more than 72 bytes is refused: bcrypt would ignore the rest');
select tests.authenticate_as_owner();
select ok((select count(*) >= 300 from private.common_passwords), 'a few hundred common passwords or more are shipped');

-------------------------------------------------------------------------------
-- Nobody reads the auth tables
-------------------------------------------------------------------------------

select tests.clear_authentication();
select throws_ok('select * from private.sign_in_state', '42501', 'permission denied for schema private',
  'anon cannot reach sign-in state');
select throws_ok('select * from private.refresh_tokens', '42501', 'permission denied for schema private',
  'anon cannot reach refresh tokens');
select throws_ok('select * from private.otp_codes', '42501', 'permission denied for schema private',
  'anon cannot reach codes');
select tests.authenticate_as(tests.person_id('admin@a.test'));
select throws_ok('select * from private.sign_in_state', '42501', 'permission denied for table sign_in_state',
  'an admin cannot read sign-in state');
select throws_ok('select * from private.refresh_tokens', '42501', 'permission denied for table refresh_tokens',
  'an admin cannot read refresh tokens');
select throws_ok('select * from private.otp_codes', '42501', 'permission denied for table otp_codes',
  'an admin cannot read codes');
select throws_ok('select * from private.ip_sign_in_failures', '42501', 'permission denied for table ip_sign_in_failures',
  'an admin cannot read address failures');
select throws_ok('select * from private.common_passwords', '42501', 'permission denied for table common_passwords',
  'an admin cannot read the common passwords');
select tests.authenticate_as_service_role();
select throws_ok('select * from private.refresh_tokens', '42501', 'permission denied for table refresh_tokens',
  'the service role cannot read refresh tokens either');

select * from finish();
rollback;
