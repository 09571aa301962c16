/**
 * The CLI's failures: each is a `CliError` with a documented exit code and a message a person can act
 * on (what was wrong, the value received, what to do). AWS SDK errors are mapped here, once, after
 * the SDK's own retry strategy has given up.
 */

/** Exit codes, documented in `--help` and README. Stable: scripts depend on them. */
export const ExitCode = {
  /** The command did what was asked. */
  OK: 0,
  /** Anything not listed below (a bug, a corrupt record, an AWS error with no better code). */
  UNEXPECTED: 1,
  /** Unknown command or flag, a missing flag, a malformed value. */
  USAGE: 2,
  /** No AWS credentials or region, or credentials that are expired or invalid. */
  NO_CREDENTIALS: 3,
  /** The credentials are valid but IAM (or a key policy) refuses the call. */
  ACCESS_DENIED: 4,
  /** Unknown stage (no such stack), a missing stack output, an unknown token path, token id or key. */
  NOT_FOUND: 5,
  /** A role or scope the stage's config does not define (deny by default, RBAC-4). */
  UNKNOWN_ROLE_OR_SCOPE: 6,
  /** A duration that does not parse or is out of the allowed range. */
  BAD_DURATION: 7,
  /** A token record already exists at that parameter name; nothing was overwritten. */
  ALREADY_EXISTS: 8,
  /** AWS kept throttling the call after the SDK's retries with backoff. */
  THROTTLED: 9,
  /** The config file or preset is invalid, unknown, or describes another stage. */
  CONFIG: 10,
  /** The KMS key exists but cannot be used (disabled, pending deletion, wrong key usage or spec). */
  KEY_UNUSABLE: 11,
  /** AWS could not be reached (connection refused or reset, DNS failure, timeout) after the SDK's retries. */
  UNREACHABLE: 12,
} as const;

/** One of the documented exit codes. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The documented exit codes as `code  meaning` lines, for `--help` and README. */
export const EXIT_CODE_HELP: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [ExitCode.OK, 'success'],
  [ExitCode.UNEXPECTED, 'unexpected failure (a bug, a corrupt record, an unmapped AWS error)'],
  [ExitCode.USAGE, 'unknown command or flag, missing flag, malformed value'],
  [ExitCode.NO_CREDENTIALS, 'no AWS credentials or region, or expired/invalid credentials'],
  [ExitCode.ACCESS_DENIED, 'access denied by IAM or a KMS key policy'],
  [ExitCode.NOT_FOUND, 'unknown stage (no stack), missing stack output, unknown token path, token id or key'],
  [ExitCode.UNKNOWN_ROLE_OR_SCOPE, "role or scope not defined in the stage's config"],
  [ExitCode.BAD_DURATION, 'duration does not parse or is out of range'],
  [ExitCode.ALREADY_EXISTS, 'a token record already exists at that name (never overwritten)'],
  [ExitCode.THROTTLED, 'AWS still throttled the call after retries with backoff'],
  [ExitCode.CONFIG, 'invalid or unknown config/preset, or a config for another stage'],
  [ExitCode.KEY_UNUSABLE, 'KMS key disabled, pending deletion, or of the wrong usage/spec'],
  [ExitCode.UNREACHABLE, 'AWS could not be reached (connection refused, DNS, timeout) after retries'],
];

/** A failure the CLI reports as one line on stderr and an exit code. Messages never contain a token. */
export class CliError extends Error {
  constructor(readonly exitCode: ExitCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** What the CLI was doing when AWS failed, for the message: `"writing /mcp-perimeter/dev/tokens/tok_…"`. */
export interface AwsCallContext {
  /** The action in words, e.g. `reading stack McpPerimeter-dev-Keys`. */
  readonly action: string;
  /** What "not found" means for this call, e.g. `unknown stage 'dev': …`. @default - a generic message */
  readonly notFound?: string;
  /** What "already exists" means for this call. @default - a generic message */
  readonly alreadyExists?: string;
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const ACCESS_DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'AuthorizationError']);
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);
const NOT_FOUND_ERRORS = new Set(['ParameterNotFound', 'ParameterVersionNotFound', 'NotFoundException', 'StackNotFoundException', 'ResourceNotFoundException']);
const KEY_UNUSABLE_ERRORS = new Set([
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'KeyUnavailableException',
  'KMSDisabledException',
  'KMSInvalidKeyUsageException',
  'KMSNotFoundException',
  'InvalidKeyId',
]);

/** Node's and the SDK's names for a network failure (no answer from AWS at all). */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError', 'RequestTimeout']);

interface AwsErrorShape {
  readonly code?: string;
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/**
 * Maps an error thrown by an AWS SDK call (after the SDK's retries) to a `CliError` with its exit code.
 * Errors that are already `CliError`s pass through.
 */
export function toCliError(error: unknown, context: AwsCallContext): CliError {
  if (error instanceof CliError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  const name = e.name ?? 'Error';
  const message = e.message ?? String(error);
  const detail = `${name}: ${message}`;
  const attempts = e.$metadata?.attempts;
  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials/i.test(message)) {
    return new CliError(ExitCode.NO_CREDENTIALS,
      `${context.action}: no usable AWS credentials (${detail}); sign in (aws sso login, --profile NAME, or AWS_* environment variables) and retry`,
      { cause: error });
  }
  if (/region is missing/i.test(message)) {
    return new CliError(ExitCode.NO_CREDENTIALS, `${context.action}: no AWS region; pass --region or set AWS_REGION`, { cause: error });
  }
  if (ACCESS_DENIED_ERRORS.has(name)) {
    return new CliError(ExitCode.ACCESS_DENIED,
      `${context.action}: access denied (${detail}); use an operator role allowed to do this for the stage`, { cause: error });
  }
  if (THROTTLING_ERRORS.has(name) || e.$metadata?.httpStatusCode === 429) {
    const tries = attempts ? ` after ${attempts} attempts with backoff` : ' after retries with backoff';
    return new CliError(ExitCode.THROTTLED, `${context.action}: AWS is throttling the call${tries} (${detail}); wait a minute and retry`, { cause: error });
  }
  if (name === 'ParameterAlreadyExists') {
    return new CliError(ExitCode.ALREADY_EXISTS, `${context.action}: ${context.alreadyExists ?? 'the parameter already exists'}; nothing was overwritten`, { cause: error });
  }
  if (NOT_FOUND_ERRORS.has(name) || (name === 'ValidationError' && /does not exist/i.test(message))) {
    return new CliError(ExitCode.NOT_FOUND, `${context.action}: ${context.notFound ?? 'not found'} (${detail})`, { cause: error });
  }
  if (NETWORK_ERRORS.has(e.code ?? '') || NETWORK_ERRORS.has(name)) {
    return new CliError(ExitCode.UNREACHABLE,
      `${context.action}: AWS could not be reached (${detail}); check the network, --region and any AWS_ENDPOINT_URL, then retry`, { cause: error });
  }
  if (KEY_UNUSABLE_ERRORS.has(name)) {
    return new CliError(ExitCode.KEY_UNUSABLE,
      `${context.action}: the KMS key cannot be used (${detail}); check that it is enabled and is the stage's key`, { cause: error });
  }
  return new CliError(ExitCode.UNEXPECTED, `${context.action}: ${detail}`, { cause: error });
}

/** Runs one AWS call and maps its failure with `toCliError`. */
export async function awsCall<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCliError(error, context);
  }
}
