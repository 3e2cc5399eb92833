-- 20261129000250_notifications.sql — the notification outbox: email and SMS waiting to be
-- sent, written by SQL (sign-in codes, invitations, fee reminders) and delivered by the
-- server's worker (lib/notify/worker.ts).
--
-- How a message travels (ARCHITECTURE §7):
--   1. SQL calls private.enqueue_notification(tenant, channel, recipient, subject, body); an
--      AFTER INSERT trigger sends NOTIFY outbox '<id>', which wakes the worker at once (it also
--      polls every few seconds, in case a notification was missed);
--   2. the worker claims due rows with private.outbox_claim(n) — `for update skip locked`, so
--      several workers (processes or machines) never take the same row — and sends them
--      outside any transaction;
--   3. it reports each one: private.outbox_sent(id) blanks the body (a sign-in code must not
--      sit in the table once delivered), private.outbox_failed(id, error) schedules a retry
--      after 2^attempts × 5 s (10 s, 20 s, 40 s, 80 s, 160 s; never more than an hour) and
--      dead-letters the row after the 6th failed attempt, or at once when the failure is
--      permanent (an invalid number).
-- A claimed row carries a 5-minute lease in next_attempt_at: a worker that crashed mid-send is
-- presumed gone when the lease ends, and the row is claimed again (counted as an attempt).
-- Delivery is therefore at least once: a worker that sent and then died before reporting
-- causes one duplicate after five minutes, never a lost message.
--
-- Nobody but the functions below touches the table: RLS on with no policies, no grants to
-- any API role (010-rls-guard pins it); the functions are security definer and granted to
-- service_role, the worker's role. anon and authenticated can call none of them.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL422  a channel, recipient, subject, body or limit that is not allowed   -> 422
--
-- Sections: schemas and types, tables, indexes, grants, RLS and policies, triggers, functions.
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

create table private.outbox (
  id bigint generated always as identity primary key,
  tenant_id uuid references public.tenants (id) on delete cascade,
  channel text not null
    constraint outbox_channel_check check (channel in ('email', 'sms')),
  recipient text not null,
  subject text,
  body text not null,
  status text not null default 'pending'
    constraint outbox_status_check check (status in ('pending', 'sending', 'sent', 'dead')),
  attempts integer not null default 0
    constraint outbox_attempts_check check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  provider_message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  constraint outbox_sent_at_check check ((status = 'sent') = (sent_at is not null))
);
comment on table private.outbox is
  'Email and SMS waiting to be sent, being sent, sent, or given up on (dead). Written only by '
  'private.enqueue_notification(); the worker claims, sends and reports through '
  'private.outbox_claim(), outbox_sent() and outbox_failed(). Bodies are blanked once sent.';
