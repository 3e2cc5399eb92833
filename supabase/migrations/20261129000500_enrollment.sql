-- 20261129000500_enrollment.sql — enrolments (ENR-1), the class roster (ENR-2), lesson
-- completion and views (LMS-2), and progress.
--
-- Rules this migration puts in the database (ARCHITECTURE §1):
--   * enrolments are made only by public.enroll() (no insert grant): a student enrols
--     themself, a parent only their linked children, an admin any student of the school, a
--     teacher nobody; only published courses of the caller's school — an unknown course and a
--     course of another school get the same EL404;
--   * enrolling is idempotent: a student already enrolled (or completed) gets the same
--     enrolment back with created = false;
--   * prerequisites: every prerequisite course needs a COMPLETED enrolment of the student. An
--     enrolment becomes completed when the student completes the course's last lesson
--     (public.complete_lesson), so "completed every lesson" and "completed enrolment" are the
--     same fact, kept in one place — the enrolment's status;
--   * the seat limit is exact under concurrency: enroll() locks the course row (FOR UPDATE)
--     before counting its seats (enrolments not withdrawn), so concurrent enrolments into one
--     course are serialised and the count each sees includes every one committed before it;
--   * a confirmation goes through the notification outbox to the student and each of their
--     guardians (email when the person has one, otherwise SMS);
--   * enrolled students and their parents read the course's modules and lessons
--     (private.content_course_ids() is replaced below to include their courses);
--   * the roster (students with their guardians' contacts) is for the course's instructors and
--     the school's admins only.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL401  no signed-in person                                                   -> 401
--   EL403  not allowed: a teacher enrolling, a parent enrolling a child not theirs, a
--          student enrolling someone else, a roster for a non-instructor, a lesson
--          completed by someone not enrolled                                     -> 403
--   EL404  "Course not found." (unknown, other school's, or draft for enrol),
--          "Lesson not found.", "Student not found."                              -> 404
--   EL409  "This course is full."                                                -> 409
--   EL422  "Complete <Title> first." (missing prerequisites, detail: their codes as
--          JSON), "Choose the student to enrol." (admin or parent without one)  -> 422
--
-- Sections: types, tables, indexes, grants, RLS and policies (helpers first), triggers, functions.
-- Needs 20261129000400_courses.sql and private.enqueue_notification() (…250_notifications.sql).
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Types
-------------------------------------------------------------------------------

create type public.enrollment_status as enum ('enrolled', 'completed', 'withdrawn');
comment on type public.enrollment_status is
  'enrolled: taking the course; completed: finished every lesson; withdrawn: left (frees the seat).';

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

create table public.enrollments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  course_id uuid not null,
  student_id uuid not null,
  status public.enrollment_status not null default 'enrolled',
  enrolled_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint enrollments_course_fkey foreign key (tenant_id, course_id)
    references public.courses (tenant_id, id) on delete cascade,
  constraint enrollments_student_fkey foreign key (tenant_id, student_id)
    references public.people (tenant_id, id) on delete cascade,
  constraint enrollments_enrolled_by_fkey foreign key (tenant_id, enrolled_by)
    references public.people (tenant_id, id) on delete cascade,
  constraint enrollments_tenant_id_id_key unique (tenant_id, id),
  -- one enrolment per student and course (course ids are unique, so this is (course_id, student_id))
  constraint enrollments_tenant_id_course_id_student_id_key unique (tenant_id, course_id, student_id)
);
comment on table public.enrollments is
  'A student in a course, made by public.enroll() only: by the student, a parent of theirs or an '
  'admin (enrolled_by). Not withdrawn enrolments take a seat of the course''s capacity.';
comment on column public.enrollments.enrolled_by is 'The person who enrolled the student: the student, a parent or an admin.';
comment on column public.enrollments.created_at is 'When the student was enrolled.';

-------------------------------------------------------------------------------
-- Indexes (keys above cover (tenant_id, id) and (tenant_id, course_id[, student_id]))
-------------------------------------------------------------------------------

create index enrollments_tenant_id_student_id_status_idx on public.enrollments (tenant_id, student_id, status);
create index enrollments_tenant_id_enrolled_by_idx on public.enrollments (tenant_id, enrolled_by);

-------------------------------------------------------------------------------
-- Grants: read only; public.enroll() is the only way in.
-------------------------------------------------------------------------------

revoke all on table public.enrollments from public, anon, authenticated, service_role;
grant select on table public.enrollments to authenticated;
grant select, insert, update, delete on table public.enrollments to service_role;

-------------------------------------------------------------------------------
-- RLS and policies
-------------------------------------------------------------------------------

-- Security definer: reads enrollments past its own policy (no recursion).
create function private.enrolled_course_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select e.course_id
  from public.enrollments e
  where e.tenant_id = private.current_tenant_id()
    and e.status <> 'withdrawn'
    and (e.student_id = auth.uid() or e.student_id in (select private.guardian_student_ids()))
$$;
comment on function private.enrolled_course_ids() is
  'Ids of the courses the signed-in student, or a child of the signed-in parent, is enrolled in '
  '(enrolled or completed, not withdrawn).';
revoke execute on function private.enrolled_course_ids() from public, anon, authenticated;
grant execute on function private.enrolled_course_ids() to authenticated, service_role;

-- Replaces the courses migration's version (teachers only): the course, module and lesson
-- policies call it by name.
create or replace function private.content_course_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select private.taught_course_ids()
  union
  select private.enrolled_course_ids()
$$;
comment on function private.content_course_ids() is
  'Ids of the courses whose modules and lessons the signed-in person may read besides an admin''s: '
  'the courses they teach, they are enrolled in, or a child of theirs is enrolled in.';

alter table public.enrollments enable row level security;

create policy "Students, their parents, instructors and admins can read enrolments"
  on public.enrollments for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and (
      student_id = (select auth.uid())
      or student_id in (select private.guardian_student_ids())
      or (select private.current_user_role()) = 'admin'
      or course_id in (select private.taught_course_ids())
    )
  );

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

