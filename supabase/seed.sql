-- supabase/seed.sql — demo data: three schools (Nairobi, Lagos, Johannesburg), each with
-- 1 admin, 2 teachers, 6 students and 4 parents, all active, and guardian links (parent1
-- has two children; parents 3 and 4 share two children).
--
-- Sign in as <role><n>@<slug>.demo.elymica.test (admin1, teacher1-2, student1-6,
-- parent1-4; slug nairobi, lagos or johannesburg) with the password Elymica-Demo-2026.
--
-- Run by the owner on a migrated database (`supabase db reset` runs it; so does the app's
-- seed task). Ids are derived from 'tenant:<slug>' or the email — md5, shaped as an RFC 9562
-- version 8 uuid so strict validators (zod's z.uuid()) accept them — so they are the same on
-- every machine, and running it twice adds nothing. Each person's password is hashed once,
-- with their own bcrypt salt (cost 10): 39 hashes.
-- Phone numbers sit in the all-zero x00 000 blocks of each country's mobile range: made up,
-- meant to look fake.

create or replace function pg_temp.demo_id(p_key text)
  returns uuid
  language sql
  immutable
as $$
  select overlay(overlay(md5(p_key) placing '8' from 13 for 1) placing '8' from 17 for 1)::uuid
$$;

insert into public.tenants (id, name, slug, country, currency, timezone, plan)
values
  (pg_temp.demo_id('tenant:nairobi'), 'Nairobi Demo Academy', 'nairobi', 'KE', 'KES', 'Africa/Nairobi', 'starter'),
  (pg_temp.demo_id('tenant:lagos'), 'Lagos Demo College', 'lagos', 'NG', 'NGN', 'Africa/Lagos', 'starter'),
  (pg_temp.demo_id('tenant:johannesburg'), 'Johannesburg Demo High School', 'johannesburg', 'ZA', 'ZAR', 'Africa/Johannesburg', 'starter')
on conflict (id) do nothing;

with demo (slug, handle, role, full_name, phone) as (
  values
    -- Nairobi (+254 7xx)
    ('nairobi', 'admin1', 'admin', 'Grace Wanjiru Kamau', '+254700000101'),
    ('nairobi', 'teacher1', 'teacher', 'Peter Otieno Ochieng', '+254700000111'),
    ('nairobi', 'teacher2', 'teacher', 'Faith Achieng Odhiambo', '+254700000112'),
    ('nairobi', 'student1', 'student', 'Brian Mwangi', null),
    ('nairobi', 'student2', 'student', 'Mercy Wanjiku Mwangi', null),
    ('nairobi', 'student3', 'student', 'Kevin Kariuki', null),
    ('nairobi', 'student4', 'student', 'Joy Wambui Kariuki', null),
    ('nairobi', 'student5', 'student', 'Sharon Chepkoech Koech', null),
    ('nairobi', 'student6', 'student', 'Collins Kipkemboi Koech', null),
    ('nairobi', 'parent1', 'parent', 'James Mwangi', '+254700000131'),
    ('nairobi', 'parent2', 'parent', 'Esther Njeri Kariuki', '+254700000132'),
    ('nairobi', 'parent3', 'parent', 'Daniel Kiprotich Koech', '+254700000133'),
    ('nairobi', 'parent4', 'parent', 'Amina Chebet Koech', '+254700000134'),
    -- Lagos (+234 70x)
    ('lagos', 'admin1', 'admin', 'Adaeze Okonkwo', '+2347000000201'),
    ('lagos', 'teacher1', 'teacher', 'Babatunde Adeyemi', '+2347000000211'),
    ('lagos', 'teacher2', 'teacher', 'Ngozi Eze', '+2347000000212'),
    ('lagos', 'student1', 'student', 'Chiamaka Okafor', null),
    ('lagos', 'student2', 'student', 'Emeka Okafor', null),
    ('lagos', 'student3', 'student', 'Tobiloba Balogun', null),
    ('lagos', 'student4', 'student', 'Damilola Balogun', null),
    ('lagos', 'student5', 'student', 'Aisha Musa', null),
    ('lagos', 'student6', 'student', 'Abdullahi Musa', null),
    ('lagos', 'parent1', 'parent', 'Chinedu Okafor', '+2347000000231'),
    ('lagos', 'parent2', 'parent', 'Funmilayo Balogun', '+2347000000232'),
    ('lagos', 'parent3', 'parent', 'Ibrahim Musa', '+2347000000233'),
    ('lagos', 'parent4', 'parent', 'Hauwa Musa', '+2347000000234'),
    -- Johannesburg (+27 6x)
    ('johannesburg', 'admin1', 'admin', 'Thandiwe Nkosi', '+27600000301'),
    ('johannesburg', 'teacher1', 'teacher', 'Sipho Dlamini', '+27600000311'),
    ('johannesburg', 'teacher2', 'teacher', 'Lerato Mokoena', '+27600000312'),
    ('johannesburg', 'student1', 'student', 'Lwazi Ndlovu', null),
    ('johannesburg', 'student2', 'student', 'Zanele Ndlovu', null),
    ('johannesburg', 'student3', 'student', 'Kagiso Khumalo', null),
    ('johannesburg', 'student4', 'student', 'Palesa Khumalo', null),
    ('johannesburg', 'student5', 'student', 'Anika Botha', null),
    ('johannesburg', 'student6', 'student', 'Ruan Botha', null),
    ('johannesburg', 'parent1', 'parent', 'Themba Ndlovu', '+27600000331'),
    ('johannesburg', 'parent2', 'parent', 'Naledi Khumalo', '+27600000332'),
    ('johannesburg', 'parent3', 'parent', 'Pieter Botha', '+27600000333'),
    ('johannesburg', 'parent4', 'parent', 'Marike Botha', '+27600000334')
),
addressed as (
  select d.*, d.handle || '@' || d.slug || '.demo.elymica.test' as email
  from demo d
)
insert into public.people (id, tenant_id, full_name, email, phone, role, status)
select pg_temp.demo_id(a.email), pg_temp.demo_id('tenant:' || a.slug), a.full_name, a.email, a.phone,
       a.role::public.person_role, 'active'
from addressed a
on conflict (id) do nothing;

-- One crypt() call per person: each hash has its own salt.
insert into private.passwords (tenant_id, person_id, password_hash)
select p.tenant_id, p.id, extensions.crypt('Elymica-Demo-2026', extensions.gen_salt('bf', 10))
from public.people p
where p.email like '%.demo.elymica.test'
  and not exists (select from private.passwords pw where pw.person_id = p.id);

insert into public.guardian_links (tenant_id, parent_id, student_id, relationship)
select pg_temp.demo_id('tenant:' || s.slug),
       pg_temp.demo_id(l.parent || '@' || s.slug || '.demo.elymica.test'),
       pg_temp.demo_id(l.student || '@' || s.slug || '.demo.elymica.test'),
       l.relationship
from (values ('nairobi'), ('lagos'), ('johannesburg')) s(slug)
cross join (
  values
    ('parent1', 'student1', 'father'),
    ('parent1', 'student2', 'father'),
    ('parent2', 'student3', 'mother'),
    ('parent2', 'student4', 'mother'),
    ('parent3', 'student5', 'father'),
    ('parent3', 'student6', 'father'),
    ('parent4', 'student5', 'mother'),
    ('parent4', 'student6', 'mother')
) l(parent, student, relationship)
on conflict (parent_id, student_id) do nothing;
