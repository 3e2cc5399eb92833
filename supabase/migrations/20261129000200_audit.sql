-- 20261129000200_audit.sql — the append-only audit log (COM-1) and the triggers that write
-- it for schools, people and guardian links.
--
-- Who wrote what, when, from where:
--   * actor_id: the JWT's `sub` (auth.jwt()), or the actor a calling function passes;
--   * request_id, ip, user_agent: the transaction-local settings the TypeScript layer sets
--     next to the JWT claims, in the same round trip —
--       select set_config('app.request_id', $1, true),
--              set_config('app.ip', $2, true),
--              set_config('app.user_agent', $3, true);
--     falling back to PostgREST's `request.headers` (x-request-id, x-forwarded-for,
--     user-agent) when the request came through Supabase's API instead.
--
-- Append-only for everyone: no role holds UPDATE, DELETE or TRUNCATE on audit.log, and a
-- statement trigger refuses them (42501) even for the owner and for a role someone grants
-- them to later. Entries are written only by audit.record() (security definer), directly
-- or through audit.tg__log_change(). Retention purges (7 years) will need a migration-made,
-- owner-run function that disables the trigger for its own transaction.
--
-- Secrets never reach the log: audit.record() drops password_hash, token_hash, code_hash
-- and secret keys from the data it is given, and private.passwords has no audit trigger.
--
-- Sections: schemas, tables, indexes, grants, RLS and policies, triggers, functions.
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Schemas and types
-------------------------------------------------------------------------------

create schema audit;
comment on schema audit is 'The append-only audit log. Admins read their school''s entries.';
revoke all on schema audit from public;

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

-- tenant_id and actor_id are deliberately not foreign keys: entries outlive the school or
-- person they are about (retention, anonymised accounts).
create table audit.log (
  id bigint generated always as identity primary key,
  tenant_id uuid,
  actor_id uuid,
  action text not null
    constraint log_action_check check (length(action) between 1 and 100),
  table_name text,
  record_id text,
  old_data jsonb,
  new_data jsonb,
  request_id text,
  ip inet,
  user_agent text,
  created_at timestamptz not null default now()
);
comment on table audit.log is
  'Append-only record of changes and events (sign-ins, payments, exports). tenant_id is null '
  'for platform events; actor_id null when no person acted (jobs, seed). For updates, '
  'old_data/new_data hold only the columns that changed.';
comment on column audit.log.action is
  'insert | update | delete for row changes; a dotted event name (e.g. auth.sign_in_failed) otherwise.';
comment on column audit.log.table_name is 'schema.table of the changed row, e.g. public.people.';
comment on column audit.log.record_id is 'Key of the changed row; composite keys joined with a colon.';
comment on column audit.log.request_id is 'app.request_id of the transaction (the HTTP request id).';

-------------------------------------------------------------------------------
-- Indexes
-------------------------------------------------------------------------------

create index log_tenant_id_created_at_idx on audit.log (tenant_id, created_at);

-------------------------------------------------------------------------------
-- Grants: read only, and only what RLS lets through; nobody inserts directly.
-------------------------------------------------------------------------------

grant usage on schema audit to authenticated, service_role;
revoke all on table audit.log from public, anon, authenticated, service_role;
grant select on table audit.log to authenticated, service_role;

-------------------------------------------------------------------------------
-- RLS and policies
-------------------------------------------------------------------------------

alter table audit.log enable row level security;

