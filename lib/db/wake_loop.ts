/**
 * The loop of a worker over a Postgres job table: a round of `processDue` runs when a NOTIFY on
 * `channel` arrives, on every `pollMs` tick (the safety net for retries that become due without
 * a NOTIFY) and on `wake()`; one round at a time, a wake during a round asks for one more.
 */
import type { Logger } from "../log.ts";
import type { Db } from "./types.ts";

export interface WakeLoopOptions {
  db: Db;
  channel: string;
  pollMs: number;
  log: Logger;
  /** Names the worker in its log lines, e.g. "outbox worker". */
  name: string;
  /** One round: claims and works until nothing is due (or `stopped()`). */
  processDue(): Promise<void>;
  /** How an error appears in the log (the outbox scrubs addresses out of it). */
  describeError?: (error: unknown) => string;
  /** Done before listening and the first round (e.g. removing a crashed run's temp files). */
  prepare?: () => Promise<void>;
}

export interface WakeLoop {
  /** Resolves once the loop listens for NOTIFY (or gave up on it) and has done its first round. */
  ready: Promise<void>;
  /** Runs a round, or asks the round in progress for one more pass, so what was due is done. */
  wake(): Promise<void>;
  /** True once stop() was called: rounds stop claiming. */
  stopped(): boolean;
  /** Stops listening and polling and waits for the round in progress. */
  stop(): Promise<void>;
}

export function startWakeLoop(options: WakeLoopOptions): WakeLoop {
  const { db, log, name } = options;
  const describe = options.describeError ?? String;
  let stopped = false;
  let round: Promise<void> | null = null;
  let again = false;

  function wake(): Promise<void> {
    if (round) {
      again = true;
      return round;
    }
    round = (async () => {
      try {
        do {
          again = false;
          try {
            await options.processDue();
          } catch (error) {
            log.error(`${name} round failed`, { error: describe(error) });
          }
        } while (again && !stopped);
      } finally {
        round = null;
      }
    })();
    return round;
  }

  const prepared = options.prepare?.() ?? Promise.resolve();
  const listening = prepared.then(() =>
    db.listen(options.channel, () => void wake()).catch((error) => {
      log.warn(`${name} cannot listen; polling only`, {
        pollMs: options.pollMs,
        error: describe(error),
      });
      return null;
    })
  );
  const poller = setInterval(() => void wake(), options.pollMs);
  // LISTEN first, then look: what was queued before the loop listened is found by this round,
  // what is queued after it is announced.
  const ready = listening.then(() => wake());

  return {
    ready,
    wake,
    stopped: () => stopped,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(poller);
      const unlisten = await listening.catch(() => null);
      await unlisten?.().catch(() => {});
      await ready.catch(() => {});
      await round;
    },
  };
}
