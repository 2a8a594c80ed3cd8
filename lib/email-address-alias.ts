import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { aliasErrorMessage } from './alias-error-message';
import { declaredIds, resolveAliasReferences } from './alias-references';
import { EmailAddressAliasProvider } from './email-address-alias-provider';
import { checkRequestedSettings } from './handler-settings';
import { ALIAS_RESOURCE_TYPE, AliasResourceAttributes } from './resource-properties';

/** Properties of an EmailAddressAlias. */
export interface EmailAddressAliasProps {
  /**
   * The Amazon Connect instance of both addresses: its ID or instance ARN.
   *
   * Required when neither address is given as a literal ARN, since the instance
   * cannot be read from a token at synthesis.
   *
   * @default - the instance of the address ARNs
   */
  readonly instanceId?: string;

  /**
   * The primary email address, which receives the mail: its ID or ARN, for example
   * `CfnEmailAddress.attrEmailAddressArn`.
   */
  readonly emailAddressId: string;

  /**
   * The alias email address, whose mail is forwarded to the primary: its ID or ARN.
   * It must be another address of the same instance, without an alias of its own.
   */
  readonly aliasEmailAddressId: string;

  /**
   * What happens to the association when the alias leaves the stack or the stack is
   * deleted. `RemovalPolicy.RETAIN` leaves the addresses associated, for example to
   * hand the association over to the primary's `AliasConfigurations` in
   * `AWS::Connect::EmailAddress`. `RemovalPolicy.SNAPSHOT` does not apply.
   * With DESTROY, the association is still kept while another declaration holds it.
   *
   * @default RemovalPolicy.DESTROY - the association is removed
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The handler function's timeout for one request, from 30 seconds to 15 minutes. The stack's
   * other requests wait in its queue meanwhile; each alias's ServiceTimeout covers the queue
   * and this. Shared by all aliases of the stack: aliases that set it must agree.
   *
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;

  /**
   * The most Amazon Connect API requests per second the stack's two workers make together.
   * Connect's quota is per account and region and shared with every other caller (the contact
   * centre's own integrations too): below this ceiling the workers slow down to what the others
   * leave. Raise it after raising the quota. Shared by all aliases of the stack: aliases that
   * set it must agree.
   *
   * @default 2 - Amazon Connect's default quota
   */
  readonly connectRequestsPerSecond?: number;

  /**
   * How long the handler's logs are kept. Shared by all aliases of the stack: aliases
   * that set it must agree.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The handler function's runtime: Node.js 22 or newer. Shared by all aliases of the
   * stack: aliases that set it must agree.
   *
   * @default - the newest Node.js runtime your aws-cdk-lib defines (`lambda.Runtime.NODEJS_26_X`
   * with aws-cdk-lib 2.278), found at synthesis, so that upgrading aws-cdk-lib keeps cdk-nag's
   * AwsSolutions-L1 satisfied
   */
  readonly runtime?: lambda.Runtime;

  /**
   * The VPC to run the handler function in. The handler calls the Amazon Connect and
   * CloudFormation APIs and answers CloudFormation on an S3 presigned URL: the subnets need a
   * route to them, through a NAT gateway or VPC endpoints (`connect` and `cloudformation`
   * interface endpoints, S3 gateway endpoint). Shared by all aliases of the stack: aliases that
   * set it must agree.
   *
   * @default - the function does not run in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` the handler function runs. Shared by all aliases of the stack: aliases
   * that set it must agree.
   *
   * @default - the VPC's private subnets, as lambda.Function chooses them
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the handler function in `vpc`; they must allow HTTPS out to
   * Amazon Connect and S3. Shared by all aliases of the stack: aliases that set them must agree.
   *
   * @default - a security group of the function's own that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The log group the handler function logs to, for example one encrypted with your KMS key
   * and kept a year; the construct then creates none, and `logRetention` does not apply.
   * Shared by all aliases of the stack: aliases that set it must agree.
   *
   * @default - a log group of the construct's own, kept for `logRetention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The handler function's execution role, in the stack's account, trusting
   * `lambda.amazonaws.com`. The construct attaches its Connect policy of each instance to
   * it by name, and adds writing to the log group (and, with `vpc`, managing network
   * interfaces) as `lambda.Function` adds permissions: not to a role imported as immutable,
   * which must allow them already. Shared by all aliases of the stack: aliases that set it
   * must agree.
   *
   * @default - a role of the construct's own with the handler's permissions only
   */
  readonly role?: iam.IRole;
}

