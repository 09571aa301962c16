/**
 * aws-cdk-lib runs its built-in CloudFormation validation on every `app.synth()` (and so on every
 * `Template.fromStack`). Its engine start-up costs ~4 s of CPU in each test file that synthesizes, about
 * 60 % of the suite's synthesis time. The suite turns it off here; the tests that are about it turn it
 * back on around their synthesis with `withCloudFormationValidation` (test/fixtures/test-app.ts), and
 * `npm run synth` (the main job) always runs it over the real app.
 */
process.env.CDK_VALIDATION = 'false';
