/**
 * The subnet layout of the perimeter's VPC: every subnet's CIDR depends only on the VPC's CIDR, the
 * subnet's type and its AZ index, never on how many AZs or subnet types the VPC has today. So turning
 * egress on (public subnets appear, the workload subnets gain a NAT route), adding an AZ (up to 6) or
 * adding a backend never moves an existing subnet: EC2 refuses a subnet whose CIDR overlaps an existing
 * one, and CloudFormation would replace a subnet whose CIDR changes under the same logical id.
 *
 * The layout, for a VPC of prefix length p (16..24), in eighths of the VPC:
 * - eighths 0..5: the workload subnets of AZ 0..5, each `/(p+3)`;
 * - eighths 6..7 (a quarter): split into eight `/(p+5)` blocks: the public subnets (egress `nat`, they hold
 *   only the NAT gateways) of AZ 0..5, and two blocks kept free.
 *
 * Hand-written because CDK's `IpAddresses.cidr` cuts the VPC evenly among the subnets it has now (so any
 * new subnet moves the others) and a fixed `cidrMask` still allocates in request order, public first.
 */
import type { AllocateCidrRequest, IIpAddresses, SubnetIpamOptions, VpcIpamOptions } from 'aws-cdk-lib/aws-ec2';

/** The subnet kinds of the layout. */
export type SubnetKind = 'workload' | 'public';

/** The most AZs the layout has room for (and `network.maxAzs` allows). */
export const MAX_LAYOUT_AZS = 6;

/**
 * EC2 subnet sizes: "The allowed block size is between a /28 netmask and /16 netmask" (Amazon VPC User
 * Guide, "Subnet CIDR blocks", subnet sizing).
 */
export const SMALLEST_SUBNET_PREFIX = 28;

/**
 * A load balancer's subnets "must have at least a /27 bitmask (for example, 10.0.0.0/27) and at least 8 free
 * IP addresses" (Elastic Load Balancing, Application Load Balancers, "Subnets for your load balancer"):
 * the ALB runs in the workload subnets.
 */
export const SMALLEST_LOAD_BALANCER_SUBNET_PREFIX = 27;

/** The prefix length of a subnet of `kind` in a VPC of prefix length `vpcPrefix`. */
export function subnetPrefix(kind: SubnetKind, vpcPrefix: number): number {
  return kind === 'workload' ? vpcPrefix + 3 : vpcPrefix + 5;
}

function parseCidr(cidr: string): { base: number; prefix: number } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`cidr must be an IPv4 CIDR like 10.40.0.0/16, got '${cidr}'`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`cidr must be an IPv4 CIDR like 10.40.0.0/16, got '${cidr}'`);
  const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) throw new Error(`cidr ${cidr} has host bits set: the network address is ${formatAddress(address - (address % size))}/${prefix}`);
  return { base: address, prefix };
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (Math.floor(address / 2 ** shift) % 256)).join('.');
}

/**
 * The CIDR of the subnet of `kind` in AZ `azIndex` (0-based) of a VPC with `vpcCidr`. Throws when the
 * index is outside 0..5 or the subnet would be smaller than EC2's /28.
 */
export function subnetCidr(vpcCidr: string, kind: SubnetKind, azIndex: number): string {
  if (!Number.isInteger(azIndex) || azIndex < 0 || azIndex >= MAX_LAYOUT_AZS) {
    throw new Error(`azIndex must be a whole number from 0 to ${MAX_LAYOUT_AZS - 1}, got ${azIndex}`);
  }
  const { base, prefix } = parseCidr(vpcCidr);
  const eighth = 2 ** (32 - prefix - 3);
  const subnet = subnetPrefix(kind, prefix);
  if (subnet > SMALLEST_SUBNET_PREFIX) {
    throw new Error(`a ${kind} subnet of a /${prefix} VPC would be /${subnet}, smaller than EC2's /${SMALLEST_SUBNET_PREFIX}: use a VPC of /${prefix - (subnet - SMALLEST_SUBNET_PREFIX)} or larger`);
  }
  const offset = kind === 'workload' ? azIndex * eighth : 6 * eighth + azIndex * 2 ** (32 - subnet);
  return `${formatAddress(base + offset)}/${subnet}`;
}

/**
 * Why a VPC CIDR cannot hold the subnets a config needs, or undefined when it can: the workload subnets
 * must be /27 or larger (the ALB), and with egress `nat` the public subnets /28 or larger (EC2).
 */
export function layoutProblem(vpcCidr: string, egress: 'none' | 'nat'): string | undefined {
  const { prefix } = parseCidr(vpcCidr);
  const workload = subnetPrefix('workload', prefix);
  if (workload > SMALLEST_LOAD_BALANCER_SUBNET_PREFIX) {
    return `a /${prefix} VPC gives workload subnets of /${workload}, but the load balancer needs /${SMALLEST_LOAD_BALANCER_SUBNET_PREFIX} or larger (ELB "Subnets for your load balancer"): use /${SMALLEST_LOAD_BALANCER_SUBNET_PREFIX - 3} or larger`;
  }
  const publicPrefix = subnetPrefix('public', prefix);
  if (egress === 'nat' && publicPrefix > SMALLEST_SUBNET_PREFIX) {
    return `with network.egress 'nat' a /${prefix} VPC gives public subnets of /${publicPrefix}, smaller than EC2's /${SMALLEST_SUBNET_PREFIX} (VPC User Guide, subnet sizing): use /${SMALLEST_SUBNET_PREFIX - 5} or larger`;
  }
  return undefined;
}

/**
 * The VPC's IP addressing with the stable layout: the VPC gets `cidr`; each requested subnet gets the
 * layout's CIDR for its group (`kinds` maps the subnet group name to its kind) and its AZ index (the
 * number CDK puts at the end of the subnet's construct id, `<Group>Subnet<n>`, 1-based).
 */
export class StableSubnetLayout implements IIpAddresses {
  constructor(private readonly cidr: string, private readonly kinds: Readonly<Record<string, SubnetKind>>) {
    parseCidr(cidr);
  }

  public allocateVpcCidr(): VpcIpamOptions {
    return { cidrBlock: this.cidr };
  }

  public allocateSubnetsCidr(input: AllocateCidrRequest): SubnetIpamOptions {
    return {
      allocatedSubnets: input.requestedSubnets.map((requested) => {
        const kind = this.kinds[requested.configuration.name];
        if (!kind) throw new Error(`subnet group '${requested.configuration.name}' has no place in the layout (known: ${Object.keys(this.kinds).join(', ')})`);
        const m = /Subnet(\d+)$/.exec(requested.subnetConstructId);
        if (!m) throw new Error(`cannot read the AZ index of subnet '${requested.subnetConstructId}'`);
        return { cidr: subnetCidr(this.cidr, kind, Number(m[1]) - 1) };
      }),
    };
  }
}
