-- 20261129000700_teaching.sql — teaching tools (issue 4, item 6): teachers create courses and
-- become their instructors, instructors set prerequisites, modules and lessons are appended and
-- reordered without tripping their unique positions, publishing needs a lesson, and capacity
-- never drops below the students already enrolled.
--
-- Rules this migration puts in the database (ARCHITECTURE §1):
--   * "who may change a course" is one helper, private.editable_course_ids(): the school's admins
--     every course of their school, teachers the courses they teach. The write policies on
--     courses, prerequisites, modules and lessons are rewritten to call it (same rule as
--     20261129000400_courses.sql, now in one place);
--   * public.create_course(): an active teacher or admin creates a draft course in their own
--     school; a teacher becomes its instructor in the same transaction. A direct insert (admins
--     only, as before) must be a draft, so every course is published through the check below;
--   * instructors (not only admins) add and remove their course's prerequisites, chosen among the
--     courses of the school they may read (not another teacher's hidden draft); no cycles (the
--     existing trigger, EL422);
--   * modules and lessons inserted without a position go to the end (BEFORE INSERT trigger under
--     a lock on the course or module row, so two appends at once never collide);
--     public.move_module() and public.move_lesson() move one to a place and renumber the rest
--     1..n in one statement (the position keys are checked at the end of the statement);
--   * publishing (draft -> published) needs at least one lesson (EL422), and the last lesson of a
--     published course cannot be removed (EL409) — a published course is never empty, so a
--     student can always complete it (and so meet the prerequisites it stands for);
--   * capacity cannot be set below the students already enrolled (EL422): checked under the row
--     lock the UPDATE holds, the same lock public.enroll() counts seats under.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL400  "position must be 1 or more"                                           -> 400
--   EL401  "Sign in to create a course."                                          -> 401
--   EL403  "Only teachers and admins can create courses.", "Only the course's instructors and
--          the school's admins can change it."                                    -> 403
--   EL404  "Module not found.", "Lesson not found." (unknown, other school, not visible)  -> 404
--   EL409  "A published course needs at least one lesson…"                        -> 409
--   EL422  "Add at least one lesson before publishing." (detail status), "<n> students are
--          enrolled…" (detail capacity)                                          -> 422
--
-- Sections: RLS and policies (helper first), triggers, functions.
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- RLS and policies
-------------------------------------------------------------------------------

-- Security definer: reads every course of the school past the courses policy (no recursion).
create function private.editable_course_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select c.id
  from public.courses c
  where c.tenant_id = private.current_tenant_id()
    and (private.current_user_role() = 'admin' or c.id in (select private.taught_course_ids()))
$$;
comment on function private.editable_course_ids() is
  'Ids of the courses the signed-in person may change (details, prerequisites, modules, lessons, '
  'publishing): every course of the school for an admin, the courses they teach for a teacher.';
revoke execute on function private.editable_course_ids() from public, anon, authenticated;
grant execute on function private.editable_course_ids() to authenticated, service_role;

-- Courses: direct inserts stay an admin's, as drafts; updates go through the helper.
drop policy "Admins can create courses in their school" on public.courses;
create policy "Admins can create draft courses in their school"
  on public.courses for insert to authenticated
  with check (
    tenant_id = (select private.current_tenant_id())
    and (select private.current_user_role()) = 'admin'
    and status = 'draft'
  );

drop policy "Admins and instructors can update a course" on public.courses;
create policy "Admins and instructors can update a course"
  on public.courses for update to authenticated
  using (tenant_id = (select private.current_tenant_id()) and id in (select private.editable_course_ids()))
  with check (tenant_id = (select private.current_tenant_id()) and id in (select private.editable_course_ids()));

-- Prerequisites: the course's instructors too; the required course must be one the caller may read.
drop policy "Admins can add prerequisites in their school" on public.course_prerequisites;
create policy "Admins and instructors can add prerequisites to their courses"
  on public.course_prerequisites for insert to authenticated
  with check (
    tenant_id = (select private.current_tenant_id())
    and course_id in (select private.editable_course_ids())
    and prerequisite_id in (select c.id from public.courses c)
  );

