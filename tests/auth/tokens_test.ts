import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
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
  const result = verifyAccessToken(secret, token);
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
  assert.deepEqual(verifyAccessToken(secret, await signAccessToken(secret, identity, old)), {
    problem: "expired",
  });
  const otherKey = await signAccessToken("another-secret-of-sufficient-length-000000", identity);
  assert.deepEqual(verifyAccessToken(secret, otherKey), { problem: "invalid" });
  const none = new UnsecuredJWT({
    role: "authenticated",
    app_metadata: { tenant_id: "t", user_role: "admin" },
  })
    .setSubject(identity.personId).setAudience("authenticated").setIssuedAt().setExpirationTime(
      "5m",
    )
    .encode();
  assert.deepEqual(verifyAccessToken(secret, none), { problem: "invalid" });
  const wrongAudience = await new SignJWT({
    role: "authenticated",
    app_metadata: { tenant_id: identity.tenantId, user_role: "admin" },
  }).setProtectedHeader({ alg: "HS256" }).setSubject(identity.personId).setAudience("somebody-else")
    .setIssuedAt().setExpirationTime("5m").sign(new TextEncoder().encode(secret));
  assert.deepEqual(verifyAccessToken(secret, wrongAudience), { problem: "invalid" });
  assert.deepEqual(verifyAccessToken(secret, "not.a.jwt"), { problem: "invalid" });
});

Deno.test("a token without tenant and role metadata is refused", async () => {
  const bare = await new SignJWT({ role: "authenticated" }).setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.personId).setAudience("authenticated").setIssuedAt().setExpirationTime(
      "5m",
    )
    .sign(new TextEncoder().encode(secret));
  assert.deepEqual(verifyAccessToken(secret, bare), { problem: "invalid" });
});

/** A token signed by hand (HMAC-SHA256 over whatever header and payload), to vary one thing. */
function handSigned(key: string, header: object, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part(header)}.${part(payload)}`;
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

Deno.test("only an untouched HS256 token with sub, exp and iat, past its nbf, is accepted", () => {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: identity.personId,
    aud: "authenticated",
    iat: now,
    exp: now + 300,
    role: "authenticated",
    app_metadata: { tenant_id: identity.tenantId, user_role: "student" },
  };
  const hs256 = { alg: "HS256", typ: "JWT" };
  const good = handSigned(secret, hs256, payload);
  assert.ok("claims" in verifyAccessToken(secret, good), "the hand-signed token itself");
  // An audience list that names us is an audience too (as jose reads it).
  const listed = handSigned(secret, hs256, { ...payload, aud: ["x", "authenticated"] });
  assert.ok("claims" in verifyAccessToken(secret, listed));

  const { exp: _exp, ...noExp } = payload;
  const { iat: _iat, ...noIat } = payload;
  const { sub: _sub, ...noSub } = payload;
  const [header, , signature] = good.split(".");
  const promoted = Buffer.from(JSON.stringify({
    ...payload,
    app_metadata: { ...payload.app_metadata, user_role: "admin" },
  })).toString("base64url");
  const refused: Record<string, string> = {
    "another HMAC algorithm with the same secret": handSigned(secret, { alg: "HS512" }, payload),
    "a critical header extension": handSigned(secret, { ...hs256, crit: ["exp"] }, payload),
    "no exp": handSigned(secret, hs256, noExp),
    "no iat": handSigned(secret, hs256, noIat),
    "no sub": handSigned(secret, hs256, noSub),
    "not yet valid (nbf)": handSigned(secret, hs256, { ...payload, nbf: now + 120 }),
    "a payload changed after signing": `${header}.${promoted}.${signature}`,
    "a padded signature": `${good}=`,
    "a fourth part": `${good}.x`,
    "an empty signature": `${good.slice(0, good.lastIndexOf(".") + 1)}`,
    "a payload that is not an object": handSigned(secret, hs256, ["not", "claims"]),
  };
  for (const [what, token] of Object.entries(refused)) {
    assert.deepEqual(verifyAccessToken(secret, token), { problem: "invalid" }, what);
  }
});
