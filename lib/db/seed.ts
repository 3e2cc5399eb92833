import { fileURLToPath } from "node:url";
import type { OwnerSession } from "./owner.ts";

export const SEED_FILE = fileURLToPath(new URL("../../supabase/seed.sql", import.meta.url));

/** Loads the demo schools into an empty database; returns false when there was data already. */
export async function seedIfEmpty(owner: OwnerSession): Promise<boolean> {
  const [{ schools }] = await owner.query<{ schools: number }>(
    "select count(*)::int as schools from public.tenants",
  );
  if (schools > 0) return false;
  const seed = await Deno.readTextFile(SEED_FILE);
  await owner.transaction((tx) => tx.exec(seed));
  return true;
}
