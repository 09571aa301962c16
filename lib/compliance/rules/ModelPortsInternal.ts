import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, RenderedResource, finding, fromFindings, refersTo, rendered } from './resource-graph';
import { cidrOf, cidrWithin, ingressRules, opensPort, vpcOf } from './security-groups';

/** Ports LLM and model servers listen on: Ollama, common HTTP app ports, Gradio, dev servers. */
export const MODEL_PORTS: readonly number[] = [11434, 8080, 8000, 5000, 7860, 3000];

/** True when the CIDR source lies inside the security group's VPC (its CidrBlock, by reference or value). */
function insideVpc(resource: RenderedResource, cidr: CfnValue): boolean {
  const vpc = vpcOf(resource);
  if (!vpc) return false;
  if (typeof cidr === 'object' && refersTo(resource, cidr, vpc) && JSON.stringify(cidr).includes('CidrBlock')) return true;
  return typeof cidr === 'string' && typeof vpc.properties.CidrBlock === 'string' && cidrWithin(cidr, vpc.properties.CidrBlock);
}

/**
 * No model port (11434, 8080, 8000, 5000, 7860, 3000) is open to a CIDR outside the VPC (NET-3): such
 * ingress comes from a security group, a prefix list, or the VPC's own CIDR.
 */
export function ModelPortsInternal(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::EC2::SecurityGroup' && node.cfnResourceType !== 'AWS::EC2::SecurityGroupIngress') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const resource = rendered(node);
  const findings: string[] = [];
  for (const rule of ingressRules(resource)) {
    const cidr = cidrOf(rule);
    if (cidr === undefined || insideVpc(resource, cidr)) continue;
    for (const port of MODEL_PORTS.filter((p) => opensPort(rule, p))) {
      findings.push(finding('Port', `${port}:${typeof cidr === 'string' ? cidr : 'token'}`));
    }
  }
  return fromFindings(findings);
}
