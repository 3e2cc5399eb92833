-- Invitations and one-time codes (AUTH-2, AUTH-3): only an active admin invites, into their
-- own school, within the plan's limit; parents are linked only to students of the same school;
-- a 6-digit code goes out by email (or SMS), stored hashed, valid 5 minutes, 5 tries, once;
-- the right code and a good password activate the person, who can then sign in; codes are
-- resent at most once a minute and 5 times an hour, and a new code replaces the old.
--
-- Codes are read back from the message queued for the person (private.outbox), as they would
-- arrive. Time is moved by changing stored times (expires_at, created_at) as the owner.
begin;
select plan(61);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child1@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'child2@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
select tests.create_person(tests.school_id('school-b'), 'student', 'child@b.test');

select set_config('app.request_id', 'req-092', true),
       set_config('app.ip', '203.0.113.12', true),
       set_config('app.user_agent', 'Mozilla/5.0 (pgTAP)', true);

create temporary table calls (name text primary key, result jsonb);
grant select, insert on calls to anon, authenticated;

create temporary table expected (name text primary key, result jsonb);
grant select on expected to anon, authenticated;
insert into expected values
  ('wrong', '{"ok": false, "code": "EL401", "message": "That code is not right."}'),
  ('dead', '{"ok": false, "code": "EL401", "message": "That code can no longer be used. Ask for a new one."}'),
  ('expired', '{"ok": false, "code": "EL401", "message": "That code has expired. Ask for a new one."}'),
  ('used', '{"ok": false, "code": "EL401", "message": "That code has already been used. Sign in with your password."}');

-- A six-digit code that is not the one sent (for wrong tries)
create function pg_temp.other_code(p_code text)
  returns text
  language sql
  immutable
as $$
  select lpad(((p_code::int + 1) % 1000000)::text, 6, '0')
$$;
grant execute on function pg_temp.other_code(text) to anon, authenticated;

-------------------------------------------------------------------------------
-- Inviting
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('admin@a.test'));
insert into calls values ('wanjiru', public.auth_invite('  Wanjiru Kamau ', 'Wanjiru@A.test', null, 'teacher'));
insert into calls values ('otieno', public.auth_invite('Otieno Ouma', null, '+254700000321', 'parent',
  array[tests.person_id('child1@a.test'), tests.person_id('child2@a.test'), tests.person_id('child1@a.test')]));
select tests.authenticate_as_owner();

select is(
  (select result from calls where name = 'wanjiru'),
  jsonb_build_object('ok', true, 'person_id', tests.person_id('wanjiru@a.test'), 'delivery', 'email'),
  'an admin invites a person: {ok, person_id, delivery: email} and never the code'
);
select results_eq(
  $$ select tenant_id, full_name, email, role::text, status::text from public.people where email = 'wanjiru@a.test' $$,
  $$ values (tests.school_id('school-a'), 'Wanjiru Kamau', 'wanjiru@a.test', 'teacher', 'invited') $$,
  'the person is in the admin''s school, invited, with the name trimmed and the email lowercased'
);
select results_eq(
  $$ select channel, subject, body ~ 'Your code is [0-9]{6}\.', body like '%School A Test School%',
            body like format('%%/verify?person=%s%%', tests.person_id('wanjiru@a.test'))
     from private.outbox where recipient = 'wanjiru@a.test' $$,
  $$ values ('email', 'Your Elymica code', true, true, true) $$,
  'the code goes by email with the school''s name and the verify link'
);
select results_eq(
  $$ select purpose, attempts, consumed_at, expires_at = now() + interval '5 minutes',
            code_hash like '$2a$06$%', position(tests.sent_code('wanjiru@a.test') in code_hash) = 0
     from private.otp_codes where person_id = tests.person_id('wanjiru@a.test') $$,
  $$ values ('invite', 0, null::timestamptz, true, true, true) $$,
  'the code is stored as a bcrypt hash, valid 5 minutes, untried, unused'
);
select is(
  (select result ->> 'delivery' from calls where name = 'otieno'), 'sms',
  'without an email the code goes by SMS'
);
select results_eq(
  $$ select channel, body ~ '^Your Elymica code for School A Test School is [0-9]{6} \(valid 5 minutes\)'
     from private.outbox where recipient = '+254700000321' $$,
  $$ values ('sms', true) $$,
  'to the person''s phone'
);
select set_eq(
  format($$ select student_id from public.guardian_links where parent_id = %L $$,
         (select result ->> 'person_id' from calls where name = 'otieno')),
  $$ values (tests.person_id('child1@a.test')), (tests.person_id('child2@a.test')) $$,
  'a parent is linked to the given students (once each)'
);
select results_eq(
  $$ select action, actor_id from audit.log
     where record_id = tests.person_id('wanjiru@a.test')::text order by id $$,
  $$ values ('insert', tests.person_id('admin@a.test')), ('auth.otp_sent', tests.person_id('admin@a.test')) $$,
  'the invitation and the sending are audited with the admin as actor'
);
select is_empty(
  $$ select * from audit.log where concat(old_data::text, new_data::text) ~ tests.sent_code('wanjiru@a.test') $$,
  'the code never reaches the audit log'
);

