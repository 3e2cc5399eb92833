-- 20261129000800_video.sql — video for 3G (issue 4, LMS-2): every uploaded lesson video is
-- transcoded by a background job into an HLS ladder (240p, 360p, 720p, never above the
-- source's height) that the lesson player streams with adaptive bitrate; the MP4 stays the
-- fallback. The jobs are worked by the server's video worker (lib/video/worker.ts) when ffmpeg
-- is installed.
--
-- How a video travels (the notification outbox's pattern, 20261129000250_notifications.sql):
--   1. a video lesson gets a storage_path, or a new one: the lessons trigger queues a job for
--      that file (one job per lesson file version) and supersedes the lesson's unfinished job
--      for the old file; an AFTER INSERT trigger sends NOTIFY video_jobs '<id>' on commit,
--      which wakes the worker (it also polls, in case a notification was missed);
--   2. the worker claims a due job with private.video_job_claim(n) — `for update skip locked`,
--      so workers in other processes never take the same job — and transcodes it outside any
--      transaction, into storage under the attempt's own prefix (hls/<lesson>/<job>-<attempt>/);
--   3. while it works it renews the job's 5-minute lease (private.video_job_heartbeat); a job
--      whose lease ends is presumed abandoned (the worker crashed) and claimed again, counted as
--      an attempt;
--   4. it reports: private.video_job_done() records the result on the lesson
--      (public.lesson_renditions) and marks the job done in one transaction — unless the job
--      was superseded meanwhile or the lesson's file changed, so an old file's result never
--      overwrites a newer one; private.video_job_failed() retries after 2^attempts × 30 s
--      (60 s, 120 s, 240 s, 480 s), dead after the 5th attempt, or failed at once when the input
--      cannot be transcoded (not a video, corrupt, missing).
-- Storage that nothing points to any more — an attempt that failed or was discarded, the
-- renditions of a replaced or deleted file — is queued in private.video_cleanup, which the
-- worker empties; a prefix is never reused, so deleting one cannot race an upload.
--
-- Who sees what: the job and cleanup tables are for the worker only (RLS on, no policies, no
-- grants; security-definer functions granted to service_role). A lesson's renditions are read
-- by exactly the people who may read the lesson (the policy asks public.lessons, under its own
-- policy); nobody but the worker's function writes them. anon and authenticated can call none
-- of the functions below.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL422  a limit, prefix or ladder the functions do not accept                 -> 422
--
-- Sections: tables, indexes, grants, RLS and policies, triggers, functions, existing lessons.
-- Needs 20261129000400_courses.sql. Run by the migration owner inside one transaction.

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

create table private.video_jobs (
  id bigint generated always as identity primary key,
  -- No foreign key to the lesson: a job outlives its lesson's deletion as history, superseded.
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  course_id uuid not null,
  lesson_id uuid not null,
  source_path text not null,
  status text not null default 'queued'
    constraint video_jobs_status_check
    check (status in ('queued', 'running', 'done', 'failed', 'dead', 'superseded')),
  attempts integer not null default 0
    constraint video_jobs_attempts_check check (attempts >= 0),
  run_after timestamptz not null default now(),
  lease_until timestamptz,
  output_prefix text,
  last_error text
    constraint video_jobs_last_error_check check (length(last_error) <= 1000),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  constraint video_jobs_lease_check check ((status = 'running') = (lease_until is not null)),
  constraint video_jobs_finished_at_check
    check ((status in ('done', 'failed', 'dead', 'superseded')) = (finished_at is not null))
);
comment on table private.video_jobs is
  'Transcoding jobs: one per lesson file version, queued by the lessons trigger, worked by the '
  'video worker through private.video_job_claim(), video_job_heartbeat(), video_job_done() and '
  'video_job_failed(). Kept after they finish, as the history support reads.';
comment on column private.video_jobs.source_path is 'The lesson''s storage_path when the job was queued: the file to transcode.';
comment on column private.video_jobs.status is
  'queued: waiting for run_after (a first try or a retry); running: claimed, leased until '
  'lease_until; done: its ladder is the lesson''s renditions; failed: the input cannot be '
  'transcoded (not a video, corrupt, missing), not retried; dead: given up after 5 attempts; '
  'superseded: the lesson got another file (or none, or was deleted) before it finished.';
comment on column private.video_jobs.attempts is 'How many times a worker has claimed the job.';
comment on column private.video_jobs.run_after is 'When a queued job is next due (backoff after a failure).';
comment on column private.video_jobs.lease_until is
  'While running: when the worker''s lease ends unless renewed (5 minutes, renewed by the heartbeat); '
  'after that the job is presumed abandoned and claimed again.';
comment on column private.video_jobs.output_prefix is
  'Where the current (or last) attempt writes its playlists and segments: hls/<lesson>/<job>-<attempt>/. '
  'A new prefix per attempt, so cleaning up one attempt never races another''s uploads.';
comment on column private.video_jobs.last_error is
  'Why the last attempt failed, as the worker reported it: a message for people, no paths or secrets.';

create table private.video_cleanup (
  prefix text primary key
    constraint video_cleanup_prefix_check check (prefix ~ '^hls/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/$'),
  queued_at timestamptz not null default now()
);
comment on table private.video_cleanup is
  'Storage prefixes nothing points to any more (a failed or discarded attempt, the renditions of a '
  'replaced or deleted file), for the video worker to delete. Prefixes are never reused.';

create table public.lesson_renditions (
  tenant_id uuid not null,
  course_id uuid not null,
  lesson_id uuid not null,
  source_path text not null,
  hls_prefix text not null
    constraint lesson_renditions_hls_prefix_check check (hls_prefix ~ '^hls/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/$'),
  variants jsonb not null
    constraint lesson_renditions_variants_check
    check (jsonb_typeof(variants) = 'array' and jsonb_array_length(variants) between 1 and 3),
  job_id bigint not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, lesson_id),
  constraint lesson_renditions_lesson_fkey foreign key (tenant_id, course_id, lesson_id)
    references public.lessons (tenant_id, course_id, id) on delete cascade
);
comment on table public.lesson_renditions is
  'The HLS ladder of a video lesson''s current file: the player streams '
  '<hls_prefix>master.m3u8 (signed by the server) and falls back to the MP4. Read by whoever may '
  'read the lesson; written only by private.video_job_done(), removed when the lesson''s file '
  'changes or the lesson is deleted.';
comment on column public.lesson_renditions.source_path is 'The lesson storage_path this ladder was made from.';
comment on column public.lesson_renditions.hls_prefix is 'Storage prefix holding master.m3u8 and one folder per variant.';
comment on column public.lesson_renditions.variants is
  'The ladder, lowest first: [{"name":"240p","width":426,"height":240,"bandwidth":310000}, …].';
comment on column public.lesson_renditions.job_id is 'The private.video_jobs row that made it.';

-------------------------------------------------------------------------------
-- Indexes
-------------------------------------------------------------------------------

-- One unfinished job per lesson: the trigger supersedes the old one before queueing the next.
create unique index video_jobs_one_unfinished_per_lesson_idx on private.video_jobs (tenant_id, lesson_id)
  where status in ('queued', 'running');
-- The claim reads only unfinished jobs; finished ones accumulate and stay out of it.
create index video_jobs_run_after_idx on private.video_jobs (run_after) where status = 'queued';
create index video_jobs_lease_until_idx on private.video_jobs (lease_until) where status = 'running';
create index video_jobs_tenant_id_lesson_id_idx on private.video_jobs (tenant_id, lesson_id);
create index video_cleanup_queued_at_idx on private.video_cleanup (queued_at);
-- lesson_renditions: the primary key (tenant_id, lesson_id) serves the policy, the lesson
-- foreign key and the lessons trigger.

-------------------------------------------------------------------------------
-- Grants: none on the private tables; renditions are read-only for people.
-------------------------------------------------------------------------------

revoke all on table private.video_jobs from public, anon, authenticated, service_role;
revoke all on table private.video_cleanup from public, anon, authenticated, service_role;

revoke all on table public.lesson_renditions from public, anon, authenticated, service_role;
grant select on table public.lesson_renditions to authenticated, service_role;

-------------------------------------------------------------------------------
-- RLS and policies
-------------------------------------------------------------------------------

alter table private.video_jobs enable row level security;
alter table private.video_cleanup enable row level security;
alter table public.lesson_renditions enable row level security;

-- The sub-select runs under the lessons' own policy: whoever reads the lesson reads this.
create policy "People who can read a lesson can read its renditions"
  on public.lesson_renditions for select to authenticated
  using (
    tenant_id = (select private.current_tenant_id())
    and exists (
      select from public.lessons l
      where l.tenant_id = lesson_renditions.tenant_id and l.id = lesson_renditions.lesson_id
    )
  );

-------------------------------------------------------------------------------
-- Triggers
-------------------------------------------------------------------------------

-- Security definer: teachers change lessons; the job table is the worker's alone.
create function private.tg_lessons__queue_video_job()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_tenant_id uuid;
  v_lesson_id uuid;
  v_new_file text; -- the video file the lesson has now, if any
begin
  if tg_op = 'DELETE' then
    v_tenant_id := old.tenant_id;
    v_lesson_id := old.id;
  else
    if tg_op = 'UPDATE' and new.kind = old.kind and new.storage_path is not distinct from old.storage_path then
      return null;
    end if;
    v_tenant_id := new.tenant_id;
    v_lesson_id := new.id;
    v_new_file := case when new.kind = 'video' then new.storage_path end;
  end if;

  -- An unfinished job for another file (or for a lesson that is gone) is of no use now; its
  -- worker learns it when it reports, and its outputs are cleaned up then.
  update private.video_jobs
     set status = 'superseded',
         finished_at = now(),
         lease_until = null,
         last_error = case when tg_op = 'DELETE' then 'The lesson was deleted' else 'The lesson got another file' end
   where tenant_id = v_tenant_id and lesson_id = v_lesson_id
     and status in ('queued', 'running');

  if tg_op = 'UPDATE' then
    -- A ladder of another file must not play for this one (its storage is queued for
    -- cleanup by the renditions trigger). On DELETE the foreign key cascade removes it.
    delete from public.lesson_renditions r
     where r.tenant_id = v_tenant_id and r.lesson_id = v_lesson_id
       and r.source_path is distinct from v_new_file;
  end if;

  if v_new_file is not null then
    insert into private.video_jobs (tenant_id, course_id, lesson_id, source_path)
    values (new.tenant_id, new.course_id, new.id, v_new_file);
  end if;
  return null;
end
$$;
comment on function private.tg_lessons__queue_video_job() is
  'AFTER INSERT, DELETE, or UPDATE OF kind/storage_path on public.lessons: a video lesson''s new '
  'file gets a transcoding job; the lesson''s unfinished job for an older file is superseded '
  'and the renditions of an older file are removed.';
revoke execute on function private.tg_lessons__queue_video_job() from public, anon, authenticated, service_role;

create trigger _600_queue_video_job after insert or delete or update of kind, storage_path on public.lessons
  for each row execute function private.tg_lessons__queue_video_job();

create function private.tg_video_jobs__notify()
  returns trigger
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  -- Delivered to listeners when the inserting transaction commits; never on rollback.
  perform pg_catalog.pg_notify('video_jobs', new.id::text);
  return null;
end
$$;
comment on function private.tg_video_jobs__notify() is
  'AFTER INSERT (per row) on private.video_jobs: NOTIFY video_jobs with the new id, to wake the worker.';
revoke execute on function private.tg_video_jobs__notify() from public, anon, authenticated, service_role;

create trigger _900_notify after insert on private.video_jobs
  for each row execute function private.tg_video_jobs__notify();

-- Security definer: renditions disappear in people's transactions (a lesson deleted or given
-- another file); the cleanup queue is the worker's alone.
create function private.tg_lesson_renditions__queue_cleanup()
  returns trigger
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  if tg_op = 'DELETE' or new.hls_prefix <> old.hls_prefix then
    insert into private.video_cleanup (prefix) values (old.hls_prefix) on conflict do nothing;
  end if;
  return null;
