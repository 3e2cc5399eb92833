-- 20261129000850_catalog_speed.sql — the catalog's database work per call cut by about half at
-- 1000 courses a school (measured by `deno task bench:catalog`, docs/benchmarks.md). Same
-- results, errors and grants; only how they are computed changes.
--
--   * private.content_course_ids() — the policy helper courses, modules and lessons consult for
--     every row that is not published — is one query instead of three nested security-definer
--     calls (taught_course_ids, enrolled_course_ids, guardian_student_ids), each of which paid
--     for its own search_path switch and claims lookup;
--   * public.catalog() reads the page's ids straight from the index (LIMIT/OFFSET, no window
--     functions) and counts the whole query separately: the window functions it used kept every
--     row of the school's catalog in memory to number and count them, twice the cost of reading
--     the page and counting. When the first page is not full, its length is the total and the
--     count is skipped. Both statements run in this stable function, so they see one snapshot;
--   * the created and code orders are read from indexes that also carry what the courses policy
--     looks at (status, id), so a page of them is read in order from the index alone; before,
--     the school's courses were fetched and sorted for every page;
--   * private.course_cards() returns the whole card and looks each card's instructors and seats
--     up by the course (index lookups for the page's courses) instead of joining the whole
--     school's people; the catalog reads the page's courses there only, not once more through
--     RLS beside it.
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Indexes
-------------------------------------------------------------------------------

-- The created order (newest first by default in the catalog's menus) and the code order, each
-- with status (and id) included: the courses policy reads them for every row the page passes.
create index courses_tenant_id_created_at_id_status_idx
  on public.courses (tenant_id, created_at, id) include (status);
drop index public.courses_tenant_id_created_at_id_idx;
create index courses_tenant_id_code_status_idx
  on public.courses (tenant_id, code) include (status, id);

-------------------------------------------------------------------------------
-- Functions: helpers
-------------------------------------------------------------------------------

-- Same set as before (20261129000500_enrollment.sql): the courses the signed-in person teaches,
-- and those they or their children are enrolled in (not withdrawn).
create or replace function private.content_course_ids()
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
  where ci.tenant_id = v_tenant_id and ci.teacher_id = v_person_id
  union
  select e.course_id
  from public.enrollments e
  where e.tenant_id = v_tenant_id
    -- the signed-in student, or the children of the signed-in parent: one index range each
    and e.student_id = any (array(
      select v_person_id
      union all
      select gl.student_id
      from public.guardian_links gl
      where gl.tenant_id = v_tenant_id and gl.parent_id = v_person_id))
    and e.status <> 'withdrawn';
end
$$;

-- The result gains the card's own columns, which `create or replace` cannot do.
drop function private.course_cards(uuid[]);

-- Security definer, as before (20261129000750_catalog_seats.sql): reads instructors' names and
-- every enrolment of the given courses past RLS, for the courses the caller may read only. Now
-- the whole card, so the catalog reads the page's courses once, here, instead of once more
-- through RLS beside it.
create function private.course_cards(p_course_ids uuid[])
  returns table (
    course_id uuid,
    code text,
    title text,
    subject text,
    grade_level text,
    description text,
    capacity integer,
    seats_left integer,
    status public.course_status,
    created_at timestamptz,
    instructors jsonb
  )
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
  select c.id, c.code, c.title, c.subject, c.grade_level, c.description, c.capacity,
         -- the seat rule of public.enroll(): every enrolment not withdrawn takes a seat; never
         -- negative, even under a capacity below the enrolments
         greatest(c.capacity - (select count(*)::integer
                                from public.enrollments e
                                where e.tenant_id = c.tenant_id and e.course_id = c.id
                                  and e.status <> 'withdrawn'), 0),
         c.status, c.created_at,
         coalesce(
           (select jsonb_agg(jsonb_build_object('id', p.id, 'name', p.full_name)
                             order by p.full_name, p.id)
            from public.course_instructors ci
            join public.people p on p.tenant_id = ci.tenant_id and p.id = ci.teacher_id
            where ci.tenant_id = c.tenant_id and ci.course_id = c.id),
           '[]'::jsonb)
  from public.courses c
  -- the courses policy, repeated: nothing for another school's course or an unseen draft
  where c.tenant_id = v_tenant_id
    and c.id = any (p_course_ids)
    and (c.status = 'published' or v_admin or c.id in (select private.content_course_ids()));
end
$$;
comment on function private.course_cards(uuid[]) is
  'The catalog card of each of the given courses the signed-in person may read: the course''s '
  'columns, its instructors [{ id, name }] ordered by name, and seats_left, its capacity less its '
  'enrolments not withdrawn (the count public.enroll() holds against the capacity), 0 when full. '
  'Courses they may not read are left out.';
revoke execute on function private.course_cards(uuid[]) from public, anon, authenticated;
grant execute on function private.course_cards(uuid[]) to authenticated, service_role;

-------------------------------------------------------------------------------
-- Functions: what clients call
-------------------------------------------------------------------------------

-- Security invoker, as before: the courses policy decides which rows exist for the caller. The
-- queries are assembled from fixed fragments only; every value goes in as a parameter.
create or replace function public.catalog(
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
  v_filters text;
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

  -- 1. The page's ids in order, and how many courses the whole query has. Every order ends
  -- unique in a school (id; a code is unique already), so pages of one query neither repeat nor
  -- skip a course; each has an index to be read from in that order. The two shapes most asked
  -- for — the whole catalog, and a subject (with or without a grade) — are static statements,
  -- whose plans PL/pgSQL keeps for the connection; any other is built for the filters given and
  -- planned on every call, which costs about as much as running it.
  if v_subject is null and v_grade is null and v_q is null and not coalesce(p_mine, false) then
    -- The whole catalog, read in order from the index of that order.
    if v_sort = 'title' and v_order = 'asc' then
      v_ids := array(select c.id from public.courses c where c.tenant_id = v_tenant_id
                     order by lower(c.title), c.title, c.id limit p_limit offset p_offset);
    elsif v_sort = 'title' then
      v_ids := array(select c.id from public.courses c where c.tenant_id = v_tenant_id
                     order by lower(c.title) desc, c.title desc, c.id desc
                     limit p_limit offset p_offset);
    elsif v_sort = 'code' and v_order = 'asc' then
      v_ids := array(select c.id from public.courses c where c.tenant_id = v_tenant_id
                     order by c.code limit p_limit offset p_offset);
    elsif v_sort = 'code' then
      v_ids := array(select c.id from public.courses c where c.tenant_id = v_tenant_id
                     order by c.code desc limit p_limit offset p_offset);
    elsif v_order = 'asc' then
      v_ids := array(select c.id from public.courses c where c.tenant_id = v_tenant_id
                     order by c.created_at, c.id limit p_limit offset p_offset);
    else
      v_ids := array(select c.id from public.courses c where c.tenant_id = v_tenant_id
                     order by c.created_at desc, c.id desc limit p_limit offset p_offset);
    end if;
    if p_offset = 0 and cardinality(v_ids) < p_limit then
      v_total := cardinality(v_ids);
    else
      select count(*) into v_total from public.courses c where c.tenant_id = v_tenant_id;
    end if;

  elsif v_subject is not null and v_q is null and not coalesce(p_mine, false) then
    -- A subject's courses (an index range, a few dozen), sorted by keys that are null except
    -- for the sort and order asked for: the same orders as above.
    v_ids := array(
      select c.id from public.courses c
      where c.tenant_id = v_tenant_id and c.subject = v_subject
        and (v_grade is null or c.grade_level = v_grade)
      order by
        case when v_order = 'asc' then
          case v_sort when 'title' then lower(c.title) when 'code' then c.code end end,
        case when v_order = 'desc' then
          case v_sort when 'title' then lower(c.title) when 'code' then c.code end end desc,
        case when v_order = 'asc' and v_sort = 'title' then c.title end,
        case when v_order = 'desc' and v_sort = 'title' then c.title end desc,
        case when v_order = 'asc' and v_sort = 'created' then c.created_at end,
        case when v_order = 'desc' and v_sort = 'created' then c.created_at end desc,
        case when v_order = 'asc' then c.id end,
        case when v_order = 'desc' then c.id end desc
      limit p_limit offset p_offset);
    if p_offset = 0 and cardinality(v_ids) < p_limit then
      v_total := cardinality(v_ids);
    else
      select count(*) into v_total from public.courses c
      where c.tenant_id = v_tenant_id and c.subject = v_subject
        and (v_grade is null or c.grade_level = v_grade);
    end if;

  else
    -- Any other filters: built from fixed fragments, every value a parameter; the same orders.
    v_keys := case v_sort
      when 'title' then format('lower(c.title) %1$s, c.title %1$s, c.id %1$s', v_order)
      when 'code' then format('c.code %1$s', v_order)
      else format('c.created_at %1$s, c.id %1$s', v_order)
    end;
    v_filters := concat_ws(' ',
      case when v_subject is not null then 'and c.subject = $2' end,
      case when v_grade is not null then 'and c.grade_level = $3' end,
      case when v_q is not null
        then 'and (position($4 in lower(c.title)) > 0 or position($4 in lower(c.code)) > 0)' end,
      case when coalesce(p_mine, false) then 'and c.id in (select private.taught_course_ids())' end);
    execute format(
      'select array(select c.id from public.courses c where c.tenant_id = $1 %s '
      'order by %s limit $5 offset $6)',
      v_filters, v_keys)
    into v_ids
    using v_tenant_id, v_subject, v_grade, v_q, p_limit, p_offset;
    if p_offset = 0 and cardinality(v_ids) < p_limit then
      v_total := cardinality(v_ids);
    else
      execute format('select count(*) from public.courses c where c.tenant_id = $1 %s', v_filters)
      into v_total
      using v_tenant_id, v_subject, v_grade, v_q;
    end if;
  end if;

  -- 2. Those courses' cards (an index lookup by id), in the page's order.
  return query
  select x.course_id, x.code, x.title, x.subject, x.grade_level, x.description, x.capacity,
         x.seats_left, x.status, x.created_at, x.instructors, v_total
  from private.course_cards(v_ids) x
  order by array_position(v_ids, x.course_id);
end
$$;
