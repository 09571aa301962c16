import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, RenderedResource, asArray, finding, fromFindings, resourcesOfType } from './resource-graph';

/** A metric filter pattern or metric name about refused credentials. */
export const AUTH_FAILURE_SIGNAL = /deny|denied|unauthori[sz]ed|forbidden|\b40[13]\b|auth[a-z_-]*fail/i;
/** A metric filter pattern or metric name about rate limiting. */
export const RATE_LIMIT_SIGNAL = /\b429\b|rate[-_ ]?limit|throttl|too[-_ ]?many/i;

interface MetricId { readonly namespace: string; readonly name: string }

function metricsOf(alarm: RenderedResource): MetricId[] {
  const { Namespace, MetricName, Metrics } = alarm.properties;
  const single = MetricName !== undefined ? [{ namespace: JSON.stringify(Namespace), name: JSON.stringify(MetricName) }] : [];
  const math = asArray(Metrics)
    .map((m: CfnValue) => m?.MetricStat?.Metric)
    .filter((m: CfnValue) => m?.MetricName !== undefined)
    .map((m: CfnValue) => ({ namespace: JSON.stringify(m.Namespace), name: JSON.stringify(m.MetricName) }));
  return [...single, ...math];
}

/** The signal text of a metric: the pattern of the metric filter that feeds it, and its name. */
function signalsOf(metric: MetricId, filters: RenderedResource[]): string[] {
  const fed = filters.filter((f) => asArray(f.properties.MetricTransformations)
    .some((t: CfnValue) => JSON.stringify(t?.MetricNamespace) === metric.namespace && JSON.stringify(t?.MetricName) === metric.name));
  return fed.flatMap((f) => [JSON.stringify(f.properties.FilterPattern), metric.name]);
}

function isWafBlocks(metric: MetricId): boolean {
  return metric.namespace === '"AWS/WAFV2"' && metric.name === '"BlockedRequests"';
}

/**
 * Failed authentication and rate limiting raise alarms (AUDIT-5): for every REST API stage the
 * environment has an alarm with actions fed by a metric filter on authorization failures (a pattern
 * or metric name about deny/401/403/unauthorized), and one on rate limiting (a metric filter about
 * 429/throttling, or WAF's BlockedRequests metric).
 */
export function SecurityAlarmsConfigured(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ApiGateway::Stage') return NagRuleCompliance.NOT_APPLICABLE;
  const filters = resourcesOfType(node, 'AWS::Logs::MetricFilter');
  const alarms = resourcesOfType(node, 'AWS::CloudWatch::Alarm')
    .filter((a) => asArray(a.properties.AlarmActions).length > 0 && a.properties.ActionsEnabled !== false);
  const metrics = alarms.flatMap(metricsOf);
  const findings: string[] = [];
  if (!metrics.some((m) => signalsOf(m, filters).some((s) => AUTH_FAILURE_SIGNAL.test(s)))) findings.push(finding('Alarm', 'AuthFailures'));
  if (!metrics.some((m) => isWafBlocks(m) || signalsOf(m, filters).some((s) => RATE_LIMIT_SIGNAL.test(s)))) findings.push(finding('Alarm', 'RateLimited'));
  return fromFindings(findings);
}
