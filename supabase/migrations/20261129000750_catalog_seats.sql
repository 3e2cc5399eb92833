-- 20261129000750_catalog_seats.sql — seats left on the catalog's cards and the course page, and a
-- catalog fast enough for 1000 courses a school (measured by `deno task bench:catalog`,
-- docs/benchmarks.md).
--
-- Rules this migration puts in the database (ARCHITECTURE §1):
--   * seats taken = the course's enrolments that are not withdrawn (enrolled or completed), the
--     count public.enroll() compares with the capacity under its lock; seats left = capacity -
--     taken, never below 0 (the teaching rules refuse a capacity under the enrolments; should one
--     appear anyway, the course shows as full). A student may not read other students'
--     enrolments, so the count comes from a security-definer helper, private.course_cards(),
--     which answers only for courses the caller may read (the courses policy, repeated) — with
--     the instructors' names, the other thing a card shows that the caller cannot read themself;
--   * public.catalog() stays security invoker (the courses policy decides what each person sees)
--     and keeps its parameters, errors and stable paging; it now returns seats_left too.
--
-- Speed (what the bench found, docs/benchmarks.md "bench:catalog"):
--   * the policy helpers (current_tenant_id(), current_user_role() and the id sets) are now
--     PL/pgSQL, which keeps their plans for the connection: as SQL functions with a `set`
--     clause they were planned again on every call, many times per catalog page;
--   * private.enrolled_course_ids() — inside the courses policy for every non-published row —
--     called auth.uid() once per enrolment of the school (a scan of all of them); it now looks
--     the caller's and their children's enrolments up through the (tenant_id, student_id,
--     status) index;
--   * the page is found by a query built for the filters and sort actually given (no
--     "v is null or …" terms, no CASE sort keys), so the planner can use the subject and grade
--     index and read the title, code or created order from an index instead of sorting the
--     school's courses; only the page's ids are carried, the rest of each row is read for those
--     ids only; instructors and seats come for the whole page in one call.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL400  "sort must be one of title, created, code", "order must be one of asc, desc",
--          "limit must be between 1 and 100", "offset must be 0 or more"            -> 400
--
-- Sections: indexes, functions (policy helpers first).
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Indexes
-------------------------------------------------------------------------------

-- The catalog's default order (title, case-insensitively, then title, then id), read in order;
-- with status and code included, the page, its total and a search are read from the index alone
-- (what the courses policy and the search look at), not from every course's row.
create index courses_tenant_id_lower_title_title_id_idx
  on public.courses (tenant_id, lower(title), title, id) include (status, code);
-- The subject filter (and subject + grade) as one index range, whatever the status.
create index courses_tenant_id_subject_grade_level_idx
  on public.courses (tenant_id, subject, grade_level);

-------------------------------------------------------------------------------
-- Functions: helpers
-------------------------------------------------------------------------------

-- The helpers every policy calls, in PL/pgSQL: same results as before
-- (20261129000100_tenancy.sql, …400_courses.sql, …500_enrollment.sql), but PL/pgSQL keeps their
-- plans for the connection where an SQL function with a `set` clause is planned again on every
-- call — most of what a student's catalog page cost the database (docs/benchmarks.md).
-- enrolled_course_ids() also stops calling auth.uid() once per enrolment of the school: the
-- caller's and their children's enrolments are one index range.

create or replace function private.current_tenant_id()
  returns uuid
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return nullif(auth.jwt() -> 'app_metadata' ->> 'tenant_id', '')::uuid;
end
$$;

create or replace function private.current_user_role()
  returns public.person_role
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return nullif(auth.jwt() -> 'app_metadata' ->> 'user_role', '')::public.person_role;
end
$$;

create or replace function private.guardian_student_ids()
  returns setof uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_person_id uuid := auth.uid();
begin
  return query
  select gl.student_id
  from public.guardian_links gl
  where gl.parent_id = v_person_id
    and gl.tenant_id = v_tenant_id;
end
$$;

create or replace function private.taught_course_ids()
  returns setof uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_person_id uuid := auth.uid();
begin
  return query
  select ci.course_id
  from public.course_instructors ci
  where ci.teacher_id = v_person_id
    and ci.tenant_id = v_tenant_id;
end
$$;

create or replace function private.enrolled_course_ids()
  returns setof uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  -- the signed-in student, or the children of the signed-in parent
  v_student_ids uuid[] := array(select auth.uid() union all select private.guardian_student_ids());
begin
  return query
  select e.course_id
  from public.enrollments e
  where e.tenant_id = v_tenant_id
    and e.student_id = any (v_student_ids)
    and e.status <> 'withdrawn';
end
$$;

create or replace function private.content_course_ids()
  returns setof uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
begin
  return query
  select private.taught_course_ids()
  union
  select private.enrolled_course_ids();
end
$$;

-- Security definer: reads instructors' names (people) and every enrolment of the courses past
-- RLS; the where clause repeats the courses policy, so it answers only for courses the caller may
-- read — nothing for another school's or an unseen draft's.
create function private.course_cards(p_course_ids uuid[])
  returns table (course_id uuid, instructors jsonb, seats_left integer)
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_admin boolean := private.current_user_role() is not distinct from 'admin';
begin
  return query
  with taught as (
    select ci.course_id,
           jsonb_agg(jsonb_build_object('id', p.id, 'name', p.full_name) order by p.full_name, p.id)
             as instructors
    from public.course_instructors ci
    join public.people p on p.tenant_id = ci.tenant_id and p.id = ci.teacher_id
    where ci.tenant_id = v_tenant_id and ci.course_id = any (p_course_ids)
    group by ci.course_id
  ),
  -- The seat rule of public.enroll(): every enrolment not withdrawn takes a seat.
  taken as (
    select e.course_id, count(*)::integer as seats
    from public.enrollments e
    where e.tenant_id = v_tenant_id and e.course_id = any (p_course_ids) and e.status <> 'withdrawn'
    group by e.course_id
  )
  select c.id,
         coalesce(t.instructors, '[]'::jsonb),
         -- never negative, even under a capacity below the enrolments
         greatest(c.capacity - coalesce(k.seats, 0), 0)
  from public.courses c
  left join taught t on t.course_id = c.id
  left join taken k on k.course_id = c.id
  where c.tenant_id = v_tenant_id
    and c.id = any (p_course_ids)
    and (c.status = 'published' or v_admin or c.id in (select private.content_course_ids()));
