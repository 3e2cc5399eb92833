-- A video lesson's streaming versions as its editors see them, and trying again once the worker
-- gave up: the course's instructors and the school's admins only.
begin;
select plan(17);

select tests.create_school('vs-a');
select tests.create_school('vs-b');
select tests.create_person(tests.school_id('vs-a'), 'admin', 'admin@vs-a.test');
select tests.create_person(tests.school_id('vs-a'), 'teacher', 'teacher@vs-a.test');
select tests.create_person(tests.school_id('vs-a'), 'teacher', 'other@vs-a.test');
select tests.create_person(tests.school_id('vs-a'), 'student', 'student@vs-a.test');
select tests.create_person(tests.school_id('vs-b'), 'admin', 'admin@vs-b.test');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-a900-000000000001', tests.school_id('vs-a'), 'VID-1', 'Videos', 'art', '9', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('vs-a'), '00000000-0000-4000-a900-000000000001', tests.person_id('teacher@vs-a.test'));
insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by) values
  (tests.school_id('vs-a'), '00000000-0000-4000-a900-000000000001', tests.person_id('student@vs-a.test'),
   tests.person_id('student@vs-a.test'));
insert into public.modules (id, tenant_id, course_id, title, position) values
  ('00000000-0000-4000-a910-000000000001', tests.school_id('vs-a'), '00000000-0000-4000-a900-000000000001', 'One', 1);
-- The video lesson's insert queues its job (the lessons trigger); a text lesson has none.
insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, duration_seconds,
                            storage_path, content_type, byte_size, body) values
  ('00000000-0000-4000-a920-000000000001', tests.school_id('vs-a'), '00000000-0000-4000-a900-000000000001',
   '00000000-0000-4000-a910-000000000001', 'Film', 'video', 1, 60, 'courses/x/lessons/a.video', 'video/mp4', 1000, null),
  ('00000000-0000-4000-a920-000000000002', tests.school_id('vs-a'), '00000000-0000-4000-a900-000000000001',
   '00000000-0000-4000-a910-000000000001', 'Words', 'text', 2, 60, null, null, null, 'Hi');

create function pg_temp.set_job(p_status text) returns void language sql as $$
  update private.video_jobs
     set status = p_status, attempts = 5, last_error = 'ffmpeg stopped',
         finished_at = case when p_status in ('done', 'failed', 'dead') then now() end,
         lease_until = case when p_status = 'running' then now() + interval '5 minutes' end
   where lesson_id = '00000000-0000-4000-a920-000000000001'
     and id = (select max(id) from private.video_jobs where lesson_id = '00000000-0000-4000-a920-000000000001')
$$;

select tests.authenticate_as(tests.person_id('teacher@vs-a.test'));
select results_eq(
  $$ select status, attempts from public.lesson_video_status('00000000-0000-4000-a920-000000000001') $$,
  $$ values ('queued'::text, 0) $$,
  'the instructor sees the new file''s job queued'
);
select is_empty(
  $$ select * from public.lesson_video_status('00000000-0000-4000-a920-000000000002') $$,
  'a text lesson has no streaming versions'
);
select throws_ok(
  $$ select public.retry_video_job('00000000-0000-4000-a920-000000000001') $$,
  'EL409', 'Nothing to try again: the streaming versions are ready or on their way.',
  'a queued job is not retried'
);

select tests.authenticate_as_owner();
select pg_temp.set_job('failed');
select tests.authenticate_as(tests.person_id('teacher@vs-a.test'));
select results_eq(
  $$ select status, last_error from public.lesson_video_status('00000000-0000-4000-a920-000000000001') $$,
  $$ values ('failed'::text, 'ffmpeg stopped'::text) $$,
  'a failed job shows with the worker''s message'
);
select throws_ok(
  $$ select public.retry_video_job('00000000-0000-4000-a920-000000000001') $$,
  'EL409', 'This file cannot be prepared for streaming; upload another file.',
  'a failed file is not retried'
);

select tests.authenticate_as_owner();
select pg_temp.set_job('dead');
select tests.authenticate_as_service_role();
select is(
  (select lessons from private.video_job_states() where status = 'dead'), 1,
  '/metrics counts the lesson whose job was given up'
);

-- Who may not see or retry it.
select tests.authenticate_as(tests.person_id('student@vs-a.test'));
select is_empty(
  $$ select * from public.lesson_video_status('00000000-0000-4000-a920-000000000001') $$,
  'an enrolled student sees no job'
);
select throws_ok(
  $$ select public.retry_video_job('00000000-0000-4000-a920-000000000001') $$,
  'EL403', null, 'an enrolled student cannot retry'
);
select tests.authenticate_as(tests.person_id('other@vs-a.test'));
select is_empty(
  $$ select * from public.lesson_video_status('00000000-0000-4000-a920-000000000001') $$,
  'a teacher of other courses sees no job'
);
select throws_ok(
  $$ select public.retry_video_job('00000000-0000-4000-a920-000000000001') $$,
  'EL404', 'Lesson not found.', 'nor finds the lesson to retry'
);
select tests.authenticate_as(tests.person_id('admin@vs-b.test'));
select throws_ok(
  $$ select public.retry_video_job('00000000-0000-4000-a920-000000000001') $$,
  'EL404', 'Lesson not found.', 'another school''s admin does not find it'
);

-- The instructor tries again: a new queued job for the same file.
select tests.authenticate_as(tests.person_id('teacher@vs-a.test'));
select isnt(
  public.retry_video_job('00000000-0000-4000-a920-000000000001'), null,
  'the instructor retries a dead job'
);
select results_eq(
  $$ select status, attempts from public.lesson_video_status('00000000-0000-4000-a920-000000000001') $$,
  $$ values ('queued'::text, 0) $$,
  'the latest job is queued again'
);
select throws_ok(
  $$ select public.retry_video_job('00000000-0000-4000-a920-000000000001') $$,
  'EL409', null, 'a second retry while it is queued is refused'
);

select tests.authenticate_as(tests.person_id('admin@vs-a.test'));
select results_eq(
  $$ select status from public.lesson_video_status('00000000-0000-4000-a920-000000000001') $$,
  $$ values ('queued'::text) $$,
  'the school''s admin sees it too'
);

select tests.authenticate_as_service_role();
select is(
  (select lessons from private.video_job_states() where status = 'dead'), 0,
  'once retried, the lesson is no longer counted as given up'
);
select tests.authenticate_as(tests.person_id('admin@vs-a.test'));
select throws_ok(
  $$ select * from private.video_job_states() $$,
  '42501', null, 'people cannot read the worker''s counts'
);

select * from finish();
rollback;
