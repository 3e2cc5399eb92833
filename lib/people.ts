/** The admin's view of the school's people (status derived in SQL: invited/active/locked/disabled). */
import type { Claims, Db } from "./db/types.ts";

export interface PersonRow {
  id: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  role: string;
  status: "invited" | "active" | "locked" | "disabled";
}

export async function listPeople(db: Db, admin: Claims): Promise<PersonRow[]> {
  return await db.asUser(admin, (q) =>
    q<PersonRow>(
      `select id, full_name, email, phone, role::text as role, status
         from public.people_with_status()
        order by role, full_name`,
    ));
}

export async function setDisabled(db: Db, admin: Claims, personId: string): Promise<boolean> {
  const rows = await db.asUser(
    admin,
    (q) => q("update public.people set status = 'disabled' where id = $1 returning id", [personId]),
  );
  return rows.length === 1;
}

export async function unlock(db: Db, admin: Claims, personId: string): Promise<void> {
  await db.asUser(admin, (q) => q("select public.auth_unlock($1)", [personId]));
}
