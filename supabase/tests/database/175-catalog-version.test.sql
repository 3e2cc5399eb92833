-- The catalog version (public.catalog_version) and audience (public.catalog_audience) that let
-- the app keep catalog pages in memory: the version changes with everything a catalog page shows
-- or depends on, and with nothing else; once per transaction; at commit; per school. Callers of
-- one audience get the same catalog, callers who see more get an audience of their own.
--
-- pgTAP runs in one transaction, whose commit never comes: the deferred triggers are fired at the
-- end of each statement (set constraints all immediate), and pg_temp.changed() clears the
-- once-per-transaction mark after each look, so each step stands for a transaction of its own.
begin;
select plan(37);

select tests.create_school('version-a');
select tests.create_school('version-b');
select tests.create_person(tests.school_id('version-a'), 'admin', 'admin@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'teacher', 'teacher@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'teacher', 'drafter@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'student', 'student1@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'student', 'student2@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'student', 'tester@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'parent', 'parent1@version-a.test');
select tests.create_person(tests.school_id('version-a'), 'parent', 'parent2@version-a.test');
select tests.create_person(tests.school_id('version-b'), 'student', 'student@version-b.test');

-- The version a school had at the last look, and whether it moved since.
create temp table seen (tenant_id uuid primary key, version bigint not null);
grant select on seen to authenticated;
create function pg_temp.changed(p_slug text)
  returns boolean
  language plpgsql
as $$
declare
  v_now bigint := coalesce(
    (select version from private.catalog_versions where tenant_id = tests.school_id(p_slug)), 0);
  v_before bigint := coalesce((select version from seen where tenant_id = tests.school_id(p_slug)), 0);
begin
  insert into seen values (tests.school_id(p_slug), v_now)
  on conflict (tenant_id) do update set version = excluded.version;
  perform set_config('elymica.catalog_versions_bumped', '', true);
  return v_now <> v_before;
end
$$;

select is(pg_temp.changed('version-a'), false, 'a school with people and no courses is at version 0');
select tests.authenticate_as(tests.person_id('student1@version-a.test'));
select is(public.catalog_version(), 0::bigint, 'and its students read version 0');
select tests.authenticate_as_owner();

-- Deferred: nothing moves before the commit (here, before the triggers are fired by hand)
insert into public.courses (id, tenant_id, code, title, subject, grade_level, status, capacity) values
  ('00000000-0000-4000-6000-000000000001', tests.school_id('version-a'), 'PUB', 'Published', 'versions', '10', 'published', 3),
  ('00000000-0000-4000-6000-000000000002', tests.school_id('version-a'), 'DRAFT', 'Draft', 'versions', '10', 'draft', 5),
  ('00000000-0000-4000-6000-000000000003', tests.school_id('version-b'), 'OTHER', 'Other school', 'versions', '10', 'published', 3);
select is(pg_temp.changed('version-a'), false, 'new courses do not move the version before commit');
select is(
  (select count(*) from private.catalog_versions where tenant_id = tests.school_id('version-a')),
  0::bigint, 'no version row yet either'
);
-- the last version handed out (a sequence not yet used reports 1, not called)
create temp table marks as
select case when is_called then last_value else last_value - 1 end as seq_before
from private.catalog_version_seq;
set constraints all immediate;
select is(pg_temp.changed('version-a'), true, 'at commit, new courses move the version');
select is(
  (select last_value from private.catalog_version_seq), (select seq_before + 2 from marks),
  'once per school and transaction: two courses of A, one of B, two new versions in all'
);
select is(pg_temp.changed('version-b'), true, 'the other school got its own');

select tests.authenticate_as(tests.person_id('student1@version-a.test'));
select is(
  public.catalog_version(),
  (select version from seen where tenant_id = tests.school_id('version-a')),
  'a student reads their own school''s version'
);
select tests.authenticate_as(tests.person_id('student@version-b.test'));
select is(
  public.catalog_version(),
  (select version from seen where tenant_id = tests.school_id('version-b')),
  'and a student of the other school theirs'
);
select tests.authenticate_as_owner();

-- Everything a card shows or who sees a draft: each moves the version
insert into public.course_instructors (tenant_id, course_id, teacher_id) values
  (tests.school_id('version-a'), '00000000-0000-4000-6000-000000000001', tests.person_id('teacher@version-a.test')),
  (tests.school_id('version-a'), '00000000-0000-4000-6000-000000000002', tests.person_id('drafter@version-a.test'));
select is(pg_temp.changed('version-a'), true, 'assigning instructors moves it');
select is(pg_temp.changed('version-b'), false, 'but not the other school''s');
update public.courses set capacity = 4 where id = '00000000-0000-4000-6000-000000000001';
select is(pg_temp.changed('version-a'), true, 'a new capacity moves it');
update public.courses set title = 'Published course' where id = '00000000-0000-4000-6000-000000000001';
select is(pg_temp.changed('version-a'), true, 'a new title moves it');

