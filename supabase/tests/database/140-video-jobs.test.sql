-- Video transcoding jobs (20261129000800_video.sql): only the worker's role reaches the jobs,
-- and only through its functions; a video lesson's new file queues one job and supersedes the
-- old one; claims take due and abandoned jobs; failures back off 60, 120, 240, 480 s and die
-- after the 5th attempt, or fail at once when permanent; a finished job records the lesson's
-- renditions in the same call, never for an outdated file; renditions are read by exactly the
-- people who read the lesson; storage nothing points to is queued for cleanup. (NOTIFY reaching
-- a listener, and the worker itself, are proven by tests/video/worker_test.ts.)
begin;
select plan(62);

select tests.create_school('school-a');
select tests.create_school('school-b');
select tests.create_person(tests.school_id('school-a'), 'admin', 'admin@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher@a.test');
select tests.create_person(tests.school_id('school-a'), 'teacher', 'teacher2@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student1@a.test');
select tests.create_person(tests.school_id('school-a'), 'student', 'student2@a.test');
select tests.create_person(tests.school_id('school-a'), 'parent', 'parent1@a.test');
select tests.create_person(tests.school_id('school-b'), 'admin', 'admin@b.test');
insert into public.guardian_links (tenant_id, parent_id, student_id, relationship)
values (tests.school_id('school-a'), tests.person_id('parent1@a.test'), tests.person_id('student1@a.test'), 'mother');

insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) values
  ('00000000-0000-4000-a000-000000000001', tests.school_id('school-a'), 'BIO-10', 'Biology 10', 'biology', '10', 'published');
insert into public.course_instructors (tenant_id, course_id, teacher_id)
values (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', tests.person_id('teacher@a.test'));
insert into public.modules (id, tenant_id, course_id, title, position)
values ('00000000-0000-4000-a100-000000000001', tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', 'Cells', 1);
insert into public.enrollments (tenant_id, course_id, student_id, enrolled_by)
values (tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001',
        tests.person_id('student1@a.test'), tests.person_id('student1@a.test'));

-- Lessons 1-5 are videos added along the way, 9 a text lesson.
create function pg_temp.add_video(p_n integer, p_path text) returns void language sql as $$
  insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, storage_path, content_type, byte_size)
  values (('00000000-0000-4000-a200-00000000000' || p_n)::uuid, tests.school_id('school-a'),
          '00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a100-000000000001',
          'Video ' || p_n, 'video', p_n, p_path, 'video/mp4', 1000)
$$;
create function pg_temp.lesson(p_n integer) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-a200-00000000000' || p_n)::uuid
$$;
-- Jobs of a lesson, oldest first, as (source_path, status, attempts); the owner reads them.
create function pg_temp.jobs(p_n integer) returns table (source_path text, status text, attempts integer)
  language sql security definer as $$
  select j.source_path, j.status, j.attempts from private.video_jobs j where j.lesson_id = pg_temp.lesson(p_n) order by j.id
$$;
create function pg_temp.job(p_n integer) returns bigint language sql security definer as $$
  select max(j.id) from private.video_jobs j where j.lesson_id = pg_temp.lesson(p_n)
$$;
create function pg_temp.prefix(p_n integer, p_attempt integer) returns text language sql security definer as $$
  select format('hls/%s/%s-%s/', pg_temp.lesson(p_n), pg_temp.job(p_n), p_attempt)
$$;
create function pg_temp.make_due() returns void language sql as $$
  update private.video_jobs set run_after = now() - interval '1 second' where status = 'queued'
$$;
create function pg_temp.ladder() returns jsonb language sql immutable as $$
  select '[{"name":"240p","width":426,"height":240,"bandwidth":310000},
           {"name":"360p","width":640,"height":360,"bandwidth":600000}]'::jsonb
$$;
grant execute on function pg_temp.lesson(integer), pg_temp.job(integer), pg_temp.jobs(integer),
  pg_temp.prefix(integer, integer), pg_temp.ladder() to authenticated, service_role;

