-- supabase/seed.sql — demo data: three schools (Nairobi, Lagos, Johannesburg), each with
-- 1 admin, 2 teachers, 6 students and 4 parents, all active, and guardian links (parent1
-- has two children; parents 3 and 4 share two children).
-- Each school also gets a course catalog (13 courses, one a draft) with modules, lessons,
-- prerequisites, enrolments and lesson completions: see "Course catalog" below.
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

-- Course catalog: 13 courses a school — 12 published across subjects and grade levels, one
-- draft (c13) — with ids md5('course:<slug>:<code>'). The keys c01…c13 mean the same in every
-- school, so the prerequisites and enrolments below are written once:
--   c01 -> c02 and c04 -> c05 are prerequisite pairs (Algebra I -> Algebra II and the like);
--   c03 is a lab group of 6 seats with 5 taken (one seat left; one more student withdrew);
--   teacher1 teaches the mathematics, science and computing courses, teacher2 the rest.
-- Each course has three modules (the draft two) of three lessons; "media" turns module 1's
-- second lesson into a video and/or the last module's third into a PDF worksheet. Their
-- storage paths (demo/<slug>/<code>/…) get real files after this script runs: lib/demo_media
-- puts the sample video or a generated worksheet there and sets byte_size and
-- duration_seconds to the file's (the sizes below only satisfy the constraints until then).
create temporary table demo_courses (
  slug text, key text, code text, title text, subject text, grade_level text, capacity int,
  teacher text, media text, description text, modules text[]
);
insert into demo_courses
values
  -- Nairobi: Kenyan CBC senior school (Grade 9-10) and the last 8-4-4 forms (Form 3-4)
  ('nairobi', 'c01', 'MATH-G10-ALG1', 'Mathematics: Algebra I', 'mathematics', 'Grade 10', 40, 'teacher1', 'both',
   'Indices, algebraic expressions and linear equations, with examples from matatu fares and M-Pesa charges.',
   array['Numbers and indices', 'Algebraic expressions', 'Linear equations and inequalities']),
  ('nairobi', 'c02', 'MATH-G10-ALG2', 'Mathematics: Algebra II', 'mathematics', 'Grade 10', 40, 'teacher1', null,
   'Quadratics, simultaneous equations and graphs of functions. Requires Algebra I.',
   array['Quadratic expressions and equations', 'Simultaneous equations', 'Functions and their graphs']),
  ('nairobi', 'c03', 'COMP-F3-LAB', 'Computer Studies: Programming in Python (lab group)', 'computer studies', 'Form 3', 6, 'teacher1', null,
   'Hands-on programming in the school computer lab: six workstations, so six seats.',
   array['Problem solving and algorithms', 'Python basics', 'Lists, loops and functions']),
  ('nairobi', 'c04', 'CHEM-F3', 'Chemistry Form 3: The Mole and Gas Laws', 'chemistry', 'Form 3', 45, 'teacher1', 'video',
   'The mole concept, gas laws and an introduction to organic chemistry, KCSE-style practicals included.',
   array['The mole', 'Gas laws', 'Organic chemistry I']),
  ('nairobi', 'c05', 'CHEM-F4', 'Chemistry Form 4: Electrochemistry and Organic Chemistry II', 'chemistry', 'Form 4', 45, 'teacher1', null,
   'Electrochemistry, reaction rates and organic chemistry II for KCSE revision. Requires Chemistry Form 3.',
   array['Electrochemistry', 'Rates of reaction and equilibrium', 'Organic chemistry II']),
  ('nairobi', 'c06', 'ENG-G10', 'English: Integrated Skills and Set Books', 'english', 'Grade 10', 45, 'teacher2', 'pdf',
   'Listening and speaking, reading, grammar and writing, with the class set books.',
   array['Listening and speaking', 'Reading and comprehension', 'Writing: compositions and functional texts']),
  ('nairobi', 'c07', 'KISW-G10', 'Kiswahili: Sarufi, Ufahamu na Fasihi', 'kiswahili', 'Grade 10', 45, 'teacher2', null,
   'Sarufi na matumizi ya lugha, ufahamu, insha na fasihi simulizi.',
   array['Sarufi na matumizi ya lugha', 'Ufahamu na ufupisho', 'Fasihi simulizi']),
  ('nairobi', 'c08', 'BIO-F3', 'Biology Form 3: Ecology and Genetics', 'biology', 'Form 3', 45, 'teacher2', 'video',
   'Ecosystems of Kenya, population studies in the school compound, and inheritance.',
   array['Ecology', 'Genetics', 'Evolution']),
  ('nairobi', 'c09', 'PHY-G10', 'Physics: Forces, Motion and Energy', 'physics', 'Grade 10', 40, 'teacher1', null,
   'Measurement, Newton''s laws, work, energy and power.',
   array['Measurement', 'Forces and Newton''s laws', 'Work, energy and power']),
  ('nairobi', 'c10', 'GEO-F3', 'Geography Form 3: Kenya and East Africa', 'geography', 'Form 3', 45, 'teacher2', null,
   'Map work and fieldwork, climate and vegetation, farming and industry in East Africa.',
   array['Map work and fieldwork', 'Climate and vegetation of Kenya', 'Agriculture and industry in East Africa']),
  ('nairobi', 'c11', 'AGRI-G9', 'Agriculture and Nutrition: Kitchen Gardens and Small Livestock', 'agriculture', 'Grade 9', 40, 'teacher2', null,
   'Planning a kitchen garden, soil conservation and rearing poultry and rabbits.',
   array['Soil and water conservation', 'Kitchen gardens', 'Poultry and rabbit keeping']),
  ('nairobi', 'c12', 'BST-F4', 'Business Studies Form 4: Entrepreneurship and Trade', 'business studies', 'Form 4', 45, 'teacher2', null,
   'Starting a small business, the chamas and SACCOs that finance it, and trade in Kenya.',
   array['Entrepreneurship', 'Savings, chamas and SACCOs', 'Home and international trade']),
  ('nairobi', 'c13', 'HIST-G10', 'History and Citizenship: Kenya since Independence', 'history', 'Grade 10', 45, 'teacher2', null,
   'In preparation: governance and citizenship in Kenya from 1963 to the 2010 Constitution.',
   array['From independence to multiparty politics', 'The 2010 Constitution']),
  -- Lagos: Nigerian junior and senior secondary (JSS1-3, SS1-3)
  ('lagos', 'c01', 'MTH-SS1', 'General Mathematics SS1: Algebra I', 'mathematics', 'SS1', 40, 'teacher1', 'both',
   'Indices, logarithms, algebraic processes and linear equations for WAEC foundations.',
   array['Indices and logarithms', 'Algebraic processes', 'Linear equations and inequalities']),
  ('lagos', 'c02', 'MTH-SS2', 'General Mathematics SS2: Algebra II', 'mathematics', 'SS2', 40, 'teacher1', null,
   'Quadratic equations, simultaneous equations and variation. Requires General Mathematics SS1.',
   array['Quadratic equations', 'Simultaneous linear and quadratic equations', 'Variation']),
  ('lagos', 'c03', 'DP-SS1-LAB', 'Data Processing SS1: Spreadsheets and Databases (lab group)', 'computer studies', 'SS1', 6, 'teacher1', null,
   'Practical data processing in the ICT lab: six computers, so six seats.',
   array['Computer files and data', 'Spreadsheets', 'Introduction to databases']),
  ('lagos', 'c04', 'PHY-SS2', 'Physics SS2: Motion, Heat and Waves', 'physics', 'SS2', 45, 'teacher1', 'video',
   'Equations of motion, heat energy and wave phenomena with WAEC past questions.',
   array['Equations of motion', 'Heat energy', 'Waves']),
  ('lagos', 'c05', 'PHY-SS3', 'Physics SS3: Electricity and Modern Physics', 'physics', 'SS3', 45, 'teacher1', null,
   'Current electricity, electromagnetism and atomic physics for WASSCE. Requires Physics SS2.',
   array['Current electricity', 'Electromagnetic induction', 'Atomic and nuclear physics']),
  ('lagos', 'c06', 'ENG-SS2', 'English Language SS2: Comprehension, Summary and Essay Writing', 'english', 'SS2', 45, 'teacher2', 'pdf',
   'Comprehension and summary, lexis and structure, and essay and letter writing.',
   array['Comprehension and summary', 'Lexis and structure', 'Essay and letter writing']),
  ('lagos', 'c07', 'YOR-JSS3', 'Èdè Yorùbá JSS3: Èdè, Àṣà àti Lítíréṣọ̀', 'yoruba', 'JSS3', 45, 'teacher2', null,
   'Gírámà Yorùbá, àṣà àti ìṣe, àti lítíréṣọ̀ alohùn.',
   array['Èdè: gírámà àti àkọtọ́', 'Àṣà àti ìṣe Yorùbá', 'Lítíréṣọ̀ alohùn']),
  ('lagos', 'c08', 'BIO-SS2', 'Biology SS2: Ecology and Nutrition', 'biology', 'SS2', 45, 'teacher2', 'video',
   'Ecological management, nutrition in plants and animals, and a field trip to the Lekki lagoon.',
   array['Ecological management', 'Nutrition in plants', 'Nutrition in animals']),
  ('lagos', 'c09', 'CHM-SS1', 'Chemistry SS1: The Particulate Nature of Matter', 'chemistry', 'SS1', 45, 'teacher1', null,
   'Atomic structure, chemical bonding and the periodic table.',
   array['Atomic structure', 'Chemical bonding', 'The periodic table']),
  ('lagos', 'c10', 'CIV-JSS2', 'Civic Education JSS2: Citizenship and National Values', 'civic education', 'JSS2', 45, 'teacher2', null,
   'Rights and duties of citizens, national values and the Nigerian constitution.',
   array['Citizenship', 'National values', 'The constitution']),
  ('lagos', 'c11', 'AGR-SS1', 'Agricultural Science SS1: Crop Production', 'agriculture', 'SS1', 40, 'teacher2', null,
   'Cassava, maize and yam production, soil fertility and farm tools.',
   array['Soil fertility', 'Crop production', 'Farm tools and machinery']),
  ('lagos', 'c12', 'BUS-JSS3', 'Business Studies JSS3: Book-keeping and Office Practice', 'business studies', 'JSS3', 45, 'teacher2', null,
   'Book-keeping, office practice and the commerce of Lagos markets.',
   array['Book-keeping', 'Office practice', 'Commerce and trade']),
  ('lagos', 'c13', 'HIS-JSS1', 'Nigerian History JSS1: Pre-colonial States and Peoples', 'history', 'JSS1', 45, 'teacher2', null,
   'In preparation: the Oyo, Benin and Kanem-Bornu empires and the Hausa city-states.',
   array['The Oyo and Benin empires', 'Kanem-Bornu and the Hausa states']),
  -- Johannesburg: South African CAPS (Grade 9-12)
  ('johannesburg', 'c01', 'MATH-G10', 'Mathematics Grade 10: Algebra I', 'mathematics', 'Grade 10', 40, 'teacher1', 'both',
   'Algebraic expressions, exponents, equations and inequalities (CAPS term 1).',
   array['Algebraic expressions', 'Exponents', 'Equations and inequalities']),
  ('johannesburg', 'c02', 'MATH-G11', 'Mathematics Grade 11: Algebra II', 'mathematics', 'Grade 11', 40, 'teacher1', null,
   'Surds, quadratic equations and inequalities, and functions. Requires Mathematics Grade 10: Algebra I.',
   array['Exponents and surds', 'Quadratic equations and inequalities', 'Functions']),
  ('johannesburg', 'c03', 'IT-G10-LAB', 'Information Technology Grade 10: Delphi Programming (lab group)', 'information technology', 'Grade 10', 6, 'teacher1', null,
   'Programming in Delphi in the IT lab: six workstations, so six seats.',
   array['Solution development', 'Delphi basics', 'Loops and strings']),
  ('johannesburg', 'c04', 'PHSC-G10', 'Physical Sciences Grade 10: Matter and Materials', 'physical sciences', 'Grade 10', 45, 'teacher1', 'video',
   'Classifying matter, atomic structure, the periodic table and chemical bonding.',
   array['Matter and classification', 'The atom and the periodic table', 'Chemical bonding']),
  ('johannesburg', 'c05', 'PHSC-G11', 'Physical Sciences Grade 11: Mechanics and Waves', 'physical sciences', 'Grade 11', 45, 'teacher1', null,
   'Vectors, Newton''s laws, and sound and light. Requires Physical Sciences Grade 10.',
   array['Vectors in two dimensions', 'Newton''s laws', 'Sound and light']),
  ('johannesburg', 'c06', 'ENG-HL-G11', 'English Home Language Grade 11: Literature and Writing', 'english', 'Grade 11', 45, 'teacher2', 'pdf',
   'Poetry, the novel and drama, and transactional and creative writing.',
   array['Poetry', 'Novel and drama', 'Creative and transactional writing']),
  ('johannesburg', 'c07', 'ZUL-FAL-G10', 'isiZulu First Additional Language Grade 10', 'isizulu', 'Grade 10', 45, 'teacher2', null,
   'Ukulalela nokukhuluma, ukufunda nokubukela, ukubhala nokwethula.',
   array['Ukulalela nokukhuluma', 'Ukufunda nokubukela', 'Ukubhala nokwethula']),
  ('johannesburg', 'c08', 'LIFE-G10', 'Life Sciences Grade 10: Cells, Tissues and Biodiversity', 'life sciences', 'Grade 10', 45, 'teacher2', 'video',
   'The chemistry of life, cells and tissues, and the biomes of South Africa.',
   array['Cells and tissues', 'Support and transport in plants', 'Biodiversity and biomes of South Africa']),
  ('johannesburg', 'c09', 'GEO-G11', 'Geography Grade 11: Climate and Development', 'geography', 'Grade 11', 45, 'teacher2', null,
   'Global air circulation, Highveld thunderstorms, and development in South Africa.',
   array['Climate and weather', 'Geomorphology', 'Development geography']),
  ('johannesburg', 'c10', 'HIST-G12', 'History Grade 12: The Cold War and Civil Society Protests', 'history', 'Grade 12', 45, 'teacher2', null,
   'The Cold War in Africa, civil rights movements, and the 1976 Soweto uprising.',
   array['The Cold War', 'Independent Africa', 'Civil society protests, 1950s to 1990s']),
  ('johannesburg', 'c11', 'LO-G9', 'Life Orientation Grade 9: Study Skills and Career Choices', 'life orientation', 'Grade 9', 45, 'teacher1', null,
   'Study skills, choosing FET subjects and careers, and health and well-being.',
   array['Study skills', 'Subject and career choices', 'Health and well-being']),
  ('johannesburg', 'c12', 'BUS-G10', 'Business Studies Grade 10: Business Environments', 'business studies', 'Grade 10', 45, 'teacher2', null,
   'Micro, market and macro environments, and starting a business in Gauteng.',
   array['Business environments', 'Business sectors', 'Entrepreneurship']),
  ('johannesburg', 'c13', 'AGRI-G10', 'Agricultural Sciences Grade 10: Soil Science', 'agriculture', 'Grade 10', 45, 'teacher2', null,
   'In preparation: soil formation, soil properties and soil conservation on the Highveld.',
   array['Soil formation', 'Soil properties']);

