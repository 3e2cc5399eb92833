-- 20261129001000_video_status.sql — the lesson editor tells a video lesson's editors how its
-- streaming versions (the HLS ladder) are getting on, and lets them try again once the worker has
-- given up:
--
--   * public.lesson_video_status(lesson) — the latest job for the lesson's current file: queued,
--     running, done, failed (the file cannot be transcoded: not retried) or dead (given up after 5
--     attempts), with its attempts and the worker's message. Nothing for anyone who may not change
--     the lesson, a lesson without a video, or a file no job was made for;
--   * public.retry_video_job(lesson) — queues a new job for the current file when the latest one
--     is dead. A failed file would fail again: another upload is the way (EL409 says so);
--   * private.video_job_states() — the same states counted over the lessons, for /metrics and an
--     alert on given-up jobs.
--
-- The jobs table stays the worker's (private, no grants); the two public functions are the only
-- way people reach it, and they check who is asking first.
--
-- Error codes raised here (the TypeScript layer maps codes, never messages, to HTTP):
--   EL404  the lesson is unknown, of another school, or not readable        -> 404
--   EL403  readable, but not the caller's to change                          -> 403
--   EL409  nothing to retry: no video, or its versions are not dead          -> 409
--
-- Run by the migration owner inside one transaction (no begin/commit here).

-- Security definer: reads the worker's table, for the lesson's editors only.
create function public.lesson_video_status(p_lesson_id uuid)
  returns table (status text, attempts integer, last_error text)
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
begin
  return query
  select j.status, j.attempts, j.last_error
  from public.lessons l
  join private.video_jobs j
    on j.tenant_id = l.tenant_id and j.lesson_id = l.id and j.source_path = l.storage_path
  where l.id = p_lesson_id
    and l.tenant_id = private.current_tenant_id()
    and l.kind = 'video'
    and l.course_id in (select private.editable_course_ids())
  order by j.id desc
  limit 1;
end
$$;
comment on function public.lesson_video_status(uuid) is
  'The latest transcoding job of a video lesson''s current file (status queued, running, done, '
  'failed or dead; attempts; the worker''s message), for the course''s '
  'instructors and the school''s admins; no row for anyone else or without a job.';
revoke execute on function public.lesson_video_status(uuid) from public, anon, authenticated;
grant execute on function public.lesson_video_status(uuid) to authenticated;

-- Security definer: inserts into the worker's table after checking the caller may change the
-- lesson. The lesson row is locked first, so a new upload and a retry cannot cross.
create function public.retry_video_job(p_lesson_id uuid)
  returns bigint
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_lesson public.lessons;
  v_editable boolean;
  v_last text;
  v_job_id bigint;
begin
  select l.* into v_lesson
  from public.lessons l
  where l.id = p_lesson_id and l.tenant_id = private.current_tenant_id()
  for update;
  v_editable := found and v_lesson.course_id in (select private.editable_course_ids());
  if not (v_editable or (found and v_lesson.course_id in (select private.content_course_ids()))) then
    raise exception 'Lesson not found.' using errcode = 'EL404';
  end if;
  if not v_editable then
    raise exception 'Only the course''s instructors and the school''s admins can change it.'
      using errcode = 'EL403';
  end if;
  if v_lesson.kind <> 'video' or v_lesson.storage_path is null then
    raise exception 'This lesson has no video to prepare.' using errcode = 'EL409';
  end if;

  select j.status into v_last
  from private.video_jobs j
  where j.tenant_id = v_lesson.tenant_id and j.lesson_id = v_lesson.id
    and j.source_path = v_lesson.storage_path
  order by j.id desc
  limit 1;
  if v_last = 'failed' then
    raise exception 'This file cannot be prepared for streaming; upload another file.'
      using errcode = 'EL409';
  end if;
  if v_last is distinct from 'dead' then
    raise exception 'Nothing to try again: the streaming versions are ready or on their way.'
      using errcode = 'EL409';
  end if;

  insert into private.video_jobs (tenant_id, course_id, lesson_id, source_path)
  values (v_lesson.tenant_id, v_lesson.course_id, v_lesson.id, v_lesson.storage_path)
  returning id into v_job_id;
  return v_job_id;
end
$$;
comment on function public.retry_video_job(uuid) is
  'Queues a new transcoding job for a video lesson''s current file whose latest job is dead, and '
  'returns its id. For the course''s instructors and the school''s admins: EL404 Lesson not found. '
  '(unknown, other school, not readable), EL403 readable but not theirs, EL409 no video, a failed '
  'file (upload another), or nothing to retry.';
revoke execute on function public.retry_video_job(uuid) from public, anon, authenticated;
grant execute on function public.retry_video_job(uuid) to authenticated;

-- For /metrics: the lessons whose streaming versions are waiting, being made, ready, failed or
-- given up, by the latest job of each lesson's current file (finished jobs are kept as history, so
-- counting every job would never go down). `dead` above zero wants someone to look at the server.
create function private.video_job_states()
  returns table (status text, lessons integer)
  language sql
  stable
  security definer
  set search_path = ''
as $$
  with latest as (
    select distinct on (j.tenant_id, j.lesson_id) j.status
    from private.video_jobs j
    join public.lessons l
      on l.tenant_id = j.tenant_id and l.id = j.lesson_id and l.storage_path = j.source_path
    order by j.tenant_id, j.lesson_id, j.id desc
  )
  select s.status, count(x.status)::integer
  from (values ('queued'), ('running'), ('done'), ('failed'), ('dead')) as s (status)
  left join latest x on x.status = s.status
  group by s.status
  order by s.status
$$;
comment on function private.video_job_states() is
  'How many lessons'' current video files are in each transcoding state (every state listed, zero '
  'included), by their latest job: what /metrics exports for alerting on a stuck or failing worker.';
revoke execute on function private.video_job_states() from public, anon, authenticated;
grant execute on function private.video_job_states() to service_role;