end
$$;
comment on function private.tg_lesson_renditions__queue_cleanup() is
  'AFTER UPDATE OR DELETE on public.lesson_renditions: the storage of a ladder nothing points to '
  'any more is queued in private.video_cleanup.';
revoke execute on function private.tg_lesson_renditions__queue_cleanup() from public, anon, authenticated, service_role;

create trigger _010_protect_tenant_id before update on public.lesson_renditions
  for each row execute function private.tg__protect_tenant_id();
create trigger _900_queue_cleanup after update or delete on public.lesson_renditions
  for each row execute function private.tg_lesson_renditions__queue_cleanup();

-------------------------------------------------------------------------------
-- Functions (the worker's; service_role only)
-------------------------------------------------------------------------------

create function private.video_job_claim(p_limit integer default 1)
  returns setof private.video_jobs
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_max_attempts constant integer := 5;
  c_lease constant interval := interval '5 minutes';
begin
  if p_limit is null or p_limit < 1 or p_limit > 100 then
    raise exception 'Claim between 1 and 100 video jobs at a time' using errcode = 'EL422';
  end if;

  -- A worker took the last allowed attempt and stopped reporting: give up on those.
  with abandoned as (
    update private.video_jobs j
       set status = 'dead',
           finished_at = now(),
           lease_until = null,
           last_error = 'The worker stopped reporting during the last attempt'
      from (
        select id from private.video_jobs
        where status = 'running' and lease_until <= now() and attempts >= c_max_attempts
        for update skip locked
      ) a
     where j.id = a.id
    returning j.output_prefix
  )
  insert into private.video_cleanup (prefix)
  select output_prefix from abandoned where output_prefix is not null
  on conflict do nothing;

  -- Due jobs, oldest first: queued ones whose time has come, and running ones whose lease
  -- ended (their worker crashed: what it uploaded is cleaned up). Jobs another worker is
  -- claiming right now are skipped.
  return query
  with due as (
    select id, status, output_prefix from private.video_jobs
    where (status = 'queued' and run_after <= now()) or (status = 'running' and lease_until <= now())
    order by case when status = 'queued' then run_after else lease_until end, id
    limit p_limit
    for update skip locked
  ), abandoned_attempts as (
    insert into private.video_cleanup (prefix)
    select output_prefix from due where status = 'running' and output_prefix is not null
    on conflict do nothing
  )
  update private.video_jobs j
     set status = 'running',
         attempts = j.attempts + 1,
         started_at = now(),
         lease_until = now() + c_lease,
         output_prefix = pg_catalog.format('hls/%s/%s-%s/', j.lesson_id, j.id, j.attempts + 1),
         last_error = case
           when due.status = 'running' then 'The worker stopped reporting within 5 minutes'
           else j.last_error
         end
    from due
   where j.id = due.id
  returning j.*;
end
$$;
comment on function private.video_job_claim(integer) is
  'For the video worker: claims up to p_limit due jobs (queued and due, or running with an ended '
  'lease), oldest first, skipping jobs other workers hold (for update skip locked). Each becomes '
  'running with attempts + 1, a 5-minute lease and a new output_prefix; returned whole. Jobs whose '
  'lease ended after the 5th attempt become dead instead. Abandoned attempts'' storage is queued '
  'for cleanup.';
revoke execute on function private.video_job_claim(integer) from public, anon, authenticated;
grant execute on function private.video_job_claim(integer) to service_role;

create function private.video_job_heartbeat(p_id bigint, p_attempt integer)
  returns boolean
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  update private.video_jobs
     set lease_until = now() + interval '5 minutes'
   where id = p_id and status = 'running' and attempts = p_attempt;
  return found;
end
$$;
comment on function private.video_job_heartbeat(bigint, integer) is
  'For the video worker, every minute while it works on attempt p_attempt of job p_id: renews '
  'the 5-minute lease. False when the job is no longer this attempt''s (superseded, or its lease '
  'ended and another worker took it): the worker stops.';
revoke execute on function private.video_job_heartbeat(bigint, integer) from public, anon, authenticated;
grant execute on function private.video_job_heartbeat(bigint, integer) to service_role;

create function private.video_job_done(p_id bigint, p_attempt integer, p_variants jsonb)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_job private.video_jobs;
  v_path text;
begin
  if p_variants is null or jsonb_typeof(p_variants) <> 'array' or jsonb_array_length(p_variants) not between 1 and 3
     or exists (
       select from jsonb_array_elements(p_variants) v
       where jsonb_typeof(v) <> 'object'
          or coalesce(v ->> 'name', '') !~ '^[0-9]{3,4}p$'
          or coalesce(v ->> 'height', '') !~ '^[0-9]{1,4}$'
          or coalesce(v ->> 'width', '') !~ '^[0-9]{1,4}$'
          or coalesce(v ->> 'bandwidth', '') !~ '^[0-9]{1,9}$'
     ) then
    raise exception 'A ladder is 1 to 3 variants of name, width, height and bandwidth'
      using errcode = 'EL422';
  end if;

  select * into v_job from private.video_jobs where id = p_id for update;
  if not found then
    return null;
  end if;
  if v_job.status <> 'running' or v_job.attempts <> p_attempt then
    -- Superseded, or taken over after the lease ended: what this attempt made is nobody's.
    insert into private.video_cleanup (prefix)
    values (pg_catalog.format('hls/%s/%s-%s/', v_job.lesson_id, v_job.id, p_attempt))
    on conflict do nothing;
    return 'discarded';
  end if;

  -- The lesson row lock orders this against a change of its file: whichever commits first,
  -- a ladder of an older file never stays on the lesson.
  select l.storage_path into v_path
  from public.lessons l
  where l.tenant_id = v_job.tenant_id and l.id = v_job.lesson_id and l.kind = 'video'
  for update;
  if v_path is distinct from v_job.source_path then
    update private.video_jobs
       set status = 'superseded', finished_at = now(), lease_until = null,
           last_error = 'The lesson got another file'
     where id = p_id;
    insert into private.video_cleanup (prefix) values (v_job.output_prefix) on conflict do nothing;
    return 'discarded';
  end if;

  insert into public.lesson_renditions as r (tenant_id, course_id, lesson_id, source_path, hls_prefix, variants, job_id)
  values (v_job.tenant_id, v_job.course_id, v_job.lesson_id, v_job.source_path, v_job.output_prefix, p_variants, v_job.id)
  on conflict (tenant_id, lesson_id) do update
    set course_id = excluded.course_id,
        source_path = excluded.source_path,
        hls_prefix = excluded.hls_prefix,
        variants = excluded.variants,
        job_id = excluded.job_id,
        created_at = now();

  update private.video_jobs
     set status = 'done', finished_at = now(), lease_until = null, last_error = null
   where id = p_id;
  return 'recorded';
end
$$;
comment on function private.video_job_done(bigint, integer, jsonb) is
  'For the video worker: attempt p_attempt of job p_id uploaded its ladder under its '
  'output_prefix. Records it as the lesson''s renditions and marks the job done, in one '
  'transaction, and returns recorded — or, when the job was superseded, taken over, or the '
  'lesson''s file changed, changes no rendition, queues the attempt''s storage for cleanup and '
  'returns discarded. Null when the job no longer exists. p_variants: 1 to 3 objects '
  '{name, width, height, bandwidth}, lowest first (else EL422).';
revoke execute on function private.video_job_done(bigint, integer, jsonb) from public, anon, authenticated;
grant execute on function private.video_job_done(bigint, integer, jsonb) to service_role;

create function private.video_job_failed(p_id bigint, p_attempt integer, p_error text, p_permanent boolean default false)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  c_max_attempts constant integer := 5;
  v_job private.video_jobs;
  v_status text;
begin
  select * into v_job from private.video_jobs where id = p_id for update;
  if not found then
    return null;
  end if;
  -- Whatever this attempt uploaded is nobody's.
  insert into private.video_cleanup (prefix)
  values (pg_catalog.format('hls/%s/%s-%s/', v_job.lesson_id, v_job.id, p_attempt))
  on conflict do nothing;
  if v_job.status <> 'running' or v_job.attempts <> p_attempt then
    return null;
  end if;

  v_status := case
    when p_permanent then 'failed'
    when v_job.attempts >= c_max_attempts then 'dead'
    else 'queued'
  end;
  update private.video_jobs
     set status = v_status,
         lease_until = null,
         finished_at = case when v_status = 'queued' then null else now() end,
         run_after = case
           when v_status = 'queued' then now() + least(interval '30 seconds' * power(2, attempts), interval '1 hour')
           else run_after
         end,
         last_error = left(coalesce(nullif(btrim(p_error), ''), 'unknown error'), 1000)
   where id = p_id;
  return v_status;
end
$$;
comment on function private.video_job_failed(bigint, integer, text, boolean) is
  'For the video worker: attempt p_attempt of job p_id failed with p_error (a message for people). '
  'Retried after 2^attempts × 30 s (60 s, 120 s, 240 s, 480 s; at most an hour), dead after the 5th '
  'attempt, failed at once when p_permanent (the input cannot be transcoded). The attempt''s '
  'storage is queued for cleanup. Returns the new status (queued, dead or failed), or null when '
  'the attempt was no longer the job''s (superseded, taken over) or the job is gone.';
revoke execute on function private.video_job_failed(bigint, integer, text, boolean) from public, anon, authenticated;
grant execute on function private.video_job_failed(bigint, integer, text, boolean) to service_role;

create function private.video_cleanup_pending(p_limit integer default 20)
  returns setof text
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select c.prefix from private.video_cleanup c
  order by c.queued_at, c.prefix
  limit least(greatest(coalesce(p_limit, 20), 1), 500)
$$;
comment on function private.video_cleanup_pending(integer) is
  'For the video worker: the oldest storage prefixes waiting to be deleted (at most 500). Deleting '
  'is idempotent, so two workers deleting one prefix do no harm.';
revoke execute on function private.video_cleanup_pending(integer) from public, anon, authenticated;
grant execute on function private.video_cleanup_pending(integer) to service_role;

create function private.video_cleanup_done(p_prefixes text[])
  returns integer
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  with removed as (
    delete from private.video_cleanup where prefix = any (p_prefixes) returning 1
  )
  select count(*)::integer from removed
$$;
comment on function private.video_cleanup_done(text[]) is
  'For the video worker: these prefixes are deleted from storage; forgets them. Returns how many.';
revoke execute on function private.video_cleanup_done(text[]) from public, anon, authenticated;
grant execute on function private.video_cleanup_done(text[]) to service_role;

-------------------------------------------------------------------------------
-- Existing lessons: a database migrated with videos already uploaded gets their jobs now.
-------------------------------------------------------------------------------

insert into private.video_jobs (tenant_id, course_id, lesson_id, source_path)
select l.tenant_id, l.course_id, l.id, l.storage_path
from public.lessons l
where l.kind = 'video' and l.storage_path is not null;
