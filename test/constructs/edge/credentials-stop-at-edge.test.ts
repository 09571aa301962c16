import { CREDENTIAL_HEADERS_REMOVED, REMOVED_CREDENTIAL_VALUE } from '../../../lib/constructs/edge/perimeter-api';
import { presetConfig, resourcesOf, synthesize, type PresetTemplates } from '../../presets/preset-harness';
import { regexStringsOf } from './waf-regexes';

let synthesized: PresetTemplates | undefined;
const templates = (): PresetTemplates => (synthesized ??= synthesize(presetConfig('docker-mcp')));

test('AUTH-2, AUDIT-2: every private integration overwrites Authorization, X-Access-Token and X-API-Key before the load balancer', () => {
  // GIVEN / WHEN
  const methods = resourcesOf(templates().edge, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.Integration?.ConnectionType === 'VPC_LINK');
  // THEN
  expect(methods.length).toBeGreaterThan(4);
  for (const [id, method] of methods) {
    const parameters = method.Properties.Integration.RequestParameters ?? {};
    for (const header of CREDENTIAL_HEADERS_REMOVED) {
      expect({ id, header, value: parameters[`integration.request.header.${header}`] }).toEqual({ id, header, value: `'${REMOVED_CREDENTIAL_VALUE}'` });
    }
  }
});

test('AUDIT-1: the gateway sets X-Request-Id from its own request id on every private integration, overriding the client', () => {
  const methods = resourcesOf(templates().edge, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.Integration?.ConnectionType === 'VPC_LINK');
  for (const [id, method] of methods) {
    expect({ id, value: method.Properties.Integration.RequestParameters['integration.request.header.X-Request-Id'] }).toEqual({ id, value: 'context.requestId' });
  }
});

test('every regex in every synthesized web ACL is at most 200 characters (AWS WAF quotas: regex pattern, 200)', () => {
  // GIVEN the two web ACLs of a stage (API stage, load balancer)
  const regexes = [templates().edge, templates().service].flatMap(regexStringsOf);
  // THEN
  expect(regexes.length).toBeGreaterThan(0);
  for (const r of regexes) expect({ r, length: r.length <= 200 }).toEqual({ r, length: true });
});

test('AUDIT-2: both web ACLs protect the credential headers and the query string in stored data, rate-based details included', () => {
  for (const t of [templates().edge, templates().service]) {
    const [[, acl]] = resourcesOf(t, 'AWS::WAFv2::WebACL');
    const protections = acl.Properties.DataProtectionConfig.DataProtections;
    expect(protections).toContainEqual(expect.objectContaining({ Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization', 'x-access-token', 'x-api-key'] }, ExcludeRateBasedDetails: false }));
    expect(protections).toContainEqual(expect.objectContaining({ Field: { FieldType: 'QUERY_STRING' }, ExcludeRateBasedDetails: false }));
  }
});
