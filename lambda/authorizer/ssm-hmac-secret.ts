/**
 * The HS256 secret, for the presets that need it (seed 001): an SSM SecureString read with decryption
 * and kept as a Snapshot, so a rotated secret is picked up within the refresh period and an SSM outage
 * is ridden out up to the maximum staleness.
 *
 * Rotation without downtime (issue 15, point 6): a second parameter, `<name>-previous`, may hold the
 * secret being retired. JWTs signed with either verify (current first); when the previous parameter is
 * deleted, JWTs signed with it are refused within the refresh period. Procedure: README, Token rotation.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { GetParameterCommand as GetParameter, SSMClient } from '@aws-sdk/client-ssm';
import { KeyUnavailableError } from './jwt';
import { keyRingResolver, type KeyRingResolver } from './key-ring';
import { Snapshot } from './snapshot';

/** HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2). */
export const MIN_HMAC_SECRET_BYTES = 32;

/** Where the secret is and how it ages. */
export interface SsmHmacSecretProps {
  /** The SSM client (standard SDK configuration). */
  readonly client: Pick<SSMClient, 'send'>;
  /** The SecureString parameter's name. */
  readonly parameterName: string;
  /** The previous secret's parameter, which may not exist. @default `${parameterName}-previous` */
  readonly previousParameterName?: string;
  readonly refreshMs: number;
  readonly maxStaleMs: number;
  /** The clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Told about a failed load. @default - not reported */
  readonly onError?: (error: unknown) => void;
}

/** The HS256 verification secret, refreshed from SSM. */
export class SsmHmacSecret {
  private readonly snapshot: Snapshot<KeyObject[]>;

  constructor(private readonly props: SsmHmacSecretProps) {
    this.snapshot = new Snapshot({ load: () => this.load(), refreshMs: props.refreshMs, maxStaleMs: props.maxStaleMs, now: props.now, onError: props.onError });
  }

  /** A jose key resolver for the secrets (current, then previous); throws KeyUnavailableError when none may serve. */
  get resolver(): KeyRingResolver {
    return keyRingResolver(async () => {
      const keys = await this.snapshot.get();
      if (!keys) throw new KeyUnavailableError('the HS256 secret is not available');
      return keys;
    });
  }

  private async load(): Promise<KeyObject[]> {
    const current = await this.read(this.props.parameterName);
    let previous: KeyObject | undefined;
    try {
      previous = await this.read(this.props.previousParameterName ?? `${this.props.parameterName}-previous`);
    } catch (e) {
      // The previous secret is a courtesy during a rotation: absent is normal, and a broken one is
      // reported but never takes the current secret down with it.
      if ((e as { name?: string }).name !== 'ParameterNotFound') this.props.onError?.(e);
    }
    return previous ? [current, previous] : [current];
  }

  private async read(name: string): Promise<KeyObject> {
    // Loaded on first use: a stage without HS256 JWTs never loads the SSM client (cold start).
    const { GetParameterCommand } = require('@aws-sdk/client-ssm') as { GetParameterCommand: typeof GetParameter };
    const answer = await this.props.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = answer.Parameter?.Value;
    if (answer.Parameter?.Type !== 'SecureString') throw new Error(`parameter ${name} must be a SecureString, got ${answer.Parameter?.Type ?? 'none'}`);
    if (!value || Buffer.byteLength(value, 'utf8') < MIN_HMAC_SECRET_BYTES) {
      throw new Error(`parameter ${name} must hold at least ${MIN_HMAC_SECRET_BYTES} bytes`);
    }
    return createSecretKey(Buffer.from(value, 'utf8'));
  }
}
