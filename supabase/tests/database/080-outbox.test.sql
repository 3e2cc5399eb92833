-- The notification outbox: only the worker's role reaches it, and only through its functions;
-- enqueue refuses bad channels and recipients; a claim takes due and abandoned rows and counts
-- the attempt; failures back off 10 s, 20 s, 40 s, 80 s, 160 s and die after the 6th attempt;
-- a sent message loses its body. (Two workers racing, and NOTIFY reaching a listener, cannot be
-- seen from one pgTAP session: tests/notify/worker_test.ts proves those.)
begin;
select plan(56);

select tests.create_school('school-a');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');

-------------------------------------------------------------------------------
-- Shape, RLS and grants
-------------------------------------------------------------------------------

select ok(
  (select relrowsecurity from pg_catalog.pg_class where oid = 'private.outbox'::regclass),
  'the outbox has row level security on'
);
select is_empty(
  $$ select * from pg_catalog.pg_policy where polrelid = 'private.outbox'::regclass $$,
  'the outbox has no policy: nobody reads it directly'
);
select trigger_is('private', 'outbox', '_900_notify', 'private', 'tg_outbox__notify',
                  'an insert notifies channel outbox');
select results_eq(
  $$ select p.oid::regproc::text, p.prosecdef from pg_catalog.pg_proc p
     where p.pronamespace = 'private'::regnamespace
       and p.proname in ('enqueue_notification', 'outbox_claim', 'outbox_sent', 'outbox_failed', 'outbox_recent')
     order by 1 $$,
  $$ values ('private.enqueue_notification', true), ('private.outbox_claim', true),
            ('private.outbox_failed', true), ('private.outbox_recent', true), ('private.outbox_sent', true) $$,
  'the outbox functions are security definer'
);
select results_eq(
  $$ select r.rolname::text, f.fn, pg_catalog.has_function_privilege(r.rolname, f.fn, 'EXECUTE')
     from (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     cross join (values ('private.enqueue_notification(uuid, text, text, text, text)'),
                        ('private.outbox_claim(integer)'), ('private.outbox_sent(bigint, text)'),
                        ('private.outbox_failed(bigint, text, boolean)'), ('private.outbox_recent(integer)')) f(fn)
     order by 1, 2 $$,
  $$ values
     ('anon', 'private.enqueue_notification(uuid, text, text, text, text)', false),
     ('anon', 'private.outbox_claim(integer)', false),
     ('anon', 'private.outbox_failed(bigint, text, boolean)', false),
     ('anon', 'private.outbox_recent(integer)', false),
     ('anon', 'private.outbox_sent(bigint, text)', false),
     ('authenticated', 'private.enqueue_notification(uuid, text, text, text, text)', false),
     ('authenticated', 'private.outbox_claim(integer)', false),
     ('authenticated', 'private.outbox_failed(bigint, text, boolean)', false),
     ('authenticated', 'private.outbox_recent(integer)', false),
     ('authenticated', 'private.outbox_sent(bigint, text)', false),
     ('service_role', 'private.enqueue_notification(uuid, text, text, text, text)', true),
     ('service_role', 'private.outbox_claim(integer)', true),
     ('service_role', 'private.outbox_failed(bigint, text, boolean)', true),
     ('service_role', 'private.outbox_recent(integer)', true),
     ('service_role', 'private.outbox_sent(bigint, text)', true) $$,
  'only service_role may execute the outbox functions'
);

select private.enqueue_notification(tests.school_id('school-a'), 'email', 'parent@a.test', 'Welcome', 'Hello');

select tests.clear_authentication();
select throws_ok($$ select * from private.outbox $$, '42501', 'permission denied for schema private',
                 'anon cannot reach the outbox');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+254712345678', null, 'x') $$,
                 '42501', 'permission denied for schema private', 'anon cannot enqueue');

select tests.authenticate_as(tests.person_id('admin@a.test'));
select throws_ok($$ select * from private.outbox $$, '42501', 'permission denied for table outbox',
                 'an admin cannot read the outbox');
select throws_ok($$ insert into private.outbox (channel, recipient, body) values ('sms', '+254712345678', 'x') $$,
                 '42501', 'permission denied for table outbox', 'an admin cannot write to the outbox');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+254712345678', null, 'x') $$,
                 '42501', 'permission denied for function enqueue_notification', 'an admin cannot enqueue');
select throws_ok($$ select * from private.outbox_claim(10) $$,
                 '42501', 'permission denied for function outbox_claim', 'an admin cannot claim messages');
select throws_ok($$ select private.outbox_sent(1) $$,
                 '42501', 'permission denied for function outbox_sent', 'an admin cannot mark a message sent');
select throws_ok($$ select private.outbox_failed(1, 'x') $$,
                 '42501', 'permission denied for function outbox_failed', 'an admin cannot mark a message failed');
