import { Lazy, Token } from 'aws-cdk-lib';
import { resolveEnvironmentReferences } from '../../../lambda/authorizer/settings';
import { deliverSettings } from '../../../lib/constructs/authorizer/settings-delivery';

test('values known at synth are bundled as they are, with no environment', () => {
  const settings = { stage: 'dev', routes: [{ path: '/mcp', methods: ['ANY'] }], nested: { n: 3, b: true, none: null } };
  const delivery = deliverSettings(settings);
  expect(JSON.parse(delivery.bundled)).toEqual(settings);
  expect(delivery.environment).toEqual({});
});

test('deploy-time values (tokens) go to the environment, wherever they sit, and resolve back to the same settings', () => {
  // GIVEN two tokens, one nested in an array of objects (a field the delivery has never heard of)
  const keyArn = Lazy.string({ produce: () => 'arn:aws:kms:eu-west-1:111111111111:key/abc' });
  const other = Lazy.string({ produce: () => '/x/y' });
  const delivery = deliverSettings({ jwt: { kmsKeyId: keyArn }, someNewField: [{ parameter: other }] });
  // THEN the bundle refers to two variables holding exactly the tokens
  expect(JSON.parse(delivery.bundled)).toEqual({ jwt: { kmsKeyId: { $env: 'AUTHORIZER_SETTING_0' } }, someNewField: [{ parameter: { $env: 'AUTHORIZER_SETTING_1' } }] });
  expect(Object.values(delivery.environment).every((v) => Token.isUnresolved(v))).toBe(true);
  // AND the handler's side resolves them from the environment Lambda gives it
  const env = { AUTHORIZER_SETTING_0: 'arn:aws:kms:eu-west-1:111111111111:key/abc', AUTHORIZER_SETTING_1: '/x/y' };
  expect(resolveEnvironmentReferences(JSON.parse(delivery.bundled), env)).toEqual({ jwt: { kmsKeyId: env.AUTHORIZER_SETTING_0 }, someNewField: [{ parameter: '/x/y' }] });
});

test('fails on a numeric token, which would arrive as a string', () => {
  expect(() => deliverSettings({ n: Lazy.number({ produce: () => 3 }) })).toThrow(/numeric token/);
});
