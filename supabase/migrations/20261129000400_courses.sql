-- 20261129000400_courses.sql — the course catalog and its content (LMS-1, LMS-2): courses, who
-- teaches them, prerequisites, ordered modules and lessons (video, PDF or text), lesson views
-- for analytics and lesson completions per student.
--
-- Rules this migration puts in the database (ARCHITECTURE §1, §5):
--   * every row belongs to a school and points only into that school ((tenant_id, id) foreign
--     keys); tenant_id never changes (trigger);
--   * a course is taught by teachers only (trigger, EL422); a course cannot require itself,
--     directly or through other courses (check and trigger, EL422);
--   * a lesson belongs to a module of the same course (composite foreign key); a video or PDF
--     lesson has a stored file (path, content type, size), a text lesson a body (checks);
--   * reading: everyone in a school reads its published courses; teachers also the courses they
--     teach, whatever their status; admins every course of their school. Modules and lessons are
--     read by admins, by the course's instructors and — once the enrollment migration replaces
--     private.content_course_ids() — by its enrolled students and their parents. Reading the
--     lesson row is the permission check for its file: the server signs lessons.storage_path
--     into a URL only for a row the caller could select;
--   * writing: admins create courses; admins and the course's instructors edit the course and
--     add, edit and remove its modules and lessons; admins choose instructors and prerequisites;
--     lesson views and completions are written only by functions (20261129000500_enrollment.sql).
--
-- Search: PGlite has no pg_trgm, so title search is served by a btree on
-- (tenant_id, lower(title) text_pattern_ops) — a prefix search (`lower(title) like 'alg%'`) uses
-- it; a contains search (`ilike '%bra%'`) scans the school's courses after the (tenant_id,
-- status, …) index has narrowed them, which is fast at the catalog's size (about 1000 courses a
-- school). A deployment with pg_trgm may add a GIN trigram index in its own migration.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL422  an instructor who is not a teacher; a prerequisite cycle                -> 422
--   23505  a duplicate course code in the school, module or lesson position        -> 409
--   23503  a row pointing into another school, or at a missing row                 -> 422
--   23514  a check: code format, capacity, lesson kind without its file or body   -> 422
--   42501  refused: changing a row's school, or anything an RLS policy forbids    -> 403
--
-- Sections: types, tables, indexes, grants, RLS and policies (helpers first), triggers.
-- Run by the migration owner inside one transaction (no begin/commit here).

-------------------------------------------------------------------------------
-- Types
-------------------------------------------------------------------------------

create type public.course_status as enum ('draft', 'published');
comment on type public.course_status is
  'draft: being prepared, seen by admins and its instructors only; published: in the catalog.';

create type public.lesson_kind as enum ('video', 'pdf', 'text');
comment on type public.lesson_kind is 'video and pdf lessons have a stored file; text lessons a body.';

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

