-- Guards that hold for every table and function, present and future: RLS everywhere, no
-- table privilege for anon and only the pinned auth functions to execute, nothing in
-- private/audit for authenticated beyond the audit log read, policies written the house way,
-- indexed foreign keys, comments, pinned search paths.
begin;
select plan(13);

create temporary view our_relations as
  select c.oid, n.nspname as schema_name, c.relname as table_name, c.relkind, c.relrowsecurity
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname in ('public', 'private', 'audit')
    and c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not exists (
      select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'
    );

create temporary view our_functions as
  select p.oid, n.nspname as schema_name, p.proname, p.prosecdef, p.proconfig
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'private', 'audit')
    and not exists (
      select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
    );

create temporary view table_privileges as
  select r.schema_name, r.table_name, g.grantee, pr.privilege
  from our_relations r
  cross join (values ('anon'), ('authenticated'), ('service_role')) g(grantee)
  cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) pr(privilege)
  where case
    when pr.privilege in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
      then pg_catalog.has_any_column_privilege(g.grantee, r.oid, pr.privilege)
    else pg_catalog.has_table_privilege(g.grantee, r.oid, pr.privilege)
  end;

select is_empty(
  $$ select schema_name, table_name from our_relations where relkind in ('r', 'p') and not relrowsecurity $$,
  'every table in public, private and audit has row level security enabled'
);

select is_empty(
  $$ select * from table_privileges where grantee = 'anon' $$,
  'anon holds no privilege on any table in public, private or audit'
);

select results_eq(
  $$ select schema_name, table_name, privilege::text from table_privileges
     where grantee = 'authenticated' and schema_name in ('private', 'audit') order by 1, 2, 3 $$,
  $$ values ('audit'::name, 'log'::name, 'SELECT') $$,
  'authenticated may only read audit.log among private and audit tables'
);

select is_empty(
  $$ select * from table_privileges where schema_name = 'private' and grantee = 'service_role' $$,
  'service_role holds no privilege on private tables (passwords are read by definer functions)'
);

select is_empty(
  $$ select * from table_privileges
     where grantee in ('authenticated', 'service_role') and privilege in ('TRUNCATE', 'REFERENCES', 'TRIGGER') $$,
  'no API role may truncate, reference or add triggers to our tables'
);

select is_empty(
  $$ select n.nspname, r.rolname
     from pg_catalog.pg_namespace n
     cross join pg_catalog.pg_roles r
     where n.nspname in ('private', 'audit') and r.rolname = 'anon'
       and pg_catalog.has_schema_privilege(r.rolname, n.oid, 'USAGE')
     union all
     select n.nspname, r.rolname
     from pg_catalog.pg_namespace n
     cross join pg_catalog.pg_roles r
     where n.nspname in ('public', 'private', 'audit') and r.rolname in ('anon', 'authenticated')
       and pg_catalog.has_schema_privilege(r.rolname, n.oid, 'CREATE') $$,
  'anon cannot use private or audit; no API role can create objects in our schemas'
);

select results_eq(
  $$ select oid::regprocedure::text from our_functions
     where pg_catalog.has_function_privilege('anon', oid, 'EXECUTE')
     order by oid::regprocedure::text collate "C" $$,
  $$ values ('auth_password_problems(text)'), ('auth_refresh(text,text)'), ('auth_resend_otp(uuid)'),
            ('auth_sign_in(text,text,text)'), ('auth_sign_out(text)'), ('auth_verify_otp(uuid,text,text)') $$,
  'anon can execute only the sign-in, refresh, sign-out, code and password-policy functions'
);

select results_eq(
  $$ select oid::regprocedure::text from our_functions
     where pg_catalog.has_function_privilege('authenticated', oid, 'EXECUTE')
     order by oid::regprocedure::text collate "C" $$,
  $$ values ('auth_change_password(text,text)'), ('auth_invite(text,text,text,person_role,uuid[])'),
            ('auth_password_problems(text)'), ('auth_sign_out(text)'), ('auth_unlock(uuid)'),
            ('catalog(text,text,text,text,text,integer,integer,boolean)'),
            ('catalog_audience(boolean)'), ('catalog_version()'),
            ('complete_lesson(uuid)'), ('content_course_id(uuid,uuid,uuid)'),
            ('course_outline(uuid)'), ('course_roster(uuid)'),
            ('create_course(text,text,text,text,text,integer)'), ('enroll(uuid,uuid)'),
            ('lesson_video_status(uuid)'), ('move_lesson(uuid,integer)'), ('move_lesson_to_module(uuid,uuid)'),
            ('move_module(uuid,integer)'),
            ('my_enrollments()'), ('people_with_status()'),
            ('private.content_course_ids()'), ('private.course_cards(uuid[])'),
            ('private.course_instructor_list(uuid)'),
            ('private.current_tenant_id()'), ('private.current_user_role()'),
            ('private.editable_course_ids()'), ('private.enrolled_course_ids()'), ('private.guardian_student_ids()'),
            ('private.is_valid_timezone(text)'), ('private.taught_course_ids()'),
            ('record_lesson_view(uuid)'), ('retry_video_job(uuid)') $$,
  'authenticated can execute only the policy helpers, the timezone validator, the auth functions '
  'and the course functions (catalog, its version and audience, outline, instructor names, card extras, enrol, my '
  'enrolments, roster, complete lesson, record a view, content access, create a course, move a '
  'module or lesson, move a lesson to another module, a video''s streaming versions and retrying '
  'them)'
);

select is_empty(
  $$ select oid::regprocedure from our_functions
     where not exists (select from unnest(coalesce(proconfig, '{}')) c where c like 'search_path=%') $$,
  'every function of ours pins its search_path'
);

select is_empty(
  $$ select n.nspname, c.relname, p.polname
     from pg_catalog.pg_policy p
     join pg_catalog.pg_class c on c.oid = p.polrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where p.polcmd = '*' or p.polroles <> array['authenticated'::regrole::oid] $$,
  'no policy is FOR ALL, and every policy is TO authenticated'
);

select is_empty(
  $$ select polrelid::regclass, polcmd, count(*)
     from pg_catalog.pg_policy
     where polpermissive
     group by 1, 2 having count(*) > 1 $$,
  'at most one permissive policy per table and operation'
);

-- A foreign key is covered when an index starts with exactly its columns (in any order),
-- or a unique index lies within them.
select is_empty(
  $$ select con.conrelid::regclass, con.conname
     from pg_catalog.pg_constraint con
     join our_relations r on r.oid = con.conrelid
     where con.contype = 'f'
       and not exists (
         select from pg_catalog.pg_index i
         where i.indrelid = con.conrelid
           and (
             (select array_agg(k order by k) from unnest((i.indkey::int2[])[0:cardinality(con.conkey) - 1]) k)
               = (select array_agg(k order by k) from unnest(con.conkey) k)
             or (i.indisunique and (i.indkey::int2[])[0:i.indnkeyatts - 1] <@ con.conkey)
           )
       ) $$,
  'every foreign key has an index'
);

select is_empty(
  $$ select 'table', schema_name || '.' || table_name from our_relations
     where pg_catalog.obj_description(oid, 'pg_class') is null
     union all
     select 'function', oid::regprocedure::text from our_functions
     where pg_catalog.obj_description(oid, 'pg_proc') is null $$,
  'every table and function has a comment'
);

select * from finish();
rollback;
