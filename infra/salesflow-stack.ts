import { type CfnElement, CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupResource } from 'aws-cdk-lib/aws-backup';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { tableDesign } from '#adapters/table-design';
import { environmentOf, settingTexts } from '#functions/settings';
import { scheduledJobs, streamWorkers } from './constructs/background-work';
import { MailSending } from './constructs/mail-sending';
import { SalesflowApi } from './constructs/salesflow-api';
import { serviceAlarms } from './constructs/service-alarms';
import { SignIn } from './constructs/sign-in';
import { TableAccess } from './constructs/table-access';
import { WebForms } from './constructs/web-forms';
import { Workflow } from './constructs/workflow';
import { salesWorkflows, workflowNamesOf } from './constructs/workflows';
import { type ProcessSettings, processSettingDefaults } from './process-settings';

export interface SalesflowStackProps extends StackProps {
  /** Which copy this is (infra/stages.ts): dev, prod, ...; names in AWS derive from it. */
  stage?: string;
  /** Overrides of the business settings (the stage's file, infra/stages/<stage>.json). */
  settings?: Partial<ProcessSettings>;
  /** Who hears about alarms. */
  alarmEmail?: string;
  /** Where emailed links (served by the API) point; defaults to the API's own URL. */
  appBaseUrl?: string;
  /** The sender's domain has passed SES verification (its DNS records published): Cognito may send through it. */
  mailDomainVerified?: boolean;
  /** Which table generation the stage runs on (default 1); a restore adds one. */
  tableGeneration?: number;
  /** While `cdk import` adopts a restored table as the next generation. */
  importingTable?: boolean;
  /** The Cognito hosted sign-in's domain prefix, unique in the region (default salesflow-<stage>-<account>). */
  signInDomainPrefix?: string;
}

/** The AWS side: the same handlers, route table and key design as `npm start`, on managed services. */
export class SalesflowStack extends Stack {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: SalesflowStackProps = {}) {
    super(scope, id, props);
    const settings = { ...processSettingDefaults, ...props.settings };
    const stageName = props.stage ?? 'dev';