select throws_ok($$ select * from private.outbox_recent(10) $$,
                 '42501', 'permission denied for function outbox_recent', 'an admin cannot list messages');

select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.outbox $$, '42501', 'permission denied for table outbox',
                 'the service role reaches the outbox only through its functions');
select results_eq(
  $$ select channel, recipient, subject, status from private.outbox_recent(10) $$,
  $$ values ('email', 'parent@a.test', 'Welcome'::text, 'pending') $$,
  'the service role lists recent messages'
);

-------------------------------------------------------------------------------
-- Enqueue validation (as the service role, the worker's and jobs' role)
-------------------------------------------------------------------------------

select throws_ok($$ select private.enqueue_notification(null, 'whatsapp', '+254712345678', null, 'x') $$,
                 'EL422', 'A notification goes by email or sms', 'an unknown channel is refused');
select throws_ok($$ select private.enqueue_notification(null, null, '+254712345678', null, 'x') $$,
                 'EL422', 'A notification goes by email or sms', 'a missing channel is refused');
select throws_ok($$ select private.enqueue_notification(null, 'email', 'not-an-address', 'Hi', 'x') $$,
                 'EL422', 'The recipient is not an email address', 'an email needs an address');
select throws_ok($$ select private.enqueue_notification(null, 'email', 'a@b.test, c@d.test', 'Hi', 'x') $$,
                 'EL422', 'The recipient is not an email address', 'an email goes to one address');
select throws_ok($$ select private.enqueue_notification(null, 'email', E'a@b.test\r\nBcc: c@d.test', 'Hi', 'x') $$,
                 'EL422', 'The recipient is not an email address', 'no header can ride in on the address');
select throws_ok($$ select private.enqueue_notification(null, 'email', '+254712345678', 'Hi', 'x') $$,
                 'EL422', 'The recipient is not an email address', 'a phone number is not an email address');
select throws_ok($$ select private.enqueue_notification(null, 'email', 'a@b.test', null, 'x') $$,
                 'EL422', 'An email needs a subject of one line, at most 200 characters', 'an email needs a subject');
select throws_ok($$ select private.enqueue_notification(null, 'email', 'a@b.test', E'Hi\nBcc: c@d.test', 'x') $$,
                 'EL422', 'An email needs a subject of one line, at most 200 characters', 'a subject is one line');
select throws_ok($$ select private.enqueue_notification(null, 'email', 'a@b.test', 'Hi', '  ') $$,
                 'EL422', 'An email needs a body of at most 100000 characters', 'an email needs a body');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '0712345678', null, 'x') $$,
                 'EL422', 'The recipient is not a phone number in E.164 form (+254712345678)', 'a national number is refused');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+254 712 345 678', null, 'x') $$,
                 'EL422', 'The recipient is not a phone number in E.164 form (+254712345678)', 'spaces are refused');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+2547', null, 'x') $$,
                 'EL422', 'The recipient is not a phone number in E.164 form (+254712345678)', 'a too-short number is refused');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+2547123456789012', null, 'x') $$,
                 'EL422', 'The recipient is not a phone number in E.164 form (+254712345678)', 'more than 15 digits is refused');
select throws_ok($$ select private.enqueue_notification(null, 'sms', 'a@b.test', null, 'x') $$,
                 'EL422', 'The recipient is not a phone number in E.164 form (+254712345678)', 'an address is not a phone number');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+254712345678', null, repeat('x', 1531)) $$,
                 'EL422', 'An SMS needs a text of at most 1530 characters', 'an SMS of more than ten parts is refused');
select throws_ok($$ select private.enqueue_notification(null, 'sms', '+254712345678', null, null) $$,
                 'EL422', 'An SMS needs a text of at most 1530 characters', 'an SMS needs a text');
select throws_ok($$ select private.enqueue_notification('00000000-0000-0000-0000-000000000000', 'sms', '+254712345678', null, 'x') $$,
                 '23503', null, 'the school must exist');

select tests.authenticate_as_owner();
delete from private.outbox;
select tests.authenticate_as_service_role();
select private.enqueue_notification(tests.school_id('school-a'), 'email', ' Parent.One@A.Test ', 'Fees', 'Term 2 fees are due.');
select private.enqueue_notification(null, 'sms', '+254712345678', 'sign-in code', 'Your Elymica code is 482913');
select tests.authenticate_as_owner();
select results_eq(
  $$ select tenant_id, channel, recipient, subject, body, status, attempts, next_attempt_at = now()
     from private.outbox order by id $$,
  format($$ values (%L::uuid, 'email', 'parent.one@a.test', 'Fees'::text, 'Term 2 fees are due.', 'pending', 0, true),
                   (null::uuid, 'sms', '+254712345678', 'sign-in code', 'Your Elymica code is 482913', 'pending', 0, true) $$,
         tests.school_id('school-a')),
  'good messages are queued pending and due now; addresses trimmed and lowercased'
);

