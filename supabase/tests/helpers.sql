-- supabase/tests/helpers.sql — the `tests` schema the pgTAP suite uses, in the manner of
-- usebasejump/supabase-test-helpers, adapted to Elymica's own people table and JWT claims.
--
-- Not a test itself: load it once per test database, after the migrations and
-- `create extension pgtap`, before running supabase/tests/database/*.test.sql. Idempotent.
--
--   tests.create_school(slug)                    -> uuid of a new school (as owner)
--   tests.create_person(tenant_id, role, email)  -> uuid of a new active person (as owner)
--   tests.school_id(slug), tests.person_id(email)  ids by name, from any role
--   tests.authenticate_as(person_id)             role authenticated + that person's claims
--   tests.authenticate_as_service_role()         role service_role, no claims
--   tests.authenticate_as_owner()                back to the session user (the owner), no claims
--   tests.clear_authentication()                 role anon, no claims
--   tests.freeze_time(ts) / tests.unfreeze_time()
--   tests.affected_rows(sql)                     rows a statement changed, as the current role
--   tests.set_password(person_id, password)      gives a person a password (bcrypt, as owner)
--   tests.sent_code(recipient)                   the code in the latest message to an address
--
-- All role and claim changes are transaction-local (set_config(…, true)), like the app's.

create schema if not exists tests;
create schema if not exists test_overrides;
comment on schema tests is 'pgTAP helpers (test databases only).';
comment on schema test_overrides is 'Functions that shadow pg_catalog ones while time is frozen (test databases only).';

grant usage on schema tests, test_overrides to anon, authenticated, service_role;

-- The first migration revokes EXECUTE from PUBLIC on functions its owner creates later,
-- pgTAP's included; the tests call pgTAP after switching to the API roles.
do $grant_pgtap$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
    join pg_catalog.pg_extension e on e.oid = d.refobjid and e.extname = 'pgtap'
  loop
    execute format('grant execute on function %s to public', v_fn);
  end loop;
end
$grant_pgtap$;

-------------------------------------------------------------------------------
-- Fixtures (security definer: they run as the owner whatever role the test is in)
-------------------------------------------------------------------------------

create or replace function tests.create_school(
  p_slug text,
  p_plan public.tenant_plan default 'starter'
)
  returns uuid
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  insert into public.tenants (name, slug, country, currency, timezone, plan)
  values (initcap(replace(p_slug, '-', ' ')) || ' Test School', p_slug, 'KE', 'KES', 'Africa/Nairobi', p_plan)
  returning id
$$;
comment on function tests.create_school(text, public.tenant_plan) is
  'Creates a school with the given slug (KE, KES, Africa/Nairobi) and returns its id.';

create or replace function tests.create_person(
  p_tenant_id uuid,
  p_role public.person_role,
  p_email text,
  p_status public.person_status default 'active'
)
  returns uuid
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  insert into public.people (tenant_id, full_name, email, role, status)
  values (p_tenant_id, initcap(replace(split_part(p_email, '@', 1), '.', ' ')), p_email, p_role, p_status)
  returning id
$$;
comment on function tests.create_person(uuid, public.person_role, text, public.person_status) is
  'Creates a person (active unless told) in a school and returns their id.';

create or replace function tests.school_id(p_slug text)
  returns uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_id uuid;
begin
  select id into strict v_id from public.tenants where slug = p_slug;
  return v_id;
end
$$;
comment on function tests.school_id(text) is 'The id of the school with this slug, whatever role the test is in.';

create or replace function tests.person_id(p_email text)
  returns uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_id uuid;
begin
  select id into strict v_id from public.people where email = lower(p_email);
  return v_id;
end
$$;
comment on function tests.person_id(text) is
  'The id of the person with this email (unique across schools in a test), whatever role the test is in.';

-- Reads the person past RLS for authenticate_as (which itself cannot be security definer:
-- such a function may not change the role).
create or replace function tests.person_claims(p_person_id uuid)
  returns jsonb
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_person public.people;
begin
  select * into v_person from public.people where id = p_person_id;
  if not found then
    raise exception 'tests.person_claims: no person %', p_person_id;
  end if;
  return jsonb_build_object(
    'sub', v_person.id,
    'role', 'authenticated',
    'aud', 'authenticated',
    'email', v_person.email,
    'iat', extract(epoch from now())::bigint,
    'exp', extract(epoch from now() + interval '15 minutes')::bigint,
    'app_metadata', jsonb_build_object('tenant_id', v_person.tenant_id, 'user_role', v_person.role)
  );
end
$$;
comment on function tests.person_claims(uuid) is
  'The JWT claims the app would mint for this person (sub, role, app_metadata.tenant_id/user_role).';

-------------------------------------------------------------------------------
-- Acting as someone
-------------------------------------------------------------------------------

create or replace function tests.authenticate_as(p_person_id uuid)
  returns void
  language plpgsql
  volatile
as $$
declare
  v_claims jsonb := tests.person_claims(p_person_id);
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', v_claims::text, true);
end
$$;
comment on function tests.authenticate_as(uuid) is
  'Acts as this person for the rest of the transaction: role authenticated and their claims.';

create or replace function tests.authenticate_as_service_role()
  returns void
  language plpgsql
  volatile
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;
comment on function tests.authenticate_as_service_role() is
  'Acts as service_role (bypasses RLS, not grants) with no claims.';

create or replace function tests.authenticate_as_owner()
  returns void
  language plpgsql
  volatile
as $$
begin
  perform set_config('role', 'none', true); -- back to the session user
  perform set_config('request.jwt.claims', '', true);
end
$$;
comment on function tests.authenticate_as_owner() is
  'Back to the session user (the migration owner in tests) with no claims.';

create or replace function tests.clear_authentication()
  returns void
  language plpgsql
  volatile
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;
comment on function tests.clear_authentication() is 'Acts as anon (signed out) with no claims.';

create or replace function tests.affected_rows(p_sql text)
  returns integer
  language plpgsql
  volatile
as $$
declare
  v_count integer;
begin
  execute p_sql;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function tests.affected_rows(text) is
  'Runs an INSERT/UPDATE/DELETE as the current role and returns how many rows it changed '
  '(0 when RLS hid every row).';

-------------------------------------------------------------------------------
-- Frozen time
--
-- freeze_time puts test_overrides before pg_catalog on the transaction's search_path, so an
-- unqualified now() in the test — and in invoker functions without their own search_path —
-- returns the frozen time. Limitation: functions declared `set search_path = ''` (all of
-- Elymica's helpers and triggers) and column defaults resolve now() to pg_catalog.now() and
-- keep the real clock. To freeze those, alter the function inside the test transaction:
--   alter function private.fn() set search_path = test_overrides, pg_catalog;
-- (rolled back with the test), or pass the time in as a parameter.
-------------------------------------------------------------------------------

create or replace function test_overrides.now()
  returns timestamptz
  language plpgsql
  stable
as $$
begin
  return coalesce(nullif(current_setting('tests.frozen_time', true), '')::timestamptz, pg_catalog.now());
end
$$;
comment on function test_overrides.now() is 'now(), or the time frozen by tests.freeze_time().';

create or replace function tests.freeze_time(p_frozen_time timestamptz)
  returns void
  language plpgsql
  volatile
as $$
begin
  if current_setting('search_path') not like 'test_overrides,%' then
    perform set_config('tests.original_search_path', current_setting('search_path'), true);
    perform set_config('search_path', 'test_overrides, ' || current_setting('search_path') || ', pg_catalog', true);
  end if;
  perform set_config('tests.frozen_time', p_frozen_time::text, true);
end
$$;
comment on function tests.freeze_time(timestamptz) is
  'Makes unqualified now() return this time until tests.unfreeze_time() or the end of the transaction.';

create or replace function tests.unfreeze_time()
  returns void
  language plpgsql
  volatile
as $$
begin
  perform set_config('tests.frozen_time', '', true);
  if nullif(current_setting('tests.original_search_path', true), '') is not null then
    perform set_config('search_path', current_setting('tests.original_search_path'), true);
    perform set_config('tests.original_search_path', '', true);
  end if;
end
$$;
comment on function tests.unfreeze_time() is 'Restores the real clock and the original search_path.';

-------------------------------------------------------------------------------
-- Auth fixtures (security definer: passwords and the outbox are owner-only)
-------------------------------------------------------------------------------

create or replace function tests.set_password(p_person_id uuid, p_password text)
  returns void
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  -- cost 4: a fixture, not a stored password; the auth functions store cost 10 themselves
  insert into private.passwords (tenant_id, person_id, password_hash)
  select p.tenant_id, p.id, extensions.crypt(p_password, extensions.gen_salt('bf', 4))
  from public.people p
  where p.id = p_person_id
  on conflict (person_id) do update set password_hash = excluded.password_hash;
  if not found then
    raise exception 'tests.set_password: no person %', p_person_id;
  end if;
end
$$;
comment on function tests.set_password(uuid, text) is
  'Gives a person a password (bcrypt cost 4, for speed), as the owner.';

create or replace function tests.sent_code(p_recipient text)
  returns text
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_body text;
begin
  select o.body into v_body
  from private.outbox o
  where o.recipient = lower(btrim(p_recipient))
  order by o.id desc
  limit 1;
  -- the first six-digit word: the code comes before the /verify?person=<uuid> link
  return substring(v_body from '\m([0-9]{6})\M');
end
$$;
comment on function tests.sent_code(text) is
  'The six-digit code in the latest message queued for this email address or phone number '
  '(null when none), read from private.outbox as the owner.';

grant execute on all functions in schema tests to anon, authenticated, service_role;
grant execute on function test_overrides.now() to anon, authenticated, service_role;
