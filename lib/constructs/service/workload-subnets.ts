import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { subnetCidr } from '../network/subnet-layout';

/**
 * Where the workloads (the MCP service, the load balancer, the VPC link and the authorizer) run: the
 * private isolated subnets when egress is `none` (NET-4: VPC endpoints only), the private subnets with
 * a NAT route when the config opens egress (`nat`, needed for example to fetch an IdP's JWKS).
 */
export function workloadSubnets(egress: 'none' | 'nat'): ec2.SubnetSelection {
  return { subnetType: egress === 'nat' ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED };
}

/**
 * The API Gateway VPC link's subnets: the workload subnets of the first two AZs only, whatever
 * `network.maxAzs` is. A VPC link's subnets cannot change in place (CloudFormation replaces an
 * `AWS::ApiGatewayV2::VpcLink` whose `SubnetIds` change), so following the AZ count would replace the link
 * on every `maxAzs` change; two AZs keep it highly available, and it reaches the load balancer's nodes in
 * every AZ of the VPC. Selected by the stable layout's CIDRs (lib/constructs/network/subnet-layout.ts).
 */
export function vpcLinkSubnets(egress: 'none' | 'nat', vpcCidr: string): ec2.SubnetSelection {
  return {
    ...workloadSubnets(egress),
    subnetFilters: [ec2.SubnetFilter.byCidrRanges([0, 1].map((i) => subnetCidr(vpcCidr, 'workload', i)))],
  };
}