-------------------------------------------------------------------------------
-- Shape, RLS and grants
-------------------------------------------------------------------------------

select results_eq(
  $$ select oid::regclass::text, relrowsecurity from pg_catalog.pg_class
     where oid in ('private.video_jobs'::regclass, 'private.video_cleanup'::regclass, 'public.lesson_renditions'::regclass)
     order by 1 $$,
  $$ values ('lesson_renditions', true), ('private.video_cleanup', true), ('private.video_jobs', true) $$,
  'the job, cleanup and renditions tables have row level security on'
);
select is_empty(
  $$ select * from pg_catalog.pg_policy where polrelid in ('private.video_jobs'::regclass, 'private.video_cleanup'::regclass) $$,
  'the job and cleanup tables have no policy: nobody reads them directly'
);
select trigger_is('public', 'lessons', '_600_queue_video_job', 'private', 'tg_lessons__queue_video_job',
                  'a lesson''s new file queues a job');
select trigger_is('private', 'video_jobs', '_900_notify', 'private', 'tg_video_jobs__notify',
                  'a new job notifies channel video_jobs');
select trigger_is('public', 'lesson_renditions', '_900_queue_cleanup', 'private', 'tg_lesson_renditions__queue_cleanup',
                  'a rendition replaced or removed queues its storage for cleanup');
select results_eq(
  $$ select r.rolname::text, f.fn, pg_catalog.has_function_privilege(r.rolname, f.fn, 'EXECUTE')
     from (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     cross join (values ('private.video_job_claim(integer)'), ('private.video_job_heartbeat(bigint, integer)'),
                        ('private.video_job_done(bigint, integer, jsonb)'),
                        ('private.video_job_failed(bigint, integer, text, boolean)'),
                        ('private.video_cleanup_pending(integer)'), ('private.video_cleanup_done(text[])')) f(fn)
     where pg_catalog.has_function_privilege(r.rolname, f.fn, 'EXECUTE')
     order by 1, 2 $$,
  $$ values
     ('service_role', 'private.video_cleanup_done(text[])', true),
     ('service_role', 'private.video_cleanup_pending(integer)', true),
     ('service_role', 'private.video_job_claim(integer)', true),
     ('service_role', 'private.video_job_done(bigint, integer, jsonb)', true),
     ('service_role', 'private.video_job_failed(bigint, integer, text, boolean)', true),
     ('service_role', 'private.video_job_heartbeat(bigint, integer)', true) $$,
  'only service_role may execute the video worker''s functions'
);
select is(
  (select bool_and(p.prosecdef) from pg_catalog.pg_proc p
   where p.pronamespace = 'private'::regnamespace and p.proname ~ '^video_(job|cleanup)_'),
  true,
  'the worker''s functions are security definer'
);

-------------------------------------------------------------------------------
-- A lesson's file queues its job
-------------------------------------------------------------------------------

select pg_temp.add_video(1, 'school-a/bio/cells.mp4');
insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, body)
values (pg_temp.lesson(9), tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001',
        '00000000-0000-4000-a100-000000000001', 'Reading', 'text', 9, 'Cells are small.');

select results_eq(
  $$ select * from pg_temp.jobs(1) $$,
  $$ values ('school-a/bio/cells.mp4', 'queued', 0) $$,
  'a new video lesson queues one job for its file'
);
select is_empty($$ select * from pg_temp.jobs(9) $$, 'a text lesson queues nothing');

select tests.authenticate_as(tests.person_id('teacher@a.test'));
update public.lessons set title = 'Cells, again', duration_seconds = 60 where id = pg_temp.lesson(1);
update public.lessons set storage_path = 'school-a/bio/cells.mp4' where id = pg_temp.lesson(1);
select tests.authenticate_as_owner();
select results_eq(
  $$ select * from pg_temp.jobs(1) $$,
  $$ values ('school-a/bio/cells.mp4', 'queued', 0) $$,
  'editing a lesson without giving it another file queues nothing'
);

