/** The OpenAPI document covers every API route and method, and its schemas are the validators'. */
import assert from "node:assert/strict";
import freshConfig from "../fresh.config.ts";
import { buildOpenApi } from "../lib/openapi.ts";
import { testApp } from "./support/app.ts";
import { createElymicaApp } from "../lib/app.ts";

Deno.test("every /api route and method the app serves is in the OpenAPI document", async () => {
  const app = await createElymicaApp({ db: null as never, jwtSecret: "x".repeat(32) });
  const doc = await buildOpenApi(freshConfig.rootDir);
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
  );
  const apiRoutes = app.routes.filter((pattern) => pattern.startsWith("/api/"));
  assert.ok(apiRoutes.length >= 10);
  for (const pattern of apiRoutes) {
    // Ask the route which methods it takes: a 405's Allow header lists them.
    const probe = await app.fetch(
      new Request(`http://localhost${pattern}`, {
        method: "PATCH",
        headers: { Origin: "http://localhost" },
      }),
    );
    await probe.body?.cancel();
    const allowed = (probe.headers.get("Allow") ?? "").split(/,\s*/)
      .filter((m) => m && m !== "HEAD" && m !== "PATCH");
    assert.ok(allowed.length > 0, `${pattern} answered PATCH with ${probe.status}`);
    const path = pattern.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}"); // Hono's :id is OpenAPI's {id}
    for (const method of allowed) {
      assert.ok(
        documented.has(`${method.toLowerCase()} ${path}`),
        `${method} ${path} undocumented`,
      );
    }
  }
});

Deno.test("request bodies are the zod schemas as JSON Schema", async () => {
  const doc = await buildOpenApi(freshConfig.rootDir);
  // deno-lint-ignore no-explicit-any
  const login = (doc.paths["/api/auth/login"] as any).post;
  const schema = login.requestBody.content["application/json"].schema;
  assert.deepEqual(schema.required, ["email", "password"]);
  assert.equal(schema.properties.email.maxLength, 254);
  assert.ok(login.responses["429"]);
  // deno-lint-ignore no-explicit-any
  const register = (doc.paths["/api/auth/register"] as any).post;
  assert.deepEqual(register.security, [{ bearer: [] }]);
  assert.deepEqual(
    register.requestBody.content["application/json"].schema.properties.role.enum,
    ["student", "teacher", "parent", "admin"],
  );
});

Deno.test("GET /api/openapi.json serves the document", async () => {
  const app = await testApp(null as never);
  const response = await app.fetch(new Request("http://localhost/api/openapi.json"));
  assert.equal(response.status, 200);
  const doc = await response.json();
  assert.equal(doc.openapi, "3.1.0");
  assert.ok(doc.paths["/api/auth/login"].post);
});
