-- 20261129000650_content.sql — who may open a course's lessons (LMS-2), as one answer for the
-- content API and the lesson page.
--
-- The modules' and lessons' select policies already decide what a person reads; what they cannot
-- say is why a row is missing. public.content_course_id() tells the two apart, by the same rules
-- as those policies and the courses' select policy:
--   * a course, module or lesson the caller cannot see at all — unknown, another school's, or a
--     draft they neither teach nor administer — is EL404, the same answer for each;
--   * a course they can see in the catalog but whose lessons are not theirs to open (a student
--     not enrolled, a parent whose children are not, a teacher who does not teach it) is EL403;
--   * otherwise the course's id, so the caller then reads its modules and lessons under RLS.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL400  not exactly one of course, module or lesson given                      -> 400
--   EL403  "Only students enrolled in this course, …" (see above)                 -> 403
--   EL404  "Course not found." / "Module not found." / "Lesson not found."        -> 404
--
-- Sections: functions (no types, tables, indexes or policies of its own).
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Functions
-------------------------------------------------------------------------------

-- Security definer: finds the course of a module or lesson the caller's policies would hide,
-- so that a hidden-but-visible-course answer can be 403 rather than 404.
create function public.content_course_id(
  p_course_id uuid default null,
  p_module_id uuid default null,
  p_lesson_id uuid default null
)
  returns uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_role public.person_role := private.current_user_role();
  v_course_id uuid;
  v_status public.course_status;
  v_not_found text;
begin
  if num_nonnulls(p_course_id, p_module_id, p_lesson_id) <> 1 then
    raise exception 'Name exactly one course, module or lesson.' using errcode = 'EL400';
  end if;
  if p_module_id is not null then
    v_not_found := 'Module not found.';
    select m.course_id into v_course_id
    from public.modules m where m.tenant_id = v_tenant_id and m.id = p_module_id;
  elsif p_lesson_id is not null then
    v_not_found := 'Lesson not found.';
    select l.course_id into v_course_id
    from public.lessons l where l.tenant_id = v_tenant_id and l.id = p_lesson_id;
  else
    v_not_found := 'Course not found.';
    v_course_id := p_course_id;
  end if;

  select c.status into v_status
  from public.courses c where c.tenant_id = v_tenant_id and c.id = v_course_id;
  -- Visible as the courses' select policy has it: published, or the caller's as admin or learner.
  if v_status is null or not (
    v_status = 'published' or v_role = 'admin' or v_course_id in (select private.content_course_ids())
  ) then
    raise exception '%', v_not_found using errcode = 'EL404';
  end if;
  -- Readable as the modules' and lessons' select policies have it.
  if not (v_role = 'admin' or v_course_id in (select private.content_course_ids())) then
    raise exception 'Only students enrolled in this course, their parents, its instructors and the '
      'school''s admins can open its lessons.' using errcode = 'EL403';
  end if;
  return v_course_id;
end
$$;
comment on function public.content_course_id(uuid, uuid, uuid) is
  'The id of the course whose content the signed-in person opens, given exactly one of the '
  'course, one of its modules or one of its lessons. EL404 (Course/Module/Lesson not found.) for '
  'anything unknown, of another school or a draft they may not see; EL403 when they may see the '
  'course but not its lessons (not enrolled, not their child''s, not their course to teach).';
revoke execute on function public.content_course_id(uuid, uuid, uuid) from public, anon, authenticated;
grant execute on function public.content_course_id(uuid, uuid, uuid) to authenticated;
