import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Properties of {@link CertificateExpiryAlarms}. */
export interface CertificateExpiryAlarmsProps {
  /** The ACM certificates to watch, by a short name used in construct ids (`Api`, `Internal`). */
  readonly certificates: Readonly<Record<string, string>>;
  /** The topic the alarms act on (the security alarms' topic). */
  readonly topic: sns.ITopic;
  /**
   * Days before expiry that raise the alarm. ACM starts renewing a DNS-validated certificate 60 days
   * before expiry; an alarm at 30 days means renewal has been failing for a month.
   * @default 30
   */
  readonly daysBeforeExpiry?: number;
}

/**
 * Certificate expiry monitoring (TLS-4): one alarm per ACM certificate on ACM's own `DaysToExpiry`
 * metric, acting on the audit alarm topic. ACM renews the certificates; the alarm catches a renewal
 * that cannot complete (a removed validation record, an imported certificate).
 */
export class CertificateExpiryAlarms extends Construct {
  /** The alarms, by certificate name. */
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: CertificateExpiryAlarmsProps) {
    super(scope, id);
    const days = props.daysBeforeExpiry ?? 30;
    if (!Number.isInteger(days) || days < 1 || days > 60) {
      throw new Error(`daysBeforeExpiry must be a whole number of days from 1 to 60, got ${days}`);
    }
    const action = new actions.SnsAction(props.topic);
    for (const [name, certificateArn] of Object.entries(props.certificates)) {
      const metric = new cloudwatch.Metric({
        namespace: 'AWS/CertificateManager',
        metricName: 'DaysToExpiry',
        dimensionsMap: { CertificateArn: certificateArn },
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.days(1),
      });
      const alarm = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: days,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // ACM publishes the metric once a day; a missing point is not an expiry.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `TLS-4: the ${name} certificate expires in less than ${days} days: ACM's automatic renewal is failing (${certificateArn})`,
      });
      alarm.addAlarmAction(action);
      this.alarms[name] = alarm;
    }
  }
}
