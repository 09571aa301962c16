import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { RenderedResource, asArray, finding, fromFindings, refersTo, rendered, resourcesOfType } from './resource-graph';
import { cidrOf, ingressRules } from './security-groups';

/** True when the subnet routes to an internet gateway or maps public IPs on launch. */
function isPublicSubnet(subnet: RenderedResource): boolean {
  if (subnet.properties.MapPublicIpOnLaunch === true || subnet.properties.MapPublicIpOnLaunch === 'true') return true;
  const gateways = resourcesOfType(subnet.node, 'AWS::EC2::InternetGateway');
  const tables = resourcesOfType(subnet.node, 'AWS::EC2::RouteTable').filter((table) =>
    resourcesOfType(subnet.node, 'AWS::EC2::SubnetRouteTableAssociation')
      .some((a) => refersTo(a, a.properties.SubnetId, subnet) && refersTo(a, a.properties.RouteTableId, table)));
  return resourcesOfType(subnet.node, 'AWS::EC2::Route').some((route) =>
    tables.some((table) => refersTo(route, route.properties.RouteTableId, table))
    && (gateways.some((igw) => refersTo(route, route.properties.GatewayId, igw)) || String(route.properties.GatewayId).startsWith('igw-')));
}

function serviceFindings(service: RenderedResource): string[] {
  const awsvpc = service.properties.NetworkConfiguration?.AwsvpcConfiguration;
  if (!awsvpc) return [finding('NetworkConfiguration', 'not-awsvpc')];
  const findings: string[] = [];
  if ((awsvpc.AssignPublicIp ?? 'DISABLED') !== 'DISABLED') findings.push(finding('AssignPublicIp', awsvpc.AssignPublicIp));
  const subnets = resourcesOfType(service.node, 'AWS::EC2::Subnet');
  for (const subnetId of asArray(awsvpc.Subnets)) {
    const subnet = subnets.find((s) => refersTo(service, subnetId, s));
    if (subnet && isPublicSubnet(subnet)) findings.push(finding('PublicSubnet', subnet.logicalId));
  }
  const groups = resourcesOfType(service.node, 'AWS::EC2::SecurityGroup').filter((g) => refersTo(service, awsvpc.SecurityGroups, g));
  const ingresses = resourcesOfType(service.node, 'AWS::EC2::SecurityGroupIngress');
  for (const group of groups) {
    const rules = [...ingressRules(group), ...ingresses.filter((i) => refersTo(i, i.properties.GroupId, group)).flatMap(ingressRules)];
    for (const rule of rules) {
      const cidr = cidrOf(rule);
      if (cidr !== undefined) findings.push(finding('IngressFromCidr', typeof cidr === 'string' ? cidr : 'token'));
    }
  }
  return findings;
}

/**
 * The MCP server is private (NET-1): ECS services run in awsvpc mode without a public IP, in subnets
 * with no route to an internet gateway, behind security groups that admit only other security groups
 * (its load balancer), never a CIDR range; load balancers are internal.
 */
export function ServicePrivate(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ECS::Service':
      return fromFindings(serviceFindings(rendered(node)));
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return (rendered(node).properties.Scheme ?? 'internet-facing') === 'internal' ? NagRuleCompliance.COMPLIANT : [finding('Scheme', 'internet-facing')];
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
