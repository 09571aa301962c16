import { IPolicyValidationPlugin } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { McpPerimeterChecks } from './mcp-perimeter-checks';

/**
 * The packs run over every synthesis of the kit: the five cdk-nag packs that
 * security reviewers know, and the kit's own pack, one rule per checklist item.
 */
export function compliancePacks(scope: IConstruct): IPolicyValidationPlugin[] {
  return [
    new AwsSolutionsChecks(scope),
    new NIST80053R5Checks(scope),
    new HIPAASecurityChecks(scope),
    new PCIDSS321Checks(scope),
    new ServerlessChecks(scope),
    new McpPerimeterChecks(scope),
  ];
}
