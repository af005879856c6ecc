import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;

/**
 * IVs come from one CSPRNG buffer refilled every 512 IVs: a randomBytes call per value costs
 * a trip into OpenSSL that is a third of sealing a short value. Each IV is used (and copied
 * into the sealed value) before the buffer can be refilled.
 */
const ivPool = Buffer.alloc(IV_BYTES * 512);
let ivOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  return ivPool.subarray(ivOffset, (ivOffset += IV_BYTES));
}

/**
 * AES-256-GCM for single personal values inside events: `enc:v1:` + base64(iv | tag | text).
 * Each value gets a fresh IV, so equal values do not look equal in the log.
 */
export function encryptValue(key: Buffer, plaintext: string): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Decrypts a value sealed by encryptValue; null when the key is gone (erased subject). */
export function decryptValue(key: Buffer | null, sealed: string): string | null {
  if (!sealed.startsWith(PREFIX)) return sealed;
  if (!key) return null;
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

type Fields = Record<string, unknown>;

/** Applies `transform` to the named string fields and to every string value of `metadata`. */
function mapPersonal<T extends object>(fields: T, personal: readonly string[], transform: (v: string) => string | null): T {
  const out = { ...fields } as Fields;
  for (const name of personal) {
    if (typeof out[name] === 'string') out[name] = transform(out[name] as string);
  }
  if (out.metadata && typeof out.metadata === 'object') {
    out.metadata = Object.fromEntries(
      Object.entries(out.metadata as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? transform(v) : v,
      ]),
    );
  }
  return out as T;
}

/** Whether `fields` holds any value sealFields would encrypt (null and absent values need no key). */
export function hasPersonalValues(fields: object, personal: readonly string[]): boolean {
  const values = fields as Fields;
  if (personal.some((name) => typeof values[name] === 'string')) return true;
  const metadata = values.metadata;
  return Boolean(metadata && typeof metadata === 'object' && Object.values(metadata).some((v) => typeof v === 'string'));
}

export function sealFields<T extends object>(key: Buffer, fields: T, personal: readonly string[]): T {
  return mapPersonal(fields, personal, (v) => encryptValue(key, v));
}

export function openFields<T extends object>(key: Buffer | null, fields: T, personal: readonly string[]): T {
  return mapPersonal(fields, personal, (v) => decryptValue(key, v));
}
