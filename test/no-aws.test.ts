import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

test('no test can reach AWS: an unmocked SDK client is sent to a closed loopback port', async () => {
  // GIVEN a real client, no mock, dummy credentials
  const client = new SSMClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  // WHEN / THEN the request never leaves the machine
  await expect(client.send(new GetParameterCommand({ Name: '/x' }))).rejects.toThrow(/ECONNREFUSED|127\.0\.0\.1/);
});
