/**
 * The CSV upload of AUTH-2: one invitation per row, each in its own transaction, so a bad row
 * is reported with its row number and the others are still created. Re-uploading the same
 * file creates nobody twice: a row whose email is already in the school is reported as such.
 *
 * Columns: full_name, email, phone, role, children (parents only: their children's emails,
 * separated by ";").
 */
import { csvRecords } from "../csv.ts";
import { DbError } from "../db/errors.ts";
import type { Claims, Db } from "../db/types.ts";
import { fieldErrors } from "../http/field_errors.ts";
import { dbErrorToHttp } from "../app_errors.ts";
import { InvitationInput } from "./invitation_input.ts";
import { invite } from "./invitations.ts";

export interface RowResult {
  /** As a spreadsheet numbers it: the header is row 1. */
  row: number;
  status: "invited" | "exists" | "error";
  message: string;
  personId?: string;
}

export const REQUIRED_COLUMNS = ["full_name", "role"];

async function studentIdsFor(db: Db, admin: Claims, emails: string[]) {
  if (emails.length === 0) return { ids: [], missing: [] };
  const found = await db.asUser(admin, (q) =>
    q<{ id: string; email: string }>(
      "select id, email from public.people where role = 'student' and email = any($1::text[])",
      [emails],
    ));
  const byEmail = new Map(found.map((p) => [p.email, p.id]));
  return {
    ids: emails.flatMap((e) => byEmail.get(e) ?? []),
    missing: emails.filter((e) => !byEmail.has(e)),
  };
}

async function inviteRow(
  db: Db,
  admin: Claims,
  record: Record<string, string>,
  row: number,
): Promise<RowResult> {
  const children = (record.children ?? "").split(";").map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const parsed = InvitationInput.safeParse({
    fullName: record.full_name,
    email: record.email,
    phone: record.phone,
    role: record.role?.toLowerCase(),
  });
  if (!parsed.success) {
    return {
      row,
      status: "error",
      message: Object.values(fieldErrors(parsed.error)).flat().join(" "),
    };
  }
  const { ids, missing } = await studentIdsFor(db, admin, children);
  if (missing.length > 0) {
    return { row, status: "error", message: `No student with the email ${missing.join(", ")}.` };
  }
  try {
    const outcome = await invite(db, admin, { ...parsed.data, studentIds: ids });
    if (!outcome.ok) return { row, status: "error", message: outcome.message };
    return {
      row,
      status: "invited",
      message: `Invitation sent by ${outcome.delivery}.`,
      personId: outcome.person_id,
    };
  } catch (error) {
    if (error instanceof DbError && error.code === "23505") {
      return { row, status: "exists", message: "Already in this school; nothing changed." };
    }
    const http = dbErrorToHttp(error);
    if (http && http.status < 500) return { row, status: "error", message: http.message };
    throw error;
  }
}

export async function inviteFromCsv(db: Db, admin: Claims, csv: string): Promise<RowResult[]> {
  const { header, records } = csvRecords(csv);
  const absent = REQUIRED_COLUMNS.filter((name) => !header.includes(name));
  if (absent.length > 0) {
    return [{ row: 1, status: "error", message: `The header row lacks: ${absent.join(", ")}.` }];
  }
  const results: RowResult[] = [];
  // One after another: rows may refer to students created by earlier rows.
  for (const [i, record] of records.entries()) {
    results.push(await inviteRow(db, admin, record, i + 2));
  }
  return results;
}
