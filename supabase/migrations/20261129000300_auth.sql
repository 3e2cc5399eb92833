-- 20261129000300_auth.sql — signing in and staying signed in (AUTH-1, AUTH-3), invitations
-- with one-time codes (AUTH-2), the password policy, and the admin's view of who may sign in.
--
-- Rules this migration puts in the database (ARCHITECTURE §1, §6):
--   * passwords are bcrypt hashes (cost 10) in private.passwords and must pass
--     public.auth_password_problems(): 8+ characters (at most 72, bcrypt's limit), an
--     uppercase letter, a digit, not in private.common_passwords (case-insensitive);
--   * an account is locked for 15 minutes after 5 consecutive failed sign-ins; the counter is
--     exact under concurrency (the person's private.sign_in_state row is locked FOR UPDATE
--     before it is read, so a 6th password check can never start before the lock is seen);
--     a success resets it; an admin may unlock (public.auth_unlock);
--   * one network address (an IPv4 address, or an IPv6 /64) may fail 30 sign-ins within 15
--     minutes; then every sign-in from it is refused until the window moves on;
--   * refresh tokens are opaque random strings returned once and stored as SHA-256 hashes;
--     they live 7 days and rotate on every use within their family; presenting a token that
--     was already rotated or revoked revokes its whole family (reuse detection); changing the
--     password, signing out and being disabled revoke them too;
--   * invitation codes are 6 random digits, stored as bcrypt hashes bound to the person, valid
--     5 minutes, 5 tries, single use, resent at most once a minute and 5 times an hour; a new
--     code supersedes the previous ones.
--
-- Design rule: a function whose failure must be REMEMBERED (attempt counters, lockouts, token
-- family revocation, code tries, audit of failures) does not raise — raising would roll the
-- counter back with the transaction. It returns jsonb
--   { "ok": false, "code": "EL401" | "EL403" | "EL429", "message": "<for people>",
--     "retry_after": <seconds, EL429 only> }
-- and commits. Success returns { "ok": true, … }. Refusals that change nothing raise.
--
-- Codes (the TypeScript layer maps codes, never messages, to HTTP):
--   returned in jsonb:
--     EL401  wrong credentials, unknown/expired/reused refresh token, wrong/expired/used code -> 401
--     EL403  the account is disabled                                                          -> 403
--     EL429  locked account, address over its limit, codes asked for too often (retry_after)  -> 429
--   raised:
--     EL401  auth_change_password without a signed-in person                                  -> 401
--     EL403  the signed-in person is disabled (auth_change_password); plan limit (tenancy)     -> 403
--     EL404  auth_unlock: no such person in the admin's school                                -> 404
--     EL422  a new password breaks the policy: message = the problems joined by spaces,
--            detail = the problems as a JSON array of strings                                 -> 422
--     42501  not an active admin of the school (auth_invite, auth_unlock, people_with_status)  -> 403
--     23505, 23503, 23514, EL422 from auth_invite: duplicate email, student of another school,
--            malformed email/phone, linking someone who is not a parent/student (tenancy rules)
--
-- Audit actions (audit.log, table_name public.people, record_id the person; never a password,
-- token or code): auth.sign_in, auth.sign_in_failed (new_data.reason: wrong_password,
-- no_password, unknown_email, disabled, locked, ip_limited), auth.locked, auth.unlocked,
-- auth.refresh_reuse, auth.refresh_refused, auth.sign_out, auth.password_changed,
-- auth.password_change_failed, auth.otp_sent, auth.otp_failed, auth.activated.
--
-- Sections in the project's fixed order: tables, indexes, grants, RLS and policies, triggers,
-- then the data the policy needs (common passwords), then functions (helpers first, then the
-- RPC functions clients call). Needs private.enqueue_notification() from
-- 20261129000250_notifications.sql.
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

create table private.sign_in_state (
  tenant_id uuid not null,
  person_id uuid primary key,
  failed_attempts integer not null default 0
    constraint sign_in_state_failed_attempts_check check (failed_attempts >= 0),
  locked_until timestamptz,
  last_failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sign_in_state_person_fkey foreign key (tenant_id, person_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table private.sign_in_state is
  'Failed sign-ins of a person since their last success, and their lock. Created on the first '
  'sign-in attempt; the row is locked FOR UPDATE by every check so the count is exact.';
comment on column private.sign_in_state.failed_attempts is
  'Consecutive failed password checks (sign-in or change of password); 5 lock the account.';
comment on column private.sign_in_state.locked_until is
  'While in the future, every sign-in is refused (EL429), even with the right password.';

create table private.ip_sign_in_failures (
  id bigint generated always as identity primary key,
  ip inet not null,
  attempted_at timestamptz not null default now()
);
comment on table private.ip_sign_in_failures is
  'One row per failed sign-in from a network address (IPv4 address or IPv6 /64), kept 15 '
  'minutes: 30 within 15 minutes refuse further sign-ins from that address.';

create table private.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  person_id uuid not null,
  family_id uuid not null,
  token_hash bytea not null
    constraint refresh_tokens_token_hash_key unique,
  device_fingerprint text
    constraint refresh_tokens_device_fingerprint_check check (length(device_fingerprint) <= 200),
  ip inet,
  user_agent text
    constraint refresh_tokens_user_agent_check check (length(user_agent) <= 512),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
    constraint refresh_tokens_revoked_reason_check check (
      revoked_reason in ('rotated', 'reuse_detected', 'signed_out', 'password_changed', 'person_disabled')
    ),
  replaced_by uuid references private.refresh_tokens (id) on delete set null,
  constraint refresh_tokens_person_fkey foreign key (tenant_id, person_id)
    references public.people (tenant_id, id) on delete cascade,
  constraint refresh_tokens_revoked_check check ((revoked_at is null) = (revoked_reason is null))
);
comment on table private.refresh_tokens is
  'Refresh tokens (sessions). The token itself is returned once and never stored: token_hash '
  'is its SHA-256. A family is one sign-in and every token rotated from it; reuse of a rotated '
  'or revoked token revokes the whole family.';
comment on column private.refresh_tokens.family_id is
  'The sign-in this token descends from; the same across rotations (the JWT session_id).';
comment on column private.refresh_tokens.device_fingerprint is
  'What the client sent as its device fingerprint at sign-in or refresh (a hash, not an id).';
comment on column private.refresh_tokens.replaced_by is 'The token this one was rotated into.';

create table private.otp_codes (
  id bigint generated always as identity primary key,
  tenant_id uuid not null,
  person_id uuid not null,
  purpose text not null
    constraint otp_codes_purpose_check check (purpose in ('invite')),
  code_hash text not null,
  expires_at timestamptz not null,
  attempts integer not null default 0
    constraint otp_codes_attempts_check check (attempts between 0 and 5),
  consumed_at timestamptz,
  superseded_at timestamptz,
  created_at timestamptz not null default now(),
  constraint otp_codes_person_fkey foreign key (tenant_id, person_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table private.otp_codes is
  'One-time codes sent to people (6 digits, 5 minutes, 5 tries, single use). code_hash is '
  'bcrypt of "<person id>:<code>", so a code can only ever verify its own person. Rows are '
  'kept after use: they count sends for the resend limits.';
comment on column private.otp_codes.superseded_at is 'Set when a newer code was sent to the person.';

create table private.common_passwords (
  password text primary key
    constraint common_passwords_password_check check (password = lower(password))
);
comment on table private.common_passwords is
  'Passwords too common to allow, lowercased: the most used passwords of the well-known public '
  'lists, and common words (local places and teams included) with the usual suffixes.';

-------------------------------------------------------------------------------
-- Indexes (primary keys and unique constraints above cover sign_in_state.person_id,
-- refresh_tokens.id and token_hash, otp_codes.id, common_passwords.password)
-------------------------------------------------------------------------------

-- Sign-in looks a person up by email across schools (the same address may be in several).
create index people_email_idx on public.people (email);
create index ip_sign_in_failures_ip_attempted_at_idx on private.ip_sign_in_failures (ip, attempted_at);
create index ip_sign_in_failures_attempted_at_idx on private.ip_sign_in_failures (attempted_at);
create index refresh_tokens_tenant_id_person_id_idx on private.refresh_tokens (tenant_id, person_id);
create index refresh_tokens_family_id_idx on private.refresh_tokens (family_id);
create index refresh_tokens_replaced_by_idx on private.refresh_tokens (replaced_by);
create index refresh_tokens_expires_at_idx on private.refresh_tokens (expires_at);
create index otp_codes_tenant_id_person_id_purpose_idx on private.otp_codes (tenant_id, person_id, purpose, id);
create index otp_codes_created_at_idx on private.otp_codes (created_at);

-------------------------------------------------------------------------------
-- Grants: nobody but the owner touches these tables; the functions below (security
-- definer) are the only way in.
-------------------------------------------------------------------------------

revoke all on table private.sign_in_state from public, anon, authenticated, service_role;
revoke all on table private.ip_sign_in_failures from public, anon, authenticated, service_role;
revoke all on table private.refresh_tokens from public, anon, authenticated, service_role;
revoke all on table private.otp_codes from public, anon, authenticated, service_role;
revoke all on table private.common_passwords from public, anon, authenticated, service_role;

-------------------------------------------------------------------------------
-- RLS and policies: on, and no policy — owner only.
-------------------------------------------------------------------------------

alter table private.sign_in_state enable row level security;
alter table private.ip_sign_in_failures enable row level security;
alter table private.refresh_tokens enable row level security;
alter table private.otp_codes enable row level security;
alter table private.common_passwords enable row level security;

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

-- Security definer: admins disable people with a plain update, and may not touch tokens.
create function private.tg_people__revoke_refresh_tokens()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  update private.refresh_tokens t
  set revoked_at = now(), revoked_reason = 'person_disabled'
  where t.tenant_id = new.tenant_id
    and t.person_id = new.id
    and t.revoked_at is null;
  return null;
end
$$;
comment on function private.tg_people__revoke_refresh_tokens() is
  'AFTER UPDATE OF status when a person becomes disabled: revokes all their refresh tokens '
  '(reason person_disabled), so they are signed out when their access token expires.';
revoke execute on function private.tg_people__revoke_refresh_tokens() from public, anon, authenticated;

create trigger _400_revoke_refresh_tokens after update of status on public.people
  for each row
  when (new.status = 'disabled' and old.status is distinct from 'disabled')
  execute function private.tg_people__revoke_refresh_tokens();

create trigger _010_protect_tenant_id before update on private.sign_in_state
  for each row execute function private.tg__protect_tenant_id();
create trigger _100_timestamps before insert or update on private.sign_in_state
  for each row execute function private.tg__timestamps();
create trigger _010_protect_tenant_id before update on private.refresh_tokens
  for each row execute function private.tg__protect_tenant_id();
create trigger _010_protect_tenant_id before update on private.otp_codes
  for each row execute function private.tg__protect_tenant_id();

-------------------------------------------------------------------------------
-- Data: common passwords. First the most used passwords of the well-known public lists
-- (SecLists' 10-million-password-list top entries, NCSC's 100k list, yearly "worst passwords"
-- lists; offensive words left out), then common words — local cities, countries, teams,
-- faith words, school words — with the suffixes people add to satisfy a policy.
-------------------------------------------------------------------------------

insert into private.common_passwords (password)
select lower(w)
from unnest(array[
  '123456', 'password', '12345678', 'qwerty', '123456789', '12345', '1234', '111111', '1234567',
  'dragon', '123123', 'baseball', 'abc123', 'football', 'monkey', 'letmein', 'shadow', 'master',
  '666666', 'qwertyuiop', '123321', 'mustang', '1234567890', 'michael', '654321', 'superman',
  '1qaz2wsx', '7777777', '121212', '000000', 'qazwsx', '123qwe', 'killer', 'trustno1', 'jordan',
  'jennifer', 'zxcvbnm', 'asdfgh', 'hunter', 'buster', 'soccer', 'harley', 'batman', 'andrew',
  'tigger', 'sunshine', 'iloveyou', '2000', 'charlie', 'robert', 'thomas', 'hockey', 'ranger',
  'daniel', 'starwars', '112233', 'george', 'computer', 'michelle', 'jessica', 'pepper', '1111',
  'zxcvbn', '555555', '11111111', '131313', 'freedom', '777777', 'pass', 'maggie', '159753',
  'aaaaaa', 'ginger', 'princess', 'joshua', 'cheese', 'amanda', 'summer', 'love', 'ashley',
  'nicole', 'chelsea', 'matthew', 'access', 'yankees', '987654321', 'dallas', 'austin', 'thunder',
  'taylor', 'matrix', 'william', 'corvette', 'hello', 'martin', 'heather', 'secret', 'merlin',
  'diamond', '1234qwer', 'hammer', 'silver', '222222', '88888888', 'anthony', 'justin', 'test',
  'bailey', 'q1w2e3r4t5', 'patrick', 'internet', 'scooter', 'orange', '11111', 'golfer', 'cookie',
  'richard', 'samantha', 'bigdog', 'guitar', 'jackson', 'whatever', 'mickey', 'chicken', 'sparky',
  'snoopy', 'maverick', 'phoenix', 'camaro', 'peanut', 'morgan', 'welcome', 'falcon', 'cowboy',
  'ferrari', 'samsung', 'andrea', 'smokey', 'steelers', 'joseph', 'mercedes', 'dakota', 'arsenal',
  'eagles', 'melissa', 'boomer', 'booboo', 'spider', 'nascar', 'monster', 'tigers', 'yellow',
  'xxxxxx', '123123123', 'gateway', 'marina', 'diablo', 'bulldog', 'qwer1234', 'compaq', 'purple',
  'banana', 'junior', 'hannah', '123654', 'porsche', 'lakers', 'iceman', 'money', 'cowboys',
  '987654', 'london', 'tennis', '999999', 'ncc1701', 'coffee', 'scooby', '0000', 'miller',
  'boston', 'q1w2e3r4', 'brandon', 'yamaha', 'chester', 'mother', 'forever', 'johnny', 'edward',
  '333333', 'oliver', 'redsox', 'player', 'nikita', 'knight', 'fender', 'barney', 'midnight',
  'please', 'brandy', 'chicago', 'badboy', 'slayer', 'rangers', 'charles', 'angel', 'flower',
  'rabbit', 'wizard', 'jasper', 'enter', 'rachel', 'chris', 'steven', 'winner', 'adidas',
  'victoria', 'natasha', '1q2w3e4r', 'jasmine', 'winter', 'prince', 'marine', 'fishing',
  'cocacola', 'casper', 'james', '232323', 'raiders', '888888', 'gandalf', 'asdfasdf', 'crystal',
  '87654321', '12344321', 'golden', '8675309', 'panther', 'lauren', 'angela', 'thx1138', 'angels',
  'madison', 'winston', 'shannon', 'toyota', 'jordan23', 'canada', 'sophie', 'apples', 'tiger',
  '123abc', 'pokemon', 'qazxsw', '55555', 'qwaszx', 'muffin', 'johnson', 'murphy', 'cooper',
  'jonathan', 'liverpoo', 'david', 'danielle', '159357', 'jackie', '1990', '123456a', '789456',
  'turtle', 'abcd1234', 'scorpion', 'qazwsxedc', '101010', 'butter', 'carlos', 'password1',
  'dennis', 'slipknot', 'qwerty123', 'asdf', '1991', 'startrek', '12341234', 'cameron', 'newyork',
  'rainbow', 'nathan', '1992', 'rocket', 'viking', 'asdfghjkl', '1212', 'q1w2e3', '123456q',
  '1q2w3e4r5t', 'passw0rd', '12345a', '4815162342', '1qazxsw2', '11223344', '12qwaszx',
  '789456123', 'asdf1234', 'lol123', '147258369', '12121212', 'qwertyu', '0987654321', 'qwerty1',
  '12345q', 'qweasdzxc', 'hello1', '1232323q', '12345qwert', 'qwe123', 'a12345', '123789',
  '123456789a', 'a123456', '1234554321', 'zaq12wsx', '55555555', '77777777', 'money1', '00000000',
  '7654321', 'test123', 'hello123', '123654789', '741852963', '1111111111', 'michael1',
  '147852369', '1q2w3e', 'zxc123', '123456789q', '99999999', 'qaz123', '22222222', '1029384756',
  'alpha1', '123qweasd', 'a1b2c3d4', 'password123', 'charlie1', 'tiger1', '1qaz2wsx3edc',
  'letmein1', '12345678910', 'qazwsx123', 'mustang1', 'freedom1', 'welcome1', '123qweasdzxc',
  '1234abcd', '31415926', '999999999', '66666666', '13131313', '1a2b3c', '1478963', '0123456789',
  '123qwe123', '51505150', '11235813', '123454321', 'q1w2e3r4t5y6', '14789632', '1q2w3e4r5t6y',
  '1123581321', 'super123', 'a1234567', '1q1q1q', '44444444', '111222333', 'zaq123',
  'qwerty12345', '123321123', '147896325', '1234567a', '192837465', 'blue123', '25802580',
  '123698745', '1234512345', 'iloveyou1', 'iloveyou2', 'princess1', 'sunshine1', 'football1',
  'baseball1', 'monkey123', 'dragon123', 'abc12345', 'abcd12345', 'abc123456', 'admin',
  'admin123', 'admin1234', 'administrator', 'root', 'toor', 'changeme', 'changeme1', 'letmein123',
  'qwerty1234', 'qwertyui', 'p@ssw0rd', 'p@ssword', 'pa55word', 'pa55w0rd', 'p@55w0rd',
  'password!', 'password1!', 'passw0rd1', 'welcome123', 'welcome12', 'abcdefg1', 'abcdefgh1',
  'aa123456', 'aa12345678', 'qq123456', 'q1w2e3r4t5y6u7', 'zxcvbnm1', 'asdfghjkl1',
  'qwertyuiop1', 'football123', 'baseball123', 'superman1', 'batman123', 'master123',
  'shadow123', 'michael123', 'jordan123', 'jennifer1', 'jessica1', 'ashley123', 'nicole1',
  'daniel123', 'charlie123', 'robert123', 'thomas123', 'george123', 'computer1', 'computer123',
  'internet1', 'samsung123', 'iphone123', 'google123', 'facebook1', 'whatsapp1', 'linkedin1',
  'starwars1', 'pokemon123', 'naruto123', 'minecraft1', 'fortnite1', 'liverpool1', 'chelsea1',
  'arsenal1', 'barcelona1', 'newyork1', 'london123', 'summer2024', 'winter2024', 'spring2024',
  'autumn2024', 'secret123', 'access123', 'test1234', 'testing123', 'guest123', 'user1234',
  'login123', 'letmein!', 'trustno1!', 'mypassword1', 'newpassword1', 'password12', 'password1234',
  'password12345', 'passwort1', 'motdepasse1', 'contrasena1', 'senha123', 'parola123'
]) w
union
select b || s
from unnest(array[
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa55word', 'qwerty', 'qwertyuiop', 'asdfgh',
  'asdfghjkl', 'zxcvbnm', 'qazwsx', '1qaz2wsx', 'abc', 'abcd', 'abcdef', 'abcdefg', 'abcdefgh',
  'admin', 'administrator', 'welcome', 'letmein', 'iloveyou', 'ilovegod', 'ilovejesus', 'love',
  'lovely', 'loveme', 'monkey', 'dragon', 'master', 'shadow', 'sunshine', 'princess', 'superman',
  'batman', 'football', 'baseball', 'soccer', 'michael', 'jesus', 'jesuschrist', 'christ',
  'blessed', 'blessing', 'godisgood', 'godislove', 'glory', 'amen', 'faith', 'hallelujah',
  'freedom', 'summer', 'winter', 'spring', 'autumn', 'hello', 'secret', 'changeme', 'default',
  'school', 'student', 'teacher', 'parent', 'principal', 'elymica', 'nairobi', 'mombasa',
  'kisumu', 'nakuru', 'eldoret', 'kenya', 'lagos', 'abuja', 'ibadan', 'kano', 'nigeria', 'naija',
  'johannesburg', 'joburg', 'jozi', 'pretoria', 'capetown', 'durban', 'soweto', 'southafrica',
  'mzansi', 'africa', 'arsenal', 'chelsea', 'liverpool', 'manutd', 'manchester', 'barcelona',
  'realmadrid', 'messi', 'ronaldo', 'gormahia', 'afcleopards', 'kaizerchiefs', 'orlandopirates',
  'sundowns', 'bafana', 'supereagles', 'harambee', 'hakunamatata', 'samsung', 'iphone',
  'computer', 'internet', 'mother', 'father', 'family', 'january', 'december', 'monday', 'sunday'
]) b
cross join unnest(array[
  '', '1', '12', '123', '1234', '12345', '123456', '!', '1!', '123!', '@123', '#1', '01', '007',
  '2000', '2020', '2021', '2022', '2023', '2024', '2025', '2026', '2027'
]) s
on conflict (password) do nothing;

-------------------------------------------------------------------------------
-- Functions: helpers (private, called by the functions below as their owner)
-------------------------------------------------------------------------------

create function private.request_ip()
  returns inet
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text := nullif(current_setting('app.ip', true), '');
begin
  if v_text is null then
    v_text := nullif(btrim(split_part(
      nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-forwarded-for', ',', 1
    )), '');
  end if;
  return v_text::inet;
exception when invalid_text_representation then
  return null; -- a malformed address is no address
end
$$;
comment on function private.request_ip() is
  'The client address of the request: app.ip (set by the server per transaction), else the '
  'first x-forwarded-for of PostgREST''s request.headers; null when absent or malformed.';
revoke execute on function private.request_ip() from public, anon, authenticated;

create function private.request_network()
  returns inet
  language sql
  stable
  set search_path = ''
as $$
  select case
    when family(ip) = 6 then network(set_masklen(ip, 64))::inet -- one IPv6 client holds a /64
    else host(ip)::inet
  end
  from (select private.request_ip() as ip) r
$$;
comment on function private.request_network() is
  'The key the per-address sign-in limit counts by: the IPv4 address, or the IPv6 /64.';
revoke execute on function private.request_network() from public, anon, authenticated;

create function private.auth_refusal(p_code text, p_message text, p_retry_after integer default null)
  returns jsonb
  language sql
  immutable
  set search_path = ''
as $$
  select jsonb_build_object('ok', false, 'code', p_code, 'message', p_message)
    || case when p_retry_after is null then '{}'::jsonb else jsonb_build_object('retry_after', p_retry_after) end
$$;
comment on function private.auth_refusal(text, text, integer) is
  'The jsonb of a refusal that is remembered rather than raised: '
  '{ok: false, code, message, retry_after?}.';
revoke execute on function private.auth_refusal(text, text, integer) from public, anon, authenticated;

create function private.seconds_until(p_at timestamptz)
  returns integer
  language sql
  stable
  set search_path = ''
as $$
  select greatest(1, ceil(extract(epoch from p_at - now())))::integer
$$;
comment on function private.seconds_until(timestamptz) is
  'Whole seconds from now until the given time, at least 1 (for retry_after).';
revoke execute on function private.seconds_until(timestamptz) from public, anon, authenticated;

create function private.in_minutes(p_seconds integer)
  returns text
  language sql
  immutable
  set search_path = ''
as $$
  select case when ceil(p_seconds / 60.0) <= 1 then '1 minute'
              else ceil(p_seconds / 60.0)::integer::text || ' minutes' end
$$;
comment on function private.in_minutes(integer) is 'Seconds as whole minutes for people, rounded up: "1 minute", "15 minutes".';
revoke execute on function private.in_minutes(integer) from public, anon, authenticated;

create function private.lock_sign_in_state(p_tenant_id uuid, p_person_id uuid)
  returns private.sign_in_state
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_state private.sign_in_state;
begin
  insert into private.sign_in_state (tenant_id, person_id)
  values (p_tenant_id, p_person_id)
  on conflict (person_id) do nothing;
  -- Under READ COMMITTED this waits for any other check of the same person and then reads
  -- the row as that check left it: the counter is exact under concurrency.
  select s.* into v_state
  from private.sign_in_state s
  where s.person_id = p_person_id
  for update;
  if v_state.locked_until is not null and v_state.locked_until <= now() then
    -- the lock has run out: a fresh start
    update private.sign_in_state s
    set failed_attempts = 0, locked_until = null
    where s.person_id = p_person_id
    returning s.* into v_state;
  end if;
  return v_state;
end
$$;
comment on function private.lock_sign_in_state(uuid, uuid) is
  'Creates if needed and locks (FOR UPDATE) a person''s sign-in state, clearing a lock that has '
  'run out, and returns it. Every password check of a person goes through here first.';
revoke execute on function private.lock_sign_in_state(uuid, uuid) from public, anon, authenticated;

-- Call with the state row locked (private.lock_sign_in_state).
create function private.count_failed_attempt(p_tenant_id uuid, p_person_id uuid)
  returns private.sign_in_state
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  c_max_failures constant integer := 5;
  c_lock_for constant interval := interval '15 minutes';
  v_state private.sign_in_state;
begin
  update private.sign_in_state s
  set failed_attempts = s.failed_attempts + 1,
      last_failed_at = now(),
      locked_until = case when s.failed_attempts + 1 >= c_max_failures then now() + c_lock_for end
  where s.person_id = p_person_id
  returning s.* into v_state;
  if v_state.locked_until is not null then
    perform audit.record(
      p_action => 'auth.locked',
      p_tenant_id => p_tenant_id,
      p_table_name => 'public.people',
      p_record_id => p_person_id::text,
      p_new_data => jsonb_build_object('failed_attempts', v_state.failed_attempts, 'locked_until', v_state.locked_until)
    );
  end if;
  return v_state;
end
$$;
comment on function private.count_failed_attempt(uuid, uuid) is
  'Adds a failed password check to a person''s locked sign-in state; the 5th locks the account '
  'for 15 minutes (audited as auth.locked). Returns the new state.';
revoke execute on function private.count_failed_attempt(uuid, uuid) from public, anon, authenticated;

create function private.assert_password_policy(p_password text)
  returns void
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_problems text[] := public.auth_password_problems(p_password);
begin
  if cardinality(v_problems) > 0 then
    raise exception '%', array_to_string(v_problems, ' ')
      using errcode = 'EL422', detail = to_jsonb(v_problems)::text;
  end if;
end
$$;
comment on function private.assert_password_policy(text) is
  'Raises EL422 when a new password breaks the policy: message the problems joined by spaces, '
  'detail the problems as a JSON array.';
revoke execute on function private.assert_password_policy(text) from public, anon, authenticated;

create function private.store_password(p_tenant_id uuid, p_person_id uuid, p_password text)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  insert into private.passwords (tenant_id, person_id, password_hash)
  values (p_tenant_id, p_person_id, extensions.crypt(p_password, extensions.gen_salt('bf', 10)))
  on conflict (person_id) do update set password_hash = excluded.password_hash
$$;
comment on function private.store_password(uuid, uuid, text) is
  'Stores a person''s password as a bcrypt hash (cost 10). Check the policy first.';
revoke execute on function private.store_password(uuid, uuid, text) from public, anon, authenticated;

create function private.revoke_refresh_tokens(p_tenant_id uuid, p_person_id uuid, p_reason text)
  returns integer
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_count integer;
begin
  update private.refresh_tokens t
  set revoked_at = now(), revoked_reason = p_reason
  where t.tenant_id = p_tenant_id
    and t.person_id = p_person_id
    and t.revoked_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function private.revoke_refresh_tokens(uuid, uuid, text) is
  'Revokes every live refresh token of a person with the given reason; returns how many.';
revoke execute on function private.revoke_refresh_tokens(uuid, uuid, text) from public, anon, authenticated;

create function private.revoke_token_family(p_family_id uuid, p_reason text)
  returns integer
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_count integer;
begin
  update private.refresh_tokens t
  set revoked_at = now(), revoked_reason = p_reason
  where t.family_id = p_family_id
    and t.revoked_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function private.revoke_token_family(uuid, text) is
  'Revokes every live refresh token of a family (one sign-in) with the given reason; returns how many.';
revoke execute on function private.revoke_token_family(uuid, text) from public, anon, authenticated;

create function private.start_session(p_tenant_id uuid, p_person_id uuid, p_family_id uuid, p_device text)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  -- 32 random bytes, base64url without padding: 43 characters
  v_token text := translate(encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
  v_id uuid := gen_random_uuid();
  v_expires_at timestamptz := now() + interval '7 days';
  v_person jsonb;
  v_tenant jsonb;
begin
  insert into private.refresh_tokens (
    id, tenant_id, person_id, family_id, token_hash, device_fingerprint, ip, user_agent, expires_at
  ) values (
    v_id, p_tenant_id, p_person_id, coalesce(p_family_id, gen_random_uuid()),
    extensions.digest(v_token, 'sha256'),
    left(nullif(p_device, ''), 200),
    private.request_ip(),
    left(nullif(current_setting('app.user_agent', true), ''), 512),
    v_expires_at
  )
  returning family_id into p_family_id;

  select jsonb_build_object('id', p.id, 'full_name', p.full_name, 'email', p.email, 'phone', p.phone, 'role', p.role),
         jsonb_build_object('id', t.id, 'name', t.name, 'slug', t.slug, 'country', t.country,
                            'currency', t.currency, 'timezone', t.timezone)
    into v_person, v_tenant
  from public.people p
  join public.tenants t on t.id = p.tenant_id
  where p.tenant_id = p_tenant_id and p.id = p_person_id;

  return jsonb_build_object(
    'ok', true,
    'person', v_person,
    'tenant', v_tenant,
    'session', jsonb_build_object(
      'id', v_id, 'family_id', p_family_id, 'refresh_token', v_token, 'expires_at', v_expires_at
    )
  );
end
$$;
comment on function private.start_session(uuid, uuid, uuid, text) is
  'Issues a refresh token (7 days; new family when p_family_id is null) for the request''s ip and '
  'user agent, storing only its SHA-256, and returns the success jsonb of sign-in and refresh: '
  '{ok, person, tenant, session: {id, family_id, refresh_token, expires_at}}.';
revoke execute on function private.start_session(uuid, uuid, uuid, text) from public, anon, authenticated;

create function private.new_otp_code()
  returns text
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_bytes bytea;
  v_number bigint;
begin
  loop
    v_bytes := extensions.gen_random_bytes(4);
    v_number := (get_byte(v_bytes, 0)::bigint << 24) | (get_byte(v_bytes, 1) << 16)
              | (get_byte(v_bytes, 2) << 8) | get_byte(v_bytes, 3);
    -- 4294000000 is the largest multiple of 10^6 below 2^32: drawing again above it keeps
    -- every code equally likely (no modulo bias)
    exit when v_number < 4294000000;
  end loop;
  return lpad((v_number % 1000000)::text, 6, '0');
end
$$;
comment on function private.new_otp_code() is
  'Six random digits, uniformly distributed (pgcrypto''s gen_random_bytes, rejection sampling).';
revoke execute on function private.new_otp_code() from public, anon, authenticated;

create function private.send_otp(p_tenant_id uuid, p_person_id uuid, p_purpose text)
  returns text
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_code text := private.new_otp_code();
  v_email text;
  v_phone text;
  v_name text;
  v_school text;
  v_delivery text;
  -- The server sets app.public_url (APP_URL, or the request's origin) so the link in the
  -- message is one a phone can open; without it the link is a path.
  v_link text := coalesce(nullif(current_setting('app.public_url', true), ''), '')
    || '/verify?person=' || p_person_id::text;
begin
  select p.email, p.phone, p.full_name, t.name
    into v_email, v_phone, v_name, v_school
  from public.people p
  join public.tenants t on t.id = p.tenant_id
  where p.tenant_id = p_tenant_id and p.id = p_person_id;

  update private.otp_codes o
  set superseded_at = now()
  where o.tenant_id = p_tenant_id
    and o.person_id = p_person_id
    and o.purpose = p_purpose
    and o.consumed_at is null
    and o.superseded_at is null;

  insert into private.otp_codes (tenant_id, person_id, purpose, code_hash, expires_at)
  values (
    p_tenant_id, p_person_id, p_purpose,
    extensions.crypt(p_person_id::text || ':' || v_code, extensions.gen_salt('bf', 6)),
    now() + interval '5 minutes'
  );

  if v_email is not null then
    v_delivery := 'email';
    perform private.enqueue_notification(
      p_tenant_id, 'email', v_email, 'Your Elymica code',
      format(
        E'Hello %s,\n\n%s has invited you to Elymica. Your code is %s. It works for 5 minutes.\n\n'
        'To set your password, open %s and enter the code.\n\n'
        'If you were not expecting this message, you can ignore it.',
        v_name, v_school, v_code, v_link
      )
    );
  else
    v_delivery := 'sms';
    perform private.enqueue_notification(
      p_tenant_id, 'sms', v_phone, 'Your Elymica code',
      format('Your Elymica code for %s is %s (valid 5 minutes). Set your password at %s',
             v_school, v_code, v_link)
    );
  end if;

  perform audit.record(
    p_action => 'auth.otp_sent',
    p_tenant_id => p_tenant_id,
    p_table_name => 'public.people',
    p_record_id => p_person_id::text,
    p_new_data => jsonb_build_object('purpose', p_purpose, 'delivery', v_delivery)
  );
  return v_delivery;
end
$$;
comment on function private.send_otp(uuid, uuid, text) is
  'Supersedes the person''s earlier codes for the purpose, stores a new one (hashed, 5 minutes) '
  'and queues it by email (or SMS when the person has no email) with the school''s name and the '
  'path /verify?person=<id>. Returns the delivery: email or sms. The code is never returned.';
revoke execute on function private.send_otp(uuid, uuid, text) from public, anon, authenticated;

create function private.assert_admin()
  returns uuid
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
begin
  -- The token says admin; the table must still agree (a disabled or demoted admin's token
  -- lives up to 15 minutes).
  if private.current_user_role() is distinct from 'admin' or not exists (
    select from public.people p
    where p.tenant_id = v_tenant_id and p.id = auth.uid() and p.role = 'admin' and p.status = 'active'
  ) then
    raise exception 'Only a school admin can do that.' using errcode = '42501';
  end if;
  return v_tenant_id;
end
$$;
comment on function private.assert_admin() is
  'Returns the caller''s school when the caller is an active admin of it (token and table '
  'agree); raises 42501 otherwise.';
revoke execute on function private.assert_admin() from public, anon, authenticated;

create function private.purge_auth_records()
  returns bigint
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_count bigint;
  v_total bigint := 0;
begin
  delete from private.ip_sign_in_failures f where f.attempted_at <= now() - interval '15 minutes';
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;
  -- Spent tokens are kept 30 days past their expiry so that reuse is still recognised.
  delete from private.refresh_tokens t where t.expires_at <= now() - interval '30 days';
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;
  -- Codes are kept a day: the resend limits look back one hour.
  delete from private.otp_codes o where o.created_at <= now() - interval '1 day';
  get diagnostics v_count = row_count;
  return v_total + v_count;
end
$$;
comment on function private.purge_auth_records() is
  'Housekeeping for a scheduled job: deletes address failures older than 15 minutes, refresh '
  'tokens expired more than 30 days ago and codes older than a day. Returns rows deleted.';
revoke execute on function private.purge_auth_records() from public, anon, authenticated;
grant execute on function private.purge_auth_records() to service_role;

-------------------------------------------------------------------------------
-- Functions: the password policy
-------------------------------------------------------------------------------

-- Security definer: reads private.common_passwords.
create function public.auth_password_problems(p_password text)
  returns text[]
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select array_remove(array[
    case when char_length(pw) < 8 then 'Use at least 8 characters.' end,
    case when octet_length(pw) > 72 then 'Use at most 72 characters.' end,
    case when pw !~ '[[:upper:]]' and pw !~ '[A-Z]' then 'Add an uppercase letter.' end,
    case when pw !~ '[0-9]' then 'Add a digit.' end,
    case when exists (select from private.common_passwords c where c.password = lower(btrim(pw)))
      then 'This password is too common. Choose one that is harder to guess.' end
  ], null)
  from (select coalesce(p_password, '') as pw) s
$$;
comment on function public.auth_password_problems(text) is
  'Every way a password breaks the policy, as sentences for people (empty when it is fine): at '
  'least 8 characters, at most 72 bytes (bcrypt reads no further), an uppercase letter, a digit, '
  'not a common password (case-insensitive). Lets a form show all problems at once.';
revoke execute on function public.auth_password_problems(text) from public, anon, authenticated;
grant execute on function public.auth_password_problems(text) to anon, authenticated;

-------------------------------------------------------------------------------
-- Functions: signing in, refreshing, signing out
-------------------------------------------------------------------------------

create function public.auth_sign_in(p_email text, p_password text, p_device text)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_max_accounts constant integer := 5;
  c_ip_max_failures constant integer := 30;
  c_ip_window constant interval := interval '15 minutes';
  -- bcrypt (cost 10) of a password nobody has: checked when there is no hash to check, so an
  -- unknown email costs the same time as a wrong password
  c_dummy_hash constant text := '$2a$10$GJRXMhMgCVN2iZQmE6vxIuQ.lhWr4u/HuFVpPqt065AIemzOo0ium';
  c_wrong constant text := 'Email or password is incorrect.';
  v_email text := lower(btrim(coalesce(p_email, '')));
  v_password text := coalesce(p_password, '');
  v_device text := left(nullif(p_device, ''), 200);
  v_network inet := private.request_network();
  v_ip_cutoff timestamptz;
  v_ids uuid[];
  v_id uuid;
  v_person public.people;
  v_state private.sign_in_state;
  v_hash text;
  v_checked uuid[] := '{}'::uuid[];
  v_locked_until timestamptz;
  v_disabled_id uuid;
  v_disabled_tenant_id uuid;
begin
  -- People with this email, at most a handful (one per school): the earliest created first.
  select coalesce(array_agg(p.id order by p.created_at, p.id), '{}')
    into v_ids
  from (
    select p.id, p.created_at from public.people p
    where p.email = v_email and v_email <> ''
    order by p.created_at, p.id
    limit c_max_accounts
  ) p;

  -- 1. The address's limit, whatever the account.
  if v_network is not null then
    select f.attempted_at into v_ip_cutoff
    from private.ip_sign_in_failures f
    where f.ip = v_network and f.attempted_at > now() - c_ip_window
    order by f.attempted_at desc
    offset c_ip_max_failures - 1
    limit 1;
    if found then
      -- refused until the 30th most recent failure leaves the window
      for v_person in select p.* from public.people p where p.id = any (v_ids) loop
        perform audit.record(
          p_action => 'auth.sign_in_failed', p_tenant_id => v_person.tenant_id,
          p_table_name => 'public.people', p_record_id => v_person.id::text,
          p_new_data => jsonb_build_object('reason', 'ip_limited', 'device', v_device)
        );
      end loop;
      if cardinality(v_ids) = 0 then
        perform audit.record(
          p_action => 'auth.sign_in_failed', p_tenant_id => null,
          p_new_data => jsonb_build_object('reason', 'ip_limited', 'device', v_device)
        );
      end if;
      return private.auth_refusal(
        'EL429',
        format('Too many failed sign-in attempts from this network. Try again in %s.',
               private.in_minutes(private.seconds_until(v_ip_cutoff + c_ip_window))),
        private.seconds_until(v_ip_cutoff + c_ip_window)
      );
    end if;
  end if;

  -- 2. Lock every matching person's sign-in state, in id order (no deadlock between two
  --    sign-ins of the same email), before reading any of it.
  for v_id in select unnest(v_ids) as id order by 1 loop
    select p.* into v_person from public.people p where p.id = v_id;
    perform private.lock_sign_in_state(v_person.tenant_id, v_person.id);
  end loop;

  -- 3. Check the password of each account that is not locked, earliest created first.
  foreach v_id in array v_ids loop
    select p.* into v_person from public.people p where p.id = v_id;
    select s.* into v_state from private.sign_in_state s where s.person_id = v_id;
    if v_state.locked_until > now() then
      v_locked_until := least(v_locked_until, v_state.locked_until);
      continue;
    end if;
    v_checked := v_checked || v_id;
    select pw.password_hash into v_hash
    from private.passwords pw
    where pw.tenant_id = v_person.tenant_id and pw.person_id = v_person.id;
    if v_hash is null or v_person.status = 'invited' then
      perform extensions.crypt(v_password, c_dummy_hash); -- the same time as a real check
      continue;
    end if;
    if extensions.crypt(v_password, v_hash) = v_hash then
      if v_person.status = 'active' then
        update private.sign_in_state s
        set failed_attempts = 0, locked_until = null
        where s.person_id = v_person.id and (s.failed_attempts <> 0 or s.locked_until is not null);
        perform audit.record(
          p_action => 'auth.sign_in', p_tenant_id => v_person.tenant_id, p_actor_id => v_person.id,
          p_table_name => 'public.people', p_record_id => v_person.id::text,
          p_new_data => jsonb_build_object('device', v_device)
        );
        return private.start_session(v_person.tenant_id, v_person.id, null, v_device);
      end if;
      if v_disabled_id is null then
        v_disabled_id := v_person.id;
        v_disabled_tenant_id := v_person.tenant_id;
      end if;
    end if;
  end loop;

  -- 4. No active account accepted the password.
  if v_disabled_id is not null then
    -- the right password of a disabled account: not a guess, so not counted
    perform audit.record(
      p_action => 'auth.sign_in_failed', p_tenant_id => v_disabled_tenant_id,
      p_table_name => 'public.people', p_record_id => v_disabled_id::text,
      p_new_data => jsonb_build_object('reason', 'disabled', 'device', v_device)
    );
    return private.auth_refusal('EL403', 'This account has been disabled. Ask your school''s admin.');
  end if;

  if cardinality(v_ids) = 0 then
    perform extensions.crypt(v_password, c_dummy_hash); -- the same time as a real check
    -- The email is not recorded: an unknown "email" is often a password typed in the wrong box.
    perform audit.record(
      p_action => 'auth.sign_in_failed', p_tenant_id => null,
      p_new_data => jsonb_build_object('reason', 'unknown_email', 'device', v_device)
    );
  end if;

  foreach v_id in array v_checked loop
    select p.* into v_person from public.people p where p.id = v_id;
    v_state := private.count_failed_attempt(v_person.tenant_id, v_person.id);
    perform audit.record(
      p_action => 'auth.sign_in_failed', p_tenant_id => v_person.tenant_id,
      p_table_name => 'public.people', p_record_id => v_person.id::text,
      p_new_data => jsonb_build_object(
        'reason', case when v_person.status = 'invited' or not exists (
                         select from private.passwords pw where pw.person_id = v_person.id
                       ) then 'no_password' else 'wrong_password' end,
        'failed_attempts', v_state.failed_attempts,
        'device', v_device
      )
    );
  end loop;

  if cardinality(v_checked) > 0 or cardinality(v_ids) = 0 then
    if v_network is not null then
      insert into private.ip_sign_in_failures (ip) values (v_network);
      delete from private.ip_sign_in_failures f
      where f.ip = v_network and f.attempted_at <= now() - c_ip_window;
    end if;
  end if;

  if cardinality(v_checked) = 0 and v_locked_until is not null then
    -- every account with this email is locked: no password was checked
    foreach v_id in array v_ids loop
      select p.* into v_person from public.people p where p.id = v_id;
      perform audit.record(
        p_action => 'auth.sign_in_failed', p_tenant_id => v_person.tenant_id,
        p_table_name => 'public.people', p_record_id => v_person.id::text,
        p_new_data => jsonb_build_object('reason', 'locked', 'device', v_device)
      );
    end loop;
    return private.auth_refusal(
      'EL429',
      format('Too many failed sign-in attempts. Try again in %s.',
             private.in_minutes(private.seconds_until(v_locked_until))),
      private.seconds_until(v_locked_until)
    );
  end if;

  return private.auth_refusal('EL401', c_wrong);
end
$$;
comment on function public.auth_sign_in(text, text, text) is
  'Signs a person in by email (trimmed, lowercased) and password. Success: {ok, person, tenant, '
  'session: {id, family_id, refresh_token (returned once), expires_at}}. Refusals (jsonb, '
  'committed): EL401 unknown email, wrong password or no password yet (identical, similar time); '
  'EL403 the right password of a disabled account; EL429 (retry_after) the account is locked — 5 '
  'consecutive failures lock it 15 minutes — or the address failed 30 times in 15 minutes. '
  'An email found in several schools (at most 5 looked at): each unlocked account''s password '
  'is tried, earliest created first; the first active match signs in. Everything is audited.';
revoke execute on function public.auth_sign_in(text, text, text) from public, anon, authenticated;
grant execute on function public.auth_sign_in(text, text, text) to anon;

create function public.auth_refresh(p_refresh_token text, p_device text)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_ended constant text := 'Your session has ended. Please sign in again.';
  v_token private.refresh_tokens;
  v_status public.person_status;
  v_revoked integer;
  v_result jsonb;
begin
  select t.* into v_token
  from private.refresh_tokens t
  where t.token_hash = extensions.digest(coalesce(p_refresh_token, ''), 'sha256')
  for update;
  if not found then
    return private.auth_refusal('EL401', c_ended);
  end if;

  -- A disabled person first: disabling revoked their tokens, which is no sign of theft.
  select p.status into v_status
  from public.people p
  where p.tenant_id = v_token.tenant_id and p.id = v_token.person_id;
  if v_status is distinct from 'active' then
    v_revoked := private.revoke_token_family(v_token.family_id, 'person_disabled');
    perform audit.record(
      p_action => 'auth.refresh_refused', p_tenant_id => v_token.tenant_id,
      p_table_name => 'public.people', p_record_id => v_token.person_id::text,
      p_new_data => jsonb_build_object('status', v_status, 'family_id', v_token.family_id, 'revoked', v_revoked)
    );
    if v_status = 'disabled' then
      return private.auth_refusal('EL403', 'This account has been disabled. Ask your school''s admin.');
    end if;
    return private.auth_refusal('EL401', c_ended);
  end if;

  if v_token.revoked_at is not null then
    -- A spent token came back: whoever holds the family's live token may have stolen it.
    v_revoked := private.revoke_token_family(v_token.family_id, 'reuse_detected');
    perform audit.record(
      p_action => 'auth.refresh_reuse', p_tenant_id => v_token.tenant_id,
      p_table_name => 'public.people', p_record_id => v_token.person_id::text,
      p_new_data => jsonb_build_object(
        'family_id', v_token.family_id, 'token_id', v_token.id,
        'token_revoked_reason', v_token.revoked_reason, 'revoked', v_revoked,
        'device', left(nullif(p_device, ''), 200)
      )
    );
    return private.auth_refusal('EL401', c_ended);
  end if;

  if v_token.expires_at <= now() then
    return private.auth_refusal('EL401', c_ended);
  end if;

  v_result := private.start_session(v_token.tenant_id, v_token.person_id, v_token.family_id, p_device);
  update private.refresh_tokens t
  set revoked_at = now(), revoked_reason = 'rotated', replaced_by = (v_result -> 'session' ->> 'id')::uuid
  where t.id = v_token.id;
  return v_result;
end
$$;
comment on function public.auth_refresh(text, text) is
  'Rotates a refresh token: the presented one is revoked (rotated, replaced_by the new one) and a '
  'new one in the same family is returned with the person and school, as auth_sign_in does. '
  'Refusals (jsonb, committed): EL403 the person is disabled (family revoked, audited as '
  'auth.refresh_refused); EL401 a token already rotated or revoked — the whole family is revoked '
  '(reuse_detected) and audited (auth.refresh_reuse); EL401 unknown or expired token. Successful '
  'refreshes are not audited (one every 15 minutes per person).';
revoke execute on function public.auth_refresh(text, text) from public, anon, authenticated;
grant execute on function public.auth_refresh(text, text) to anon;

create function public.auth_sign_out(p_refresh_token text)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_token private.refresh_tokens;
  v_revoked integer;
begin
  select t.* into v_token
  from private.refresh_tokens t
  where t.token_hash = extensions.digest(coalesce(p_refresh_token, ''), 'sha256');
  if found then
    v_revoked := private.revoke_token_family(v_token.family_id, 'signed_out');
    perform audit.record(
      p_action => 'auth.sign_out', p_tenant_id => v_token.tenant_id, p_actor_id => v_token.person_id,
      p_table_name => 'public.people', p_record_id => v_token.person_id::text,
      p_new_data => jsonb_build_object('family_id', v_token.family_id, 'revoked', v_revoked)
    );
  end if;
  return jsonb_build_object('ok', true);
end
$$;
comment on function public.auth_sign_out(text) is
  'Signs out: revokes the family of the presented refresh token (signed_out). Always {ok: true}, '
  'also for an unknown token, so it tells nothing about tokens.';
revoke execute on function public.auth_sign_out(text) from public, anon, authenticated;
grant execute on function public.auth_sign_out(text) to anon, authenticated;

create function public.auth_change_password(p_current_password text, p_new_password text)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_person public.people;
  v_state private.sign_in_state;
  v_hash text;
  v_revoked integer;
begin
  select p.* into v_person
  from public.people p
  where p.id = auth.uid() and p.tenant_id = private.current_tenant_id();
  if not found then
    raise exception 'Sign in to change your password.' using errcode = 'EL401';
  end if;
  if v_person.status <> 'active' then
    raise exception 'This account has been disabled. Ask your school''s admin.' using errcode = 'EL403';
  end if;
  perform private.assert_password_policy(p_new_password); -- EL422, before anything changes

  v_state := private.lock_sign_in_state(v_person.tenant_id, v_person.id);
  if v_state.locked_until > now() then
    return private.auth_refusal(
      'EL429',
      format('Too many failed attempts. Try again in %s.', private.in_minutes(private.seconds_until(v_state.locked_until))),
      private.seconds_until(v_state.locked_until)
    );
  end if;

  select pw.password_hash into v_hash
  from private.passwords pw
  where pw.tenant_id = v_person.tenant_id and pw.person_id = v_person.id;
  if v_hash is null or extensions.crypt(coalesce(p_current_password, ''), v_hash) <> v_hash then
    -- a wrong current password counts towards the lock: a stolen access token must not
    -- become an unlimited password oracle
    v_state := private.count_failed_attempt(v_person.tenant_id, v_person.id);
    perform audit.record(
      p_action => 'auth.password_change_failed', p_tenant_id => v_person.tenant_id, p_actor_id => v_person.id,
      p_table_name => 'public.people', p_record_id => v_person.id::text,
      p_new_data => jsonb_build_object('failed_attempts', v_state.failed_attempts)
    );
    return private.auth_refusal('EL401', 'Your current password is not right.');
  end if;

  update private.sign_in_state s
  set failed_attempts = 0, locked_until = null
  where s.person_id = v_person.id and (s.failed_attempts <> 0 or s.locked_until is not null);
  perform private.store_password(v_person.tenant_id, v_person.id, p_new_password);
  v_revoked := private.revoke_refresh_tokens(v_person.tenant_id, v_person.id, 'password_changed');
  perform audit.record(
    p_action => 'auth.password_changed', p_tenant_id => v_person.tenant_id, p_actor_id => v_person.id,
    p_table_name => 'public.people', p_record_id => v_person.id::text,
    p_new_data => jsonb_build_object('revoked', v_revoked)
  );
  return jsonb_build_object('ok', true);
end
$$;
comment on function public.auth_change_password(text, text) is
  'Changes the signed-in person''s password: raises EL422 (policy) first; then checks the current '
  'password — wrong: {ok: false, code EL401}, counted towards the 5-failure lock (EL429 while '
  'locked) — stores the new one (bcrypt 10), revokes every refresh token of the person '
  '(password_changed, so every device must sign in again) and audits. Returns {ok: true}.';
revoke execute on function public.auth_change_password(text, text) from public, anon, authenticated;
grant execute on function public.auth_change_password(text, text) to authenticated;

-------------------------------------------------------------------------------
-- Functions: invitations and one-time codes
-------------------------------------------------------------------------------

create function public.auth_invite(
  p_full_name text,
  p_email text,
  p_phone text,
  p_role public.person_role,
  p_student_ids uuid[] default null
)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.assert_admin();
  v_person_id uuid;
  v_delivery text;
begin
  -- The tenancy triggers and constraints apply: 23505 duplicate email in the school, EL403
  -- plan limit, 23514 malformed email or phone.
  insert into public.people (tenant_id, full_name, email, phone, role, status)
  values (v_tenant_id, p_full_name, p_email, p_phone, p_role, 'invited')
  returning id into v_person_id;

  -- 23503 for a student of another school (composite foreign key), EL422 for someone who is not
  -- a student or an invitee who is not a parent (guardian_links trigger).
  insert into public.guardian_links (tenant_id, parent_id, student_id)
  select distinct v_tenant_id, v_person_id, s.id
  from unnest(coalesce(p_student_ids, '{}')) as s(id)
  where s.id is not null;

  v_delivery := private.send_otp(v_tenant_id, v_person_id, 'invite');
  return jsonb_build_object('ok', true, 'person_id', v_person_id, 'delivery', v_delivery);
end
$$;
comment on function public.auth_invite(text, text, text, public.person_role, uuid[]) is
  'An admin invites a person to their school: the person is added with status invited (23505 '
  'duplicate email, EL403 plan limit), a parent is linked to the given students of the same '
  'school (23503 otherwise, EL422 for non-students), and a 6-digit code (5 minutes, 5 tries) is '
  'sent by email, or by SMS without email. Returns {ok, person_id, delivery: email|sms}, never the '
  'code. Others: 42501.';
revoke execute on function public.auth_invite(text, text, text, public.person_role, uuid[]) from public, anon, authenticated;
grant execute on function public.auth_invite(text, text, text, public.person_role, uuid[]) to authenticated;

create function public.auth_verify_otp(p_person_id uuid, p_code text, p_new_password text)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_max_tries constant integer := 5;
  c_wrong constant text := 'That code is not right.';
  c_dead constant text := 'That code can no longer be used. Ask for a new one.';
  v_code text := regexp_replace(coalesce(p_code, ''), '[[:space:]-]', '', 'g');
  v_person public.people;
  v_otp private.otp_codes;
begin
  -- The policy first: it raises (EL422) before the code is even looked at, so a right code
  -- with a bad password is neither consumed nor counted.
  perform private.assert_password_policy(p_new_password);

  select p.* into v_person from public.people p where p.id = p_person_id for update;
  if not found then
    return private.auth_refusal('EL401', c_wrong);
  end if;
  -- Only the person's latest code counts; the row lock makes the tries exact.
  select o.* into v_otp
  from private.otp_codes o
  where o.tenant_id = v_person.tenant_id and o.person_id = v_person.id and o.purpose = 'invite'
  order by o.id desc
  limit 1
  for update;
  if not found then
    return private.auth_refusal('EL401', c_wrong);
  end if;
  if v_otp.consumed_at is not null then
    return private.auth_refusal('EL401', 'That code has already been used. Sign in with your password.');
  end if;
  if v_person.status = 'disabled' then
    return private.auth_refusal('EL403', 'This account has been disabled. Ask your school''s admin.');
  end if;
  if v_person.status <> 'invited' or v_otp.superseded_at is not null or v_otp.attempts >= c_max_tries then
    return private.auth_refusal('EL401', c_dead);
  end if;
  if v_otp.expires_at <= now() then
    return private.auth_refusal('EL401', 'That code has expired. Ask for a new one.');
  end if;

  if extensions.crypt(v_person.id::text || ':' || v_code, v_otp.code_hash) <> v_otp.code_hash then
    update private.otp_codes o set attempts = o.attempts + 1 where o.id = v_otp.id
    returning o.attempts into v_otp.attempts;
    perform audit.record(
      p_action => 'auth.otp_failed', p_tenant_id => v_person.tenant_id,
      p_table_name => 'public.people', p_record_id => v_person.id::text,
      p_new_data => jsonb_build_object('purpose', v_otp.purpose, 'attempts', v_otp.attempts)
    );
    if v_otp.attempts >= c_max_tries then
      return private.auth_refusal('EL401', c_dead);
    end if;
    return private.auth_refusal('EL401', c_wrong);
  end if;

  update private.otp_codes o set consumed_at = now() where o.id = v_otp.id;
  perform private.store_password(v_person.tenant_id, v_person.id, p_new_password);
  update public.people p set status = 'active' where p.id = v_person.id;
  perform audit.record(
    p_action => 'auth.activated', p_tenant_id => v_person.tenant_id, p_actor_id => v_person.id,
    p_table_name => 'public.people', p_record_id => v_person.id::text,
    p_new_data => jsonb_build_object('purpose', v_otp.purpose)
  );
  return jsonb_build_object('ok', true);
end
$$;
comment on function public.auth_verify_otp(uuid, text, text) is
  'An invited person sets their password with the code they were sent (spaces and dashes '
  'ignored). The password policy is checked first (EL422 raised; the code is neither tried nor '
  'consumed). Refusals (jsonb, committed): EL401 wrong code (counted; the 5th wrong try kills '
  'it), expired, already used, superseded by a newer code, unknown person; EL403 disabled. On '
  'success: password stored (bcrypt 10), status invited -> active, code consumed, audited; {ok: true}.';
revoke execute on function public.auth_verify_otp(uuid, text, text) from public, anon, authenticated;
grant execute on function public.auth_verify_otp(uuid, text, text) to anon;

create function public.auth_resend_otp(p_person_id uuid)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_gap constant interval := interval '60 seconds';
  c_hourly constant integer := 5;
  v_person public.people;
  v_last timestamptz;
  v_hour_cutoff timestamptz;
begin
  -- The person's row lock serialises resends, so the limits are exact.
  select p.* into v_person from public.people p where p.id = p_person_id for update;
  if not found or v_person.status <> 'invited' then
    return jsonb_build_object('ok', true); -- tells nothing about who exists
  end if;

  select max(o.created_at) into v_last
  from private.otp_codes o
  where o.tenant_id = v_person.tenant_id and o.person_id = v_person.id and o.purpose = 'invite';
  if v_last > now() - c_gap then
    return private.auth_refusal(
      'EL429',
      format('Please wait %s seconds before asking for another code.', private.seconds_until(v_last + c_gap)),
      private.seconds_until(v_last + c_gap)
    );
  end if;

  select o.created_at into v_hour_cutoff
  from private.otp_codes o
  where o.tenant_id = v_person.tenant_id and o.person_id = v_person.id and o.purpose = 'invite'
    and o.created_at > now() - interval '1 hour'
  order by o.created_at desc
  offset c_hourly - 1
  limit 1;
  if found then
    return private.auth_refusal(
      'EL429',
      format('Too many codes have been sent. Try again in %s.',
             private.in_minutes(private.seconds_until(v_hour_cutoff + interval '1 hour'))),
      private.seconds_until(v_hour_cutoff + interval '1 hour')
    );
  end if;

  perform private.send_otp(v_person.tenant_id, v_person.id, 'invite');
  return jsonb_build_object('ok', true);
end
$$;
comment on function public.auth_resend_otp(uuid) is
  'Sends an invited person a new code (the earlier ones stop working). At most one send a minute '
  'and 5 an hour, the invitation''s included: EL429 with retry_after (jsonb). Anyone else, or an '
  'unknown id: {ok: true}, sending nothing.';
revoke execute on function public.auth_resend_otp(uuid) from public, anon, authenticated;
grant execute on function public.auth_resend_otp(uuid) to anon;

-------------------------------------------------------------------------------
-- Functions: admin actions
-------------------------------------------------------------------------------

create function public.auth_unlock(p_person_id uuid)
  returns void
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.assert_admin();
  v_state private.sign_in_state;
begin
  if not exists (select from public.people p where p.tenant_id = v_tenant_id and p.id = p_person_id) then
    raise exception 'This person is not in your school.' using errcode = 'EL404';
  end if;
  update private.sign_in_state s
  set failed_attempts = 0, locked_until = null
  where s.tenant_id = v_tenant_id and s.person_id = p_person_id
  returning s.* into v_state;
  perform audit.record(
    p_action => 'auth.unlocked', p_tenant_id => v_tenant_id,
    p_table_name => 'public.people', p_record_id => p_person_id::text,
    p_new_data => jsonb_build_object('was_locked', coalesce(v_state.person_id is not null, false))
  );
end
$$;
comment on function public.auth_unlock(uuid) is
  'An admin clears a person''s failed sign-ins and lock (audited as auth.unlocked). EL404 when '
  'the person is not in the admin''s school; 42501 for anyone but an active admin.';
revoke execute on function public.auth_unlock(uuid) from public, anon, authenticated;
grant execute on function public.auth_unlock(uuid) to authenticated;

create function public.people_with_status()
  returns table (
    id uuid,
    full_name text,
    email text,
    phone text,
    role public.person_role,
    status text,
    failed_attempts integer,
    locked_until timestamptz,
    created_at timestamptz
  )
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.assert_admin();
begin
  return query
    select p.id, p.full_name, p.email, p.phone, p.role,
           case
             when p.status = 'active' and s.locked_until > now() then 'locked'
             else p.status::text
           end,
           coalesce(s.failed_attempts, 0),
           case when s.locked_until > now() then s.locked_until end,
           p.created_at
    from public.people p
    left join private.sign_in_state s on s.person_id = p.id and s.tenant_id = p.tenant_id
    where p.tenant_id = v_tenant_id
    order by p.full_name, p.id;
end
$$;
comment on function public.people_with_status() is
  'For the admin''s People list: everyone in the admin''s school with a status of invited, '
  'active, locked (active, locked_until in the future) or disabled, their failed sign-ins and '
  'lock. 42501 for anyone but an active admin.';
revoke execute on function public.people_with_status() from public, anon, authenticated;
grant execute on function public.people_with_status() to authenticated;