-------------------------------------------------------------------------------
-- Claiming: due rows and abandoned ones, oldest first, counted
-------------------------------------------------------------------------------

delete from private.outbox;
insert into private.outbox (channel, recipient, body, status, attempts, next_attempt_at, last_error) values
  ('sms', '+254700000001', 'due, older', 'pending', 0, now() - interval '2 minutes', null),
  ('sms', '+254700000002', 'due, newer', 'pending', 1, now() - interval '1 minute', 'timeout'),
  ('sms', '+254700000003', 'not yet due', 'pending', 2, now() + interval '30 seconds', 'timeout'),
  ('sms', '+254700000004', 'abandoned', 'sending', 2, now() - interval '1 second', null),
  ('sms', '+254700000005', 'being sent', 'sending', 1, now() + interval '4 minutes', null),
  ('sms', '+254700000006', 'abandoned at the last attempt', 'sending', 6, now() - interval '1 second', null),
  ('sms', '+254700000007', 'dead', 'dead', 6, now() - interval '1 hour', 'gave up');
insert into private.outbox (channel, recipient, body, status, attempts, next_attempt_at, sent_at) values
  ('sms', '+254700000008', '', 'sent', 1, now() - interval '1 hour', now());

select tests.authenticate_as_service_role();
select results_eq(
  $$ select recipient, body from private.outbox_claim(1) $$,
  $$ values ('+254700000001', 'due, older') $$,
  'a claim takes the oldest due message first, body included'
);
select results_eq(
  $$ select recipient, status, attempts, next_attempt_at = now() + interval '5 minutes', last_error
     from private.outbox_claim(10) order by recipient $$,
  $$ values ('+254700000002', 'sending', 2, true, 'timeout'),
            ('+254700000004', 'sending', 3, true, 'The worker did not report within 5 minutes') $$,
  'then the other due message and the abandoned one: sending, attempt counted, 5-minute lease'
);
select is_empty($$ select * from private.outbox_claim(10) $$, 'nothing else is due: claimed rows are leased');
select tests.authenticate_as_owner();
select results_eq(
  $$ select recipient, status, attempts from private.outbox order by recipient $$,
  $$ values ('+254700000001', 'sending', 1), ('+254700000002', 'sending', 2), ('+254700000003', 'pending', 2),
            ('+254700000004', 'sending', 3), ('+254700000005', 'sending', 1), ('+254700000006', 'dead', 6),
            ('+254700000007', 'dead', 6), ('+254700000008', 'sent', 1) $$,
  'not-due, leased, sent and dead rows are left alone; one abandoned after its 6th attempt is dead'
);
select is(
  (select last_error from private.outbox where recipient = '+254700000006'),
  'The worker did not report within 5 minutes of the last attempt',
  'the dead row says why'
);
select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.outbox_claim(0) $$, 'EL422',
                 'Claim between 1 and 1000 messages at a time', 'a claim takes at least one message');

-------------------------------------------------------------------------------
-- Failures: backoff, then dead after the 6th attempt
-------------------------------------------------------------------------------

select tests.authenticate_as_owner();
delete from private.outbox;
insert into private.outbox (channel, recipient, body, status, attempts, next_attempt_at)
select 'sms', '+25470000010' || n, 'x', 'sending', n, now() + interval '5 minutes'
from generate_series(1, 6) n;
select tests.authenticate_as_service_role();
select results_eq(
  $$ select private.outbox_failed(id, 'connection refused') from private.outbox_recent(10) order by id $$,
  $$ values ('pending'::text), ('pending'), ('pending'), ('pending'), ('pending'), ('dead') $$,
  'failed attempts 1–5 go back to pending; the 6th is dead'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select attempts, status, case when status = 'pending' then extract(epoch from next_attempt_at - now())::int end, last_error
     from private.outbox order by attempts $$,
  $$ values (1, 'pending', 10, 'connection refused'), (2, 'pending', 20, 'connection refused'),
            (3, 'pending', 40, 'connection refused'), (4, 'pending', 80, 'connection refused'),
            (5, 'pending', 160, 'connection refused'), (6, 'dead', null, 'connection refused') $$,
  'retries wait 2^attempts × 5 s: 10, 20, 40, 80, 160 s'
);

-- One message, all the way: claimed, failed, made due again (the clock trick), six times.
delete from private.outbox;
select tests.authenticate_as_service_role();
select private.enqueue_notification(null, 'email', 'a@b.test', 'Hi', 'x');
create temporary table rounds (round int, claimed int, status text);
grant all on rounds to service_role;
do $rounds$
declare
  v_row private.outbox;
  v_claimed int;
