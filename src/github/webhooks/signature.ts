// X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the exact request body under the
// webhook secret. Compared in constant time, so a forger learns nothing from response times.
import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256=";
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

export function signBody(secret: string, body: Buffer | string): string {
  return PREFIX + createHmac("sha256", secret).update(body).digest("hex");
}

/** True when `header` is the body's signature under `secret`. */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (!HEX_DIGEST.test(hex)) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}
