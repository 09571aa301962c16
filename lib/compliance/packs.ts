import { IPolicyValidationPluginBeta1 } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** The packs run over every synthesis of the kit. */
export function compliancePacks(scope: IConstruct): IPolicyValidationPluginBeta1[] {
  return [
    new AwsSolutionsChecks(scope),
    new NIST80053R5Checks(scope),
    new HIPAASecurityChecks(scope),
    new PCIDSS321Checks(scope),
    new ServerlessChecks(scope),
  ];
}
