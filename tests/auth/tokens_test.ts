import assert from "node:assert/strict";
import { SignJWT, UnsecuredJWT } from "jose";
import { signAccessToken, verifyAccessToken } from "../../lib/auth/tokens.ts";

const secret = "a-test-secret-that-is-long-enough-0123456789";
const identity = {
  personId: crypto.randomUUID(),
  tenantId: crypto.randomUUID(),
  role: "teacher",
  sessionId: crypto.randomUUID(),
};

Deno.test("an access token carries the claims RLS reads, for 15 minutes", async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await signAccessToken(secret, identity, now);
  const result = await verifyAccessToken(secret, token);
  assert.ok("claims" in result);
  const { claims } = result;
  assert.equal(claims.sub, identity.personId);
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.aud, "authenticated");
  assert.equal(claims.session_id, identity.sessionId);
  assert.deepEqual(claims.app_metadata, { tenant_id: identity.tenantId, user_role: "teacher" });
  assert.equal(claims.exp - claims.iat, 15 * 60);
});

Deno.test("expired, wrongly signed, alg none and wrong-audience tokens are refused", async () => {
  const old = Math.floor(Date.now() / 1000) - 16 * 60;
  assert.deepEqual(await verifyAccessToken(secret, await signAccessToken(secret, identity, old)), {
    problem: "expired",
  });
  const otherKey = await signAccessToken("another-secret-of-sufficient-length-000000", identity);
  assert.deepEqual(await verifyAccessToken(secret, otherKey), { problem: "invalid" });
  const none = new UnsecuredJWT({
    role: "authenticated",
    app_metadata: { tenant_id: "t", user_role: "admin" },
  })
    .setSubject(identity.personId).setAudience("authenticated").setIssuedAt().setExpirationTime(
      "5m",
    )
    .encode();
  assert.deepEqual(await verifyAccessToken(secret, none), { problem: "invalid" });
  const wrongAudience = await new SignJWT({
    role: "authenticated",
    app_metadata: { tenant_id: identity.tenantId, user_role: "admin" },
  }).setProtectedHeader({ alg: "HS256" }).setSubject(identity.personId).setAudience("somebody-else")
    .setIssuedAt().setExpirationTime("5m").sign(new TextEncoder().encode(secret));
  assert.deepEqual(await verifyAccessToken(secret, wrongAudience), { problem: "invalid" });
  assert.deepEqual(await verifyAccessToken(secret, "not.a.jwt"), { problem: "invalid" });
});

Deno.test("a token without tenant and role metadata is refused", async () => {
  const bare = await new SignJWT({ role: "authenticated" }).setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.personId).setAudience("authenticated").setIssuedAt().setExpirationTime(
      "5m",
    )
    .sign(new TextEncoder().encode(secret));
  assert.deepEqual(await verifyAccessToken(secret, bare), { problem: "invalid" });
});
