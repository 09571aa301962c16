/**
 * What the NET rules need to know about security groups: their ingress and egress rules, written
 * inline or as separate resources, the ports they open and the VPC they belong to.
 */
import { CfnValue, RenderedResource, asArray, refersTo, resourcesOfType } from './resource-graph';

/** Sources that mean "anyone on the internet". */
export const ANYWHERE: readonly string[] = ['0.0.0.0/0', '::/0'];

/** The ingress rules of a security group (inline) or of a `SecurityGroupIngress` resource. */
export function ingressRules(resource: RenderedResource): CfnValue[] {
  if (resource.type === 'AWS::EC2::SecurityGroup') return asArray(resource.properties.SecurityGroupIngress);
  if (resource.type === 'AWS::EC2::SecurityGroupIngress') return [resource.properties];
  return [];
}

/** The egress rules of a security group (inline) or of a `SecurityGroupEgress` resource. */
export function egressRules(resource: RenderedResource): CfnValue[] {
  if (resource.type === 'AWS::EC2::SecurityGroup') return asArray(resource.properties.SecurityGroupEgress);
  if (resource.type === 'AWS::EC2::SecurityGroupEgress') return [resource.properties];
  return [];
}

/** The CIDR source or destination of a rule, when it has one. */
export function cidrOf(rule: CfnValue): CfnValue {
  return rule?.CidrIp ?? rule?.CidrIpv6 ?? rule?.DestinationCidrIp ?? rule?.DestinationCidrIpv6;
}

/** True when the rule applies to every protocol and port. */
export function allTraffic(rule: CfnValue): boolean {
  const protocol = String(rule?.IpProtocol);
  if (protocol === '-1' || protocol === 'all') return true;
  return Number(rule?.FromPort) <= 0 && Number(rule?.ToPort) >= 65535;
}

/** True when the rule opens TCP or UDP `port`. */
export function opensPort(rule: CfnValue, port: number): boolean {
  const protocol = String(rule?.IpProtocol).toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (!['tcp', 'udp', '6', '17'].includes(protocol)) return false;
  const from = Number(rule?.FromPort);
  const to = Number(rule?.ToPort ?? rule?.FromPort);
  return from <= port && port <= to;
}

/** The VPC a security group (or a security group rule's group) belongs to, when it is in the app. */
export function vpcOf(resource: RenderedResource): RenderedResource | undefined {
  let group: RenderedResource | undefined = resource;
  if (resource.type !== 'AWS::EC2::SecurityGroup') {
    group = resourcesOfType(resource.node, 'AWS::EC2::SecurityGroup').find((g) => refersTo(resource, resource.properties.GroupId, g));
  }
  if (!group) return undefined;
  const owner = group;
  return resourcesOfType(owner.node, 'AWS::EC2::VPC').find((v) => refersTo(owner, owner.properties.VpcId, v));
}

function ipv4(cidr: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match) return undefined;
  const address = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [address, Number(match[5])];
}

/** True when CIDR `inner` lies within CIDR `outer` (IPv4 literals only). */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = ipv4(inner);
  const b = ipv4(outer);
  if (!a || !b || a[1] < b[1]) return false;
  const size = 2 ** (32 - b[1]);
  return Math.floor(a[0] / size) === Math.floor(b[0] / size);
}