create trigger _010_protect_tenant_id before update on public.enrollments
  for each row execute function private.tg__protect_tenant_id();
create trigger _020_protect_student_id before update on public.enrollments
  for each row execute function private.tg__protect_tenant_id('student_id');
create trigger _030_protect_course_id before update on public.enrollments
  for each row execute function private.tg__protect_tenant_id('course_id');
create trigger _100_timestamps before insert or update on public.enrollments
  for each row execute function private.tg__timestamps();
create trigger _500_audit after insert or update or delete on public.enrollments
  for each row execute function audit.tg__log_change('tenant_id', 'id');

-------------------------------------------------------------------------------
-- Functions: helpers
-------------------------------------------------------------------------------

create function private.notify_person(
  p_tenant_id uuid,
  p_person_id uuid,
  p_subject text,
  p_email_body text,
  p_sms_body text
)
  returns text
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_email text;
  v_phone text;
begin
  select p.email, p.phone into v_email, v_phone
  from public.people p
  where p.tenant_id = p_tenant_id and p.id = p_person_id and p.status <> 'disabled';
  if v_email is not null then
    perform private.enqueue_notification(p_tenant_id, 'email', v_email, p_subject, p_email_body);
    return 'email';
  elsif v_phone is not null then
    perform private.enqueue_notification(p_tenant_id, 'sms', v_phone, p_subject, p_sms_body);
    return 'sms';
  end if;
  return null; -- disabled or unknown: nothing sent
end
$$;
comment on function private.notify_person(uuid, uuid, text, text, text) is
  'Queues a message to a person of the school: by email when they have one, else by SMS. '
  'Returns the channel used, or null when the person is disabled or unknown.';
revoke execute on function private.notify_person(uuid, uuid, text, text, text) from public, anon, authenticated;

