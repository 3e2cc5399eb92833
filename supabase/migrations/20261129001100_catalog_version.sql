-- 20261129001100_catalog_version.sql — what lets the app keep catalog pages in memory and still
-- never show a stale one: a version per school that changes, in the same transaction, with
-- anything a catalog page shows or depends on; and the caller's "audience", which says who else
-- sees exactly the same catalog (docs/decisions.md, "The catalog cache").
--
--   * private.catalog_versions — one row per school, its version a number that only grows
--     (private.catalog_version_seq, so a school deleted and made again never repeats one);
--   * deferred constraint triggers bump it at commit, once per school and transaction, for a
--     course, an instructor, an enrolment taking or giving back a seat, an instructor's name, a
--     guardian link (what a parent may see of their children's draft courses);
--   * public.catalog_version() — the caller's school's version, read in the caller's snapshot;
--   * public.catalog_audience(p_mine) — a key shared by every caller whose catalog is the same.
--
-- The app reads the version in every request and answers from memory only a page built at that
-- very version, by a caller of the same audience: the rules stay here, the app only compares.
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

create sequence private.catalog_version_seq;

create table private.catalog_versions (
  tenant_id uuid primary key references public.tenants (id) on delete cascade,
  version bigint not null
);
comment on table private.catalog_versions is
  'The catalog version of each school: changes in the transaction that changes anything the '
  'catalog shows (courses, instructors and their names, seats) or who sees a draft (instructors, '
  'enrolments, guardian links). No row yet means version 0. Read through public.catalog_version().';
-- No policies: only the security-definer functions below read or write it.
alter table private.catalog_versions enable row level security;

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

-- Deferred to commit, where the school's row is locked only for the commit itself: taken early,
-- the lock would queue every other writer of the school's catalog (each enrolment) behind the
-- rest of this transaction. Once per school and transaction (a transaction-local setting lists
-- the schools done): updating the same row for each of thousands of rows a seed inserts would
-- lengthen its chain of row versions with every one.
create function private.bump_catalog_version()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end;
  v_done text := coalesce(current_setting('elymica.catalog_versions_bumped', true), '');
begin
  if position(v_tenant_id::text in v_done) > 0 then
    return null;
  end if;
  insert into private.catalog_versions as v (tenant_id, version)
  values (v_tenant_id, nextval('private.catalog_version_seq'))
  on conflict (tenant_id) do update set version = nextval('private.catalog_version_seq');
  perform set_config('elymica.catalog_versions_bumped', v_done || v_tenant_id::text || ' ', true);
  return null;
end
$$;
comment on function private.bump_catalog_version() is
  'Trigger: gives the changed row''s school a new catalog version, once per transaction.';
revoke execute on function private.bump_catalog_version() from public, anon, authenticated;

-- Everything on a card (code, title, subject, grade, description, capacity, status, created_at).
create constraint trigger courses_bump_catalog_version
  after insert or update or delete on public.courses
  deferrable initially deferred
  for each row execute function private.bump_catalog_version();

-- A card's instructors; the drafts a teacher sees.
create constraint trigger course_instructors_bump_catalog_version
  after insert or update or delete on public.course_instructors
  deferrable initially deferred
  for each row execute function private.bump_catalog_version();

-- Seats left (every enrolment not withdrawn takes one); the drafts a student or parent sees.
-- Progress and completion leave both alone.
create constraint trigger enrollments_insert_delete_bump_catalog_version
  after insert or delete on public.enrollments
  deferrable initially deferred
  for each row execute function private.bump_catalog_version();
create constraint trigger enrollments_update_bump_catalog_version
  after update on public.enrollments
  deferrable initially deferred
  for each row
  when ((old.status = 'withdrawn') is distinct from (new.status = 'withdrawn')
        or old.course_id is distinct from new.course_id
        or old.student_id is distinct from new.student_id
        or old.tenant_id is distinct from new.tenant_id)
  execute function private.bump_catalog_version();

-- An instructor's name on the cards.
create constraint trigger people_bump_catalog_version
  after update on public.people
  deferrable initially deferred
  for each row
  when (old.full_name is distinct from new.full_name or old.tenant_id is distinct from new.tenant_id)
  execute function private.bump_catalog_version();

-- The children whose draft courses a parent sees.
create constraint trigger guardian_links_bump_catalog_version
  after insert or update or delete on public.guardian_links
  deferrable initially deferred
  for each row execute function private.bump_catalog_version();

-------------------------------------------------------------------------------
-- Functions: what clients call
-------------------------------------------------------------------------------

-- Security definer: reads the private table, for the caller's own school only.
create function public.catalog_version()
  returns bigint
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select coalesce(
    (select v.version from private.catalog_versions v
     where v.tenant_id = private.current_tenant_id()),
    0)
$$;
comment on function public.catalog_version() is
  'The catalog version of the signed-in person''s school (0 before its first change): while it '
  'stays the same, so does every catalog page of the school, for every caller.';
revoke execute on function public.catalog_version() from public, anon, authenticated;
grant execute on function public.catalog_version() to authenticated, service_role;

-- Security invoker: the courses policy decides what the caller sees, and this only tells which
-- shape that takes. PL/pgSQL, so its statement's plan is kept for the connection. Every member of a school sees its published courses (the policy's first
-- branch); an admin sees all of them; anyone else who sees a course that is not published (one
-- they teach, or they or a child are enrolled in) sees a catalog of their own, as does anyone
-- asking for the courses they teach.
create function public.catalog_audience(p_mine boolean default false)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_role public.person_role := private.current_user_role();
begin
  if v_role = 'admin' and not coalesce(p_mine, false) then
    return 'admin';
  end if;
  -- Only the courses a person teaches or learns in can be drafts they see: a look at those few,
  -- by id, not at every course of the school.
  if coalesce(p_mine, false)
     or exists (select from public.courses c
                where c.id = any (array(select private.content_course_ids()))
                  and c.status <> 'published') then
    return 'person:' || auth.uid()::text || ':' || coalesce(v_role::text, '');
  end if;
  return 'published';
end
$$;
comment on function public.catalog_audience(boolean) is
  'Who sees the same catalog as the signed-in person: ''published'' (the school''s published '
  'courses, as most people), ''admin'' (all of the school''s courses) or ''person:<id>:<role>'' '
  '(a catalog of their own: they see a draft, or ask for the courses they teach). Callers of one '
  'school with the same audience get the same answer from public.catalog().';
revoke execute on function public.catalog_audience(boolean) from public, anon, authenticated;
grant execute on function public.catalog_audience(boolean) to authenticated, service_role;
