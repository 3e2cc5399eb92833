-- 20261129000950_lesson_module_move.sql — a lesson moves to another module of its course (the
-- lesson editor's "Move to module"), taking the last place there; the module it leaves is
-- numbered 1..n again. Its file, completions and views stay with it (they belong to the lesson).
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL404  the lesson is unknown, of another school, or not readable                     -> 404
--   EL400  no module given                                                                -> 400
--   EL422  the module is not one of the lesson's course                                   -> 422
--   EL403  readable, but not the caller's to change (the modules' update policy)          -> 403
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-- Security invoker, as public.move_lesson: RLS decides what the caller reads, and the module
-- rows they may lock FOR NO KEY UPDATE (the modules' update policy: the course's instructors and
-- the school's admins). Both modules are locked, in id order, so that a move and any append or
-- move in either module wait for each other and two crossing moves cannot deadlock.
create function public.move_lesson_to_module(p_lesson_id uuid, p_module_id uuid)
  returns integer
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_lesson public.lessons;
  v_locked integer;
  v_target integer;
begin
  select l.* into v_lesson
  from public.lessons l
  where l.id = p_lesson_id and l.tenant_id = (select private.current_tenant_id());
  if not found then
    raise exception 'Lesson not found.' using errcode = 'EL404';
  end if;
  if p_module_id is null then
    raise exception 'Choose a module.' using errcode = 'EL400', detail = 'module_id';
  end if;
  if not exists (
    select from public.modules m
    where m.tenant_id = v_lesson.tenant_id and m.course_id = v_lesson.course_id and m.id = p_module_id
  ) then
    raise exception 'Choose a module of this course.' using errcode = 'EL422', detail = 'module_id';
  end if;

  with locked as (
    select m.id from public.modules m
    where m.tenant_id = v_lesson.tenant_id and m.course_id = v_lesson.course_id
      and m.id in (v_lesson.module_id, p_module_id)
    order by m.id
    for no key update
  )
  select count(*)::integer into v_locked from locked;
  -- One row when the module is the lesson's own, else both.
  if v_locked < (case when p_module_id = v_lesson.module_id then 1 else 2 end) then
    raise exception 'Only the course''s instructors and the school''s admins can change it.' using errcode = 'EL403';
  end if;
  if p_module_id = v_lesson.module_id then
    return v_lesson.position;
  end if;

  select coalesce(max(l.position), 0) + 1 into v_target
  from public.lessons l
  where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id and l.module_id = p_module_id;
  update public.lessons l
  set module_id = p_module_id, position = v_target
  where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id and l.id = v_lesson.id;

  -- One statement: the deferrable position key is checked once, at its end.
  with ranked as (
    select l.id, row_number() over (order by l.position, l.id)::integer as position
    from public.lessons l
    where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id
      and l.module_id = v_lesson.module_id
  )
  update public.lessons l
  set position = r.position
  from ranked r
  where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id and l.id = r.id
    and l.position <> r.position;
  return v_target;
end
$$;
comment on function public.move_lesson_to_module(uuid, uuid) is
  'Moves a lesson to the end of another module of its course and numbers the module it left '
  '1..n; returns its new place (its place as it is, when the module is its own). For the course''s '
  'instructors and the school''s admins: EL404 Lesson not found. (unknown, other school, not '
  'readable), EL400 no module, EL422 a module of another course, EL403 readable but not theirs '
  'to change.';
revoke execute on function public.move_lesson_to_module(uuid, uuid) from public, anon, authenticated;
grant execute on function public.move_lesson_to_module(uuid, uuid) to authenticated;