-------------------------------------------------------------------------------
-- Functions: what clients call
-------------------------------------------------------------------------------

-- Security definer: reads people, guardian links and every enrolment of the course past RLS,
-- locks the course row and inserts the enrolment (no role holds an insert grant).
create function public.enroll(p_course_id uuid, p_student_id uuid default null)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_caller_id uuid := auth.uid();
  v_caller_role public.person_role;
  v_student_id uuid := p_student_id;
  v_course public.courses;
  v_existing public.enrollments;
  v_missing text;
  v_missing_codes jsonb;
  v_taken bigint;
  v_enrollment_id uuid;
  v_student_name text;
  v_school text;
  v_guardian_id uuid;
begin
  -- The token says who; the table must still agree (an active person of that school and role).
  select p.role into v_caller_role
  from public.people p
  where p.tenant_id = v_tenant_id and p.id = v_caller_id and p.status = 'active'
    and p.role = private.current_user_role();
  if v_caller_role is null then
    raise exception 'Sign in to enrol.' using errcode = 'EL401';
  end if;
  if v_caller_role = 'teacher' then
    raise exception 'Teachers cannot enrol students.' using errcode = 'EL403';
  end if;

  -- Unknown, another school's and draft courses are all the same "not found".
  select c.* into v_course
  from public.courses c
  where c.id = p_course_id and c.tenant_id = v_tenant_id and c.status = 'published';
  if not found then
    raise exception 'Course not found.' using errcode = 'EL404';
  end if;

  -- Who is being enrolled, and may the caller do it?
  if v_caller_role = 'student' then
    if v_student_id is not null and v_student_id <> v_caller_id then
      raise exception 'You can enrol only yourself.' using errcode = 'EL403';
    end if;
    v_student_id := v_caller_id;
  elsif v_student_id is null then
    raise exception 'Choose the student to enrol.' using errcode = 'EL422';
  elsif v_caller_role = 'parent' then
    if not exists (
      select from public.guardian_links gl
      where gl.tenant_id = v_tenant_id and gl.parent_id = v_caller_id and gl.student_id = v_student_id
    ) then
      raise exception 'You can enrol only your own children.' using errcode = 'EL403';
    end if;
  end if;
  select p.full_name into v_student_name
  from public.people p
  where p.tenant_id = v_tenant_id and p.id = v_student_id and p.role = 'student' and p.status <> 'disabled';
  if not found then
    raise exception 'Student not found.' using errcode = 'EL404';
  end if;

  -- Every enrolment into this course waits here for the ones before it: the seat count below
  -- is then exact, and a student enrolled by two requests at once is enrolled once.
  perform from public.courses c where c.id = v_course.id for update;

  select e.* into v_existing
  from public.enrollments e
  where e.tenant_id = v_tenant_id and e.course_id = v_course.id and e.student_id = v_student_id;
  if found and v_existing.status <> 'withdrawn' then
    return jsonb_build_object(
      'ok', true,
      'enrollment_id', v_existing.id,
      'created', false,
      'course', jsonb_build_object('id', v_course.id, 'code', v_course.code, 'title', v_course.title)
    );
  end if;

  select string_agg(pre.title, ', ' order by pre.title, pre.id),
         jsonb_agg(pre.code order by pre.title, pre.id)
    into v_missing, v_missing_codes
  from public.course_prerequisites cp
  join public.courses pre on pre.tenant_id = cp.tenant_id and pre.id = cp.prerequisite_id
  where cp.tenant_id = v_tenant_id and cp.course_id = v_course.id
    and not exists (
      select from public.enrollments e
      where e.tenant_id = v_tenant_id and e.course_id = cp.prerequisite_id
        and e.student_id = v_student_id and e.status = 'completed'
    );
  if v_missing is not null then
    raise exception 'Complete % first.', v_missing
      using errcode = 'EL422', detail = v_missing_codes::text;
  end if;

  select count(*) into v_taken
  from public.enrollments e
  where e.tenant_id = v_tenant_id and e.course_id = v_course.id and e.status <> 'withdrawn';
  if v_taken >= v_course.capacity then
    raise exception 'This course is full.' using errcode = 'EL409';
  end if;

  if v_existing.id is not null then
    -- coming back after withdrawing: the same enrolment, enrolled again
    update public.enrollments e
    set status = 'enrolled', enrolled_by = v_caller_id
    where e.id = v_existing.id
    returning e.id into v_enrollment_id;
  else
    insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
    values (v_tenant_id, v_course.id, v_student_id, 'enrolled', v_caller_id)
    returning id into v_enrollment_id;
  end if;

  -- Confirmation to the student and each of their guardians.
  select t.name into v_school from public.tenants t where t.id = v_tenant_id;
  perform private.notify_person(
    v_tenant_id, v_student_id,
    format('Enrolled in %s', v_course.title),
    format(E'Hello %s,\n\nYou are enrolled in %s (%s) at %s.\n\nOpen Elymica to start learning.',
           v_student_name, v_course.title, v_course.code, v_school),
    format('%s: you are enrolled in %s (%s).', v_school, v_course.title, v_course.code)
  );
  for v_guardian_id in
    select gl.parent_id from public.guardian_links gl
    where gl.tenant_id = v_tenant_id and gl.student_id = v_student_id
    order by gl.parent_id
  loop
    perform private.notify_person(
      v_tenant_id, v_guardian_id,
      format('%s is enrolled in %s', v_student_name, v_course.title),
      format(E'Hello,\n\n%s is enrolled in %s (%s) at %s.\n\nYou can follow their progress in Elymica.',
             v_student_name, v_course.title, v_course.code, v_school),
      format('%s: %s is enrolled in %s (%s).', v_school, v_student_name, v_course.title, v_course.code)
    );
  end loop;

  return jsonb_build_object(
    'ok', true,
    'enrollment_id', v_enrollment_id,
    'created', true,
    'course', jsonb_build_object('id', v_course.id, 'code', v_course.code, 'title', v_course.title)
  );
