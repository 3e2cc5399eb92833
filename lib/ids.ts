const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path or form value can be an id at all (anything else is "not found", not a 500). */
export const isUuid = (value: unknown): value is string =>
  typeof value === "string" && UUID.test(value);
