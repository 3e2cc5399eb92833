import type { Claims, Db } from "../db/types.ts";
import type { SessionTenant } from "./service.ts";

export interface CurrentPerson {
  user: { id: string; fullName: string; email: string | null; phone: string | null; role: string };
  tenant: SessionTenant;
}

/** The signed-in person and their school, as that person sees them (RLS applies). */
export async function currentPerson(db: Db, claims: Claims): Promise<CurrentPerson | null> {
  const [row] = await db.asUser(claims, (q) =>
    q<{ me: CurrentPerson }>(
      `select json_build_object(
          'user', json_build_object('id', p.id, 'fullName', p.full_name, 'email', p.email,
                                    'phone', p.phone, 'role', p.role),
          'tenant', json_build_object('id', t.id, 'name', t.name, 'slug', t.slug,
                                      'country', t.country, 'currency', t.currency,
                                      'timezone', t.timezone)) as me
         from public.people p join public.tenants t on t.id = p.tenant_id
        where p.id = auth.uid() and p.status = 'active'`,
    ));
  return row?.me ?? null;
}