select tests.authenticate_as(tests.person_id('teacher@a.test'));
update public.lessons set storage_path = 'school-a/bio/cells-v2.mp4', byte_size = 2000 where id = pg_temp.lesson(1);
select tests.authenticate_as_owner();
select results_eq(
  $$ select * from pg_temp.jobs(1) $$,
  $$ values ('school-a/bio/cells.mp4', 'superseded', 0), ('school-a/bio/cells-v2.mp4', 'queued', 0) $$,
  'the instructor''s new file supersedes the old file''s job and queues its own'
);
select is(
  (select last_error from private.video_jobs where lesson_id = pg_temp.lesson(1) order by id limit 1),
  'The lesson got another file',
  'the superseded job says why'
);
select throws_ok(
  format($$ insert into private.video_jobs (tenant_id, course_id, lesson_id, source_path) values (%L, %L, %L, 'x.mp4') $$,
         tests.school_id('school-a'), '00000000-0000-4000-a000-000000000001', pg_temp.lesson(1)),
  '23505', null, 'a lesson never has two unfinished jobs'
);

-------------------------------------------------------------------------------
-- Only the worker's role, only through the functions
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('admin@a.test'));
select throws_ok($$ select * from private.video_jobs $$, '42501', 'permission denied for table video_jobs',
                 'an admin cannot read the jobs');
select throws_ok($$ select * from private.video_job_claim(1) $$, '42501', 'permission denied for function video_job_claim',
                 'an admin cannot claim a job');
select throws_ok($$ select private.video_job_done(1, 1, '[]') $$, '42501', 'permission denied for function video_job_done',
                 'an admin cannot record a ladder');
select tests.clear_authentication();
select throws_ok($$ select * from private.video_job_claim(1) $$, '42501', 'permission denied for schema private',
                 'anon cannot claim a job');

-------------------------------------------------------------------------------
-- Claim, heartbeat, done
-------------------------------------------------------------------------------

select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.video_job_claim(0) $$, 'EL422', 'Claim between 1 and 100 video jobs at a time',
                 'a claim takes 1 to 100 jobs');
select results_eq(
  $$ select lesson_id, source_path, status, attempts, lease_until - now(), output_prefix from private.video_job_claim(5) $$,
  $$ values (pg_temp.lesson(1), 'school-a/bio/cells-v2.mp4', 'running', 1, interval '5 minutes', pg_temp.prefix(1, 1)) $$,
  'a claim takes the due job: running, first attempt, a 5-minute lease, its own output prefix'
);
select is_empty($$ select * from private.video_job_claim(5) $$, 'a running job is not claimed twice');

select is(private.video_job_heartbeat(pg_temp.job(1), 1), true, 'the heartbeat renews the lease of the attempt at work');
select is(private.video_job_heartbeat(pg_temp.job(1), 2), false, 'the heartbeat of another attempt is refused');

select throws_ok(
  format($$ select private.video_job_done(%s, 1, '[{"name":"240p; rm -rf","width":1,"height":1,"bandwidth":1}]') $$, pg_temp.job(1)),
  'EL422', 'A ladder is 1 to 3 variants of name, width, height and bandwidth', 'a malformed ladder is refused'
);
select is(private.video_job_done(pg_temp.job(1), 1, pg_temp.ladder()), 'recorded', 'a finished job records its ladder');

select tests.authenticate_as_owner();
select results_eq(
  $$ select lesson_id, source_path, hls_prefix, variants, job_id from public.lesson_renditions $$,
  $$ values (pg_temp.lesson(1), 'school-a/bio/cells-v2.mp4', pg_temp.prefix(1, 1), pg_temp.ladder(), pg_temp.job(1)) $$,
  'the lesson''s renditions are the job''s ladder under the attempt''s prefix, for the file it transcoded'
);
select results_eq(
  $$ select status, attempts, lease_until, last_error, finished_at is not null from private.video_jobs where id = pg_temp.job(1) $$,
  $$ values ('done', 1, null::timestamptz, null::text, true) $$,
  'and the job is done, in the same call'
);

-------------------------------------------------------------------------------
-- Renditions: read by whoever reads the lesson, written by nobody
-------------------------------------------------------------------------------

