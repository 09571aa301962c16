import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * The id (`pl-…`) of the region's AWS-managed DynamoDB prefix list, `com.amazonaws.<region>.dynamodb`,
 * resolved at DEPLOY time: synth needs no credentials and no lookup context, and the template stays
 * region-agnostic. The addresses of that list are those the VPC's DynamoDB gateway endpoint routes, so a
 * security group rule to it narrows "HTTPS to DynamoDB" from 0.0.0.0/0 to DynamoDB's own ranges. Such a
 * rule counts as 1 rule against the security group's rules quota (the list's weight is 1: Amazon VPC User
 * Guide, "AWS-managed prefix lists", AWS-managed prefix list weight).
 *
 * Hand-written around CDK's `AwsCustomResource` because CloudFormation has no attribute or resource that
 * returns an AWS-managed prefix list's id (`AWS::EC2::PrefixList` is for customer-managed lists; the
 * gateway `AWS::EC2::VPCEndpoint` returns no prefix list id). One EC2 `DescribeManagedPrefixLists` call
 * (filter `prefix-list-name`, EC2 API reference) on create and on update; nothing on delete.
 */
export class DynamoDbPrefixList extends Construct {
  /** The prefix list id, a deploy-time token. */
  public readonly prefixListId: string;

  /**
   * @param logGroup where the lookup function logs (the authorizer's audit log group: encrypted, retained;
   *   the function runs only while CloudFormation creates or updates the stack, and logs no response data).
   */
  constructor(scope: Construct, id: string, logGroup: ILogGroup) {
    super(scope, id);
    const name = `com.amazonaws.${Stack.of(this).region}.dynamodb`;
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: { Filters: [{ Name: 'prefix-list-name', Values: [name] }] },
      physicalResourceId: cr.PhysicalResourceId.of(name),
      outputPaths: ['PrefixLists.0.PrefixListId'],
      logging: cr.Logging.withDataHidden(),
    };
    const lookup = new cr.AwsCustomResource(this, 'Lookup', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      logGroup,
      // ec2:DescribeManagedPrefixLists has no resource-level permissions (Service Authorization
      // Reference, Amazon EC2: resource types "*"), so the statement cannot name a resource.
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ec2:DescribeManagedPrefixLists'], resources: ['*'] }),
      ]),
    });
    this.prefixListId = lookup.getResponseField('PrefixLists.0.PrefixListId');
  }
}
