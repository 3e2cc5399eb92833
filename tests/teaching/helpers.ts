/** Shared set-up of the teaching tests: signed-in browsers (cookies), form posts, uploads. */
import assert from "node:assert/strict";
import {
  call,
  openTestStorage,
  quietLog,
  testJwtSecret,
  type TestStorage,
} from "../support/app.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { createElymicaApp } from "../../lib/app.ts";
import type { UploadLimits } from "../../lib/config.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { demo, login, ORIGIN } from "../enrollment/helpers.ts";

export { demo, ORIGIN };

/** A session cookie for a demo person, e.g. `teacher1` of Nairobi. */
export async function cookieFor(app: FreshApp, who: string, school = "nairobi") {
  return `elymica_access=${await login(app, demo(who, school))}`;
}

export const get = (app: FreshApp, path: string, cookie: string) =>
  call(app, path, { headers: { Cookie: cookie }, redirect: "manual" });

/** A plain form post, as a browser without JavaScript sends it. */
export const post = (
  app: FreshApp,
  path: string,
  cookie: string,
  fields: Record<string, string | string[]> = {},
) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(name, v);
  }
  return call(app, path, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: ORIGIN,
      Cookie: cookie,
    },
    body,
    redirect: "manual",
  });
};

/** A multipart form post (fields first, then the file), optionally asking for JSON like the island. */
export const upload = (
  app: FreshApp,
  path: string,
  cookie: string,
  fields: Record<string, string>,
  file?: { bytes: Uint8Array; name: string; type?: string },
  options: { json?: boolean } = {},
) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) {
    form.append(
      "file",
      new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? "" }),
    );
  }
  return call(app, path, {
    method: "POST",
    headers: {
      Origin: ORIGIN,
      Cookie: cookie,
      ...(options.json ? { Accept: "application/json" } : {}),
    },
    body: form,
    redirect: "manual",
  });
};

/** The id at the end of a redirect to /portal/teach/<id>… */
export function idFrom(location: string | null, after = "/portal/teach/"): string {
  assert.ok(location?.startsWith(after), `redirected to ${location}`);
  return location!.slice(after.length).split(/[/?#]/)[0];
}

export async function courseRow(t: TestDatabase, id: string) {
  const [row] = await t.owner.query<Record<string, unknown>>(
    `select code, title, subject, grade_level, description, capacity, status::text as status
       from public.courses where id = $1`,
    [id],
  );
  return row;
}

/** The seeded app with a temp-dir storage and, if given, small upload limits. */
export async function withTeachingApp(
  fn: (app: FreshApp, t: TestDatabase, files: TestStorage) => Promise<void>,
  options: { uploads?: UploadLimits } = {},
): Promise<void> {
  const t = await openTestDatabase({ seed: true });
  try {
    await using files = await openTestStorage();
    const app = await createElymicaApp({
      db: t.db,
      storage: files.storage,
      jwtSecret: testJwtSecret,
      log: quietLog(),
      uploads: options.uploads,
    });
    await fn(app, t, files);
  } finally {
    await t.close();
  }
}

/** A course of a demo school by its code. */
export async function courseByCode(t: TestDatabase, code: string, school = "nairobi") {
  const [row] = await t.owner.query<{ id: string; status: string; capacity: number }>(
    `select c.id, c.status::text as status, c.capacity from public.courses c
       join public.tenants s on s.id = c.tenant_id
      where c.code = $1 and s.slug = $2`,
    [code, school],
  );
  assert.ok(row, `no course ${code} in ${school}`);
  return row;
}

export async function count(t: TestDatabase, sql: string, params: unknown[] = []) {
  const [row] = await t.owner.query<{ n: number }>(
    `select count(*)::int as n from (${sql}) x`,
    params,
  );
  return Number(row.n);
}