begin
  for i in 1..7 loop
    v_claimed := 0;
    for v_row in select * from private.outbox_claim(10) loop
      v_claimed := v_claimed + 1;
      perform private.outbox_failed(v_row.id, 'mailbox unavailable');
    end loop;
    insert into rounds values (i, v_claimed, (select status from private.outbox_recent(1)));
    -- Time passes: make whatever is pending due again.
    perform set_config('role', 'none', true);
    update private.outbox set next_attempt_at = now() where status = 'pending';
    perform set_config('role', 'service_role', true);
  end loop;
end
$rounds$;
select results_eq(
  $$ select round, claimed, status from rounds order by round $$,
  $$ values (1, 1, 'pending'), (2, 1, 'pending'), (3, 1, 'pending'), (4, 1, 'pending'),
            (5, 1, 'pending'), (6, 1, 'dead'), (7, 0, 'dead') $$,
  'a message that always fails is tried six times, then dead and never claimed again'
);

select tests.authenticate_as_owner();
delete from private.outbox;
insert into private.outbox (channel, recipient, body, status, attempts, next_attempt_at) values
  ('sms', '+254700000201', 'x', 'sending', 1, now() + interval '5 minutes'),
  ('sms', '+254700000202', 'x', 'pending', 1, now() + interval '5 seconds');
select tests.authenticate_as_service_role();
select is(
  (select private.outbox_failed(id, 'InvalidPhoneNumber', true) from private.outbox_recent(10) where recipient = '+254700000201'),
  'dead', 'a permanent failure is dead at once'
);
select is(
  (select private.outbox_failed(id, 'late report') from private.outbox_recent(10) where recipient = '+254700000202'),
  null, 'a failure reported for a message not being sent changes nothing'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select recipient, status, attempts, last_error from private.outbox order by recipient $$,
  $$ values ('+254700000201', 'dead', 1, 'InvalidPhoneNumber'), ('+254700000202', 'pending', 1, null::text) $$,
  'the permanent failure is recorded; the other row is untouched'
);

-------------------------------------------------------------------------------
-- Sent: the body goes
-------------------------------------------------------------------------------

delete from private.outbox;
select tests.authenticate_as_service_role();
select private.enqueue_notification(null, 'sms', '+254712345678', 'sign-in code', 'Your Elymica code is 482913');
select private.enqueue_notification(null, 'sms', '+254712345679', 'sign-in code', 'Your Elymica code is 771204');
select is(
  (select private.outbox_sent(id, 'ATXid_1') from private.outbox_claim(1)),
  true, 'a claimed message is marked sent'
);
select tests.authenticate_as_owner();
select results_eq(
  $$ select status, body, sent_at = now(), provider_message_id, attempts from private.outbox where recipient = '+254712345678' $$,
  $$ values ('sent', '', true, 'ATXid_1', 1) $$,
  'a sent message keeps its recipient, time and provider id, but not its body'
);
select is_empty(
  $$ select * from private.outbox where body like '%482913%' $$,
  'the sign-in code is no longer in the table'
);
select tests.authenticate_as_service_role();
select is(
  (select private.outbox_sent(id) from private.outbox_recent(10) where recipient = '+254712345678'),
  false, 'marking it sent again changes nothing'
);
select is(
  (select private.outbox_sent(id) from private.outbox_recent(10) where recipient = '+254712345679'),
  false, 'a message nobody claimed cannot be marked sent'
);
select tests.authenticate_as_owner();
select is(
  (select body from private.outbox where recipient = '+254712345679'),
  'Your Elymica code is 771204', 'and keeps its body until it is sent'
);

-------------------------------------------------------------------------------
-- Recent: newest first, without bodies
-------------------------------------------------------------------------------

select tests.authenticate_as_service_role();
select results_eq(
  $$ select recipient, status from private.outbox_recent(10) $$,
  $$ values ('+254712345679', 'pending'), ('+254712345678', 'sent') $$,
  'recent messages are listed newest first'
);
select ok(
  not exists (
    select from pg_catalog.pg_proc p
    where p.oid = 'private.outbox_recent(integer)'::regprocedure and 'body' = any(p.proargnames)
  ),
  'the listing returns no body'
);
select results_eq(
  $$ select status, messages from private.outbox_depth() $$,
  $$ select s.status, (select count(*)::integer from private.outbox_recent(500) r
                        where r.status = s.status)
     from (values ('dead'), ('pending'), ('sending'), ('sent')) s(status) order by 1 $$,
  'the depth counts every state, zero included'
);
select results_eq(
  $$ select r.rolname::text, pg_catalog.has_function_privilege(r.rolname, 'private.outbox_depth()', 'EXECUTE')
     from (values ('anon'), ('authenticated'), ('service_role')) r(rolname) order by 1 $$,
  $$ values ('anon', false), ('authenticated', false), ('service_role', true) $$,
  'only service_role may read the depth'
);

select * from finish();
rollback;
