import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { REFERENCE_FINGERPRINT_ID, ReferenceFingerprint } from '../../lib/stacks/reference-fingerprint';
import { appContext, TEST_ENV } from '../fixtures/test-app';

/**
 * A producer with a queue (read by the consumer through a policy that names it) and an unrelated topic,
 * and a consumer that reads the policy's target; returns the consumer's fingerprint.
 */
function fingerprintWith(props: { queueName: string; keyAlias: string; topicName: string }): string {
  const app = new App({ context: appContext() });
  const producer = new Stack(app, 'Producer', { env: TEST_ENV, stackName: 'P' });
  const key = new CfnResource(producer, 'Key', { type: 'AWS::KMS::Key', properties: { Description: props.keyAlias } });
  const queue = new CfnResource(producer, 'Queue', { type: 'AWS::SQS::Queue', properties: { QueueName: props.queueName, KmsMasterKeyId: key.ref } });
  new CfnResource(producer, 'Topic', { type: 'AWS::SNS::Topic', properties: { TopicName: props.topicName } });
  const consumer = new Stack(app, 'Consumer', { env: TEST_ENV, stackName: 'C' });
  new CfnResource(consumer, 'Reader', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: queue.getAtt('Arn').toString() } });
  new ReferenceFingerprint(consumer, [producer]);
  const template = app.synth().getStackByName('C').template;
  const id = Object.keys(template.Resources).find((k) => k.startsWith(REFERENCE_FINGERPRINT_ID))!;
  expect(JSON.stringify(template.Resources.Reader)).toContain('Fn::GetStackOutput');
  return template.Resources[id].Properties.Value;
}

const base = { queueName: 'q1', keyAlias: 'k1', topicName: 't1' };

test('a reader\'s fingerprint follows the definition of what it reads, and of what that reads in turn', () => {
  const before = fingerprintWith(base);
  expect(before).toMatch(/^[0-9a-f]{64}$/);
  // a replacing change of the read resource
  expect(fingerprintWith({ ...base, queueName: 'q2' })).not.toBe(before);
  // a change of a resource the read resource references (its key): the queue may be replaced with it
  expect(fingerprintWith({ ...base, keyAlias: 'k2' })).not.toBe(before);
  // a change of a resource nobody reads leaves the reader alone
  expect(fingerprintWith({ ...base, topicName: 't2' })).toBe(before);
});