insert into public.courses (id, tenant_id, code, title, subject, grade_level, description, capacity, status)
select pg_temp.demo_id('course:' || c.slug || ':' || c.code), pg_temp.demo_id('tenant:' || c.slug), c.code,
       c.title, c.subject, c.grade_level, c.description, c.capacity,
       (case when c.key = 'c13' then 'draft' else 'published' end)::public.course_status
from demo_courses c
on conflict do nothing;

insert into public.course_instructors (tenant_id, course_id, teacher_id)
select pg_temp.demo_id('tenant:' || c.slug), pg_temp.demo_id('course:' || c.slug || ':' || c.code),
       pg_temp.demo_id(c.teacher || '@' || c.slug || '.demo.elymica.test')
from demo_courses c
on conflict do nothing;

insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id)
select pg_temp.demo_id('tenant:' || c.slug), pg_temp.demo_id('course:' || c.slug || ':' || c.code),
       pg_temp.demo_id('course:' || p.slug || ':' || p.code)
from (values ('c02', 'c01'), ('c05', 'c04')) r(course_key, prerequisite_key)
join demo_courses c on c.key = r.course_key
join demo_courses p on p.key = r.prerequisite_key and p.slug = c.slug
on conflict do nothing;

-- Modules (ids md5('module:<slug>:<code>:<position>')) and their lessons (…:<module>:<position>).
insert into public.modules (id, tenant_id, course_id, title, position)
select pg_temp.demo_id('module:' || c.slug || ':' || c.code || ':' || m.position),
       pg_temp.demo_id('tenant:' || c.slug), pg_temp.demo_id('course:' || c.slug || ':' || c.code),
       m.title, m.position