create function pg_temp.visible_renditions_as(p_email text) returns integer language plpgsql as $$
declare v integer;
begin
  perform tests.authenticate_as(tests.person_id(p_email));
  select count(*)::int into v from public.lesson_renditions;
  perform tests.authenticate_as_owner();
  return v;
end
$$;
select results_eq(
  $$ select e, pg_temp.visible_renditions_as(e)
     from unnest(array['admin@a.test', 'teacher@a.test', 'student1@a.test', 'parent1@a.test',
                       'teacher2@a.test', 'student2@a.test', 'admin@b.test']) e $$,
  $$ values ('admin@a.test', 1), ('teacher@a.test', 1), ('student1@a.test', 1), ('parent1@a.test', 1),
            ('teacher2@a.test', 0), ('student2@a.test', 0), ('admin@b.test', 0) $$,
  'renditions are seen by the admin, the instructor, the enrolled student and their parent; not by '
  'another teacher, a student not enrolled, or another school'
);
select tests.clear_authentication();
select throws_ok($$ select * from public.lesson_renditions $$, '42501', 'permission denied for table lesson_renditions',
                 'anon cannot read renditions');
select tests.authenticate_as(tests.person_id('teacher@a.test'));
select throws_ok($$ update public.lesson_renditions set hls_prefix = 'hls/x/y/' $$, '42501',
                 'permission denied for table lesson_renditions', 'an instructor cannot change renditions');
select throws_ok(
  format($$ insert into public.lesson_renditions (tenant_id, course_id, lesson_id, source_path, hls_prefix, variants, job_id)
            values (%L, '00000000-0000-4000-a000-000000000001', %L, 'x', 'hls/x/y/', '[{}]', 1) $$,
         tests.school_id('school-a'), pg_temp.lesson(9)),
  '42501', 'permission denied for table lesson_renditions', 'an instructor cannot add renditions'
);
select tests.authenticate_as_owner();

-------------------------------------------------------------------------------
-- A result for an outdated file never lands
-------------------------------------------------------------------------------

select pg_temp.add_video(2, 'school-a/bio/osmosis.mp4');
select tests.authenticate_as_service_role();
select results_eq($$ select lesson_id from private.video_job_claim(1) $$, $$ values (pg_temp.lesson(2)) $$,
                  'the second lesson''s job is claimed');
select tests.authenticate_as(tests.person_id('teacher@a.test'));
update public.lessons set storage_path = 'school-a/bio/osmosis-v2.mp4' where id = pg_temp.lesson(2);
select tests.authenticate_as_owner();
create temporary table superseded_job as select min(id) as id from private.video_jobs where lesson_id = pg_temp.lesson(2);
grant select on superseded_job to service_role;
select tests.authenticate_as_service_role();
select is(private.video_job_heartbeat((select id from superseded_job), 1), false,
          'the heartbeat tells the worker of a superseded job to stop');
select is(private.video_job_done((select id from superseded_job), 1, pg_temp.ladder()), 'discarded',
          'a job superseded while it ran is discarded when it reports');
select tests.authenticate_as_owner();
select is_empty($$ select * from public.lesson_renditions where lesson_id = pg_temp.lesson(2) $$,
                'and records no renditions for the old file');
select ok(exists (select from private.video_cleanup where prefix = format('hls/%s/%s-1/', pg_temp.lesson(2), (select id from superseded_job))),
          'its storage is queued for cleanup');

-- The lesson's file changes behind the job's back (trigger off): the lesson's row decides.
select tests.authenticate_as_service_role();
select results_eq($$ select lesson_id from private.video_job_claim(1) $$, $$ values (pg_temp.lesson(2)) $$,
                  'the new file''s job is claimed');
select tests.authenticate_as_owner();
alter table public.lessons disable trigger _600_queue_video_job;
update public.lessons set storage_path = 'school-a/bio/osmosis-v3.mp4' where id = pg_temp.lesson(2);
alter table public.lessons enable trigger _600_queue_video_job;
select tests.authenticate_as_service_role();
select is(private.video_job_done(pg_temp.job(2), 1, pg_temp.ladder()), 'discarded',
          'a job whose file is no longer the lesson''s is discarded');