create policy "Admins can read their school's audit log"
  on audit.log for select to authenticated
  using (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

create function audit.tg_log__refuse_change()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  raise exception 'The audit log is append-only: entries cannot be changed or removed'
    using errcode = '42501', detail = pg_catalog.format('%s on %I.%I', tg_op, tg_table_schema, tg_table_name);
end
$$;
comment on function audit.tg_log__refuse_change() is
  'BEFORE UPDATE OR DELETE OR TRUNCATE (per statement) on audit.log: refuses (42501), for every role.';
revoke execute on function audit.tg_log__refuse_change() from public, anon, authenticated;

create trigger _010_append_only before update or delete or truncate on audit.log
  for each statement execute function audit.tg_log__refuse_change();

-- Security definer: writes the log whoever changed the row.
-- Arguments: the column holding the school's id, then the key column(s) of the row.
create function audit.tg__log_change()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_changed_old jsonb;
  v_changed_new jsonb;
  v_record_id text;
begin
  select string_agg(v_row ->> k, ':' order by ord)
    into v_record_id
  from unnest(tg_argv[1:]) with ordinality as a(k, ord);

  if tg_op = 'UPDATE' then
    select jsonb_object_agg(o.key, o.value) filter (where o.value is distinct from v_new -> o.key),
           jsonb_object_agg(o.key, v_new -> o.key) filter (where o.value is distinct from v_new -> o.key)
      into v_changed_old, v_changed_new
    from jsonb_each(v_old) o;
    if v_changed_new is null then
      return null; -- nothing changed
    end if;
    v_old := v_changed_old;
    v_new := v_changed_new;
  end if;

  perform audit.record(
    p_action => lower(tg_op),
    p_tenant_id => (v_row ->> tg_argv[0])::uuid,
    p_table_name => tg_table_schema || '.' || tg_table_name,
    p_record_id => v_record_id,
    p_old_data => v_old,
    p_new_data => v_new
  );
  return null;
end
$$;
comment on function audit.tg__log_change() is
  'AFTER INSERT OR UPDATE OR DELETE (per row): writes the change to audit.log through '
  'audit.record(). Trigger arguments: the school id column, then the key column(s).';
revoke execute on function audit.tg__log_change() from public, anon, authenticated;

create trigger _500_audit after insert or update or delete on public.tenants
  for each row execute function audit.tg__log_change('id', 'id');
create trigger _500_audit after insert or update or delete on public.people
  for each row execute function audit.tg__log_change('tenant_id', 'id');
create trigger _500_audit after insert or update or delete on public.guardian_links
  for each row execute function audit.tg__log_change('tenant_id', 'parent_id', 'student_id');

-------------------------------------------------------------------------------
-- Functions
-------------------------------------------------------------------------------

create function audit.record(
  p_action text,
  p_tenant_id uuid,
  p_actor_id uuid default null,
  p_table_name text default null,
  p_record_id text default null,
  p_old_data jsonb default null,
  p_new_data jsonb default null
)
  returns bigint
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_secret_keys constant text[] := array['password_hash', 'token_hash', 'code_hash', 'secret'];
  v_headers jsonb := nullif(current_setting('request.headers', true), '')::jsonb;
  v_sub text := auth.jwt() ->> 'sub';
  v_ip_text text := coalesce(
    nullif(current_setting('app.ip', true), ''),
    nullif(btrim(split_part(v_headers ->> 'x-forwarded-for', ',', 1)), '')
  );
  v_ip inet;
  v_id bigint;
begin
  if v_ip_text is not null then
    begin
      v_ip := v_ip_text::inet;
    exception when invalid_text_representation then
      v_ip := null; -- a malformed address must not lose the entry
    end;
  end if;

  insert into audit.log (
    tenant_id, actor_id, action, table_name, record_id, old_data, new_data,
    request_id, ip, user_agent
  ) values (
    p_tenant_id,
    coalesce(
      p_actor_id,
      case when v_sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then v_sub::uuid end
    ),
    p_action,
    p_table_name,
    p_record_id,
    p_old_data - c_secret_keys,
    p_new_data - c_secret_keys,
    left(coalesce(nullif(current_setting('app.request_id', true), ''), v_headers ->> 'x-request-id'), 200),
    v_ip,
    left(coalesce(nullif(current_setting('app.user_agent', true), ''), v_headers ->> 'user-agent'), 512)
  )
  returning id into v_id;
  return v_id;
end
$$;
comment on function audit.record(text, uuid, uuid, text, text, jsonb, jsonb) is
  'Appends one audit entry and returns its id. The actor defaults to the JWT sub; request '
  'id, ip and user agent come from app.request_id / app.ip / app.user_agent (or PostgREST''s '
  'request.headers). Secret keys (password_hash, token_hash, code_hash, secret) are dropped '
  'from old/new data. Called by audit triggers and by security-definer functions of later '
  'migrations (sign-in, payments); granted to service_role for jobs and webhooks.';
revoke execute on function audit.record(text, uuid, uuid, text, text, jsonb, jsonb) from public, anon, authenticated;
grant execute on function audit.record(text, uuid, uuid, text, text, jsonb, jsonb) to service_role;