end
$$;
comment on function public.enroll(uuid, uuid) is
  'Enrols a student in a published course of the caller''s school and returns { ok: true, '
  'enrollment_id, created, course: { id, code, title } }. A student enrols themself (p_student_id '
  'null or their own id), a parent their linked children, an admin any student of the school. '
  'Idempotent: an existing enrolment is returned with created false. Every prerequisite needs a '
  'completed enrolment. Seat limit exact under concurrency (course row locked). Confirmation '
  'queued to the student and their guardians; audited by the enrollments trigger. Errors: EL401, '
  'EL403 (teacher, other''s child, other student), EL404 Course not found. (unknown, other school, '
  'draft) / Student not found., EL422 Complete <Title> first. / Choose the student to enrol., '
  'EL409 This course is full.';
revoke execute on function public.enroll(uuid, uuid) from public, anon, authenticated;
grant execute on function public.enroll(uuid, uuid) to authenticated;

-- Security invoker: RLS already limits enrolments, lessons and completions to the caller's own
-- and their children's; the where clause drops what staff could otherwise see.
create function public.my_enrollments()
  returns table (
    enrollment_id uuid,
    student_id uuid,
    student_name text,
    course_id uuid,
    course_code text,
    course_title text,
    status public.enrollment_status,
    enrolled_at timestamptz,
    lessons_total integer,
    lessons_completed integer,
    progress_percent integer
  )
  language sql
  stable
  set search_path = ''
