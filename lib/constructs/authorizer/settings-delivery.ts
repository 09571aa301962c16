import { Token } from 'aws-cdk-lib';
import { ENVIRONMENT_REFERENCE_KEY } from '../../../lambda/authorizer/settings';

/** The global the handler reads its bundled settings from (lambda/authorizer/index.ts), set by esbuild `define`. */
export const BUNDLED_SETTINGS_GLOBAL = 'MCP_PERIMETER_AUTHORIZER_SETTINGS';

/** The prefix of the environment variables that carry deploy-time values of the settings. */
export const SETTING_VARIABLE_PREFIX = 'AUTHORIZER_SETTING_';

/** How the authorizer's settings reach the function. */
export interface SettingsDelivery {
  /** The settings JSON bundled into the code; deploy-time values replaced by `{"$env": NAME}` references. */
  readonly bundled: string;
  /** The environment variables the references name, holding the unresolved tokens (resolved by CloudFormation). */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Splits any settings object into what is bundled into the code (every value known at synth) and the few
 * values known only at deploy time (tokens, like a key ARN from another stack), which go to the
 * environment as variables the bundled JSON refers to. Generic: a new settings field needs no change
 * here. The bundle has no size limit that matters; the environment keeps Lambda's 4 KB for the tokens
 * alone (source of the limit: lib/limits/aws-limits.ts, `lambdaEnvironmentBytes`).
 */
export function deliverSettings(settings: object): SettingsDelivery {
  const environment: Record<string, string> = {};
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      const name = `${SETTING_VARIABLE_PREFIX}${Object.keys(environment).length}`;
      environment[name] = value;
      return { [ENVIRONMENT_REFERENCE_KEY]: name };
    }
    if (typeof value === 'number' && Token.isUnresolved(value)) {
      throw new Error(`authorizer settings must not hold a numeric token (it would arrive as a string), got ${Token.asString(value)}`);
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const bundled = JSON.stringify(walk(settings));
  return { bundled, environment };
}
