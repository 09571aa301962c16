/**
 * The AWS clients the CLI uses, built from the standard credential and region chain (`--profile`,
 * `--region`, then `AWS_PROFILE`, `AWS_REGION`, SSO, instance roles …) with the SDK's adaptive retry
 * strategy: throttled calls are retried with exponential backoff and client-side rate limiting before
 * the CLI reports exit code THROTTLED.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';

/** Total attempts per AWS call (1 + retries) under the adaptive retry strategy. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** How to reach AWS: the CLI's `--region` and `--profile`, and the retry policy. */
export interface AwsSettings {
  /** The region. @default - the SDK chain: AWS_REGION, then the profile's region */
  readonly region?: string;
  /** A named profile from ~/.aws/config. @default - the SDK chain: AWS_PROFILE, then `default` */
  readonly profile?: string;
  /** Attempts per call, retries included. @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** The SDK retry mode. @default 'adaptive' */
  readonly retryMode?: 'standard' | 'adaptive';
}

/** The three clients every command draws from. */
export interface AwsClients {
  readonly ssm: SSMClient;
  readonly kms: KMSClient;
  readonly cloudFormation: CloudFormationClient;
  /** The token table (issue 15). */
  readonly dynamodb: DynamoDBClient;
}

/** The client config shared by the three clients. Extra settings (tests: a request handler) merge over it. */
export function awsClientConfig(settings: AwsSettings) {
  return {
    region: settings.region,
    profile: settings.profile,
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: settings.retryMode ?? 'adaptive',
  };
}

/**
 * The AWS SDK's own switch for its Node-version notice (read by @aws-sdk/core's
 * `emitWarningIfUnsupportedVersion`). On Node 20 every client prints an 8-line NodeVersionSupportWarning
 * about SDK releases published after the first week of January 2027, which will need Node 22; the lock
 * file pins a release that supports Node 20, the kit's minimum (package.json `engines`), so the notice is
 * noise on a supported setup. Move to Node 22 before updating the SDK past that date.
 */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Builds real clients for `settings`. Only bin/cli.ts calls this; tests inject mocked clients. */
export function createAwsClients(settings: AwsSettings): AwsClients {
  // an operator who set the switch either way keeps their choice
  process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
  const config = awsClientConfig(settings);
  return {
    ssm: new SSMClient(config),
    kms: new KMSClient(config),
    cloudFormation: new CloudFormationClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}