select tests.authenticate_as_owner();
select results_eq(
  $$ select status, last_error from private.video_jobs where id = pg_temp.job(2) $$,
  $$ values ('superseded', 'The lesson got another file') $$,
  'and marked superseded'
);
select is_empty($$ select * from public.lesson_renditions where lesson_id = pg_temp.lesson(2) $$,
                'with no renditions for the lesson');

-- A newer file removes the ladder of the old one.
select tests.authenticate_as(tests.person_id('admin@a.test'));
update public.lessons set storage_path = 'school-a/bio/cells-v3.mp4' where id = pg_temp.lesson(1);
select tests.authenticate_as_owner();
select is_empty($$ select * from public.lesson_renditions where lesson_id = pg_temp.lesson(1) $$,
                'a new file removes the renditions of the old one');
select ok(exists (select from private.video_cleanup where prefix = format('hls/%s/%s-1/', pg_temp.lesson(1),
                    (select j.id from private.video_jobs j where j.lesson_id = pg_temp.lesson(1) and j.status = 'done'))),
          'and queues their storage for cleanup');

-------------------------------------------------------------------------------
-- Failures: backoff, dead, permanent
-------------------------------------------------------------------------------

create temporary table waits (attempt integer, status text, wait interval);
grant insert, select on waits to service_role;
do $$
declare
  v_job bigint := pg_temp.job(1);
  v_status text;
begin
  for v_attempt in 1..5 loop
    perform pg_temp.make_due();
    perform tests.authenticate_as_service_role();
    perform private.video_job_claim(10);
    v_status := private.video_job_failed(v_job, v_attempt, 'ffmpeg was killed (signal 9)');
    perform tests.authenticate_as_owner();
    insert into waits select v_attempt, v_status, j.run_after - now() from private.video_jobs j where j.id = v_job;
  end loop;
end
$$;
select results_eq(
  $$ select attempt, status, case when status = 'queued' then wait end from waits order by attempt $$,
  $$ values (1, 'queued', interval '60 seconds'), (2, 'queued', interval '120 seconds'), (3, 'queued', interval '240 seconds'),
            (4, 'queued', interval '480 seconds'), (5, 'dead', null::interval) $$,
  'a failing job is retried after 60, 120, 240 and 480 s and is dead after the 5th attempt'
);
select results_eq(
  $$ select status, attempts, last_error, finished_at is not null from private.video_jobs where id = pg_temp.job(1) $$,
  $$ values ('dead', 5, 'ffmpeg was killed (signal 9)', true) $$,
  'the dead job keeps its attempts and last error'
);
select ok(
  (select count(*) from private.video_cleanup where prefix like format('hls/%s/%s-_/', pg_temp.lesson(1), pg_temp.job(1))) = 5,
  'every failed attempt''s storage is queued for cleanup'
);
select pg_temp.make_due();
select tests.authenticate_as_service_role();
select is_empty($$ select * from private.video_job_claim(10) where lesson_id = pg_temp.lesson(1) $$,
                'a dead job is never claimed again');

select tests.authenticate_as_owner();
select pg_temp.add_video(3, 'school-a/bio/not-a-video.mp4');
select tests.authenticate_as_service_role();
select results_eq($$ select lesson_id from private.video_job_claim(1) $$, $$ values (pg_temp.lesson(3)) $$,
                  'the third lesson''s job is claimed');
select is(private.video_job_failed(pg_temp.job(3), 1, 'The file is not a video ffmpeg can read', true), 'failed',
          'an input that cannot be transcoded fails at once');
select is(private.video_job_failed(pg_temp.job(3), 1, 'again'), null, 'a report for an attempt that is over changes nothing');
select tests.authenticate_as_owner();
select results_eq(
  $$ select status, attempts, last_error from private.video_jobs where id = pg_temp.job(3) $$,
  $$ values ('failed', 1, 'The file is not a video ffmpeg can read') $$,
  'the failed job says why, and is not retried'
);