from demo_courses c
cross join unnest(c.modules) with ordinality m(title, position)
on conflict (id) do nothing; -- the position keys are deferrable, so no arbiter

insert into public.lessons (id, tenant_id, course_id, module_id, title, kind, position, duration_seconds,
                            body, storage_path, content_type, byte_size)
select pg_temp.demo_id('lesson:' || c.slug || ':' || c.code || ':' || m.position || ':' || l.position),
       pg_temp.demo_id('tenant:' || c.slug), pg_temp.demo_id('course:' || c.slug || ':' || c.code),
       pg_temp.demo_id('module:' || c.slug || ':' || c.code || ':' || m.position),
       m.title || ': ' || case f.kind when 'video' then 'video lesson' when 'pdf' then 'worksheet (PDF)' else l.name end,
       f.kind::public.lesson_kind, l.position,
       case f.kind when 'video' then 540 else l.minutes * 60 end,
       case when f.kind = 'text' then
         format('%s — %s. %s', c.title, m.title, l.body)
       end,
       case f.kind
         when 'video' then format('demo/%s/%s/m%s-l%s.mp4', c.slug, lower(c.code), m.position, l.position)
         when 'pdf' then format('demo/%s/%s/m%s-l%s.pdf', c.slug, lower(c.code), m.position, l.position)
       end,
       case f.kind when 'video' then 'video/mp4' when 'pdf' then 'application/pdf' end,
       case f.kind when 'video' then 48000000 when 'pdf' then 350000 end
