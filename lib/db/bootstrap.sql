-- What a Supabase project provides and a plain PostgreSQL (or the embedded PGlite) lacks:
-- the API roles, the `extensions` schema with pgcrypto, and `auth.uid()`, `auth.jwt()`,
-- `auth.role()` reading the claims the app sets per transaction (`request.jwt.claims`).
-- It also creates the two logins of ARCHITECTURE §3: `elymica_web` may only become
-- `anon`/`authenticated`, `elymica_jobs` only `service_role`; neither has privileges of its
-- own (`noinherit`), so a `reset role` inside a request lands on a role that reads nothing.
--
-- Idempotent, safe to run concurrently against one cluster (roles are cluster-wide, tests
-- bootstrap many databases at once), and a no-op on Supabase, which has all of this already.
do $bootstrap$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'supabase_admin') then
    return;
  end if;

  begin create role anon nologin noinherit;
  exception when duplicate_object or unique_violation then null; end;
  begin create role authenticated nologin noinherit;
  exception when duplicate_object or unique_violation then null; end;
  begin create role service_role nologin noinherit bypassrls;
  exception when duplicate_object or unique_violation then null; end;
  begin create role elymica_web login noinherit;
  exception when duplicate_object or unique_violation then null; end;
  begin create role elymica_jobs login noinherit;
  exception when duplicate_object or unique_violation then null; end;
  begin grant anon, authenticated to elymica_web;
  exception when unique_violation then null; end;
  begin grant service_role to elymica_jobs;
  exception when unique_violation then null; end;

  create schema if not exists extensions;
  grant usage on schema extensions to anon, authenticated, service_role;
  create extension if not exists pgcrypto with schema extensions;

  create schema if not exists auth;
  grant usage on schema auth to anon, authenticated, service_role;

  -- No `set` clause, as on Supabase: a one-line SQL function without one is inlined into the
  -- query that calls it, where a `set` clause has it planned again on every call — several times
  -- per request, since every policy helper reads the claims. Every name in the bodies is
  -- schema-qualified (operators and types resolve in pg_catalog, searched first), so the caller's
  -- search_path cannot redirect them.
  create or replace function auth.jwt() returns jsonb
    language sql stable
    as $fn$
      select coalesce(
        nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
        nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
      )::jsonb
    $fn$;
  create or replace function auth.uid() returns uuid
    language sql stable
    as $fn$ select (auth.jwt() ->> 'sub')::uuid $fn$;
  create or replace function auth.role() returns text
    language sql stable
    as $fn$ select auth.jwt() ->> 'role' $fn$;
  comment on function auth.jwt() is 'The verified JWT claims of the current request, as on Supabase.';
  comment on function auth.uid() is 'The signed-in person''s id (claim sub), as on Supabase.';
  comment on function auth.role() is 'The API role of the current request (claim role), as on Supabase.';
  grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
end
$bootstrap$;
