import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, RenderedResource, asArray, finding, fromFindings, isIntrinsic, rendered } from './resource-graph';

const ACM_ARN = /^arn:aws[a-z-]*:acm:/;

/** A certificate ARN is acceptable when it is an ACM ARN or a token (a reference, import or parameter). */
function certificateFinding(field: string, arn: CfnValue): string | undefined {
  if (arn === undefined) return undefined;
  if (isIntrinsic(arn)) return undefined;
  if (typeof arn === 'string' && ACM_ARN.test(arn)) return undefined;
  return finding(field, typeof arn === 'string' ? arn.split(':').slice(2, 3).join('') || 'literal' : 'unknown');
}

function domainFindings(resource: RenderedResource): string[] {
  const { CertificateArn, RegionalCertificateArn, DomainNameConfigurations } = resource.properties;
  return [
    certificateFinding('CertificateArn', CertificateArn),
    certificateFinding('RegionalCertificateArn', RegionalCertificateArn),
    ...asArray(DomainNameConfigurations).map((c) => certificateFinding('CertificateArn', c?.CertificateArn)),
  ].filter((f): f is string => f !== undefined);
}

/**
 * TLS certificates are managed by ACM: listener and custom-domain certificates are ACM ARNs or
 * references to ACM certificates (never IAM server certificates), and ACM certificates are DNS
 * validated so that they renew without a person (TLS-4).
 */
export function CertificatesFromAcm(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ElasticLoadBalancingV2::Listener':
    case 'AWS::ElasticLoadBalancingV2::ListenerCertificate': {
      const { Protocol, Certificates } = rendered(node).properties;
      if (node.cfnResourceType === 'AWS::ElasticLoadBalancingV2::Listener' && Protocol !== 'HTTPS' && Protocol !== 'TLS') {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      const certificates = asArray(Certificates);
      if (certificates.length === 0 && node.cfnResourceType === 'AWS::ElasticLoadBalancingV2::Listener') return [finding('Certificates', 'none')];
      return fromFindings(certificates.map((c) => certificateFinding('CertificateArn', c?.CertificateArn)).filter((f): f is string => f !== undefined));
    }
    case 'AWS::ApiGateway::DomainName':
    case 'AWS::ApiGateway::DomainNameV2':
    case 'AWS::ApiGatewayV2::DomainName':
      return fromFindings(domainFindings(rendered(node)));
    case 'AWS::CertificateManager::Certificate': {
      const { ValidationMethod, CertificateAuthorityArn } = rendered(node).properties;
      if (CertificateAuthorityArn !== undefined) return NagRuleCompliance.COMPLIANT; // private CA: renewed by ACM
      return ValidationMethod === 'DNS' ? NagRuleCompliance.COMPLIANT : [finding('ValidationMethod', ValidationMethod ?? 'EMAIL')];
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