-- Who may invite
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select throws_ok(
  $$ select public.auth_invite('Someone', 'someone@a.test', null, 'student') $$,
  '42501', 'Only a school admin can do that.', 'a teacher cannot invite'
);
select tests.clear_authentication();
select throws_ok(
  $$ select public.auth_invite('Someone', 'someone@a.test', null, 'student') $$,
  '42501', 'permission denied for function auth_invite', 'anon cannot invite'
);
select tests.authenticate_as(tests.person_id('admin@b.test'));
select lives_ok(
  $$ select public.auth_invite('Someone', 'someone@b.test', null, 'student') $$,
  'another school''s admin invites into their own school'
);
select tests.authenticate_as_owner();
select is(
  (select tenant_id from public.people where email = 'someone@b.test'), tests.school_id('school-b'),
  'the school comes from the admin''s token, not from the request'
);

-- What the school's rules refuse
select tests.authenticate_as(tests.person_id('admin@a.test'));
select throws_ok(
  $$ select public.auth_invite('Wanjiru Again', 'WANJIRU@a.test', null, 'student') $$,
  '23505', null, 'an email already in the school: 23505 (409)'
);
select throws_ok(
  format($$ select public.auth_invite('Cross Parent', 'cross@a.test', null, 'parent', array[%L::uuid]) $$,
         tests.person_id('child@b.test')),
  '23503', null, 'a parent cannot be linked to a student of another school'
);
select throws_ok(
  format($$ select public.auth_invite('Odd Parent', 'odd@a.test', null, 'parent', array[%L::uuid]) $$,
         tests.person_id('teacher@a.test')),
  'EL422', null, 'a parent can only be linked to students'
);
select throws_ok(
  format($$ select public.auth_invite('Odd Teacher', 'odd.teacher@a.test', null, 'teacher', array[%L::uuid]) $$,
         tests.person_id('child1@a.test')),
  'EL422', null, 'only a parent can be linked to students'
);
select throws_ok(
  $$ select public.auth_invite('No Contact', null, null, 'student') $$,
  '23514', null, 'a person needs an email or a phone'
);
select tests.authenticate_as_owner();
select is_empty(
  $$ select * from public.people where email in ('cross@a.test', 'odd@a.test', 'odd.teacher@a.test') $$,
  'a refused invitation leaves no person behind'
);
update public.tenants set user_limit = (select count(*) from public.people where tenant_id = tests.school_id('school-a'))
where slug = 'school-a';
select tests.authenticate_as(tests.person_id('admin@a.test'));
select throws_ok(
  $$ select public.auth_invite('One Too Many', 'one.too.many@a.test', null, 'student') $$,
  'EL403', null, 'an invitation past the plan''s user limit: EL403'
);
select tests.authenticate_as_owner();
update public.tenants set user_limit = 1000 where slug = 'school-a';

-------------------------------------------------------------------------------
-- Verifying the code
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('admin@a.test'));
insert into calls values ('p3', public.auth_invite('Tries Person', 'tries@a.test', null, 'student'));
insert into calls values ('p4', public.auth_invite('Late Person', 'late@a.test', null, 'student'));
select tests.authenticate_as_owner();