from demo_courses c
cross join unnest(c.modules) with ordinality m(title, position)
cross join (
  values
    (1, 'key ideas', 15, 'Read the notes and copy the key definitions into your exercise book.'),
    (2, 'worked examples', 20, 'Work through each example before you look at the solution.'),
    (3, 'practice questions', 25, 'Answer the questions, then mark your work with your study group.')
) l(position, name, minutes, body)
cross join lateral (
  select case
           when l.position = 2 and m.position = 1 and c.media in ('video', 'both') then 'video'
           when l.position = 3 and m.position = cardinality(c.modules) and c.media in ('pdf', 'both') then 'pdf'
           else 'text'
         end as kind
) f
on conflict (id) do nothing;

-- Enrolments (ids md5('enrollment:<slug>:<code>:<student>')), the same pattern in every school,
-- made directly (the seed is the owner) but keeping public.enroll()'s rules: students only,
-- prerequisites completed first (c02 only after c01, c05 after c04), no course over capacity;
-- enrolled by the student, one of their parents or the admin. Notifications are not sent.
-- "done" is how many lessons an enrolled student has completed, in course order; a completed
-- enrolment has completed every lesson (as public.complete_lesson() would have made it).
create temporary table demo_enrollments (student text, key text, status text, enrolled_by text, done int);
insert into demo_enrollments
values
  ('student1', 'c01', 'completed', 'student1', null),
  ('student2', 'c01', 'completed', 'parent1', null),
  ('student3', 'c01', 'enrolled', 'parent2', 4),
  ('student5', 'c01', 'enrolled', 'admin1', 0),
  ('student1', 'c02', 'enrolled', 'student1', 2),
  ('student2', 'c02', 'enrolled', 'parent1', 0),
  ('student1', 'c03', 'enrolled', 'student1', 3),
  ('student2', 'c03', 'enrolled', 'student2', 1),
  ('student3', 'c03', 'enrolled', 'student3', 0),
  ('student4', 'c03', 'enrolled', 'parent2', 2),
  ('student6', 'c03', 'enrolled', 'parent4', 5),
  ('student5', 'c03', 'withdrawn', 'student5', 1),
  ('student6', 'c04', 'completed', 'student6', null),
  ('student4', 'c04', 'enrolled', 'student4', 3),
  ('student6', 'c05', 'enrolled', 'parent3', 1),
  ('student3', 'c06', 'enrolled', 'student3', 2),
  ('student4', 'c07', 'enrolled', 'parent2', 0),
  ('student5', 'c08', 'enrolled', 'parent4', 6),
  ('student5', 'c09', 'enrolled', 'student5', 1),
  ('student1', 'c10', 'enrolled', 'admin1', 0),
  ('student6', 'c11', 'enrolled', 'student6', 2),
  ('student2', 'c12', 'enrolled', 'student2', 3);

