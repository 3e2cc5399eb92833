/**
 * The OpenAPI 3.1 document of `/api/*`, built from the API route modules themselves: each
 * exports `openapi`, one operation per method it handles, with the same zod schema that
 * validates the body — so the document cannot drift from what the code accepts.
 */
import { z } from "zod";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { scanRoutes } from "./fresh/route_scan.ts";

export interface Operation {
  summary: string;
  /** The JSON request body's schema (the one `readJson` validates with). */
  body?: z.ZodType;
  /** Needs `Authorization: Bearer <accessToken>` (or the session cookie). */
  signedIn?: boolean;
  /** Status → what it means. */
  responses: Record<number, string>;
}

export type RouteOperations = Partial<
  Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Operation>
>;

const errorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: { type: "string", description: "What went wrong, for people." },
    fields: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      description: "Per-field problems of a 400.",
    },
  },
};

function operationObject(op: Operation) {
  return {
    summary: op.summary,
    ...(op.signedIn ? { security: [{ bearer: [] }] } : {}),
    ...(op.body
      ? {
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: z.toJSONSchema(op.body, { io: "input", unrepresentable: "any" }),
            },
          },
        },
      }
      : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, description]) => [
        status,
        Number(status) >= 400
          ? { description, content: { "application/json": { schema: errorBody } } }
          : { description },
      ]),
    ),
  };
}

/** Hono's `/a/:id` as OpenAPI's `/a/{id}`. */
const openApiPath = (pattern: string) => pattern.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

export async function buildOpenApi(rootDir: string) {
  const { routes } = await scanRoutes(join(rootDir, "routes"));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes.filter((r) => r.pattern.startsWith("/api/"))) {
    const mod = await import(pathToFileURL(route.file).href);
    const operations = (mod.openapi ?? {}) as RouteOperations;
    for (const [method, op] of Object.entries(operations)) {
      (paths[openApiPath(route.pattern)] ??= {})[method.toLowerCase()] = operationObject(op!);
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Elymica API",
      version: "1",
      description: "JSON in and out. Errors are `{ error }`, with `fields` on a 400.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    paths,
  };
}