drop policy "Admins can remove prerequisites in their school" on public.course_prerequisites;
create policy "Admins and instructors can remove prerequisites of their courses"
  on public.course_prerequisites for delete to authenticated
  using (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

drop policy "Admins and instructors can add modules" on public.modules;
create policy "Admins and instructors can add modules"
  on public.modules for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

drop policy "Admins and instructors can update modules" on public.modules;
create policy "Admins and instructors can update modules"
  on public.modules for update to authenticated
  using (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()))
  with check (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

drop policy "Admins and instructors can remove modules" on public.modules;
create policy "Admins and instructors can remove modules"
  on public.modules for delete to authenticated
  using (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

drop policy "Admins and instructors can add lessons" on public.lessons;
create policy "Admins and instructors can add lessons"
  on public.lessons for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

drop policy "Admins and instructors can update lessons" on public.lessons;
create policy "Admins and instructors can update lessons"
  on public.lessons for update to authenticated
  using (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()))
  with check (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

drop policy "Admins and instructors can remove lessons" on public.lessons;
create policy "Admins and instructors can remove lessons"
  on public.lessons for delete to authenticated
  using (tenant_id = (select private.current_tenant_id()) and course_id in (select private.editable_course_ids()));

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

-- Security definer: locks and reads the course's modules whatever the caller may see; the
-- insert policy still decides afterwards whether the row goes in.
create function private.tg_modules__append_position()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  if new.position is null then
    -- Two appends at once wait here for each other, so each sees the other's module.
    perform from public.courses c where c.tenant_id = new.tenant_id and c.id = new.course_id
      for no key update;
    select coalesce(max(m.position), 0) + 1 into new.position
    from public.modules m
    where m.tenant_id = new.tenant_id and m.course_id = new.course_id;
  end if;
  return new;
end
$$;
comment on function private.tg_modules__append_position() is
  'BEFORE INSERT: a module without a position goes after the course''s last one (course row locked).';
revoke execute on function private.tg_modules__append_position() from public, anon, authenticated;

-- Security definer: as above, for the lessons of one module.
create function private.tg_lessons__append_position()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  if new.position is null then
    perform from public.modules m
    where m.tenant_id = new.tenant_id and m.course_id = new.course_id and m.id = new.module_id
      for no key update;
    select coalesce(max(l.position), 0) + 1 into new.position
    from public.lessons l
    where l.tenant_id = new.tenant_id and l.course_id = new.course_id and l.module_id = new.module_id;
  end if;
  return new;
end
$$;
comment on function private.tg_lessons__append_position() is
  'BEFORE INSERT: a lesson without a position goes after the module''s last one (module row locked).';
revoke execute on function private.tg_lessons__append_position() from public, anon, authenticated;

-- Security definer: counts every enrolment and lesson of the course whatever the caller may see.
create function private.tg_courses__check_capacity_and_publishing()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_taken bigint;
begin
  -- The UPDATE holds this row's lock, the one public.enroll() counts seats under: the count
  -- is exact, and no enrolment can slip in between this check and the commit.
  if new.capacity < old.capacity then
    select count(*) into v_taken
    from public.enrollments e
    where e.tenant_id = new.tenant_id and e.course_id = new.id and e.status <> 'withdrawn';
    if v_taken > new.capacity then
      raise exception '% enrolled in this course; the capacity cannot be lower than that.',
        case when v_taken = 1 then '1 student is' else v_taken || ' students are' end
        using errcode = 'EL422', detail = 'capacity';
    end if;
  end if;
  if new.status = 'published' and old.status <> 'published' and not exists (
    select from public.lessons l where l.tenant_id = new.tenant_id and l.course_id = new.id
  ) then
    raise exception 'Add at least one lesson before publishing.' using errcode = 'EL422', detail = 'status';
  end if;
  return new;
end
$$;
comment on function private.tg_courses__check_capacity_and_publishing() is
  'BEFORE UPDATE: refuses (EL422) a capacity below the students enrolled (not withdrawn) and '
  'publishing a course without lessons.';
revoke execute on function private.tg_courses__check_capacity_and_publishing() from public, anon, authenticated;

-- Security definer: looks at the course and its remaining lessons whatever the caller may see.
create function private.tg_lessons__keep_published_course_taught()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  -- A course being deleted is already gone here, so its lessons may go with it.
  if exists (
    select from public.courses c
    where c.tenant_id = old.tenant_id and c.id = old.course_id and c.status = 'published'
  ) and not exists (
    select from public.lessons l where l.tenant_id = old.tenant_id and l.course_id = old.course_id
  ) then
    raise exception 'A published course needs at least one lesson: add another lesson first, or unpublish the course.'
      using errcode = 'EL409';
  end if;
  return null;
end
$$;
comment on function private.tg_lessons__keep_published_course_taught() is
  'AFTER DELETE: refuses (EL409) removing the last lesson of a published course (directly or with '
  'its module).';
revoke execute on function private.tg_lessons__keep_published_course_taught() from public, anon, authenticated;

create trigger _150_append_position before insert on public.modules
  for each row execute function private.tg_modules__append_position();
create trigger _150_append_position before insert on public.lessons
  for each row execute function private.tg_lessons__append_position();
create trigger _200_check_capacity_and_publishing before update of capacity, status on public.courses
  for each row execute function private.tg_courses__check_capacity_and_publishing();
create trigger _300_keep_published_course_taught after delete on public.lessons
  for each row execute function private.tg_lessons__keep_published_course_taught();

-------------------------------------------------------------------------------
-- Functions: what clients call
-------------------------------------------------------------------------------

-- Security definer: a teacher may not insert courses nor instructors themselves; this inserts
-- both for them, in their own school, after checking who they are.
create function public.create_course(
  p_code text,
  p_title text,
  p_subject text,
  p_grade_level text,
  p_description text default '',
  p_capacity integer default 30
)
  returns uuid
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_role public.person_role;
  v_course_id uuid;
begin
  -- The token says who; the table must still agree (an active person of that school and role).
  select p.role into v_role
  from public.people p
  where p.tenant_id = v_tenant_id and p.id = auth.uid() and p.status = 'active'
    and p.role = private.current_user_role();
  if v_role is null then
    raise exception 'Sign in to create a course.' using errcode = 'EL401';
  end if;
  if v_role not in ('teacher', 'admin') then
    raise exception 'Only teachers and admins can create courses.' using errcode = 'EL403';
  end if;

  insert into public.courses (tenant_id, code, title, subject, grade_level, description, capacity, status)
  values (v_tenant_id, p_code, p_title, p_subject, p_grade_level, coalesce(p_description, ''),
          coalesce(p_capacity, 30), 'draft')
  returning id into v_course_id;

  if v_role = 'teacher' then
    insert into public.course_instructors (tenant_id, course_id, teacher_id)
    values (v_tenant_id, v_course_id, auth.uid());
  end if;
  return v_course_id;
end
$$;
comment on function public.create_course(text, text, text, text, text, integer) is
  'Creates a draft course in the signed-in teacher''s or admin''s school and returns its id; a '
  'teacher becomes its instructor. The courses table''s checks apply (23514 code, title, subject, '
  'grade, capacity; 23505 a code the school already uses). EL401 not signed in or not active; '
  'EL403 students and parents.';
revoke execute on function public.create_course(text, text, text, text, text, integer) from public, anon, authenticated;
grant execute on function public.create_course(text, text, text, text, text, integer) to authenticated;

-- Security invoker: RLS decides — the module must be readable (else EL404) and the course row
-- lockable FOR NO KEY UPDATE, which the courses update policy allows only to those who may change
-- the course (else EL403). The lock also serialises moves and appends within the course.
create function public.move_module(p_module_id uuid, p_position integer)
  returns integer
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_module public.modules;
  v_count integer;
  v_target integer;
begin
  select m.* into v_module
  from public.modules m
  where m.id = p_module_id and m.tenant_id = (select private.current_tenant_id());
  if not found then
    raise exception 'Module not found.' using errcode = 'EL404';
  end if;
  if p_position is null or p_position < 1 then
    raise exception 'position must be 1 or more' using errcode = 'EL400', detail = 'position';
  end if;
  perform from public.courses c
  where c.tenant_id = v_module.tenant_id and c.id = v_module.course_id
  for no key update;
  if not found then
    raise exception 'Only the course''s instructors and the school''s admins can change it.' using errcode = 'EL403';
  end if;

  select count(*)::integer into v_count
  from public.modules m where m.tenant_id = v_module.tenant_id and m.course_id = v_module.course_id;
  v_target := least(p_position, v_count);

  -- One statement: the deferrable position key is checked once, at its end.
  with others as (
    select m.id, row_number() over (order by m.position, m.id)::integer as rank
    from public.modules m
    where m.tenant_id = v_module.tenant_id and m.course_id = v_module.course_id and m.id <> v_module.id
  ),
  wanted as (
    select o.id, case when o.rank >= v_target then o.rank + 1 else o.rank end as position from others o
    union all
    select v_module.id, v_target
  )
  update public.modules m
  set position = w.position
  from wanted w
  where m.tenant_id = v_module.tenant_id and m.course_id = v_module.course_id and m.id = w.id
    and m.position <> w.position;
  return v_target;
end
$$;
comment on function public.move_module(uuid, integer) is
  'Moves a module to a place in its course (1 = first; past the end = last) and numbers the '
  'modules 1..n; returns the place it took. For the course''s instructors and the school''s '
  'admins: EL404 Module not found. (unknown, other school, not readable), EL403 readable but not '
  'theirs to change, EL400 position below 1.';
revoke execute on function public.move_module(uuid, integer) from public, anon, authenticated;
grant execute on function public.move_module(uuid, integer) to authenticated;

-- Security invoker, as move_module, with the module row as the lock.
create function public.move_lesson(p_lesson_id uuid, p_position integer)
  returns integer
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_lesson public.lessons;
  v_count integer;
  v_target integer;
begin
  select l.* into v_lesson
  from public.lessons l
  where l.id = p_lesson_id and l.tenant_id = (select private.current_tenant_id());
  if not found then
    raise exception 'Lesson not found.' using errcode = 'EL404';
  end if;
  if p_position is null or p_position < 1 then
    raise exception 'position must be 1 or more' using errcode = 'EL400', detail = 'position';
  end if;
  perform from public.modules m
  where m.tenant_id = v_lesson.tenant_id and m.course_id = v_lesson.course_id and m.id = v_lesson.module_id
  for no key update;
  if not found then
    raise exception 'Only the course''s instructors and the school''s admins can change it.' using errcode = 'EL403';
  end if;

  select count(*)::integer into v_count
  from public.lessons l
  where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id and l.module_id = v_lesson.module_id;
  v_target := least(p_position, v_count);

  with others as (
    select l.id, row_number() over (order by l.position, l.id)::integer as rank
    from public.lessons l
    where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id
      and l.module_id = v_lesson.module_id and l.id <> v_lesson.id
  ),
  wanted as (
    select o.id, case when o.rank >= v_target then o.rank + 1 else o.rank end as position from others o
    union all
    select v_lesson.id, v_target
  )
  update public.lessons l
  set position = w.position
  from wanted w
  where l.tenant_id = v_lesson.tenant_id and l.course_id = v_lesson.course_id and l.id = w.id
    and l.position <> w.position;
  return v_target;
end
$$;
comment on function public.move_lesson(uuid, integer) is
  'Moves a lesson to a place in its module (1 = first; past the end = last) and numbers the '
  'module''s lessons 1..n; returns the place it took. For the course''s instructors and the '
  'school''s admins: EL404 Lesson not found. (unknown, other school, not readable), EL403 readable '
  'but not theirs to change, EL400 position below 1.';
revoke execute on function public.move_lesson(uuid, integer) from public, anon, authenticated;
grant execute on function public.move_lesson(uuid, integer) to authenticated;