insert into public.enrollments (id, tenant_id, course_id, student_id, status, enrolled_by)
select pg_temp.demo_id('enrollment:' || c.slug || ':' || c.code || ':' || e.student),
       pg_temp.demo_id('tenant:' || c.slug), pg_temp.demo_id('course:' || c.slug || ':' || c.code),
       pg_temp.demo_id(e.student || '@' || c.slug || '.demo.elymica.test'),
       e.status::public.enrollment_status,
       pg_temp.demo_id(e.enrolled_by || '@' || c.slug || '.demo.elymica.test')
from demo_enrollments e
join demo_courses c on c.key = e.key
on conflict do nothing;

insert into public.lesson_completions (tenant_id, course_id, lesson_id, student_id)
select l.tenant_id, l.course_id, l.id, pg_temp.demo_id(e.student || '@' || c.slug || '.demo.elymica.test')
from demo_enrollments e
join demo_courses c on c.key = e.key
join lateral (
  select ls.*, row_number() over (order by md.position, ls.position) as n
  from public.lessons ls
  join public.modules md on md.tenant_id = ls.tenant_id and md.id = ls.module_id
  where ls.tenant_id = pg_temp.demo_id('tenant:' || c.slug)
    and ls.course_id = pg_temp.demo_id('course:' || c.slug || ':' || c.code)
) l on e.status = 'completed' or l.n <= e.done
on conflict do nothing;

drop table demo_enrollments, demo_courses;
