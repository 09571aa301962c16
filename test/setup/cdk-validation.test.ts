/**
 * The suite's switch for CDK's built-in CloudFormation validation (test/setup/cdk-validation.js): off in
 * every test file, on inside `withCloudFormationValidation`, so the tests that rely on it really run it.
 */
import { App, CfnResource } from 'aws-cdk-lib';
import { testApp, testStack, withCloudFormationValidation } from '../fixtures/test-app';

/** An app whose one resource has a property CloudFormation's schema does not allow. */
function invalidApp(): App {
  const app = testApp({ bundling: false });
  new CfnResource(testStack(app), 'Queue', { type: 'AWS::SQS::Queue', properties: { NoSuchProperty: 1 } });
  return app;
}

test('the suite synthesizes without the CloudFormation validation', () => {
  expect(() => invalidApp().synth()).not.toThrow();
});

test('withCloudFormationValidation runs it: a schema error fails the synthesis', () => {
  const app = invalidApp();
  expect(() => withCloudFormationValidation(() => app.synth())).toThrow(/NoSuchProperty/);
  expect(process.env.CDK_VALIDATION).toBe('false');
});
