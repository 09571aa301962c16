/**
 * The public half of the kit's KMS signing key (ECC_NIST_P256, SIGN_VERIFY), fetched once with
 * GetPublicKey and cached for the life of the execution environment. JWTs the kit signs with KMS
 * (ES256) are verified locally with it: no KMS call per request.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { GetPublicKeyCommand as GetPublicKey, KMSClient } from '@aws-sdk/client-kms';
import type { JWTVerifyGetKey } from 'jose';
import { KeyUnavailableError } from './jwt';

/** Which key and how failures are retried. */
export interface KmsPublicKeyProps {
  /** The KMS client (standard SDK configuration). */
  readonly client: Pick<KMSClient, 'send'>;
  /** Key id, alias or ARN. */
  readonly keyId: string;
  /** Shortest time between two GetPublicKey attempts after a failure. @default 5000 */
  readonly retryMs?: number;
  /** The clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Told about a failed fetch. @default - not reported */
  readonly onError?: (error: unknown) => void;
}

/** The cached public key of the kit's KMS signing key. */
export class KmsPublicKey {
  private key: KeyObject | undefined;
  private inflight: Promise<KeyObject> | undefined;
  private nextAttemptAt = 0;

  constructor(private readonly props: KmsPublicKeyProps) {}

  /** A jose key resolver for this key. */
  get resolver(): JWTVerifyGetKey {
    return () => this.get();
  }

  /**
   * The public key.
   * @throws KeyUnavailableError while it cannot be fetched, or when the key is not an ECC_NIST_P256 signing key.
   */
  async get(): Promise<KeyObject> {
    if (this.key) return this.key;
    const now = (this.props.now ?? Date.now)();
    if (!this.inflight && now < this.nextAttemptAt) throw new KeyUnavailableError('the KMS public key is not available (retrying shortly)');
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetch(): Promise<KeyObject> {
    try {
      // Loaded on first use: a stage without KMS JWTs never loads the KMS client (cold start).
      const { GetPublicKeyCommand } = require('@aws-sdk/client-kms') as { GetPublicKeyCommand: typeof GetPublicKey };
      const answer = await this.props.client.send(new GetPublicKeyCommand({ KeyId: this.props.keyId }));
      if (answer.KeySpec !== 'ECC_NIST_P256' || answer.KeyUsage !== 'SIGN_VERIFY' || !answer.SigningAlgorithms?.includes('ECDSA_SHA_256')) {
        throw new Error(`KMS key ${this.props.keyId} must be an ECC_NIST_P256 SIGN_VERIFY key with ECDSA_SHA_256, got ${answer.KeySpec ?? 'no spec'} ${answer.KeyUsage ?? 'no usage'}`);
      }
      if (!answer.PublicKey) throw new Error(`KMS GetPublicKey for ${this.props.keyId} returned no public key`);
      this.key = createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
      return this.key;
    } catch (e) {
      this.nextAttemptAt = (this.props.now ?? Date.now)() + (this.props.retryMs ?? 5000);
      this.props.onError?.(e);
      throw new KeyUnavailableError(`the KMS public key could not be fetched: ${(e as Error).name ?? 'error'}`);
    }
  }
}