    const alarmTopic = new Topic(this, 'Alarms', { enforceSSL: true, displayName: `salesflow ${stageName} alarms` });
    if (props.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    // A restore brings the records back as a new table, adopted by `cdk import` as the next
    // generation (DEPLOY.md, "Restoring the table"); generation 1 keeps the first deploy's id.
    const generation = props.tableGeneration ?? 1;
    const tableOf = (generation: number) =>
      new TableV2(this, generation === 1 ? 'Table' : `Table${generation}`, {
        partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
        sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        timeToLiveAttribute: tableDesign.timeToLiveAttribute,
        dynamoStream: StreamViewType[tableDesign.stream],
        removalPolicy: RemovalPolicy.RETAIN,
        globalSecondaryIndexes: tableDesign.indexes.map((index) => ({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          sortKey: { name: index.sortKey, type: AttributeType.STRING },
        })),
      });
    const table = (this.table = tableOf(generation));
    // Import is an operation of its own: the restored table joins the stack beside the current one, referenced by nothing.
    if (props.importingTable) tableOf(generation + 1);
    const tableAccess = new TableAccess(table);

    // Signed quotes and orders live here: AWS Backup keeps copies beyond PITR's 35 days.
    const backup = BackupPlan.dailyWeeklyMonthly7YearRetention(this, 'Backup');
    backup.addSelection('Table', { resources: [BackupResource.fromArn(table.tableArn)] });

    const mail = new MailSending(this, { stageName, mailFrom: settings.mailFrom });
    // The web forms; people sign in on the pool's hosted pages, which hand the pages a code (PKCE).
    const webForms = new WebForms(this, 'WebForms');
    const signIn = new SignIn(this, {
      stageName,
      mailFrom: settings.mailFrom,
      mail,
      mailDomainVerified: props.mailDomainVerified,
      signInDomainPrefix: props.signInDomainPrefix,
      webFormsUrl: webForms.url,
    });
    const api = new SalesflowApi(this, { stageName, webFormsUrl: webForms.url });

    // Every function's settings (functions/settings.ts): the stage's over the defaults, and what this stack provides.
    const workflowNames = workflowNamesOf(this);
    const environment = environmentOf(
      settingTexts(settings, {
        tableName: table.tableName,
        appBaseUrl: props.appBaseUrl ?? api.url,
        webBaseUrl: webForms.url,
        quoteApprovalArn: Workflow.arnFor(this, workflowNames['quote-approval']),
        postShipmentArn: Workflow.arnFor(this, workflowNames['post-shipment']),
      }),
    );

    const groups = api.serveRouteGroups({ environment, alarmTopic, authorizer: signIn.authorizer, tableAccess });
    const flows = salesWorkflows(this, { environment, alarmTopic, tableAccess });
    // The route groups that start a workflow or answer its steps.
    const { workflow: quoteApproval } = flows['quote-approval'];
    quoteApproval.grantStartExecution(groups.quotes.function);
    quoteApproval.grantTaskResponse(groups.quotes.function);
    quoteApproval.grantTaskResponse(groups.actions.function);
    const { workflow: postShipment } = flows['post-shipment'];
    postShipment.grantStartExecution(groups.orders.function);
    postShipment.grantTaskResponse(groups.orders.function);
    postShipment.grantTaskResponse(groups.actions.function);

    streamWorkers(this, { environment, alarmTopic, table, tableAccess, mail });
    mail.receiveFeedback({ environment, alarmTopic, table });
    const jobs = scheduledJobs(this, { environment, alarmTopic, tableAccess, mail });
    serviceAlarms(this, { alarmTopic, table, api: api.httpApi });

    webForms.publish({
      apiUrl: api.url,
      signIn: {
        kind: 'cognito',
        authorizeUrl: `${signIn.domain.baseUrl()}/oauth2/authorize`,
        tokenUrl: `${signIn.domain.baseUrl()}/oauth2/token`,
        clientId: signIn.webClient.userPoolClientId,
      },
    });

    new CfnOutput(this, 'WebFormsUrl', { value: webForms.url });
    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'UserPoolId', { value: signIn.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: signIn.webClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    // The redrive: aws lambda invoke --function-name <this> --payload '{"redrive":true}' out.json
    new CfnOutput(this, 'MailRetryFunction', { value: jobs['mail-retry'].function.functionName });
    new CfnOutput(this, 'QuoteApprovalArn', { value: quoteApproval.stateMachine.stateMachineArn });
    new CfnOutput(this, 'PostShipmentArn', { value: postShipment.stateMachine.stateMachineArn });

    this.acknowledgeNagFindings();
  }

  /** cdk-nag (AwsSolutions): each finding we accept, and why. Anything else fails the synth. */
  private acknowledgeNagFindings() {
    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AWSLambdaBasicExecutionRole only lets each function write its own logs: the AWS-managed minimum.',
    );
    acknowledge('AwsSolutions-L1', 'Node.js 22 on purpose: the local stack runs the same handlers on Node 22, pinned in package.json.');
    acknowledge(
      `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
      "The table's own GSIs, from table.grant (grantRecords): queries by status, owner and due date.",
    );
    acknowledge('AwsSolutions-IAM5[Resource::*]', 'X-Ray PutTraceSegments/PutTelemetryRecords, which take no resource ARN.');
    acknowledge('AwsSolutions-SQS3', 'These queues are the dead-letter queues themselves.');
    acknowledge(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      "AWS Backup's own role for backing up the table: the AWS-managed policy is what AWS Backup documents.",
    );

    // cfn-guard with the Control Tower rules: each finding we keep, and why.
    const guard = (rule: string, reason: string) => acknowledge(`cdk-validator-cfnguard::${rule}`, reason);
    guard('sqs_dlq_check', 'These queues are the dead-letter queues themselves.');
    guard(
      'lambda_inside_vpc_check',
      'The functions reach only AWS APIs and one HTTPS webhook; a VPC would add NAT gateways (about $35 a month each) and protect nothing private.',
    );
    guard(
      'lambda_function_public_access_prohibited_check',
      "The rule cannot read Fn::Join: every permission is for API Gateway or SNS, conditioned on this stack's API or topic ARN.",
    );
    guard(
      'cloudwatch_log_group_encrypted_check',
      'CloudWatch Logs encrypts every group at rest with its own keys; a customer key adds cost and a key policy, and no one outside this account reads them.',
    );
    guard(
      'cloudwatch_log_group_retention_period_check',
      "Function logs are for debugging and can hold customers' names: kept 3 months. The audit trail (API access logs, workflow runs) is kept a year.",
    );
  }
}