create table public.courses (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  code text not null
    constraint courses_code_check check (code ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
  title text not null
    constraint courses_title_check check (length(btrim(title)) between 1 and 200),
  subject text not null
    constraint courses_subject_check check (subject ~ '^[a-z0-9][a-z0-9 -]{0,59}$'),
  grade_level text not null
    constraint courses_grade_level_check check (length(btrim(grade_level)) between 1 and 20),
  description text not null default ''
    constraint courses_description_check check (length(description) <= 10000),
  capacity integer not null default 30
    constraint courses_capacity_check check (capacity between 1 and 10000),
  status public.course_status not null default 'draft',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint courses_tenant_id_id_key unique (tenant_id, id),
  constraint courses_tenant_id_code_key unique (tenant_id, code)
);
comment on table public.courses is
  'A school''s courses. Published ones are the catalog every member of the school reads; drafts '
  'are seen by admins and the course''s instructors. capacity is the seat limit public.enroll() '
  'enforces exactly (under a lock on this row).';
comment on column public.courses.code is 'Short code, unique in the school: uppercase letters, digits, . _ -, e.g. MATH-10A.';
comment on column public.courses.subject is 'Lowercase subject used by the catalog filter, e.g. mathematics.';
comment on column public.courses.grade_level is 'Grade or form the course is for, e.g. 10 or Form 2.';
comment on column public.courses.capacity is 'Most students enrolled at once (withdrawn enrolments free their seat).';

create table public.course_instructors (
  tenant_id uuid not null,
  course_id uuid not null,
  teacher_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, course_id, teacher_id),
  constraint course_instructors_course_fkey foreign key (tenant_id, course_id)
    references public.courses (tenant_id, id) on delete cascade,
  constraint course_instructors_teacher_fkey foreign key (tenant_id, teacher_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table public.course_instructors is
  'Who teaches which course: teachers of the course''s school only (trigger, EL422). Instructors '
  'edit the course and its content, and see its roster.';

create table public.course_prerequisites (
  tenant_id uuid not null,
  course_id uuid not null,
  prerequisite_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, course_id, prerequisite_id),
  constraint course_prerequisites_not_self_check check (course_id <> prerequisite_id),
  constraint course_prerequisites_course_fkey foreign key (tenant_id, course_id)
    references public.courses (tenant_id, id) on delete cascade,
  constraint course_prerequisites_prerequisite_fkey foreign key (tenant_id, prerequisite_id)
    references public.courses (tenant_id, id) on delete cascade
);
comment on table public.course_prerequisites is
  'Course -> course it requires (e.g. Algebra II requires Algebra I), within one school, without '
  'cycles (trigger, EL422). public.enroll() requires a completed enrolment in each prerequisite.';

create table public.modules (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  course_id uuid not null,
  title text not null
    constraint modules_title_check check (length(btrim(title)) between 1 and 200),
  position integer not null
    constraint modules_position_check check (position >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint modules_course_fkey foreign key (tenant_id, course_id)
    references public.courses (tenant_id, id) on delete cascade,
  constraint modules_tenant_id_course_id_id_key unique (tenant_id, course_id, id),
  -- deferrable: swapping two modules' positions in one transaction needs
  -- `set constraints modules_tenant_id_course_id_position_key deferred`
  constraint modules_tenant_id_course_id_position_key unique (tenant_id, course_id, position)
    deferrable initially immediate
);
comment on table public.modules is 'The ordered sections of a course (position 1, 2, … unique per course).';

create table public.lessons (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  course_id uuid not null,
  module_id uuid not null,
  title text not null
    constraint lessons_title_check check (length(btrim(title)) between 1 and 200),
  kind public.lesson_kind not null,
  position integer not null
    constraint lessons_position_check check (position >= 1),
  duration_seconds integer not null default 0
    constraint lessons_duration_seconds_check check (duration_seconds between 0 and 86400),
  body text
    constraint lessons_body_check check (length(body) <= 200000),
  storage_path text
    constraint lessons_storage_path_check check (
      length(storage_path) <= 500 and storage_path ~ '^[A-Za-z0-9][A-Za-z0-9._/-]*$'
      and storage_path !~ '(^|/)\.\.?(/|$)'
    ),
  content_type text,
  byte_size bigint
    constraint lessons_byte_size_check check (byte_size between 1 and 5368709120),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lessons_file_check check (
    case kind
      when 'video' then storage_path is not null and byte_size is not null and content_type ~ '^video/[a-z0-9.+-]+$'
      when 'pdf' then storage_path is not null and byte_size is not null and content_type = 'application/pdf'
      else body is not null and storage_path is null and content_type is null and byte_size is null
    end
  ),
  constraint lessons_module_fkey foreign key (tenant_id, course_id, module_id)
    references public.modules (tenant_id, course_id, id) on delete cascade,
  constraint lessons_tenant_id_course_id_id_key unique (tenant_id, course_id, id),
  constraint lessons_tenant_id_course_id_module_id_position_key unique (tenant_id, course_id, module_id, position)
    deferrable initially immediate
);
comment on table public.lessons is
  'The lessons of a module, ordered by position. video/pdf lessons carry a stored file '
  '(storage_path, content_type, byte_size) that the server signs into an expiring URL for '
  'whoever may read the row; text lessons carry a body.';
comment on column public.lessons.course_id is 'The module''s course (kept here so policies need no join).';
comment on column public.lessons.storage_path is 'Key of the file in storage, relative, no .. segments.';

create table public.lesson_views (
  tenant_id uuid not null,
  course_id uuid not null,
  lesson_id uuid not null,
  person_id uuid not null,
  view_count integer not null default 1
    constraint lesson_views_view_count_check check (view_count >= 1),
  first_viewed_at timestamptz not null default now(),
  last_viewed_at timestamptz not null default now(),
  primary key (tenant_id, lesson_id, person_id),
  constraint lesson_views_lesson_fkey foreign key (tenant_id, course_id, lesson_id)
    references public.lessons (tenant_id, course_id, id) on delete cascade,
  constraint lesson_views_person_fkey foreign key (tenant_id, person_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table public.lesson_views is
  'How often each person opened each lesson (one counter row per lesson and person), for '
  'analytics. Written only by public.record_lesson_view().';

create table public.lesson_completions (
  tenant_id uuid not null,
  course_id uuid not null,
  lesson_id uuid not null,
  student_id uuid not null,
  completed_at timestamptz not null default now(),
  primary key (tenant_id, student_id, lesson_id),
  constraint lesson_completions_lesson_fkey foreign key (tenant_id, course_id, lesson_id)
    references public.lessons (tenant_id, course_id, id) on delete cascade,
  constraint lesson_completions_student_fkey foreign key (tenant_id, student_id)
    references public.people (tenant_id, id) on delete cascade
);
comment on table public.lesson_completions is
  'Lessons a student has completed (once each). Written only by public.complete_lesson().';

-------------------------------------------------------------------------------
-- Indexes (keys above cover courses (tenant_id, id) and (tenant_id, code), instructors and
-- prerequisites by (tenant_id, course_id), modules and lessons by (tenant_id, course_id[, module_id]),
-- completions by (tenant_id, student_id), views by (tenant_id, lesson_id))
-------------------------------------------------------------------------------

-- The catalog: a school's published courses filtered by subject and grade; title prefix
-- search; sort by created.
create index courses_tenant_id_status_subject_grade_level_idx
  on public.courses (tenant_id, status, subject, grade_level);
create index courses_tenant_id_lower_title_idx on public.courses (tenant_id, lower(title) text_pattern_ops);
create index courses_tenant_id_created_at_id_idx on public.courses (tenant_id, created_at, id);
create index course_instructors_tenant_id_teacher_id_idx on public.course_instructors (tenant_id, teacher_id);
create index course_prerequisites_tenant_id_prerequisite_id_idx
  on public.course_prerequisites (tenant_id, prerequisite_id);
create index lesson_views_tenant_id_course_id_lesson_id_idx on public.lesson_views (tenant_id, course_id, lesson_id);
create index lesson_views_tenant_id_person_id_idx on public.lesson_views (tenant_id, person_id);
create index lesson_completions_tenant_id_course_id_lesson_id_idx
  on public.lesson_completions (tenant_id, course_id, lesson_id);

-------------------------------------------------------------------------------
-- Grants
-------------------------------------------------------------------------------

revoke all on table public.courses from public, anon, authenticated, service_role;
grant select on table public.courses to authenticated;
grant insert (tenant_id, code, title, subject, grade_level, description, capacity, status)
  on table public.courses to authenticated;
grant update (code, title, subject, grade_level, description, capacity, status) on table public.courses to authenticated;
grant select, insert, update, delete on table public.courses to service_role;

revoke all on table public.course_instructors from public, anon, authenticated, service_role;
grant select, delete on table public.course_instructors to authenticated;
grant insert (tenant_id, course_id, teacher_id) on table public.course_instructors to authenticated;
grant select, insert, delete on table public.course_instructors to service_role;

revoke all on table public.course_prerequisites from public, anon, authenticated, service_role;
grant select, delete on table public.course_prerequisites to authenticated;
grant insert (tenant_id, course_id, prerequisite_id) on table public.course_prerequisites to authenticated;
grant select, insert, delete on table public.course_prerequisites to service_role;

revoke all on table public.modules from public, anon, authenticated, service_role;
grant select, delete on table public.modules to authenticated;
grant insert (tenant_id, course_id, title, position) on table public.modules to authenticated;
grant update (title, position) on table public.modules to authenticated;
grant select, insert, update, delete on table public.modules to service_role;

revoke all on table public.lessons from public, anon, authenticated, service_role;
grant select, delete on table public.lessons to authenticated;
grant insert (tenant_id, course_id, module_id, title, kind, position, duration_seconds, body, storage_path,
              content_type, byte_size) on table public.lessons to authenticated;
grant update (module_id, title, kind, position, duration_seconds, body, storage_path, content_type, byte_size)
  on table public.lessons to authenticated;
grant select, insert, update, delete on table public.lessons to service_role;

revoke all on table public.lesson_views from public, anon, authenticated, service_role;
grant select on table public.lesson_views to authenticated;
grant select, delete on table public.lesson_views to service_role;

revoke all on table public.lesson_completions from public, anon, authenticated, service_role;
grant select on table public.lesson_completions to authenticated;
grant select, delete on table public.lesson_completions to service_role;

-------------------------------------------------------------------------------
-- RLS and policies
-------------------------------------------------------------------------------

-- Security definer: reads course_instructors past its own policy (no recursion).
create function private.taught_course_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select ci.course_id
  from public.course_instructors ci
  where ci.teacher_id = auth.uid()
    and ci.tenant_id = private.current_tenant_id()
$$;
comment on function private.taught_course_ids() is
  'Ids of the courses the signed-in person teaches in their school (empty for non-teachers).';
revoke execute on function private.taught_course_ids() from public, anon, authenticated;
grant execute on function private.taught_course_ids() to authenticated, service_role;

-- Replaced by 20261129000500_enrollment.sql to add the courses the person (or their child)
-- is enrolled in; policies below call it by name and follow.
create function private.content_course_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select private.taught_course_ids()
$$;
comment on function private.content_course_ids() is
  'Ids of the courses whose modules and lessons the signed-in person may read besides an admin''s: '
  'the courses they teach.';
revoke execute on function private.content_course_ids() from public, anon, authenticated;
grant execute on function private.content_course_ids() to authenticated, service_role;

alter table public.courses enable row level security;
alter table public.course_instructors enable row level security;
alter table public.course_prerequisites enable row level security;
alter table public.modules enable row level security;
alter table public.lessons enable row level security;
alter table public.lesson_views enable row level security;
alter table public.lesson_completions enable row level security;

create policy "People can read published courses of their school, staff and learners theirs"
  on public.courses for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and (
      status = 'published'
      or (select private.current_user_role()) = 'admin'
      or id in (select private.content_course_ids())
    )
  );

create policy "Admins can create courses in their school"
  on public.courses for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Admins and instructors can update a course"
  on public.courses for update to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or id in (select private.taught_course_ids()))
  )
  with check (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or id in (select private.taught_course_ids()))
  );