as $$
  select e.id, e.student_id, p.full_name, c.id, c.code, c.title, e.status, e.created_at,
         coalesce(l.total, 0), coalesce(lc.done, 0),
         case when coalesce(l.total, 0) = 0 then 0 else (coalesce(lc.done, 0) * 100 / l.total) end
  from public.enrollments e
  join public.courses c on c.tenant_id = e.tenant_id and c.id = e.course_id
  join public.people p on p.tenant_id = e.tenant_id and p.id = e.student_id
  left join lateral (
    select count(*)::integer as total
    from public.lessons ls
    where ls.tenant_id = e.tenant_id and ls.course_id = e.course_id
  ) l on true
  left join lateral (
    select count(*)::integer as done
    from public.lesson_completions x
    join public.lessons ls on ls.tenant_id = x.tenant_id and ls.course_id = x.course_id and ls.id = x.lesson_id
    where x.tenant_id = e.tenant_id and x.course_id = e.course_id and x.student_id = e.student_id
  ) lc on true
  where e.tenant_id = (select private.current_tenant_id())
    and (e.student_id = (select auth.uid()) or e.student_id in (select private.guardian_student_ids()))
  order by p.full_name, p.id, e.created_at, e.id
$$;
comment on function public.my_enrollments() is
  'The signed-in student''s enrolments, or for a parent each child''s (student_id, student_name), '
  'with the course''s code and title, status, lessons_total, lessons_completed and '
  'progress_percent (completed * 100 / total, rounded down; 0 when the course has no lessons). '
  'Empty for staff. Ordered by student name, then enrolment date.';
revoke execute on function public.my_enrollments() from public, anon, authenticated;
grant execute on function public.my_enrollments() to authenticated;

-- Security definer: checks instructor/admin explicitly and reads students' guardians' contacts.
create function public.course_roster(p_course_id uuid)
  returns table (
    student_id uuid,
    full_name text,
    email text,
    guardians jsonb
  )
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
begin
  if not exists (select from public.courses c where c.tenant_id = v_tenant_id and c.id = p_course_id) then
    raise exception 'Course not found.' using errcode = 'EL404';
  end if;
  if not exists (
    select from public.people p
    where p.tenant_id = v_tenant_id and p.id = auth.uid() and p.status = 'active'
      and p.role = private.current_user_role()
      and (
        p.role = 'admin'
        or (p.role = 'teacher' and exists (
          select from public.course_instructors ci
          where ci.tenant_id = v_tenant_id and ci.course_id = p_course_id and ci.teacher_id = p.id
        ))
      )
  ) then
    raise exception 'Only the course''s instructors and the school''s admins can see its roster.'
      using errcode = 'EL403';
  end if;
  return query
    select s.id, s.full_name, s.email,
           coalesce((
             select jsonb_agg(
                      jsonb_build_object('name', g.full_name, 'phone', g.phone, 'email', g.email)
                      order by g.full_name, g.id)
             from public.guardian_links gl
             join public.people g on g.tenant_id = gl.tenant_id and g.id = gl.parent_id
             where gl.tenant_id = v_tenant_id and gl.student_id = s.id
           ), '[]'::jsonb)
    from public.enrollments e
    join public.people s on s.tenant_id = e.tenant_id and s.id = e.student_id
    where e.tenant_id = v_tenant_id and e.course_id = p_course_id and e.status <> 'withdrawn'
    order by s.full_name, s.id;
end
$$;
comment on function public.course_roster(uuid) is
  'The students of a course (enrolled or completed) with their guardians [{ name, phone, email }], '
  'by name. For the course''s instructors and the school''s admins only (EL403 for anyone else); '
  'EL404 Course not found. for an unknown course or another school''s.';
revoke execute on function public.course_roster(uuid) from public, anon, authenticated;
grant execute on function public.course_roster(uuid) to authenticated;

-- Security definer: writes lesson_completions (no insert grant) and the enrolment's status.
create function public.complete_lesson(p_lesson_id uuid)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_student_id uuid := auth.uid();
  v_lesson public.lessons;
  v_enrollment public.enrollments;
  v_created boolean;
  v_total integer;
  v_done integer;
