/** Shared by the web-layer tests: build a fixture app with its log lines captured. */
import { fileURLToPath } from "node:url";
import { createLogger } from "../../lib/log.ts";
import { createApp, type FreshApp } from "../../lib/fresh/mod.ts";

export const BASIC = fileURLToPath(new URL("../fixtures/basic", import.meta.url));
export const ORIGIN = "http://school.test";
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface TestApp extends FreshApp {
  /** Every log line written so far, parsed. */
  lines: Record<string, unknown>[];
  /**
   * Sends a request to the app; `path` is resolved against http://school.test. Like a
   * browser, it sends our own Origin on unsafe methods unless the test sets one.
   */
  request(path: string, init?: RequestInit): Promise<Response>;
}

export async function testApp(
  rootDir: string,
  options: { bodyLimitBytes?: number; state?: Record<string, unknown> } = {},
): Promise<TestApp> {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger((line) => lines.push(JSON.parse(line)));
  const app = await createApp({ rootDir, log, ...options });
  return {
    ...app,
    lines,
    request(path, init = {}) {
      const req = new Request(new URL(path, ORIGIN), init);
      const safe = ["GET", "HEAD", "OPTIONS"].includes(req.method);
      if (!safe && !req.headers.has("Origin")) req.headers.set("Origin", ORIGIN);
      return app.fetch(req);
    },
  };
}

/** The response's Content-Security-Policy nonce. */
export function cspNonce(res: Response): string | undefined {
  return /script-src 'nonce-([^']+)'/.exec(res.headers.get("Content-Security-Policy") ?? "")?.[1];
}