create policy "People can read who teaches the courses of their school"
  on public.course_instructors for select to authenticated
  using (tenant_id = (select private.current_tenant_id()));

create policy "Admins can assign instructors in their school"
  on public.course_instructors for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Admins can remove instructors in their school"
  on public.course_instructors for delete to authenticated
  using (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "People can read the prerequisites of their school's courses"
  on public.course_prerequisites for select to authenticated
  using (tenant_id = (select private.current_tenant_id()));

create policy "Admins can add prerequisites in their school"
  on public.course_prerequisites for insert to authenticated
  with check (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Admins can remove prerequisites in their school"
  on public.course_prerequisites for delete to authenticated
  using (tenant_id = (select private.current_tenant_id()) and (select private.current_user_role()) = 'admin');

create policy "Admins, instructors and enrolled learners can read modules"
  on public.modules for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.content_course_ids()))
  );

create policy "Admins and instructors can add modules"
  on public.modules for insert to authenticated
  with check (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  );

create policy "Admins and instructors can update modules"
  on public.modules for update to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  )
  with check (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  );

create policy "Admins and instructors can remove modules"
  on public.modules for delete to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  );

create policy "Admins, instructors and enrolled learners can read lessons"
  on public.lessons for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.content_course_ids()))
  );

create policy "Admins and instructors can add lessons"
  on public.lessons for insert to authenticated
  with check (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  );

