-- 20261129000100_tenancy.sql — schools (tenants), the people in them, their passwords and
-- the links between parents and students; the helpers row level security is built on.
--
-- Rules this migration puts in the database (ARCHITECTURE §1, §5):
--   * every table has RLS on; `anon` reads and writes nothing; `authenticated` sees only the
--     school named by its JWT (`app_metadata.tenant_id`), with what its `app_metadata.user_role`
--     allows; `service_role` bypasses RLS but holds only the grants written here;
--   * school-owned rows reference each other with (tenant_id, id) pairs, so a row can never
--     point into another school; `tenant_id` can never change once written (trigger);
--   * a school's plan caps the number of people who are not disabled (trigger, under a lock
--     on the school's row).
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL403  the school has reached its plan's user limit                         -> 403
--   EL409  the change conflicts with existing data (role of a linked person)    -> 409
--   EL422  the request is well-formed but breaks a rule (guardian link roles)   -> 422
--   42501  refused: changing a row's school, or anything an RLS policy forbids -> 403
--
-- Sections in the project's fixed order: schemas and types, tables, indexes, grants, RLS and
-- policies, triggers, functions. A function that an earlier section needs (a check
-- constraint's validator, the policy helpers, the trigger functions) is written at the head
-- of the section that first uses it — Postgres must know a function before a constraint,
-- policy or trigger can name it.
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-- Functions are not executable by PUBLIC unless granted explicitly (default deny).
alter default privileges revoke execute on functions from public;

-------------------------------------------------------------------------------
-- Schemas and types
-------------------------------------------------------------------------------

create schema private;
comment on schema private is
  'Internals: security-definer helpers for policies, trigger functions, secrets. Not exposed '
  'through the API; authenticated may call only the policy helpers granted below.';
revoke all on schema private from public;

create type public.tenant_plan as enum ('starter', 'growth', 'enterprise');
comment on type public.tenant_plan is 'A school''s subscription plan; sets the default user limit.';

create type public.person_role as enum ('student', 'teacher', 'parent', 'admin');
comment on type public.person_role is
  'What a person is in their school: one role per person row, one row per school and email. '
  'A teacher who is also a parent at the same school needs a second row with another email '
  'or a phone only (a known limit of this model).';

create type public.person_status as enum ('invited', 'active', 'disabled');
comment on type public.person_status is
  'invited: created, not yet signed in; active: may sign in; disabled: may not sign in and '
  'does not count towards the plan''s user limit. People are disabled, never deleted by the app.';

-- Validators the tables' constraints call.

create function private.is_valid_timezone(p_timezone text)
  returns boolean
  language sql
  stable
  set search_path = ''
as $$
  select exists (select from pg_catalog.pg_timezone_names where name = p_timezone)
$$;
comment on function private.is_valid_timezone(text) is
  'True when the text is an IANA time zone name this server knows (e.g. Africa/Nairobi).';
revoke execute on function private.is_valid_timezone(text) from public, anon, authenticated;
-- A check constraint runs as the person writing the row: admins may edit their timezone.
grant execute on function private.is_valid_timezone(text) to authenticated, service_role;

create function private.plan_user_limit(p_plan public.tenant_plan)
  returns integer
  language sql
  immutable
  set search_path = ''
as $$
  select case p_plan
    when 'starter' then 1000
    when 'growth' then 5000
    else null -- enterprise: no limit
  end
$$;
comment on function private.plan_user_limit(public.tenant_plan) is
  'The default user limit of a plan: starter 1000, growth 5000, enterprise none (null).';
revoke execute on function private.plan_user_limit(public.tenant_plan) from public, anon, authenticated;

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

-- The user limit is a column of the school, not only a property of its plan: a school gets
-- its plan's default (private.plan_user_limit) when it is created or changes plan, and the
-- platform can still give one school a negotiated limit without inventing a new plan. One
-- table, one number to check, no join in the hot path of adding a person.
create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null
    constraint tenants_name_check check (length(btrim(name)) between 1 and 200),
  slug text not null
    constraint tenants_slug_key unique
    constraint tenants_slug_check check (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' and length(slug) <= 63),
  country text not null
    constraint tenants_country_check check (country ~ '^[A-Z]{2}$'),
  currency text not null
    constraint tenants_currency_check check (currency ~ '^[A-Z]{3}$'),
  timezone text not null
    constraint tenants_timezone_check check (private.is_valid_timezone(timezone)),
  plan public.tenant_plan not null default 'starter',
  user_limit integer
    constraint tenants_user_limit_check check (user_limit > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.tenants is
  'Schools. Every school-owned row carries tenant_id; people see only their own school.';
comment on column public.tenants.slug is 'Lowercase URL name of the school, e.g. nairobi.';
comment on column public.tenants.country is 'ISO 3166-1 alpha-2 country code, e.g. KE.';
comment on column public.tenants.currency is 'ISO 4217 currency code for fees, e.g. KES.';
comment on column public.tenants.timezone is 'IANA time zone used for deadlines and timetables.';
comment on column public.tenants.user_limit is
  'Most people (not disabled) the school may have; null means no limit. Set from the plan '
  'when the school is created or changes plan, unless given explicitly.';

create table public.people (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  full_name text not null
    constraint people_full_name_check check (length(btrim(full_name)) between 1 and 200),
  email text
    constraint people_email_check check (
      email = lower(email) and length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
    ),
  phone text
    constraint people_phone_check check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  role public.person_role not null,
  status public.person_status not null default 'invited',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint people_email_or_phone_check check (email is not null or phone is not null),
  constraint people_tenant_id_id_key unique (tenant_id, id),
  constraint people_tenant_id_email_key unique (tenant_id, email)
);
comment on table public.people is
  'Everyone in a school — students, teachers, parents, admins — one row per person per school. '
  'Email is stored lowercased (trigger) and unique within a school; the same address may '
  'exist in two schools as two people.';
comment on column public.people.phone is 'Mobile number in E.164 form, e.g. +254700000101.';

create table private.passwords (
  tenant_id uuid not null,
  person_id uuid primary key,
  password_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint passwords_person_fkey foreign key (tenant_id, person_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table private.passwords is
  'bcrypt hashes (extensions.crypt, cost 10) of people''s passwords. No role but the owner may '
  'read it; sign-in functions read it as security definer. Never audited, never returned.';

create table public.guardian_links (
  tenant_id uuid not null,
  parent_id uuid not null,
  student_id uuid not null,
  relationship text not null default 'guardian'
    constraint guardian_links_relationship_check check (length(btrim(relationship)) between 1 and 40),
  created_at timestamptz not null default now(),
  primary key (parent_id, student_id),
  constraint guardian_links_parent_fkey foreign key (tenant_id, parent_id)
    references public.people (tenant_id, id) on delete cascade,
  constraint guardian_links_student_fkey foreign key (tenant_id, student_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table public.guardian_links is
  'Which parent looks after which student. Both sit in the link''s school (composite foreign '
  'keys); the parent has role parent and the student role student (trigger, EL422).';
comment on column public.guardian_links.relationship is 'e.g. mother, father, guardian.';

-------------------------------------------------------------------------------
-- Indexes (primary keys and unique constraints above cover tenants.id, tenants.slug,
-- people.id, people (tenant_id, id) and (tenant_id, email), passwords.person_id and
-- guardian_links (parent_id, student_id))
-------------------------------------------------------------------------------

create index people_tenant_id_status_idx on public.people (tenant_id, status);
create index guardian_links_tenant_id_parent_id_idx on public.guardian_links (tenant_id, parent_id);
create index guardian_links_tenant_id_student_id_idx on public.guardian_links (tenant_id, student_id);

-------------------------------------------------------------------------------
-- Grants. Supabase's default privileges give anon/authenticated/service_role everything on
-- new tables in public: take it all back, then grant exactly what each role needs.
-------------------------------------------------------------------------------

-- Policies run as the caller, who must be able to reach the helper functions in private;
-- no table in private is granted to anyone.
grant usage on schema private to authenticated, service_role;

revoke all on table public.tenants from public, anon, authenticated, service_role;
grant select on table public.tenants to authenticated;
grant update (name, timezone) on table public.tenants to authenticated;
grant select, insert, update, delete on table public.tenants to service_role;

revoke all on table public.people from public, anon, authenticated, service_role;
grant select on table public.people to authenticated;
grant insert (tenant_id, full_name, email, phone, role, status) on table public.people to authenticated;
grant update (full_name, email, phone, role, status) on table public.people to authenticated;
grant select, insert, update, delete on table public.people to service_role;

revoke all on table private.passwords from public, anon, authenticated, service_role;

revoke all on table public.guardian_links from public, anon, authenticated, service_role;
grant select, delete on table public.guardian_links to authenticated;
grant insert (tenant_id, parent_id, student_id, relationship) on table public.guardian_links to authenticated;
grant select, insert, delete on table public.guardian_links to service_role;

-------------------------------------------------------------------------------
-- RLS and policies
-------------------------------------------------------------------------------

-- The helpers policies call, as `(select private.fn())` so they run once per statement.
-- They read the verified JWT claims the app sets per transaction (ARCHITECTURE §3); a
-- person's role and school therefore come from their token, which lives 15 minutes.

create function private.current_tenant_id()
  returns uuid
  language sql
  stable
  set search_path = ''
as $$
  select nullif(auth.jwt() -> 'app_metadata' ->> 'tenant_id', '')::uuid
$$;
comment on function private.current_tenant_id() is
  'The school of the signed-in person (JWT app_metadata.tenant_id), or null.';
revoke execute on function private.current_tenant_id() from public, anon, authenticated;
grant execute on function private.current_tenant_id() to authenticated, service_role;

create function private.current_user_role()
  returns public.person_role
  language sql
  stable
  set search_path = ''
as $$
  select nullif(auth.jwt() -> 'app_metadata' ->> 'user_role', '')::public.person_role
$$;
comment on function private.current_user_role() is
  'The role of the signed-in person in their school (JWT app_metadata.user_role), or null.';
revoke execute on function private.current_user_role() from public, anon, authenticated;
grant execute on function private.current_user_role() to authenticated, service_role;

-- Security definer: it reads guardian_links past that table's own policies (no recursion).
create function private.guardian_student_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select gl.student_id
  from public.guardian_links gl
  where gl.parent_id = auth.uid()
    and gl.tenant_id = private.current_tenant_id()
$$;
comment on function private.guardian_student_ids() is
  'Ids of the students the signed-in person is linked to as a parent (empty for others).';
revoke execute on function private.guardian_student_ids() from public, anon, authenticated;
grant execute on function private.guardian_student_ids() to authenticated, service_role;

alter table public.tenants enable row level security;
alter table public.people enable row level security;
alter table private.passwords enable row level security; -- and no policy: owner only
alter table public.guardian_links enable row level security;

create policy "People can read their own school"
  on public.tenants for select to authenticated
  using (id = (select private.current_tenant_id()));

create policy "Admins can update their own school"
  on public.tenants for update to authenticated
  using (id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin')
  with check (id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "People can read themselves, their children, staff their school"
  on public.people for select to authenticated
  using (
    id = (select auth.uid())
    or (
      tenant_id = (select private.current_tenant_id())
      and (
        (select private.current_user_role()) in ('admin', 'teacher')
        or id in (select private.guardian_student_ids())
      )
    )
  );

create policy "Admins can add people to their school"
  on public.people for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Admins can update people in their school"
  on public.people for update to authenticated
  using (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin')
  with check (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Staff can read school links, parents and students their own"
  on public.guardian_links for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and (
      (select private.current_user_role()) in ('admin', 'teacher')
      or parent_id = (select auth.uid())
      or student_id = (select auth.uid())
    )
  );

create policy "Admins can link parents to students in their school"
  on public.guardian_links for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Admins can remove guardian links in their school"
  on public.guardian_links for delete to authenticated
  using (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

-------------------------------------------------------------------------------
-- Triggers (numbered to fix their order: _010 guards, _020 normalising, _100 timestamps,
-- _200-_300 rules, _500 audit in the next migration)
-------------------------------------------------------------------------------

create function private.tg__protect_tenant_id()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_column text := coalesce(tg_argv[0], 'tenant_id');
begin
  if pg_catalog.to_jsonb(new) -> v_column is distinct from pg_catalog.to_jsonb(old) -> v_column then
    if tg_table_name = 'tenants' then
      raise exception 'A school''s id cannot be changed'
        using errcode = '42501', detail = pg_catalog.format('Table %I.%I', tg_table_schema, tg_table_name);
    end if;
    raise exception 'A record cannot be moved to another school'
      using errcode = '42501', detail = pg_catalog.format('Column %I of %I.%I is fixed', v_column, tg_table_schema, tg_table_name);
  end if;
  return new;
end
$$;
comment on function private.tg__protect_tenant_id() is
  'BEFORE UPDATE: refuses (42501) any change of the column named by the first trigger '
  'argument (default tenant_id) — for every role, the owner and service_role included.';
revoke execute on function private.tg__protect_tenant_id() from public, anon, authenticated;

create function private.tg__timestamps()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  new.created_at := case when tg_op = 'INSERT' then now() else old.created_at end;
  -- strictly increasing even when two updates share one transaction timestamp
  new.updated_at := case
    when tg_op = 'UPDATE' and old.updated_at >= now() then old.updated_at + interval '1 millisecond'
    else now()
  end;
  return new;
end
$$;
comment on function private.tg__timestamps() is
  'BEFORE INSERT OR UPDATE: keeps created_at (set once) and updated_at (every change).';
revoke execute on function private.tg__timestamps() from public, anon, authenticated;

create function private.tg_tenants__set_user_limit()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.user_limit := coalesce(new.user_limit, private.plan_user_limit(new.plan));
  elsif new.plan is distinct from old.plan and new.user_limit is not distinct from old.user_limit then
    new.user_limit := private.plan_user_limit(new.plan);
  end if;
  return new;
end
$$;
comment on function private.tg_tenants__set_user_limit() is
  'BEFORE INSERT OR UPDATE OF plan: gives a school its plan''s default user limit when none '
  'is given, and the new plan''s default when the plan changes without an explicit limit.';
revoke execute on function private.tg_tenants__set_user_limit() from public, anon, authenticated;

create function private.tg_people__normalize()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  new.email := nullif(lower(btrim(new.email)), '');
  new.phone := nullif(btrim(new.phone), '');
  new.full_name := btrim(new.full_name);
  return new;
end
$$;
comment on function private.tg_people__normalize() is
  'BEFORE INSERT OR UPDATE: trims names, lowercases emails, turns blank email/phone into null.';
revoke execute on function private.tg_people__normalize() from public, anon, authenticated;

-- Security definer: it must lock and read the school row and count every person of the
-- school whatever the caller may see.
create function private.tg_people__enforce_user_limit()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_limit integer;
  v_count bigint;
begin
  if new.status = 'disabled' or (tg_op = 'UPDATE' and old.status <> 'disabled') then
    return new; -- the number of people who count does not grow
  end if;
  -- The row lock serialises every addition to this school, so the count below is exact:
  -- under READ COMMITTED (the app's level) the count runs after the lock is granted and
  -- sees every addition committed before it.
  select t.user_limit into v_limit
  from public.tenants t
  where t.id = new.tenant_id
  for update;
  if v_limit is null then
    return new; -- no limit, or no such school (the foreign key reports that)
  end if;
  select count(*) into v_count
  from public.people p
  where p.tenant_id = new.tenant_id
    and p.status <> 'disabled'
    and p.id <> new.id;
  if v_count >= v_limit then
    raise exception 'This school has reached its plan limit of % people', v_limit
      using errcode = 'EL403',
            hint = 'Disable people who have left, or move the school to a larger plan.';
  end if;
  return new;
end
$$;
comment on function private.tg_people__enforce_user_limit() is
  'BEFORE INSERT OR UPDATE OF status: refuses (EL403) a person who would take the school past '
  'its user limit. Disabled people do not count. Exact under concurrency (locks the school row).';
revoke execute on function private.tg_people__enforce_user_limit() from public, anon, authenticated;

-- Security definer: reads guardian links whatever the caller may see.
create function private.tg_people__keep_guardian_roles()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if new.role <> 'parent' and exists (
    select from public.guardian_links gl where gl.tenant_id = new.tenant_id and gl.parent_id = new.id
  ) then
    raise exception 'This person is linked to students as a parent; remove those links before changing their role'
      using errcode = 'EL409';
  end if;
  if new.role <> 'student' and exists (
    select from public.guardian_links gl where gl.tenant_id = new.tenant_id and gl.student_id = new.id
  ) then
    raise exception 'This person is linked to parents as a student; remove those links before changing their role'
      using errcode = 'EL409';
  end if;
  return new;
end
$$;
comment on function private.tg_people__keep_guardian_roles() is
  'BEFORE UPDATE OF role: refuses (EL409) a role change that would leave a guardian link '
  'between people who are no longer a parent and a student.';
revoke execute on function private.tg_people__keep_guardian_roles() from public, anon, authenticated;

-- Security definer: looks the two people up whatever the caller may see.
create function private.tg_guardian_links__check_roles()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_role public.person_role;
begin
  -- A person missing from the link's school is left to the composite foreign key (23503).
  select p.role into v_role from public.people p where p.tenant_id = new.tenant_id and p.id = new.parent_id;
  if found and v_role <> 'parent' then
    raise exception 'Only a parent can be linked to a student; this person is a %', v_role
      using errcode = 'EL422', detail = 'parent_id';
  end if;
  select p.role into v_role from public.people p where p.tenant_id = new.tenant_id and p.id = new.student_id;
  if found and v_role <> 'student' then
    raise exception 'A parent can only be linked to a student; this person is a %', v_role
      using errcode = 'EL422', detail = 'student_id';
  end if;
  return new;
end
$$;
comment on function private.tg_guardian_links__check_roles() is
  'BEFORE INSERT OR UPDATE: refuses (EL422) a link whose parent is not a parent or whose '
  'student is not a student.';
revoke execute on function private.tg_guardian_links__check_roles() from public, anon, authenticated;

create trigger _010_protect_tenant_id before update on public.tenants
  for each row execute function private.tg__protect_tenant_id('id');
create trigger _100_timestamps before insert or update on public.tenants
  for each row execute function private.tg__timestamps();
create trigger _200_set_user_limit before insert or update of plan on public.tenants
  for each row execute function private.tg_tenants__set_user_limit();

create trigger _010_protect_tenant_id before update on public.people
  for each row execute function private.tg__protect_tenant_id();
create trigger _020_normalize before insert or update on public.people
  for each row execute function private.tg_people__normalize();
create trigger _100_timestamps before insert or update on public.people
  for each row execute function private.tg__timestamps();
create trigger _200_enforce_user_limit before insert or update of status on public.people
  for each row execute function private.tg_people__enforce_user_limit();
create trigger _300_keep_guardian_roles before update of role on public.people
  for each row execute function private.tg_people__keep_guardian_roles();

create trigger _010_protect_tenant_id before update on private.passwords
  for each row execute function private.tg__protect_tenant_id();
create trigger _100_timestamps before insert or update on private.passwords
  for each row execute function private.tg__timestamps();

create trigger _010_protect_tenant_id before update on public.guardian_links
  for each row execute function private.tg__protect_tenant_id();
create trigger _200_check_roles before insert or update on public.guardian_links
  for each row execute function private.tg_guardian_links__check_roles();

-------------------------------------------------------------------------------
-- Functions: none beyond the helpers above; sign-in and invitation functions come with the
-- auth migration.
-------------------------------------------------------------------------------
