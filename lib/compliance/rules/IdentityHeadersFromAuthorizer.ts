import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { finding, fromFindings, rendered } from './resource-graph';

/** The identity headers the backend trusts, each mapped from a key of the authorizer's context. */
export const IDENTITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Mcp-Agent-Id': 'agentId',
  'X-Mcp-Agent-Type': 'agentType',
  'X-Mcp-Role': 'role',
  'X-Mcp-Scopes': 'scopes',
};

/**
 * Every authorized (CUSTOM) method with a private (VPC_LINK) integration maps each identity header
 * (`integration.request.header.X-Mcp-Agent-Id` …) from the authorizer's context
 * (`context.authorizer.agentId` …), so the caller's identity reaches the backend and a client's own
 * `X-Mcp-*` header is overwritten, never trusted (AUTH-7).
 */
export function IdentityHeadersFromAuthorizer(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ApiGateway::Method') return NagRuleCompliance.NOT_APPLICABLE;
  const { AuthorizationType, Integration } = rendered(node).properties;
  if (AuthorizationType !== 'CUSTOM' || Integration?.ConnectionType !== 'VPC_LINK') return NagRuleCompliance.NOT_APPLICABLE;
  const mapped = Object.entries((Integration.RequestParameters ?? {}) as Record<string, unknown>)
    .map(([key, value]) => [key.toLowerCase(), value] as const);
  return fromFindings(Object.entries(IDENTITY_HEADERS)
    .filter(([header, contextKey]) => !mapped.some(([key, value]) =>
      key === `integration.request.header.${header.toLowerCase()}` && value === `context.authorizer.${contextKey}`))
    .map(([header]) => finding('Header', header)));
}