-------------------------------------------------------------------------------
-- Leases: a crashed worker's job is taken over; on its last attempt it is dead
-------------------------------------------------------------------------------

select pg_temp.add_video(4, 'school-a/bio/mitosis.mp4');
select tests.authenticate_as_service_role();
select results_eq($$ select lesson_id, attempts from private.video_job_claim(1) $$, $$ values (pg_temp.lesson(4), 1) $$,
                  'the fourth lesson''s job is claimed');
select is_empty($$ select * from private.video_job_claim(1) $$, 'not again while its lease runs');
select tests.authenticate_as_owner();
update private.video_jobs set lease_until = now() - interval '1 second' where id = pg_temp.job(4);
select tests.authenticate_as_service_role();
select results_eq(
  $$ select lesson_id, attempts, output_prefix, last_error from private.video_job_claim(1) $$,
  $$ values (pg_temp.lesson(4), 2, pg_temp.prefix(4, 2), 'The worker stopped reporting within 5 minutes') $$,
  'once the lease ends the job is claimed again, as the next attempt with a new prefix'
);
select tests.authenticate_as_owner();
select ok(exists (select from private.video_cleanup where prefix = pg_temp.prefix(4, 1)),
          'the abandoned attempt''s storage is queued for cleanup');
select tests.authenticate_as_service_role();
select is(private.video_job_done(pg_temp.job(4), 1, pg_temp.ladder()), 'discarded',
          'the crashed attempt reporting late is discarded');
select is(private.video_job_done(pg_temp.job(4), 2, pg_temp.ladder()), 'recorded', 'the attempt that took over records');

select tests.authenticate_as_owner();
select pg_temp.add_video(5, 'school-a/bio/enzymes.mp4');
update private.video_jobs set status = 'running', attempts = 5, lease_until = now() - interval '1 second',
                              output_prefix = format('hls/%s/%s-5/', lesson_id, id)
 where id = pg_temp.job(5);
select tests.authenticate_as_service_role();
select is_empty($$ select * from private.video_job_claim(10) $$, 'a job abandoned on its 5th attempt is not claimed again');
select tests.authenticate_as_owner();
select results_eq(
  $$ select status, last_error from private.video_jobs where id = pg_temp.job(5) $$,
  $$ values ('dead', 'The worker stopped reporting during the last attempt') $$,
  'it is dead'
);

-------------------------------------------------------------------------------
-- Deleting a lesson; the cleanup queue
-------------------------------------------------------------------------------

select tests.authenticate_as(tests.person_id('teacher@a.test'));
update public.lessons set storage_path = 'school-a/bio/enzymes-v2.mp4' where id = pg_temp.lesson(5);
delete from public.lessons where id in (pg_temp.lesson(4), pg_temp.lesson(5));
select tests.authenticate_as_owner();
select results_eq(
  $$ select status, last_error from private.video_jobs where id = pg_temp.job(5) $$,
  $$ values ('superseded', 'The lesson was deleted') $$,
  'deleting a lesson supersedes its unfinished job'
);
select ok(
  not exists (select from public.lesson_renditions where lesson_id = pg_temp.lesson(4))
  and exists (select from private.video_cleanup where prefix = pg_temp.prefix(4, 2)),
  'and removes its renditions, queueing their storage for cleanup'
);

create temporary table pending (prefix text);
grant select, insert on pending to service_role;
select tests.authenticate_as_service_role();
insert into pending select * from private.video_cleanup_pending(500);
select tests.authenticate_as_owner();
select is((select count(*)::int from pending), (select count(*)::int from private.video_cleanup),
          'the worker is given every prefix waiting');
select tests.authenticate_as_service_role();
select is(private.video_cleanup_done((select array_agg(prefix) from pending)), (select count(*)::int from pending),
          'and forgets them once deleted');
select tests.authenticate_as_owner();
select is_empty($$ select * from private.video_cleanup $$, 'the cleanup queue is empty');

select * from finish();
rollback;