create policy "Admins and instructors can update lessons"
  on public.lessons for update to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  )
  with check (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  );

create policy "Admins and instructors can remove lessons"
  on public.lessons for delete to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and ((select private.current_user_role()) = 'admin' or course_id in (select private.taught_course_ids()))
  );

create policy "Admins and instructors can read lesson views, people their own"
  on public.lesson_views for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and (
      (select private.current_user_role()) = 'admin'
      or course_id in (select private.taught_course_ids())
      or person_id = (select auth.uid())
    )
  );

create policy "Staff read completions of their courses, students and parents their own"
  on public.lesson_completions for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and (
      (select private.current_user_role()) = 'admin'
      or course_id in (select private.taught_course_ids())
      or student_id = (select auth.uid())
      or student_id in (select private.guardian_student_ids())
    )
  );

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

-- Security definer: looks the person up whatever the caller may see.
create function private.tg_course_instructors__check_teacher()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_role public.person_role;
begin
  -- A person missing from the course's school is left to the composite foreign key (23503).
  select p.role into v_role from public.people p where p.tenant_id = new.tenant_id and p.id = new.teacher_id;
  if found and v_role <> 'teacher' then
    raise exception 'Only a teacher can teach a course; this person is a %', v_role
      using errcode = 'EL422', detail = 'teacher_id';
  end if;
  return new;