select tests.clear_authentication();
insert into calls values ('w_wrong',
  public.auth_verify_otp(tests.person_id('wanjiru@a.test'), pg_temp.other_code(tests.sent_code('wanjiru@a.test')), 'Mwalimu-Bora-7'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'w_wrong'), (select result from expected where name = 'wrong'),
  'a wrong code: EL401 "That code is not right."');
select is((select attempts from private.otp_codes where person_id = tests.person_id('wanjiru@a.test')), 1,
  'and the try is counted');

select tests.clear_authentication();
select throws_ok(
  format($$ select public.auth_verify_otp(%L, %L, 'weakpassword') $$,
         tests.person_id('wanjiru@a.test'), tests.sent_code('wanjiru@a.test')),
  'EL422', 'Add an uppercase letter. Add a digit.', 'the right code with a bad password: EL422 with every problem'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select consumed_at, attempts from private.otp_codes where person_id = tests.person_id('wanjiru@a.test') $$,
  $$ values (null::timestamptz, 1) $$,
  'and the code is neither used up nor counted, so the person can try again'
);

select tests.clear_authentication();
insert into calls values ('w_other_persons_code',
  public.auth_verify_otp(tests.person_id('wanjiru@a.test'), tests.sent_code('tries@a.test'), 'Mwalimu-Bora-7'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'w_other_persons_code'), (select result from expected where name = 'wrong'),
  'another person''s code does not verify this person');

select tests.clear_authentication();
insert into calls values ('w_right',
  public.auth_verify_otp(tests.person_id('wanjiru@a.test'),
                         ' ' || substr(tests.sent_code('wanjiru@a.test'), 1, 3) || ' ' || substr(tests.sent_code('wanjiru@a.test'), 4) || ' ',
                         'Mwalimu-Bora-7'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'w_right'), '{"ok": true}'::jsonb,
  'the right code (spaces ignored) with a good password: {ok: true}');
select results_eq(
  $$ select p.status::text, pw.password_hash like '$2a$10$%', pw.password_hash = extensions.crypt('Mwalimu-Bora-7', pw.password_hash),
            o.consumed_at = now()
     from public.people p
     join private.passwords pw on pw.person_id = p.id
     join private.otp_codes o on o.person_id = p.id
     where p.email = 'wanjiru@a.test' $$,
  $$ values ('active', true, true, true) $$,
  'the person is active, the password stored with bcrypt cost 10, the code used up'
);
select results_eq(
  $$ select action, actor_id from audit.log
     where record_id = tests.person_id('wanjiru@a.test')::text and action like 'auth.%' order by id $$,
  $$ values ('auth.otp_sent', tests.person_id('admin@a.test')), ('auth.otp_failed', null),
            ('auth.otp_failed', null), ('auth.activated', tests.person_id('wanjiru@a.test')) $$,
  'sending, the failed tries and the activation are audited'
);
select tests.clear_authentication();
select results_eq(
  $$ select r ->> 'ok', r -> 'person' ->> 'email', r -> 'tenant' ->> 'slug'
     from public.auth_sign_in('wanjiru@a.test', 'Mwalimu-Bora-7', 'd') r $$,
  $$ values ('true', 'wanjiru@a.test', 'school-a') $$,
  'the new password signs in'
);
insert into calls values ('w_again',
  public.auth_verify_otp(tests.person_id('wanjiru@a.test'), tests.sent_code('wanjiru@a.test'), 'Another-Pass-8'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'w_again'), (select result from expected where name = 'used'),
  'a used code cannot be used again');
select ok(
  (select password_hash = extensions.crypt('Mwalimu-Bora-7', password_hash) from private.passwords
   where person_id = tests.person_id('wanjiru@a.test')),
  'and the password stays as it was'
);

-- Five wrong tries kill the code
select tests.clear_authentication();
insert into calls select 'p3_wrong_' || i,
  public.auth_verify_otp(tests.person_id('tries@a.test'), pg_temp.other_code(tests.sent_code('tries@a.test')), 'Mwanafunzi-9')
from generate_series(1, 4) i;
insert into calls values ('p3_wrong_5',
  public.auth_verify_otp(tests.person_id('tries@a.test'), 'abc', 'Mwanafunzi-9'));
insert into calls values ('p3_right_after',
  public.auth_verify_otp(tests.person_id('tries@a.test'), tests.sent_code('tries@a.test'), 'Mwanafunzi-9'));
