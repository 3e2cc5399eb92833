/**
 * Stored files of lessons that were removed or replaced: deleted only after the transaction
 * that let go of them has committed, so a rolled-back change never points at a missing file.
 * A failed delete is logged, not shown: the change is done, and an orphan file is only space.
 */
import { log } from "../log.ts";

interface Deletes {
  delete(pathOrPrefix: string): Promise<void>;
}

export async function removeStoredFiles(
  storage: Deletes | undefined,
  paths: (string | null | undefined)[],
  requestId?: string,
): Promise<void> {
  for (const path of paths) {
    if (!path || !storage) continue;
    try {
      await storage.delete(path);
    } catch (error) {
      log.warn("could not delete a stored file", { requestId, path, error: String(error) });
    }
  }
}
