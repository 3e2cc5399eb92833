-- 20261129000900_course_instructors.sql — admins assign and remove a course's instructors (the
-- course editor's "Instructors" section), and a published course always has one:
--
--   * an instructor must be an active teacher of the course's school: besides the role (as
--     before), a disabled account is refused;
--   * removing a published course's last instructor is refused (EL409), as removing its last
--     lesson is: add another teacher first, or unpublish. When the course itself or the teacher's
--     person row is being deleted, the row goes with it;
--   * publishing a course needs an instructor as well as a lesson (EL422): an admin's new course
--     starts with none.
--
-- Who may add or remove instructors is unchanged: the school's admins (the policies of
-- 20261129000400_courses.sql); instructors and everyone else get 42501.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL422  an instructor who is not an active teacher; publishing without an instructor -> 422
--   EL409  removing the last instructor of a published course                          -> 409
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Functions: triggers
-------------------------------------------------------------------------------

-- Security definer, as before: looks the person up whatever the caller may see.
create or replace function private.tg_course_instructors__check_teacher()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_role public.person_role;
  v_status public.person_status;
begin
  -- A person missing from the course's school is left to the composite foreign key (23503).
  select p.role, p.status into v_role, v_status
  from public.people p
  where p.tenant_id = new.tenant_id and p.id = new.teacher_id;
  if found and v_role <> 'teacher' then
    raise exception 'Only a teacher can teach a course; this person is a %', v_role
      using errcode = 'EL422', detail = 'teacher_id';
  end if;
  if found and v_status = 'disabled' then
    raise exception 'This teacher''s account is disabled; enable it before they can teach a course.'
      using errcode = 'EL422', detail = 'teacher_id';
  end if;
  return new;
end
$$;
comment on function private.tg_course_instructors__check_teacher() is
  'BEFORE INSERT OR UPDATE: refuses (EL422) an instructor who is not a teacher, or whose account '
  'is disabled.';

-- Security definer: looks at the course and its remaining instructors whatever the caller may see.
create function private.tg_course_instructors__keep_published_course_taught()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  -- A course or a person being deleted is already gone here, so the row may go with it.
  if exists (
    select from public.courses c
    where c.tenant_id = old.tenant_id and c.id = old.course_id and c.status = 'published'
  ) and exists (
    select from public.people p where p.tenant_id = old.tenant_id and p.id = old.teacher_id
  ) and not exists (
    select from public.course_instructors ci
    where ci.tenant_id = old.tenant_id and ci.course_id = old.course_id
  ) then
    raise exception 'A published course needs at least one instructor: add another teacher first, or unpublish the course.'
      using errcode = 'EL409';
  end if;
  return null;
end
$$;
comment on function private.tg_course_instructors__keep_published_course_taught() is
  'AFTER DELETE: refuses (EL409) removing the last instructor of a published course, unless the '
  'course or the teacher is being deleted.';
revoke execute on function private.tg_course_instructors__keep_published_course_taught() from public, anon, authenticated;

-- Same as 20261129000700_teaching.sql, and publishing also needs an instructor.
create or replace function private.tg_courses__check_capacity_and_publishing()
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
  if new.status = 'published' and old.status <> 'published' then
    if not exists (
      select from public.lessons l where l.tenant_id = new.tenant_id and l.course_id = new.id
    ) then
      raise exception 'Add at least one lesson before publishing.' using errcode = 'EL422', detail = 'status';
    end if;
    if not exists (
      select from public.course_instructors ci where ci.tenant_id = new.tenant_id and ci.course_id = new.id
    ) then
      raise exception 'Assign a teacher to this course before publishing it.'
        using errcode = 'EL422', detail = 'status';
    end if;
  end if;
  return new;
end
$$;
comment on function private.tg_courses__check_capacity_and_publishing() is
  'BEFORE UPDATE: refuses (EL422) a capacity below the students enrolled (not withdrawn), and '
  'publishing a course without lessons or without an instructor.';

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

create trigger _300_keep_published_course_taught after delete on public.course_instructors
  for each row execute function private.tg_course_instructors__keep_published_course_taught();
