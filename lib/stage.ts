import { Stage, StageProps, Tags, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HEALTH_PATH_KEY } from './compliance/rules/MethodsRequireAuthorizer';
import { PerimeterConfig } from './config';
import { AuditStack } from './stacks/audit-stack';
import { EdgeStack } from './stacks/edge-stack';
import { KeysStack } from './stacks/keys-stack';
import { NetworkStack } from './stacks/network-stack';
import { AwsLimitsValidation } from './limits/aws-limits-validation';
import { ReferenceFingerprint } from './stacks/reference-fingerprint';
import { ServiceStack } from './stacks/service-stack';

export interface PerimeterStageProps extends StageProps {
  /** The validated config of this stage. */
  readonly config: PerimeterConfig;
}

/**
 * One deployable environment of the perimeter: five stacks, each one concern, composed in dependency
 * order (keys -> audit -> network -> service -> edge). Later stacks reference earlier ones, never the reverse.
 */
export class PerimeterStage extends Stage {
  public readonly keys: KeysStack;
  public readonly audit: AuditStack;
  public readonly network: NetworkStack;
  public readonly service: ServiceStack;
  public readonly edge: EdgeStack;

  constructor(scope: Construct, id: string, props: PerimeterStageProps) {
    super(scope, id, props);
    const { config } = props;
    // Read by the McpPerimeter-AUTH1 rule: the one path besides /.well-known served without the authorizer.
    this.node.setContext(HEALTH_PATH_KEY, config.service.healthPath);
    const name = (concern: string) => `McpPerimeter-${config.stage}-${concern}`;
    const describe = (what: string) => `mcp-perimeter ${config.stage}: ${what}`;

    this.keys = new KeysStack(this, 'Keys', {
      stackName: name('Keys'),
      description: describe('customer-managed KMS keys and the token store layout'),
      config,
    });
    this.audit = new AuditStack(this, 'Audit', {
      stackName: name('Audit'),
      description: describe('audit log groups, access-log bucket, alarms'),
      config,
      auditKey: this.keys.auditKey,
    });
    this.network = new NetworkStack(this, 'Network', {
      stackName: name('Network'),
      description: describe('VPC, isolated subnets, endpoints, flow logs'),
      config,
      flowLogGroup: this.audit.auditLog.flowLogGroup,
    });
    this.service = new ServiceStack(this, 'Service', {
      stackName: name('Service'),
      description: describe('internal ALB, WAF, ECS Fargate MCP server'),
      config,
      vpc: this.network.vpc,
      auditLog: this.audit.auditLog,
    });
    this.edge = new EdgeStack(this, 'Edge', {
      stackName: name('Edge'),
      description: describe('REST API, custom domain, WAF, Lambda authorizer'),
      config,
      vpc: this.network.vpc,
      auditLog: this.audit.auditLog,
      loadBalancer: this.service.loadBalancer,
      listener: this.service.listener,
      vpcLink: this.service.vpcLink,
      tokenStore: this.keys.tokenStore,
      signingKey: this.keys.signingKey,
    });

    // AWS's deploy-time limits over every template of the stage: a breach fails synth (lib/limits/).
    Validations.of(this).addPlugins(new AwsLimitsValidation());
    // Weak references (Fn::GetStackOutput) are read when a stack deploys: a fingerprint of what each stack
    // reads from the earlier ones makes it deploy again whenever one of those resources may be replaced.
    const order = [this.keys, this.audit, this.network, this.service, this.edge];
    order.forEach((stack, i) => {
      if (i > 0) new ReferenceFingerprint(stack, order.slice(0, i));
    });

    Tags.of(this).add('mcp-perimeter:stage', config.stage);
    Tags.of(this).add('mcp-perimeter:egress', config.network.egress);
  }
}
