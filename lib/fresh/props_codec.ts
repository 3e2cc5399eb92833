/**
 * Island props on the wire. The server encodes every island's props on a page into ONE
 * payload; the browser runtime revives it with `revivePayload` from this same file, so the
 * two sides cannot drift apart.
 *
 * JSON plus a few tagged objects `{ "$t": kind, … }` for what JSON cannot carry: Dates,
 * undefined, NaN/±Infinity/-0, and signals. Signals live in a table and props refer to them
 * by id, so one signal passed to two islands is one shared signal in the browser too.
 * A plain object that itself has a "$t" key is wrapped, so data can never pose as a tag.
 */
import { isValidElement } from "preact";
import { Signal, signal } from "@preact/signals";

const TAG = "$t";

/** The id of the page's one props `<script type="application/json">`. */
export const PROPS_SCRIPT_ID = "__fresh_islands";

export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

export interface IslandPayload {
  /** Encoded initial values of the page's signals, by id. */
  signals: Encoded[];
  /** Encoded props of each island, in `data-i` order. */
  props: Encoded[];
}

const ALLOWED =
  "island props must be strings, numbers, booleans, null, plain objects, arrays, Dates or signals";

export class PropsEncoder {
  readonly payload: IslandPayload = { signals: [], props: [] };
  #signalIds = new Map<Signal, number>();

  /** Encodes one island's props; returns its index. Throws naming the island and prop. */
  add(island: string, props: Record<string, unknown>): number {
    this.payload.props.push(this.#encode(props, island, "", new Set()));
    return this.payload.props.length - 1;
  }

  #encode(value: unknown, island: string, path: string, stack: Set<object>): Encoded {
    const fail = (what: string): never => {
      throw new TypeError(`Island ${island}: prop "${path || "(props)"}" is ${what}; ${ALLOWED}.`);
    };
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") {
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return { [TAG]: "num", v: Object.is(value, -0) ? "-0" : String(value) }; // JSON cannot
    }
    if (value === undefined) return { [TAG]: "undef" };
    if (typeof value !== "object") return fail(`a ${typeof value}`); // function, bigint, symbol
    const obj = value as object;
    if (value instanceof Date) {
      const time = value.getTime();
      return { [TAG]: "date", v: Number.isNaN(time) ? null : time }; // JSON has no NaN
    }
    if (value instanceof Signal) {
      let id = this.#signalIds.get(value);
      if (id === undefined) {
        id = this.payload.signals.push(null) - 1;
        this.#signalIds.set(value, id);
        // peek(): read without subscribing the render to the signal.
        this.payload.signals[id] = this.#encode(value.peek(), island, path, stack);
      }
      return { [TAG]: "signal", id };
    }
    if (isValidElement(value)) return fail("JSX (children or elements)");
    if (stack.has(obj)) return fail("a reference to itself (a cycle)");
    stack.add(obj);
    try {
      if (Array.isArray(value)) {
        return Array.from(value, (v, i) => this.#encode(v, island, `${path}[${i}]`, stack));
      }
      const proto = Object.getPrototypeOf(obj);
      if (proto !== Object.prototype && proto !== null) {
        return fail(`a ${obj.constructor?.name ?? "class instance"}`);
      }
      const encoded = Object.fromEntries(
        Object.entries(obj).map((
          [k, v],
        ) => [k, this.#encode(v, island, path ? `${path}.${k}` : k, stack)]),
      );
      return TAG in encoded ? { [TAG]: "obj", v: encoded } : encoded;
    } finally {
      stack.delete(obj);
    }
  }
}

/** JSON for a `<script type="application/json">`: `<` escaped so no prop can close the tag. */
export function payloadToScriptText(payload: IslandPayload): string {
  return JSON.stringify(payload).replace(/</g, "\\u003c");
}

/** Rebuilds each island's props; the same signal id yields the same Signal instance. */
export function revivePayload(payload: IslandPayload): Record<string, unknown>[] {
  const signals = new Map<number, Signal>();
  const getSignal = (id: number): Signal => {
    let s = signals.get(id);
    if (!s) {
      // Register before reviving the value, so a signal holding itself (or a peer) resolves.
      signals.set(id, s = signal<unknown>(undefined));
      s.value = revive(payload.signals[id]);
    }
    return s;
  };
  const revive = (value: Encoded): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value === null || typeof value !== "object") return value;
    switch (value[TAG]) {
      case "date":
        return new Date(value.v === null ? NaN : value.v as number);
      case "num":
        return Number(value.v);
      case "undef":
        return undefined;
      case "signal":
        return getSignal(value.id as number);
      case "obj":
        return reviveObject(value.v as Record<string, Encoded>);
      default:
        return reviveObject(value);
    }
  };
  // fromEntries defines own properties: a "__proto__" key stays data, never a prototype.
  const reviveObject = (obj: Record<string, Encoded>) =>
    Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, revive(v)]));
  return payload.props.map((p) => revive(p) as Record<string, unknown>);
}