select tests.authenticate_as_owner();
select is(
  (select count(*)::int from calls where name like 'p3_wrong_%' and name <> 'p3_wrong_5'
     and result = (select result from expected where name = 'wrong')),
  4,
  'four wrong tries: "That code is not right."'
);
select is((select result from calls where name = 'p3_wrong_5'), (select result from expected where name = 'dead'),
  'the fifth wrong try kills the code: "That code can no longer be used. Ask for a new one."');
select is((select result from calls where name = 'p3_right_after'), (select result from expected where name = 'dead'),
  'after five tries even the right code is refused');
select results_eq(
  $$ select o.attempts, o.consumed_at, p.status::text from private.otp_codes o join public.people p on p.id = o.person_id
     where p.email = 'tries@a.test' $$,
  $$ values (5, null::timestamptz, 'invited') $$,
  'the code counts exactly 5 tries and the person stays invited'
);

-- Expiry
update private.otp_codes set expires_at = now() - interval '1 second' where person_id = tests.person_id('late@a.test');
select tests.clear_authentication();
insert into calls values ('p4_expired',
  public.auth_verify_otp(tests.person_id('late@a.test'), tests.sent_code('late@a.test'), 'Mwanafunzi-9'));
insert into calls values ('unknown_person',
  public.auth_verify_otp(gen_random_uuid(), '123456', 'Mwanafunzi-9'));
insert into calls values ('no_code_person',
  public.auth_verify_otp(tests.person_id('teacher@a.test'), '123456', 'Mwanafunzi-9'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'p4_expired'), (select result from expected where name = 'expired'),
  'an expired code: "That code has expired. Ask for a new one."');
select is((select status::text from public.people where email = 'late@a.test'), 'invited', 'and nothing is activated');
select is((select result from calls where name = 'unknown_person'), (select result from expected where name = 'wrong'),
  'an unknown person: just a wrong code');
select is((select result from calls where name = 'no_code_person'), (select result from expected where name = 'wrong'),
  'a person who was never sent a code: just a wrong code');

-------------------------------------------------------------------------------
-- Resending
-------------------------------------------------------------------------------

-- late@a.test was invited in this transaction: its code is "now"
select tests.clear_authentication();
insert into calls values ('resend_too_soon', public.auth_resend_otp(tests.person_id('late@a.test')));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'resend_too_soon'),
  '{"ok": false, "code": "EL429", "message": "Please wait 60 seconds before asking for another code.", "retry_after": 60}'::jsonb,
  'a resend within a minute of the last code: EL429 with retry_after'
);
select is((select count(*)::int from private.otp_codes where person_id = tests.person_id('late@a.test')), 1,
  'and nothing is sent');

create temporary table old_code as select tests.sent_code('late@a.test') as code;
grant select on old_code to anon;
update private.otp_codes set created_at = now() - interval '50 minutes' where person_id = tests.person_id('late@a.test');
select tests.clear_authentication();
insert into calls values ('resend_1', public.auth_resend_otp(tests.person_id('late@a.test')));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'resend_1'), '{"ok": true}'::jsonb, 'a minute later a new code is sent');
select results_eq(
  $$ select count(*)::int, count(*) filter (where superseded_at is not null)::int, count(*) filter (where expires_at > now())::int
     from private.otp_codes where person_id = tests.person_id('late@a.test') $$,
  $$ values (2, 1, 1) $$,
  'the new code supersedes the old one'
);
select isnt(tests.sent_code('late@a.test'), (select code from old_code), 'a different code is queued');

select tests.clear_authentication();
insert into calls values ('late_old_code',
  public.auth_verify_otp(tests.person_id('late@a.test'), (select code from old_code), 'Mwanafunzi-9'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'late_old_code'), (select result from expected where name = 'wrong'),
  'the old code no longer works');