begin
  select l.* into v_lesson from public.lessons l where l.tenant_id = v_tenant_id and l.id = p_lesson_id;
  if not found then
    raise exception 'Lesson not found.' using errcode = 'EL404';
  end if;
  select e.* into v_enrollment
  from public.enrollments e
  join public.people p on p.tenant_id = e.tenant_id and p.id = e.student_id
  where e.tenant_id = v_tenant_id and e.course_id = v_lesson.course_id and e.student_id = v_student_id
    and e.status <> 'withdrawn' and p.status = 'active' and private.current_user_role() = 'student'
  for update of e;
  if not found then
    raise exception 'Only students enrolled in this course can complete its lessons.' using errcode = 'EL403';
  end if;

  insert into public.lesson_completions (tenant_id, course_id, lesson_id, student_id)
  values (v_tenant_id, v_lesson.course_id, v_lesson.id, v_student_id)
  on conflict (tenant_id, student_id, lesson_id) do nothing;
  v_created := found;

  select count(*)::integer into v_total
  from public.lessons l where l.tenant_id = v_tenant_id and l.course_id = v_lesson.course_id;
  select count(*)::integer into v_done
  from public.lesson_completions x
  join public.lessons l on l.tenant_id = x.tenant_id and l.course_id = x.course_id and l.id = x.lesson_id
  where x.tenant_id = v_tenant_id and x.course_id = v_lesson.course_id and x.student_id = v_student_id;

  if v_done >= v_total and v_enrollment.status = 'enrolled' then
    update public.enrollments e set status = 'completed' where e.id = v_enrollment.id;
    v_enrollment.status := 'completed';
  end if;

  return jsonb_build_object(
    'ok', true,
    'lesson_id', v_lesson.id,
    'created', v_created,
    'lessons_total', v_total,
    'lessons_completed', v_done,
    'progress_percent', case when v_total = 0 then 0 else v_done * 100 / v_total end,
    'enrollment_status', v_enrollment.status
  );
end
$$;
comment on function public.complete_lesson(uuid) is
  'The signed-in student marks a lesson of a course they are enrolled in as completed '
  '(idempotent: created false the second time) and gets { ok, lesson_id, created, lessons_total, '
  'lessons_completed, progress_percent, enrollment_status }. Completing the last lesson makes the '
  'enrolment completed (which satisfies prerequisites). EL404 Lesson not found. (unknown or other '
  'school); EL403 for anyone not enrolled in the course as a student.';
revoke execute on function public.complete_lesson(uuid) from public, anon, authenticated;
grant execute on function public.complete_lesson(uuid) to authenticated;

-- Security definer: upserts the counter row (no write grant); visibility is checked with the
-- same rule as the lessons' select policy.
create function public.record_lesson_view(p_lesson_id uuid)
  returns integer
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid := private.current_tenant_id();
  v_lesson public.lessons;
  v_count integer;
begin
  select l.* into v_lesson
  from public.lessons l
  where l.tenant_id = v_tenant_id and l.id = p_lesson_id
    and (private.current_user_role() = 'admin' or l.course_id in (select private.content_course_ids()));
  if not found or auth.uid() is null then
    raise exception 'Lesson not found.' using errcode = 'EL404';
  end if;
  insert into public.lesson_views as v (tenant_id, course_id, lesson_id, person_id)
  values (v_tenant_id, v_lesson.course_id, v_lesson.id, auth.uid())
  on conflict (tenant_id, lesson_id, person_id)
  do update set view_count = v.view_count + 1, last_viewed_at = now()
  returning v.view_count into v_count;
  return v_count;
end
$$;
comment on function public.record_lesson_view(uuid) is
  'Counts one view of a lesson by the signed-in person (one counter row per lesson and person) and '
  'returns their view count. Anyone who may read the lesson may record a view; EL404 Lesson not '
  'found. otherwise (unknown, other school, or not theirs to see).';
revoke execute on function public.record_lesson_view(uuid) from public, anon, authenticated;
grant execute on function public.record_lesson_view(uuid) to authenticated;
