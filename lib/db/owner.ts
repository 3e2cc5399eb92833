import type { Query, Row } from "./types.ts";

/**
 * The database owner's session: bootstrap, migrations, seed and test set-up only. App code
 * never sees it; people's requests and service work go through `Db`.
 */
export interface OwnerSession {
  /** Runs a script of several statements without parameters; returns each one's rows. */
  exec(script: string): Promise<Row[][]>;
  query: Query;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: OwnerTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OwnerTransaction {
  exec(script: string): Promise<Row[][]>;
  query: Query;
}
