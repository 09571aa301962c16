import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Properties of an {@link EndpointSecurityGroup}. */
export interface EndpointSecurityGroupProps {
  /** The VPC of the endpoints. */
  readonly vpc: ec2.IVpc;
  /** The CIDR allowed in, the VPC's: a literal, so that rule checks can read it. */
  readonly allowedCidr: string;
}

/**
 * The security group of the VPC's interface endpoints (NET-2): HTTPS (443) in from the VPC's CIDR
 * only, nothing out (an endpoint answers, it never calls).
 */
export class EndpointSecurityGroup extends Construct {
  /** The security group. */
  public readonly securityGroup: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: EndpointSecurityGroupProps) {
    super(scope, id);
    const securityGroup = new ec2.SecurityGroup(this, 'Resource', {
      vpc: props.vpc,
      description: 'VPC interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(props.allowedCidr), ec2.Port.tcp(443), 'HTTPS from the VPC CIDR');
    this.securityGroup = securityGroup;
  }
}