end
$$;
comment on function private.course_cards(uuid[]) is
  'For each of the given courses the signed-in person may read: its instructors [{ id, name }] '
  'ordered by name, and seats_left, its capacity less its enrolments not withdrawn (the count '
  'public.enroll() holds against the capacity), 0 when full. Courses they may not read are left '
  'out.';
revoke execute on function private.course_cards(uuid[]) from public, anon, authenticated;
grant execute on function private.course_cards(uuid[]) to authenticated, service_role;

-------------------------------------------------------------------------------
-- Functions: what clients call
-------------------------------------------------------------------------------

-- The result gains a column, which `create or replace` cannot do.
drop function public.catalog(text, text, text, text, text, integer, integer, boolean);

-- Security invoker: the courses policy decides which rows exist for the caller. The page query is
-- assembled from fixed fragments only (the sort and order are checked against their lists
-- first); every value goes in as a parameter.
create function public.catalog(
  p_subject text default null,
  p_grade text default null,
  p_q text default null,
  p_sort text default 'title',
  p_order text default 'asc',
  p_limit integer default 20,
  p_offset integer default 0,
  p_mine boolean default false
)
  returns table (
    id uuid,
    code text,
    title text,
    subject text,
    grade_level text,
    description text,
    capacity integer,
    seats_left integer,
    status public.course_status,
    created_at timestamptz,
    instructors jsonb,
    total bigint
  )
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_sort text := coalesce(p_sort, 'title');
  v_order text := coalesce(p_order, 'asc');
  v_subject text := nullif(btrim(p_subject), '');
  v_grade text := nullif(btrim(p_grade), '');
  v_q text := lower(nullif(btrim(p_q), ''));
  v_tenant_id uuid := private.current_tenant_id();
  v_keys text;
  v_ids uuid[];
  v_total bigint;
begin
  if v_sort not in ('title', 'created', 'code') then
    raise exception 'sort must be one of title, created, code' using errcode = 'EL400', detail = 'sort';
  end if;
  if v_order not in ('asc', 'desc') then
    raise exception 'order must be one of asc, desc' using errcode = 'EL400', detail = 'order';
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception 'limit must be between 1 and 100' using errcode = 'EL400', detail = 'limit';
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception 'offset must be 0 or more' using errcode = 'EL400', detail = 'offset';
  end if;

  -- Every order ends unique in a school (id; a code is unique already), so pages of one query
  -- neither repeat nor skip a course; each has an index to be read from in that order.
  v_keys := case v_sort
    when 'title' then format('lower(c.title) %1$s, c.title %1$s, c.id %1$s', v_order)
    when 'code' then format('c.code %1$s', v_order)
    else format('c.created_at %1$s, c.id %1$s', v_order)
  end;

  -- 1. The page's ids in order, and how many courses the whole query has.
  execute format(
    $q$
    select array_agg(pg.id order by pg.n), max(pg.total)
    from (
      select c.id, count(*) over () as total, row_number() over (order by %1$s) as n
      from public.courses c
      where c.tenant_id = $1 %2$s %3$s %4$s %5$s
      order by %1$s
      limit $5 offset $6
    ) pg
    $q$,
    v_keys,
    case when v_subject is not null then 'and c.subject = $2' else '' end,
    case when v_grade is not null then 'and c.grade_level = $3' else '' end,
    -- title or code contains the search, any case (position(): % and _ are plain characters)
    case when v_q is not null
      then 'and (position($4 in lower(c.title)) > 0 or position($4 in lower(c.code)) > 0)'
      else '' end,
    case when coalesce(p_mine, false) then 'and c.id in (select private.taught_course_ids())' else '' end
  )
  into v_ids, v_total
  using v_tenant_id, v_subject, v_grade, v_q, p_limit, p_offset;

  -- 2. Those courses (an index lookup by id), their instructors and seats, in the page's order.
  return query
  select c.id, c.code, c.title, c.subject, c.grade_level, c.description, c.capacity,
         x.seats_left, c.status, c.created_at,
         coalesce(x.instructors, '[]'::jsonb), v_total
  from public.courses c
  left join private.course_cards(v_ids) x on x.course_id = c.id
  where c.tenant_id = v_tenant_id and c.id = any (v_ids)
  order by array_position(v_ids, c.id);
end
$$;
comment on function public.catalog(text, text, text, text, text, integer, integer, boolean) is
  'One page of the courses the signed-in person may read (RLS decides), filtered by exact subject '
  'and grade, p_q anywhere in title or code (any case), p_mine = only courses they teach; sorted '
  'by title, created or code (p_sort) asc or desc (p_order), ties broken by id so paging is '
  'stable; p_limit 1..100 rows from p_offset. Each row carries instructors [{ id, name }], '
  'seats_left (capacity less the enrolments not withdrawn, 0 when full) and total (rows of the '
  'whole query). EL400 names a bad sort, order, limit or offset.';
revoke execute on function public.catalog(text, text, text, text, text, integer, integer, boolean)
  from public, anon, authenticated;
grant execute on function public.catalog(text, text, text, text, text, integer, integer, boolean)
  to authenticated;
