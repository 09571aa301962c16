import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { RenderedResource, explicitChoice, refersTo, rendered, resourcesOfType } from './resource-graph';

/**
 * The CDK context key (or tag, on the resource or its stack) naming the app's health path, when it is not
 * `/health`; the PerimeterStage sets it from `service.healthPath`.
 */
export const HEALTH_PATH_KEY = 'mcp-perimeter:health-path';

/** The only paths served without a credential: the health check and the well-known documents. */
export const PUBLIC_PATHS = {
  /** Paths public exactly. */
  exact: ['/health'] as readonly string[],
  /** Path prefixes public with everything below them. */
  prefixes: ['/.well-known'] as readonly string[],
} as const;

/** True when `path` is served without a credential (see {@link PUBLIC_PATHS}), or is the app's own health path. */
export function isPublicPath(path: string, healthPath?: string): boolean {
  return PUBLIC_PATHS.exact.includes(path) || path === healthPath
    || PUBLIC_PATHS.prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * The resource path of a method (`/`, `/mcp`, `/.well-known/oauth`), from its `ResourceId` through the
 * `AWS::ApiGateway::Resource` `ParentId`/`PathPart` chain; `undefined` when a link is not in the app.
 */
export function methodPath(method: RenderedResource): string | undefined {
  const resources = resourcesOfType(method.node, 'AWS::ApiGateway::Resource');
  const parts: string[] = [];
  let from = method;
  let id = method.properties.ResourceId;
  for (let depth = 0; depth < 64; depth++) {
    const rootResourceId = id?.['Fn::GetAtt']?.[1] === 'RootResourceId' || (typeof id?.['Fn::ImportValue'] === 'string' && id['Fn::ImportValue'].includes('RootResourceId'));
    if (rootResourceId) return `/${parts.reverse().join('/')}`;
    const resource = resources.find((r) => refersTo(from, id, r));
    if (!resource) return undefined;
    parts.push(String(resource.properties.PathPart));
    from = resource;
    id = resource.properties.ParentId;
  }
  return undefined;
}

/**
 * Every REST API method but OPTIONS (CORS preflight) and the public paths (`/health` or the path named
 * by {@link HEALTH_PATH_KEY}, `/.well-known/…`) uses the Lambda REQUEST authorizer: AuthorizationType CUSTOM with an AuthorizerId
 * (AUTH-1). A method whose path cannot be traced is treated as private.
 */
export function MethodsRequireAuthorizer(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ApiGateway::Method') return NagRuleCompliance.NOT_APPLICABLE;
  const method = rendered(node);
  const { HttpMethod, AuthorizationType, AuthorizerId } = method.properties;
  if (HttpMethod === 'OPTIONS') return NagRuleCompliance.NOT_APPLICABLE;
  const path = methodPath(method);
  if (path !== undefined && isPublicPath(path, explicitChoice(method, HEALTH_PATH_KEY))) return NagRuleCompliance.NOT_APPLICABLE;
  return AuthorizationType === 'CUSTOM' && AuthorizerId !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
