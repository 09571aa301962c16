import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Where the workloads (the MCP service, the load balancer, the VPC link and the authorizer) run: the
 * private isolated subnets when egress is `none` (NET-4: VPC endpoints only), the private subnets with
 * a NAT route when the config opens egress (`nat`, needed for example to fetch an IdP's JWKS).
 */
export function workloadSubnets(egress: 'none' | 'nat'): ec2.SubnetSelection {
  return { subnetType: egress === 'nat' ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED };
}
