import { encodeBase64Url } from "./encoding.ts";
import type { Config } from "../config.ts";

/**
 * The secret that signs access tokens: JWT_SECRET, or — outside production, where config
 * refuses to start without it — one generated on first start and kept in DATA_DIR, so sessions
 * survive a restart of `deno task start`.
 */
export async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  const file = `${config.dataDir}/jwt-secret`;
  try {
    return (await Deno.readTextFile(file)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(config.dataDir, { recursive: true });
  const secret = encodeBase64Url(crypto.getRandomValues(new Uint8Array(48)));
  await Deno.writeTextFile(file, secret, { mode: 0o600, createNew: true });
  return secret;
}