/**
 * Makes one Amazon Connect email address an alias of another: mail sent to the alias
 * is forwarded to the primary address.
 *
 * For addresses managed outside the primary's own template (made in the console, by
 * another stack or tool), where `AWS::Connect::EmailAddress`'s `AliasConfigurations`
 * cannot serve. All aliases of a stack share one handler function and its role.
 */
export class EmailAddressAlias extends Construct {
  /** The instance's plain ID. */
  public readonly instanceId: string;
  /** The primary email address's plain ID. */
  public readonly emailAddressId: string;
  /** The alias email address's plain ID. */
  public readonly aliasEmailAddressId: string;
  /** The custom resource that holds the association. */
  public readonly resource: CustomResource;

  /**
   * @param scope the construct the alias belongs to, in the stack of the instance's account and region
   * @param id the alias's construct ID
   * @param props the addresses, their instance and the handler settings
   */
  constructor(scope: Construct, id: string, props: EmailAddressAliasProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { properties, policyInstanceId } = this.withPath(() => {
      if (props.removalPolicy === RemovalPolicy.SNAPSHOT) {
        throw new Error('removalPolicy cannot be SNAPSHOT: an alias has no data; use DESTROY or RETAIN.');
      }
      checkRequestedSettings(props);
      return resolveAliasReferences(stack, props);
    });

    const provider = EmailAddressAliasProvider.of(this);
    provider.declare({
      path: this.node.path,
      ...declaredIds(stack, properties, policyInstanceId),
      settings: {
        timeout: props.timeout,
        logRetention: props.logRetention,
        runtime: props.runtime,
        connectRequestsPerSecond: props.connectRequestsPerSecond,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
        securityGroups: props.securityGroups,
        logGroup: props.logGroup,
        role: props.role,
      },
    });

    this.resource = new CustomResource(this, 'Resource', {
      resourceType: ALIAS_RESOURCE_TYPE,
      serviceToken: provider.serviceToken,
      properties,
      removalPolicy: props.removalPolicy,
    });
    const cfnResource = this.resource.node.defaultChild as CfnResource;
    // Known once every alias of the stack is: the function's timeout depends on how many there are.
    cfnResource.addPropertyOverride('ServiceTimeout', provider.serviceTimeout);
    // Created after the instance's permissions and deleted before them, also when the
    // alias leaves the stack or moves to another instance.
    this.resource.node.addDependency(provider.instancePolicy(policyInstanceId));
    if ((props.removalPolicy ?? RemovalPolicy.DESTROY) === RemovalPolicy.DESTROY) {
      // CustomResource writes Delete, which CloudFormation does anyway when the attributes
      // are absent; left out, they no longer weigh on every alias of the template.
      cfnResource.cfnOptions.deletionPolicy = undefined;
      cfnResource.cfnOptions.updateReplacePolicy = undefined;
    }

    this.instanceId = this.attribute('InstanceId');
    this.emailAddressId = this.attribute('EmailAddressId');
    this.aliasEmailAddressId = this.attribute('AliasEmailAddressId');
  }

  /** Runs the checks of the props, so that an error names the alias it is about. */
  private withPath<T>(check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (error instanceof Error) {
        error.message = aliasErrorMessage(this.node.path, error.message);
      }
      throw error;
    }
  }

  private attribute(name: keyof AliasResourceAttributes): string {
    return this.resource.getAttString(name);
  }
}
