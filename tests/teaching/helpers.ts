/** Shared set-up of the teaching tests: signed-in browsers (cookies), form posts, uploads. */
import assert from "node:assert/strict";
import { call } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
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

/** Every file under a storage folder (relative paths), hidden temp and type files included. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(folder: string, prefix: string) {
    for await (const entry of Deno.readDir(folder)) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(`${folder}/${entry.name}`, rel);
      else out.push(rel);
    }
  }
  await walk(dir, "").catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  return out.sort();
}