comment on column private.outbox.tenant_id is 'The school the message is about; null for platform messages.';
comment on column private.outbox.recipient is 'An email address (email) or an E.164 mobile number (sms).';
comment on column private.outbox.subject is 'The email''s subject; for SMS only a label, never sent.';
comment on column private.outbox.body is 'Plain text. Set to '''' once the message is sent.';
comment on column private.outbox.status is
  'pending: waiting for its next attempt; sending: claimed by a worker; sent: the provider '
  'accepted it; dead: given up after 6 attempts or a permanent failure.';
comment on column private.outbox.attempts is 'How many times a worker has claimed the message.';
comment on column private.outbox.next_attempt_at is
  'pending: when the message is next due; sending: when the worker''s lease ends (5 minutes '
  'after the claim), after which the message is presumed abandoned and claimed again.';
comment on column private.outbox.last_error is 'Why the last attempt failed, as the worker reported it.';
comment on column private.outbox.provider_message_id is
  'The id the provider gave the message (Africa''s Talking messageId, SMTP Message-ID), to '
  'match delivery reports.';

-------------------------------------------------------------------------------
-- Indexes
-------------------------------------------------------------------------------

-- The claim reads only unfinished rows; sent and dead ones accumulate and stay out of it.
create index outbox_status_next_attempt_at_idx on private.outbox (status, next_attempt_at)
  where status in ('pending', 'sending');
create index outbox_tenant_id_idx on private.outbox (tenant_id);

-------------------------------------------------------------------------------
-- Grants: none on the table; the functions below are the only way in.
-------------------------------------------------------------------------------

-- service_role already has usage on schema private (20261129000100_tenancy.sql).
revoke all on table private.outbox from public, anon, authenticated, service_role;

-------------------------------------------------------------------------------
-- RLS and policies: on, and no policy — nobody reads the table directly.
-------------------------------------------------------------------------------

alter table private.outbox enable row level security;

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

create function private.tg_outbox__notify()
  returns trigger
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  -- Delivered to listeners when the inserting transaction commits; never on rollback.
  perform pg_catalog.pg_notify('outbox', new.id::text);
  return null;
end
$$;
comment on function private.tg_outbox__notify() is
  'AFTER INSERT (per row) on private.outbox: NOTIFY outbox with the new id, to wake the worker.';
revoke execute on function private.tg_outbox__notify() from public, anon, authenticated, service_role;

create trigger _900_notify after insert on private.outbox
  for each row execute function private.tg_outbox__notify();

-------------------------------------------------------------------------------
-- Functions
-------------------------------------------------------------------------------

create function private.enqueue_notification(
  p_tenant_id uuid,
  p_channel text,
  p_recipient text,
  p_subject text,
  p_body text
)
  returns bigint
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_recipient text := btrim(p_recipient);
  v_id bigint;
begin
  if p_channel is null or p_channel not in ('email', 'sms') then
    raise exception 'A notification goes by email or sms'
      using errcode = 'EL422', detail = pg_catalog.format('channel %L', p_channel);
  end if;

  if p_channel = 'email' then
    v_recipient := lower(v_recipient);
    if v_recipient is null or length(v_recipient) > 254
       or v_recipient !~ '^[^@[:space:][:cntrl:]<>,;"]+@[^@[:space:][:cntrl:]<>,;"]+\.[^@[:space:][:cntrl:]<>,;"]+$' then
      raise exception 'The recipient is not an email address' using errcode = 'EL422';
    end if;
    if p_subject is null or length(btrim(p_subject)) = 0 or length(p_subject) > 200
       or p_subject ~ '[[:cntrl:]]' then
      raise exception 'An email needs a subject of one line, at most 200 characters' using errcode = 'EL422';
    end if;
    if p_body is null or length(btrim(p_body)) = 0 or length(p_body) > 100000 then
      raise exception 'An email needs a body of at most 100000 characters' using errcode = 'EL422';
    end if;
  else
    if v_recipient is null or v_recipient !~ '^\+[1-9][0-9]{7,14}$' then
      raise exception 'The recipient is not a phone number in E.164 form (+254712345678)' using errcode = 'EL422';
    end if;
    if p_subject is not null and (length(p_subject) > 200 or p_subject ~ '[[:cntrl:]]') then
      raise exception 'An SMS label (subject) is one line of at most 200 characters' using errcode = 'EL422';
    end if;
    -- Ten 153-character parts: longer texts cost too much to be a mistake worth sending.
    if p_body is null or length(btrim(p_body)) = 0 or length(p_body) > 1530 then
      raise exception 'An SMS needs a text of at most 1530 characters' using errcode = 'EL422';
    end if;
  end if;

  insert into private.outbox (tenant_id, channel, recipient, subject, body)
  values (p_tenant_id, p_channel, v_recipient, p_subject, p_body)
  returning id into v_id;
  return v_id;
end
$$;
comment on function private.enqueue_notification(uuid, text, text, text, text) is
  'Queues an email or SMS and returns its outbox id; the worker is woken by NOTIFY on commit. '
  'Email: a lowercased address, a one-line subject (required), a body up to 100000 characters. '
  'SMS: an E.164 number (+254712345678), an optional label in subject (not sent), a text up to '
  '1530 characters. Anything else raises EL422. The tenant may be null (platform messages).';
revoke execute on function private.enqueue_notification(uuid, text, text, text, text) from public, anon, authenticated;
grant execute on function private.enqueue_notification(uuid, text, text, text, text) to service_role;

create function private.outbox_claim(p_limit integer)
  returns setof private.outbox
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_max_attempts constant integer := 6;
  c_lease constant interval := interval '5 minutes';
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception 'Claim between 1 and 1000 messages at a time' using errcode = 'EL422';
  end if;

  -- A worker took the last allowed attempt and never reported: give up on those.
  update private.outbox o
     set status = 'dead',
         last_error = 'The worker did not report within 5 minutes of the last attempt'
    from (
      select id from private.outbox
      where status = 'sending' and next_attempt_at <= now() and attempts >= c_max_attempts
      for update skip locked
    ) abandoned
   where o.id = abandoned.id;

  -- Due rows, oldest first: pending ones whose time has come, and sending ones whose lease
  -- ended (their worker crashed). Rows another worker is claiming right now are skipped.
  return query
  update private.outbox o
     set status = 'sending',
         attempts = o.attempts + 1,
         next_attempt_at = now() + c_lease,
         last_error = case
           when o.status = 'sending' then 'The worker did not report within 5 minutes'
           else o.last_error
         end
    from (
      select id from private.outbox
      where status in ('pending', 'sending') and next_attempt_at <= now()
      order by next_attempt_at, id
      limit p_limit
      for update skip locked
    ) due
   where o.id = due.id
  returning o.*;
end
$$;
comment on function private.outbox_claim(integer) is
  'For the worker: claims up to p_limit due messages (pending and due, or sending with an '
  'ended lease), oldest first, skipping rows other workers hold (for update skip locked). '
  'Each becomes sending with attempts + 1 and a 5-minute lease; returned whole, body included. '
  'Rows whose lease ended after the 6th attempt become dead instead.';
revoke execute on function private.outbox_claim(integer) from public, anon, authenticated;
grant execute on function private.outbox_claim(integer) to service_role;

create function private.outbox_sent(p_id bigint, p_provider_message_id text default null)
  returns boolean
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  update private.outbox
     set status = 'sent',
         sent_at = now(),
         body = '',
         last_error = null,
         provider_message_id = left(p_provider_message_id, 200)
   where id = p_id and status = 'sending';
  return found;
end
$$;
comment on function private.outbox_sent(bigint, text) is
  'For the worker: the provider accepted message p_id. Marks it sent, records the provider''s '
  'message id and blanks the body. False (and no change) when the message was not being sent '
  '(e.g. its lease ended and another worker took it over).';
revoke execute on function private.outbox_sent(bigint, text) from public, anon, authenticated;
grant execute on function private.outbox_sent(bigint, text) to service_role;

create function private.outbox_failed(p_id bigint, p_error text, p_permanent boolean default false)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_max_attempts constant integer := 6;
  v_status text;
begin
  update private.outbox
     set status = case when p_permanent or attempts >= c_max_attempts then 'dead' else 'pending' end,
         next_attempt_at = case
           when p_permanent or attempts >= c_max_attempts then next_attempt_at
           else now() + least(interval '5 seconds' * power(2, attempts), interval '1 hour')
         end,
         last_error = left(coalesce(p_error, 'unknown error'), 1000)
   where id = p_id and status = 'sending'
  returning status into v_status;
  return v_status;
end
$$;
comment on function private.outbox_failed(bigint, text, boolean) is
  'For the worker: an attempt at message p_id failed. Retried after 2^attempts × 5 s (at most an '
  'hour) — 10 s, 20 s, 40 s, 80 s, 160 s — and dead after the 6th attempt, or at once when '
  'p_permanent. Returns the new status (pending or dead), or null when the message was not being sent.';
revoke execute on function private.outbox_failed(bigint, text, boolean) from public, anon, authenticated;
grant execute on function private.outbox_failed(bigint, text, boolean) to service_role;

create function private.outbox_recent(p_limit integer default 50)
  returns table (
    id bigint,
    tenant_id uuid,
    channel text,
    recipient text,
    subject text,
    status text,
    attempts integer,
    next_attempt_at timestamptz,
    last_error text,
    created_at timestamptz,
    sent_at timestamptz
  )
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select o.id, o.tenant_id, o.channel, o.recipient, o.subject, o.status, o.attempts,
         o.next_attempt_at, o.last_error, o.created_at, o.sent_at
  from private.outbox o
  order by o.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
comment on function private.outbox_recent(integer) is
  'The newest messages (at most 500), newest first, without their bodies: for the development '
  'mailbox page and for support staff checking whether a message went out.';
revoke execute on function private.outbox_recent(integer) from public, anon, authenticated;
grant execute on function private.outbox_recent(integer) to service_role;

create function private.outbox_depth()
  returns table (status text, messages integer)
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select s.status, count(o.id)::integer
  from (values ('pending'), ('sending'), ('sent'), ('dead')) as s (status)
  left join private.outbox o on o.status = s.status
  group by s.status
  order by s.status
$$;
comment on function private.outbox_depth() is
  'How many messages are in each state (every state listed, zero included): the outbox depth '
  'that /metrics exports for alerting on a stuck or failing worker.';
revoke execute on function private.outbox_depth() from public, anon, authenticated;
grant execute on function private.outbox_depth() to service_role;
