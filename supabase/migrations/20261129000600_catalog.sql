-- 20261129000600_catalog.sql — the course catalog (LMS-1): browsing a school's courses page by
-- page with filters, search and sorting, and a course's outline.
--
-- Rules this migration puts in the database (ARCHITECTURE §1):
--   * public.catalog() is security invoker: the courses policy decides what each person sees
--     (students and parents: their school's published courses; teachers also the courses they
--     teach; admins every course of their school). Another school's courses never appear;
--   * paging is stable: every sort ends with the course id (unique), so pages of the same query
--     neither repeat nor skip a course, whatever titles, codes or dates tie;
--   * instructor names come from a small security-definer helper (students cannot read teachers'
--     people rows); it answers only for a course the caller could read, mirroring the policy;
--   * public.course_outline() gives a course's modules with their lesson counts to anyone who may
--     read the course — the syllabus a student looks at before enrolling. Lesson rows themselves
--     (bodies, files) stay readable only by admins, instructors and enrolled learners.
--
-- Search: p_q matches title or code anywhere, case-insensitively (position() in lower(...), so
-- % and _ in a search are plain characters). See 20261129000400_courses.sql for the index choice.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL400  "sort must be one of title, created, code", "order must be one of asc, desc",
--          "limit must be between 1 and 100", "offset must be 0 or more"            -> 400
--
-- Sections: functions (helpers first).
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Functions: helpers
-------------------------------------------------------------------------------

-- Security definer: reads courses, instructors and teachers' names past RLS; the where clause
-- repeats the courses policy so it answers only for courses the caller may read.
create function private.course_instructor_list(p_course_id uuid)
  returns jsonb
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select coalesce(
    jsonb_agg(jsonb_build_object('id', p.id, 'name', p.full_name) order by p.full_name, p.id),
    '[]'::jsonb
  )
  from public.courses c
  join public.course_instructors ci on ci.tenant_id = c.tenant_id and ci.course_id = c.id
  join public.people p on p.tenant_id = ci.tenant_id and p.id = ci.teacher_id
  where c.id = p_course_id
    and c.tenant_id = private.current_tenant_id()
    and (
      c.status = 'published'
      or private.current_user_role() = 'admin'
      or c.id in (select private.content_course_ids())
    )
$$;
comment on function private.course_instructor_list(uuid) is
  'The instructors of a course the signed-in person may read, as [{ id, name }] ordered by name; '
  '[] for a course they may not read.';
revoke execute on function private.course_instructor_list(uuid) from public, anon, authenticated;
grant execute on function private.course_instructor_list(uuid) to authenticated, service_role;

-------------------------------------------------------------------------------
-- Functions: what clients call
-------------------------------------------------------------------------------

-- Security invoker: the courses policy decides which rows exist for the caller.
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
  v_asc boolean;
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
  v_asc := v_order = 'asc';

  return query
  with filtered as (
    select c.id, c.code, c.title, c.subject, c.grade_level, c.description, c.capacity, c.status,
           c.created_at
    from public.courses c
    where c.tenant_id = (select private.current_tenant_id())
      and (v_subject is null or c.subject = v_subject)
      and (v_grade is null or c.grade_level = v_grade)
      and (v_q is null or position(v_q in lower(c.title)) > 0 or position(v_q in lower(c.code)) > 0)
      and (not coalesce(p_mine, false) or c.id in (select private.taught_course_ids()))
  ),
  ranked as (
    select f.*,
           count(*) over () as total,
           row_number() over (
             order by
               case when v_sort = 'title' and v_asc then lower(f.title) end asc,
               case when v_sort = 'title' and not v_asc then lower(f.title) end desc,
               case when v_sort = 'title' and v_asc then f.title end asc,
               case when v_sort = 'title' and not v_asc then f.title end desc,
               case when v_sort = 'code' and v_asc then f.code end asc,
               case when v_sort = 'code' and not v_asc then f.code end desc,
               case when v_sort = 'created' and v_asc then f.created_at end asc,
               case when v_sort = 'created' and not v_asc then f.created_at end desc,
               case when v_asc then f.id end asc,
               case when not v_asc then f.id end desc
           ) as rn
    from filtered f
  ),
  page as (
    select r.* from ranked r order by r.rn limit p_limit offset p_offset
  )
  select pg.id, pg.code, pg.title, pg.subject, pg.grade_level, pg.description, pg.capacity,
         pg.status, pg.created_at, private.course_instructor_list(pg.id), pg.total
  from page pg
  order by pg.rn;
end
$$;
comment on function public.catalog(text, text, text, text, text, integer, integer, boolean) is
  'One page of the courses the signed-in person may read (RLS decides), filtered by exact subject '
  'and grade, p_q anywhere in title or code (any case), p_mine = only courses they teach; sorted '
  'by title, created or code (p_sort) asc or desc (p_order), ties broken by id so paging is '
  'stable; p_limit 1..100 rows from p_offset. Each row carries instructors [{ id, name }] and '
  'total (rows of the whole query). EL400 names a bad sort, order, limit or offset.';
revoke execute on function public.catalog(text, text, text, text, text, integer, integer, boolean)
  from public, anon, authenticated;
grant execute on function public.catalog(text, text, text, text, text, integer, integer, boolean)
  to authenticated;

-- Security definer: a student who is not enrolled cannot read modules or lessons; the outline
-- (titles and counts, no content) is shown to whoever may read the course, policy repeated here.
create function public.course_outline(p_course_id uuid)
  returns table (id uuid, title text, "position" integer, lessons integer)
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select m.id, m.title, m.position,
         (select count(*)::integer from public.lessons l
           where l.tenant_id = m.tenant_id and l.course_id = m.course_id and l.module_id = m.id)
  from public.courses c
  join public.modules m on m.tenant_id = c.tenant_id and m.course_id = c.id
  where c.id = p_course_id
    and c.tenant_id = private.current_tenant_id()
    and (
      c.status = 'published'
      or private.current_user_role() = 'admin'
      or c.id in (select private.content_course_ids())
    )
  order by m.position, m.id
$$;
comment on function public.course_outline(uuid) is
  'The modules of a course the signed-in person may read, in order, with how many lessons each '
  'has (titles and counts only, no lesson content); empty for a course they may not read.';
revoke execute on function public.course_outline(uuid) from public, anon, authenticated;
grant execute on function public.course_outline(uuid) to authenticated;
