/** Reads the TAP lines that pgTAP's functions return as rows, and judges them. */

export interface TapSummary {
  planned: number | null;
  passed: number;
  failures: string[];
  /** Every TAP line, for printing when something failed. */
  lines: string[];
}

export function tapLines(results: Record<string, unknown>[][]): string[] {
  return results.flat()
    .flatMap((row) => Object.values(row))
    .filter((value): value is string => typeof value === "string")
    .flatMap((text) => text.split("\n"));
}

export function summariseTap(lines: string[]): TapSummary {
  let planned: number | null = null;
  let passed = 0;
  const failures: string[] = [];
  for (const line of lines) {
    const plan = /^1\.\.(\d+)/.exec(line);
    if (plan) planned = Number(plan[1]);
    else if (/^not ok \d+/.test(line)) failures.push(line);
    else if (/^ok \d+/.test(line)) passed++;
  }
  const ran = passed + failures.length;
  if (planned === null) failures.push("no plan: the file never called plan()");
  else if (ran !== planned) failures.push(`planned ${planned} tests but ran ${ran}`);
  return { planned, passed, failures, lines };
}