select tests.authenticate_as(tests.person_id('student1@version-a.test'));
select public.enroll('00000000-0000-4000-6000-000000000001');
select tests.authenticate_as_owner();
select is(pg_temp.changed('version-a'), true, 'an enrolment through enroll() moves it (a seat)');
update public.enrollments set status = 'completed' where student_id = tests.person_id('student1@version-a.test');
select is(pg_temp.changed('version-a'), false, 'completing a course does not (it keeps its seat)');
update public.enrollments set status = 'withdrawn' where student_id = tests.person_id('student1@version-a.test');
select is(pg_temp.changed('version-a'), true, 'withdrawing does (the seat is free again)');
update public.enrollments set updated_at = now() + interval '1 minute'
where student_id = tests.person_id('student1@version-a.test');
select is(pg_temp.changed('version-a'), false, 'touching an enrolment otherwise does not');

update public.people set full_name = 'Teacher Renamed' where id = tests.person_id('teacher@version-a.test');
select is(pg_temp.changed('version-a'), true, 'an instructor''s new name moves it');
update public.people set phone = '+254700000001' where id = tests.person_id('teacher@version-a.test');
select is(pg_temp.changed('version-a'), false, 'a new phone number does not');

insert into public.enrollments (tenant_id, course_id, student_id, status, enrolled_by)
values (tests.school_id('version-a'), '00000000-0000-4000-6000-000000000002',
        tests.person_id('student2@version-a.test'), 'enrolled', tests.person_id('admin@version-a.test'));
select is(pg_temp.changed('version-a'), true, 'an enrolment in a draft moves it');
insert into public.guardian_links (tenant_id, parent_id, student_id) values
  (tests.school_id('version-a'), tests.person_id('parent1@version-a.test'), tests.person_id('student2@version-a.test')),
  (tests.school_id('version-a'), tests.person_id('parent2@version-a.test'), tests.person_id('student1@version-a.test'));
select is(pg_temp.changed('version-a'), true, 'linking a parent moves it (they see their child''s draft)');

insert into public.modules (tenant_id, course_id, title, position)
values (tests.school_id('version-a'), '00000000-0000-4000-6000-000000000001', 'Week 1', 1);
select is(pg_temp.changed('version-a'), false, 'a module does not (the catalog shows none)');
select cmp_ok(
  (select version from seen where tenant_id = tests.school_id('version-a')), '>',
  (select seq_before + 2 from marks),
  'versions only grow'
);

-- Audiences: who shares a catalog
select tests.authenticate_as(tests.person_id('student1@version-a.test'));
select is(public.catalog_audience(), 'published', 'a student in published courses only: the published catalog');
select is(
  public.catalog_audience(true),
  'person:' || tests.person_id('student1@version-a.test') || ':student',
  'mine=true is always the caller''s own'
);
select tests.authenticate_as(tests.person_id('teacher@version-a.test'));
select is(public.catalog_audience(), 'published', 'a teacher of published courses only: the published catalog');
select tests.authenticate_as(tests.person_id('drafter@version-a.test'));
select is(
  public.catalog_audience(), 'person:' || tests.person_id('drafter@version-a.test') || ':teacher',
  'the teacher of a draft: their own'
);
select tests.authenticate_as(tests.person_id('student2@version-a.test'));
select is(
  public.catalog_audience(), 'person:' || tests.person_id('student2@version-a.test') || ':student',
  'a student enrolled in a draft: their own'
);
select tests.authenticate_as(tests.person_id('parent1@version-a.test'));
select is(
  public.catalog_audience(), 'person:' || tests.person_id('parent1@version-a.test') || ':parent',
  'the parent of that student: their own'
);
select tests.authenticate_as(tests.person_id('parent2@version-a.test'));
select is(public.catalog_audience(), 'published', 'a parent whose child sees no draft: the published catalog');
select tests.authenticate_as(tests.person_id('admin@version-a.test'));
select is(public.catalog_audience(), 'admin', 'an admin: every course of the school');

-- One audience, one catalog: what each person of school A sees, by audience
create temp table seen_catalogs (person_id uuid, audience text, catalog text);
grant insert, select on seen_catalogs to authenticated;
do $$
declare
  v_person uuid;
begin
  for v_person in select id from public.people where tenant_id = tests.school_id('version-a') loop
    perform tests.authenticate_as(v_person);
    insert into seen_catalogs
    select v_person, public.catalog_audience(),
           string_agg(c.code || '/' || c.seats_left, ',' order by c.code)
    from public.catalog(null, null, null, 'code', 'asc', 100, 0, false) c;
  end loop;
  perform tests.authenticate_as_owner();
end
$$;
select tests.authenticate_as_owner();
select is(
  (select count(distinct catalog) from seen_catalogs where audience = 'published'), 1::bigint,
  'everyone of the published audience sees the same catalog'
);
select is(
  (select count(*) from seen_catalogs where audience = 'published'), 4::bigint,
  'and that is four people of school A (a student, a teacher, a parent, the tester)'
);
select isnt(
  (select catalog from seen_catalogs where audience = 'admin'),
  (select distinct catalog from seen_catalogs where audience = 'published'),
  'the admin''s catalog differs from it (the draft)'
);
select isnt(
  (select catalog from seen_catalogs where person_id = tests.person_id('drafter@version-a.test')),
  (select distinct catalog from seen_catalogs where audience = 'published'),
  'and so does the drafter''s'
);

-- Who may call what
select tests.clear_authentication();
select throws_ok($$ select public.catalog_version() $$, '42501', null, 'anon may not read a version');
select tests.authenticate_as(tests.person_id('student1@version-a.test'));
select throws_ok(
  $$ select * from private.catalog_versions $$, '42501', null,
  'a signed-in person cannot read the versions table'
);

select * from finish();
rollback;
