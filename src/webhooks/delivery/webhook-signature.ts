import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** How long a rotated-out secret keeps signing beside the new one (SPEC §9). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes, the form the reference
 * libraries (standardwebhooks, svix) accept as is.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SigningSecrets {
  current: string;
  previous: string | null;
  previousExpiresAt: number | null;
}

/** The secrets that sign a message sent at `now`: the current one, plus the previous within its grace. */
export function activeSecrets(secrets: SigningSecrets, now: number): string[] {
  const keepPrevious = secrets.previous !== null && secrets.previousExpiresAt !== null && secrets.previousExpiresAt > now;
  return keepPrevious ? [secrets.current, secrets.previous!] : [secrets.current];
}

/**
 * Standard Webhooks headers. Signing is delegated to the reference library so the bytes
 * signed (`{id}.{timestamp}.{body}`) and the encoding match what receivers verify; several
 * signatures are space-separated, and a verifier accepts the message if any one matches.
 */
export function webhookHeaders(eventId: string, body: string, secrets: string[], at: Date): Record<string, string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(eventId, at, body)).join(' '),
  };
}
