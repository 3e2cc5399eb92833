/**
 * AUTH-2 and the invitee's side of AUTH-3. The database creates people, codes and messages
 * (`public.auth_invite`, `auth_verify_otp`, `auth_resend_otp`); this module passes the input
 * through, as the caller, and returns what the database decided.
 */
import type { Claims, Db } from "../db/types.ts";
import type { Refused } from "./service.ts";

export type Outcome<T = Record<never, never>> = ({ ok: true } & T) | Refused;

export interface Invitation {
  fullName: string;
  email?: string | null;
  phone?: string | null;
  role: "student" | "teacher" | "parent" | "admin";
  studentIds?: string[];
}

export async function invite(
  db: Db,
  admin: Claims,
  invitation: Invitation,
): Promise<Outcome<{ person_id: string; delivery: "email" | "sms" }>> {
  const [row] = await db.asUser(
    admin,
    (q) =>
      q<{ result: Outcome<{ person_id: string; delivery: "email" | "sms" }> }>(
        "select public.auth_invite($1, $2, $3, $4::public.person_role, $5::uuid[]) as result",
        [
          invitation.fullName,
          invitation.email || null,
          invitation.phone || null,
          invitation.role,
          invitation.studentIds?.length ? invitation.studentIds : null,
        ],
      ),
  );
  return row.result;
}

export async function verifyInvitation(
  db: Db,
  input: { personId: string; code: string; password: string },
): Promise<Outcome> {
  const [row] = await db.asAnon((q) =>
    q<{ result: Outcome }>("select public.auth_verify_otp($1, $2, $3) as result", [
      input.personId,
      input.code,
      input.password,
    ])
  );
  return row.result;
}

export async function resendInvitationCode(db: Db, personId: string): Promise<Outcome> {
  const [row] = await db.asAnon((q) =>
    q<{ result: Outcome }>("select public.auth_resend_otp($1) as result", [personId])
  );
  return row.result;
}
