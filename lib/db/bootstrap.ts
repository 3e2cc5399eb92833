import { fileURLToPath } from "node:url";
import type { OwnerSession } from "./owner.ts";

const BOOTSTRAP_SQL = fileURLToPath(new URL("./bootstrap.sql", import.meta.url));

/** Creates what Supabase provides (roles, `auth`, pgcrypto); a no-op on Supabase itself. */
export async function bootstrap(owner: OwnerSession): Promise<void> {
  await owner.exec(await Deno.readTextFile(BOOTSTRAP_SQL));
}