-- Five sends an hour: spread the sends over the last hour
update private.otp_codes set created_at = now() - interval '40 minutes' where person_id = tests.person_id('late@a.test') and superseded_at is null;
select tests.clear_authentication();
select is(public.auth_resend_otp(tests.person_id('late@a.test')), '{"ok": true}'::jsonb, 'a third send within the hour');
select tests.authenticate_as_owner();
update private.otp_codes set created_at = now() - interval '30 minutes' where person_id = tests.person_id('late@a.test') and superseded_at is null;
select tests.clear_authentication();
select is(public.auth_resend_otp(tests.person_id('late@a.test')), '{"ok": true}'::jsonb, 'a fourth');
select tests.authenticate_as_owner();
update private.otp_codes set created_at = now() - interval '20 minutes' where person_id = tests.person_id('late@a.test') and superseded_at is null;
select tests.clear_authentication();
select is(public.auth_resend_otp(tests.person_id('late@a.test')), '{"ok": true}'::jsonb, 'a fifth');
select tests.authenticate_as_owner();
update private.otp_codes set created_at = now() - interval '10 minutes' where person_id = tests.person_id('late@a.test') and superseded_at is null;
select tests.clear_authentication();
insert into calls values ('resend_6th', public.auth_resend_otp(tests.person_id('late@a.test')));
select tests.authenticate_as_owner();
select is(
  (select result from calls where name = 'resend_6th'),
  '{"ok": false, "code": "EL429", "message": "Too many codes have been sent. Try again in 10 minutes.", "retry_after": 600}'::jsonb,
  'a sixth within the hour: EL429 until the oldest send is an hour old'
);
select is((select count(*)::int from private.otp_codes where person_id = tests.person_id('late@a.test')), 5,
  'exactly 5 codes were sent in the hour');
update private.otp_codes set created_at = now() - interval '61 minutes'
where id = (select min(id) from private.otp_codes where person_id = tests.person_id('late@a.test'));
select tests.clear_authentication();
select is(public.auth_resend_otp(tests.person_id('late@a.test')), '{"ok": true}'::jsonb,
  'once the oldest send is more than an hour old, another may go');
insert into calls values ('late_right',
  public.auth_verify_otp(tests.person_id('late@a.test'), tests.sent_code('late@a.test'), 'Mwanafunzi-9'));
select tests.authenticate_as_owner();
select is((select result from calls where name = 'late_right'), '{"ok": true}'::jsonb, 'the latest code activates the person');

-- Nothing to tell
select tests.authenticate_as_owner();
create temporary table outbox_before as select count(*) as n from private.outbox;
select tests.clear_authentication();
select is(public.auth_resend_otp(gen_random_uuid()), '{"ok": true}'::jsonb, 'an unknown person: {ok: true}');
select is(public.auth_resend_otp(tests.person_id('wanjiru@a.test')), '{"ok": true}'::jsonb, 'an active person: {ok: true}');
select is(public.auth_resend_otp(null), '{"ok": true}'::jsonb, 'no person: {ok: true}');
select tests.authenticate_as_owner();
select is((select count(*) from private.outbox), (select n from outbox_before), 'and nothing was sent to anyone');

-- A disabled invitee
update public.people set status = 'disabled' where email = 'tries@a.test';
update private.otp_codes set attempts = 0 where person_id = tests.person_id('tries@a.test');
select tests.clear_authentication();
select is(
  public.auth_verify_otp(tests.person_id('tries@a.test'), tests.sent_code('tries@a.test'), 'Mwanafunzi-9'),
  '{"ok": false, "code": "EL403", "message": "This account has been disabled. Ask your school''s admin."}'::jsonb,
  'a disabled invitee''s code: EL403'
);
select is(public.auth_resend_otp(tests.person_id('tries@a.test')), '{"ok": true}'::jsonb,
  'and a disabled invitee is sent nothing');
select tests.authenticate_as_owner();
select is((select count(*) from private.outbox), (select n from outbox_before), 'nothing at all');

-------------------------------------------------------------------------------
-- Codes are uniform six-digit strings
-------------------------------------------------------------------------------

select ok(
  (select bool_and(c ~ '^[0-9]{6}$') and count(distinct c) > 990
   from (select private.new_otp_code() as c from generate_series(1, 1000)) s),
  'codes are six digits, leading zeros kept, and do not repeat much (1000 draws)'
);
select ok(
  (select count(*) = 10 and bool_and(n between 120 and 280) from (
     select count(*) as n from (select left(private.new_otp_code(), 1) as d from generate_series(1, 2000)) s group by d
   ) s),
  'every first digit is about equally likely (2000 draws: each within 6 standard deviations of 200)'
);

select * from finish();
rollback;
