import freshConfig from "../../fresh.config.ts";
import { define } from "../../lib/state.ts";
import { buildOpenApi } from "../../lib/openapi.ts";
import type { RouteOperations } from "../../lib/openapi.ts";

let document: Promise<unknown> | undefined;

/** The OpenAPI document of this API, built once from the route modules. */
export const handler = define.handlers({
  async GET() {
    document ??= buildOpenApi(freshConfig.rootDir);
    return Response.json(await document, { headers: { "Cache-Control": "public, max-age=300" } });
  },
});

export const openapi: RouteOperations = {
  GET: { summary: "This document", responses: { 200: "OpenAPI 3.1 JSON" } },
};
