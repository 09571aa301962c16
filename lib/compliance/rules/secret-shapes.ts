/**
 * What a secret looks like in a template (SEC-1, SEC-2): a value in a known credential format, a long
 * high-entropy string, or a literal under a secret-sounding name. References (ARNs, parameter paths,
 * dynamic references, URLs) are never secrets; neither are numbers, booleans and plain words.
 */

/** Variable or key names that announce a secret. */
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|SIGNING_?KEY)/i;

/** Values in a known credential format, each with the name reported in findings. */
export const SECRET_SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ['aws-access-key', /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  ['private-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['mcp-token', /\b(mcp|sct)_[A-Za-z0-9_-]{16,}/],
  ['jwt', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/],
  ['github-token', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['slack-token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['bearer', /^Bearer\s+\S{16,}/i],
];

const REFERENCE = /^(arn:|\/|\{\{resolve:|https?:\/\/|alias\/|ssm:|secretsmanager:)/;
const PLAIN_WORDS = /^[A-Za-z]+([-_.][A-Za-z]+)*$/;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/**
 * True for a long random-looking string: 24+ characters without spaces, at least 4 bits of entropy per
 * character, letters and digits mixed. Pure hex strings (digests, ids) are left to the name check.
 */
export function isHighEntropy(value: string): boolean {
  return value.length >= 24 && !/\s/.test(value) && !/^[0-9a-fA-F-]+$/.test(value)
    && /[A-Za-z]/.test(value) && /[0-9]/.test(value) && entropy(value) >= 4;
}

function looksLikeJson(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * Why `value`, stored under `name`, looks like a secret (`aws-access-key`, `high-entropy`,
 * `secret-name` …), or `undefined` when it does not. JSON values are searched key by key.
 */
export function secretReason(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const json = looksLikeJson(value);
  if (json !== undefined) return jsonSecretReason(json);
  for (const [shape, pattern] of SECRET_SHAPES) if (pattern.test(value)) return shape;
  if (REFERENCE.test(value)) return undefined;
  if (isHighEntropy(value)) return 'high-entropy';
  const plain = /^-?\d+(\.\d+)?$/.test(value) || /^(true|false|yes|no|on|off|none|null)$/i.test(value) || PLAIN_WORDS.test(value);
  if (SECRET_NAME.test(name) && !plain && value.length >= 8) return 'secret-name';
  return undefined;
}

function jsonSecretReason(json: unknown, key = ''): string | undefined {
  if (typeof json === 'string') return secretReason(key, json);
  if (Array.isArray(json)) {
    for (const item of json) {
      const reason = jsonSecretReason(item, key);
      if (reason) return reason;
    }
  } else if (json && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) {
      const reason = jsonSecretReason(v, k);
      if (reason) return reason;
    }
  }
  return undefined;
}
