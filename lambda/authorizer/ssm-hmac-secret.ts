/**
 * The HS256 secret, for the presets that need it (seed 001): an SSM SecureString read with decryption
 * and kept as a Snapshot, so a rotated secret is picked up within the refresh period and an SSM outage
 * is ridden out up to the maximum staleness.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { JWTVerifyGetKey } from 'jose';
import { KeyUnavailableError } from './jwt';
import { Snapshot } from './snapshot';

/** HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2). */
export const MIN_HMAC_SECRET_BYTES = 32;

/** Where the secret is and how it ages. */
export interface SsmHmacSecretProps {
  /** The SSM client (standard SDK configuration). */
  readonly client: Pick<SSMClient, 'send'>;
  /** The SecureString parameter's name. */
  readonly parameterName: string;
  readonly refreshMs: number;
  readonly maxStaleMs: number;
  /** The clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Told about a failed load. @default - not reported */
  readonly onError?: (error: unknown) => void;
}

/** The HS256 verification secret, refreshed from SSM. */
export class SsmHmacSecret {
  private readonly snapshot: Snapshot<KeyObject>;

  constructor(private readonly props: SsmHmacSecretProps) {
    this.snapshot = new Snapshot({ load: () => this.load(), refreshMs: props.refreshMs, maxStaleMs: props.maxStaleMs, now: props.now, onError: props.onError });
  }

  /** A jose key resolver for the secret; throws KeyUnavailableError when none may serve. */
  get resolver(): JWTVerifyGetKey {
    return async () => {
      const key = await this.snapshot.get();
      if (!key) throw new KeyUnavailableError('the HS256 secret is not available');
      return key;
    };
  }

  private async load(): Promise<KeyObject> {
    const answer = await this.props.client.send(new GetParameterCommand({ Name: this.props.parameterName, WithDecryption: true }));
    const value = answer.Parameter?.Value;
    if (answer.Parameter?.Type !== 'SecureString') throw new Error(`parameter ${this.props.parameterName} must be a SecureString, got ${answer.Parameter?.Type ?? 'none'}`);
    if (!value || Buffer.byteLength(value, 'utf8') < MIN_HMAC_SECRET_BYTES) {
      throw new Error(`parameter ${this.props.parameterName} must hold at least ${MIN_HMAC_SECRET_BYTES} bytes`);
    }
    return createSecretKey(Buffer.from(value, 'utf8'));
  }
}
