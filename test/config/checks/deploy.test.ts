import { ConfigError } from '../../../lib/config';
import { subnetCidr } from '../../../lib/constructs/network/subnet-layout';
import { testConfig } from '../../fixtures/test-app';

/** The error message of a config that must be refused. */
function refusal(overlay: Record<string, unknown>): string {
  try {
    testConfig(overlay);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof Error) return e.message;
  }
  throw new Error(`accepted: ${JSON.stringify(overlay)}`);
}

const registry = (name: string, extra: Record<string, unknown> = {}) => ({ service: { image: { kind: 'registry', name }, ...extra } });

test('NET-4: with egress none, an image outside the stage\'s ECR is refused at config validation, with the reason', () => {
  for (const name of ['public.ecr.aws/org/mcp:1', 'org/mcp:1', 'ghcr.io/org/mcp:1']) {
    expect(refusal(registry(name))).toMatch(/service\.image\.name: is on (public\.ecr\.aws|docker\.io|ghcr\.io), which the tasks cannot reach with network\.egress 'none'.*pull-through cache.*'nat'/);
  }
  // the same images are pullable with egress nat
  expect(testConfig({ ...registry('ghcr.io/org/mcp:1'), network: { egress: 'nat' } }).service.image).toEqual({ kind: 'registry', name: 'ghcr.io/org/mcp:1' });
});

test('NET-4: with egress none, an ECR image of another region is refused; the stage\'s region is accepted', () => {
  expect(refusal(registry('111111111111.dkr.ecr.us-east-1.amazonaws.com/mcp:1'))).toMatch(/service\.image\.name: is an ECR image in us-east-1, but with network\.egress 'none' the tasks reach ECR only through the VPC endpoints of eu-west-1/);
  expect(testConfig(registry('222222222222.dkr.ecr.eu-west-1.amazonaws.com/mcp:1')).service.image.kind).toBe('registry');
});

test('SEC-4: registry credentials are refused where the execution role pulls (ECR, directory images)', () => {
  const secret = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-AbCdEf';
  expect(refusal(registry('111111111111.dkr.ecr.eu-west-1.amazonaws.com/mcp:1', { registryCredentialsSecretArn: secret }))).toMatch(/service\.registryCredentialsSecretArn: is only for private registries other than ECR/);
  expect(refusal({ service: { image: { kind: 'directory', path: 'reference-server' }, registryCredentialsSecretArn: secret } })).toMatch(/service\.registryCredentialsSecretArn: is only for registry images/);
  expect(refusal(registry('registry.example.com/mcp:1', { registryCredentialsSecretArn: 'secret' }))).toMatch(/service\.registryCredentialsSecretArn: must be a Secrets Manager secret ARN/);
  expect(testConfig({ ...registry('registry.example.com/mcp:1', { registryCredentialsSecretArn: secret }), network: { egress: 'nat' } }).service.registryCredentialsSecretArn).toBe(secret);
});

test('NET-1: a VPC too small for the public subnets of egress nat is refused with the size EC2 allows', () => {
  expect(refusal({ network: { egress: 'nat', cidr: '10.40.0.0/24' } })).toMatch(/network\.cidr: with network\.egress 'nat' a \/24 VPC gives public subnets of \/29, smaller than EC2's \/28.*use \/23 or larger/);
  expect(testConfig({ network: { egress: 'nat', cidr: '10.40.0.0/23' } }).network.cidr).toBe('10.40.0.0/23');
  expect(testConfig({ network: { cidr: '10.40.0.0/24' } }).network.cidr).toBe('10.40.0.0/24');
});

test('NET-1: each subnet\'s CIDR depends only on the VPC CIDR, its kind and its AZ index; none overlap', () => {
  const all = (['workload', 'public'] as const).flatMap((kind) => [0, 1, 2, 3, 4, 5].map((i) => subnetCidr('10.40.0.0/16', kind, i)));
  expect(all).toEqual([
    '10.40.0.0/19', '10.40.32.0/19', '10.40.64.0/19', '10.40.96.0/19', '10.40.128.0/19', '10.40.160.0/19',
    '10.40.192.0/21', '10.40.200.0/21', '10.40.208.0/21', '10.40.216.0/21', '10.40.224.0/21', '10.40.232.0/21',
  ]);
  // no two subnets overlap, for every VPC size the schema allows
  for (let prefix = 16; prefix <= 23; prefix++) {
    const ranges = (['workload', 'public'] as const).flatMap((kind) => [0, 1, 2, 3, 4, 5].map((i) => range(subnetCidr(`10.0.0.0/${prefix}`, kind, i)))).sort((a, b) => a[0] - b[0]);
    ranges.slice(1).forEach((r, i) => expect(r[0]).toBeGreaterThanOrEqual(ranges[i][1]));
    expect(ranges[ranges.length - 1][1]).toBeLessThanOrEqual(2 ** (32 - prefix) + range(`10.0.0.0/${prefix}`)[0]);
  }
  expect(subnetCidr('10.50.0.0/24', 'workload', 5)).toBe('10.50.0.160/27');
  expect(subnetCidr('10.50.0.0/23', 'public', 5)).toBe('10.50.1.208/28');
  expect(() => subnetCidr('10.50.0.0/24', 'public', 0)).toThrow(/smaller than EC2's \/28/);
  expect(() => subnetCidr('10.50.0.1/24', 'workload', 0)).toThrow(/host bits set/);
});

/** [first address, end address) of a CIDR. */
function range(cidr: string): [number, number] {
  const [ip, prefix] = cidr.split('/');
  const start = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return [start, start + 2 ** (32 - Number(prefix))];
}