end
$$;
comment on function private.tg_course_instructors__check_teacher() is
  'BEFORE INSERT OR UPDATE: refuses (EL422) an instructor who is not a teacher.';
revoke execute on function private.tg_course_instructors__check_teacher() from public, anon, authenticated;

-- Security definer: walks every prerequisite of the school whatever the caller may see.
create function private.tg_course_prerequisites__refuse_cycle()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  -- Does the new prerequisite (transitively) require the course itself?
  if exists (
    with recursive required (course_id) as (
      select cp.prerequisite_id from public.course_prerequisites cp
      where cp.tenant_id = new.tenant_id and cp.course_id = new.prerequisite_id
      union
      select cp.prerequisite_id from public.course_prerequisites cp
      join required r on cp.course_id = r.course_id
      where cp.tenant_id = new.tenant_id
    )
    select from required where course_id = new.course_id
  ) then
    raise exception 'A course cannot require itself, directly or through other courses'
      using errcode = 'EL422', detail = 'prerequisite_id';
  end if;
  return new;
end
$$;
comment on function private.tg_course_prerequisites__refuse_cycle() is
  'BEFORE INSERT OR UPDATE: refuses (EL422) a prerequisite that would make a cycle.';
revoke execute on function private.tg_course_prerequisites__refuse_cycle() from public, anon, authenticated;

create trigger _010_protect_tenant_id before update on public.courses
  for each row execute function private.tg__protect_tenant_id();
create trigger _100_timestamps before insert or update on public.courses
  for each row execute function private.tg__timestamps();
create trigger _500_audit after insert or update or delete on public.courses
  for each row execute function audit.tg__log_change('tenant_id', 'id');

create trigger _010_protect_tenant_id before update on public.course_instructors
  for each row execute function private.tg__protect_tenant_id();
create trigger _200_check_teacher before insert or update on public.course_instructors
  for each row execute function private.tg_course_instructors__check_teacher();
create trigger _500_audit after insert or update or delete on public.course_instructors
  for each row execute function audit.tg__log_change('tenant_id', 'course_id', 'teacher_id');

create trigger _010_protect_tenant_id before update on public.course_prerequisites
  for each row execute function private.tg__protect_tenant_id();
create trigger _200_refuse_cycle before insert or update on public.course_prerequisites
  for each row execute function private.tg_course_prerequisites__refuse_cycle();
create trigger _500_audit after insert or update or delete on public.course_prerequisites
  for each row execute function audit.tg__log_change('tenant_id', 'course_id', 'prerequisite_id');

create trigger _010_protect_tenant_id before update on public.modules
  for each row execute function private.tg__protect_tenant_id();
create trigger _100_timestamps before insert or update on public.modules
  for each row execute function private.tg__timestamps();

create trigger _010_protect_tenant_id before update on public.lessons
  for each row execute function private.tg__protect_tenant_id();
create trigger _100_timestamps before insert or update on public.lessons
  for each row execute function private.tg__timestamps();

create trigger _010_protect_tenant_id before update on public.lesson_views
  for each row execute function private.tg__protect_tenant_id();
create trigger _010_protect_tenant_id before update on public.lesson_completions
  for each row execute function private.tg__protect_tenant_id();
