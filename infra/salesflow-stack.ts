import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnRoute, type CfnStage, CorsHttpMethod, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { BackupPlan, BackupResource } from 'aws-cdk-lib/aws-backup';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { tableDesign } from '#adapters/table-design';
import { roles } from '#domain/roles';
import { type Settings, settingNames } from '#functions/config';
import { type RouteGroup, routeGroups, routeKey, routes } from '#functions/routes';
import { type Schedule, type ScheduleName, schedules } from '#functions/schedules';
import { mailFeedback, workers } from '#functions/workers';
import { type WorkflowName, workflows } from '#functions/workflows';
import { ApiFunction } from './constructs/api-function';
import { DeadLetters } from './constructs/dead-letters';
import { operationsAlarm } from './constructs/operations-alarm';
import { projectRoot, SalesflowFunction } from './constructs/salesflow-function';
import { ScheduledJob } from './constructs/scheduled-job';
import { StreamWorker } from './constructs/stream-worker';
import { WebForms } from './constructs/web-forms';
import { Workflow } from './constructs/workflow';

/**
 * Whether a handler's bundle deletes items (esbuild's own account of it): the code that takes a
 * person's answer back, and the erasure of personal data (GDPR art. 17) and of expired suspects.
 */
const deletingAdapters = [
  'functions/adapters/person-steps.ts',
  'functions/adapters/personal-data.ts',
  'functions/adapters/search-refile.ts',
];
const deletesItems = (entry: string) =>
  Object.keys(
    buildSync({
      entryPoints: [entry],
      absWorkingDir: projectRoot,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      outdir: 'unused',
      logLevel: 'silent',
    }).metafile!.inputs,
  ).some((input) => deletingAdapters.includes(input));

/** quote-approval -> QuoteApproval: construct ids from the tables' names. */
const pascalCase = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());

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
    // The sender's whole domain is the SES identity: DKIM-signed, bounces to its own MAIL FROM.
    const mailDomain = settings.mailFrom.split('@')[1]!;

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

    // Signed quotes and orders live here: AWS Backup keeps copies beyond PITR's 35 days.
    const backup = BackupPlan.dailyWeeklyMonthly7YearRetention(this, 'Backup');
    backup.addSelection('Table', { resources: [BackupResource.fromArn(table.tableArn)] });

    // R2: SES reports bounces and complaints to a topic; a function takes those addresses off bulk mail.
    const mailFeedbackTopic = new Topic(this, 'MailFeedbackTopic', {
      enforceSSL: true,
      displayName: `salesflow ${stageName} SES bounces and complaints`,
    });
    const mailConfiguration = new ConfigurationSet(this, 'MailConfiguration', { reputationMetrics: true });
    mailConfiguration.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(mailFeedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const mailIdentity = new EmailIdentity(this, 'MailDomain', {
      identity: Identity.domain(mailDomain),
      configurationSet: mailConfiguration,
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: `bounce.${mailDomain}`,
    });
    // Its DNS records are published by hand (DEPLOY.md): a new identity would need them again.
    mailIdentity.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // R28: one Cognito group per role; the API's authorizer trusts only this pool.
    const userPool = new UserPool(this, 'People', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      // What PLUS is paid for: risky sign-ins blocked, compromised passwords refused.
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // Invitations and resets go through SES: Cognito's own sender stops at 50 a day. Cognito
      // refuses an identity not yet verified, so the first deploy uses its own (DEPLOY.md).
      email: props.mailDomainVerified
        ? UserPoolEmail.withSES({
            fromEmail: settings.mailFrom,
            fromName: 'Sales',
            sesVerifiedDomain: mailDomain,
            sesRegion: this.region,
            configurationSetName: mailConfiguration.configurationSetName,
          })
        : UserPoolEmail.withCognito(settings.mailFrom),
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // A changed address takes effect only once its owner confirms it (the API enrols people by it).
      keepOriginal: { email: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    userPool.node.addDependency(mailIdentity);
    for (const role of roles) {
      // Kept with the pool: a deleted group takes its memberships with it.
      new CfnUserPoolGroup(this, `Group${role}`, { userPoolId: userPool.userPoolId, groupName: role }).applyRemovalPolicy(
        RemovalPolicy.RETAIN,
      );
    }
    // The web forms; people sign in on the pool's hosted pages, which hand the pages a code (PKCE).
    const webForms = new WebForms(this, 'WebForms');
    const signInDomain = userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `salesflow-${stageName}-${this.account}` },
    });
    const webClient = userPool.addClient('WebForms', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${webForms.url}/sign-in.html`],
        logoutUrls: [`${webForms.url}/sign-in.html`],
      },
      idTokenValidity: Duration.hours(8),
      // A person's address is set by an administrator: with an SRP sign-in's token they could
      // otherwise change their own, and be enrolled as someone else.
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    // Who called what is kept a year, for audits.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    const api = new HttpApi(this, 'Api', {
      apiName: `salesflow-${stageName}`,
      description: 'salesflow: web forms and internal pages',
      corsPreflight: {
        // Only the web forms' pages call the API from a browser; scripts need no CORS.
        allowOrigins: [webForms.url],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-column-mapping'],
        // The export page names the saved file and its row count from these (GET /exports/{file}).
        exposeHeaders: ['content-disposition', 'x-rows', 'location'],
        maxAge: Duration.hours(1),
      },
    });
    const defaultThrottle = { rate: 50, burst: 100 };
    const stage = api.defaultStage!.node.defaultChild as CfnStage;
    stage.defaultRouteSettings = {
      throttlingRateLimit: defaultThrottle.rate,
      throttlingBurstLimit: defaultThrottle.burst,
    };
    // Public routes get their own, tighter throttle from the route table. RouteSettings is an
    // untyped map in CloudFormation, so it takes CloudFormation's own property names.
    stage.routeSettings = Object.fromEntries(
      routes
        .filter((route) => route.throttle)
        .map((route) => [routeKey(route), { ThrottlingRateLimit: route.throttle!.rate, ThrottlingBurstLimit: route.throttle!.burst }]),
    );
    // Access logs carry no client IP or user agent: ids, routes, statuses and timings only.
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
      }),
    };

    const appBaseUrl = props.appBaseUrl ?? api.apiEndpoint;
    const workflowNames = Object.fromEntries(Object.keys(workflows).map((name) => [name, `${this.stackName}-${name}`])) as Record<
      WorkflowName,
      string
    >;
    const environment: Record<string, string> = Object.fromEntries(
      Object.entries({
        tableName: table.tableName,
        mailFrom: settings.mailFrom,
        appBaseUrl,
        webBaseUrl: webForms.url,
        engineeringEmail: settings.engineeringEmail,
        territories: JSON.stringify(settings.territories),
        fallbackOwner: settings.fallbackOwner,
        emailMaxAttempts: String(settings.emailMaxAttempts),
        emailRetry: JSON.stringify(settings.emailRetry),
        salesAdminEmail: settings.salesAdminEmail,
        applicationEngineerEmail: settings.applicationEngineerEmail,
        approvers: JSON.stringify(settings.approvers),
        quoteLimits: JSON.stringify(settings.quoteLimits),
        vatRates: JSON.stringify(settings.vatRates),
        letterhead: JSON.stringify(settings.letterhead),
        quoteApprovalArn: Workflow.arnFor(this, workflowNames['quote-approval']),
        productionEmail: settings.productionEmail,
        sfSupportEmail: settings.sfSupportEmail,
        supportEmail: settings.supportEmail,
        customerWebsite: settings.customerWebsite,
        serviceDeskUrl: settings.serviceDeskUrl,
        serviceDeskMaxAttempts: String(settings.serviceDeskMaxAttempts),
        postShipmentArn: Workflow.arnFor(this, workflowNames['post-shipment']),
        cadences: JSON.stringify(settings.cadences),
      } satisfies Settings).map(([name, value]) => [settingNames[name as keyof Settings], value]),
    );

    const authorizer = new HttpUserPoolAuthorizer('People', userPool, { userPoolClients: [webClient] });
    const groups = {} as Record<RouteGroup, ApiFunction>;
    for (const [group, { entry, description }] of Object.entries(routeGroups) as [RouteGroup, (typeof routeGroups)[RouteGroup]][]) {
      groups[group] = new ApiFunction(this, `${group[0]!.toUpperCase()}${group.slice(1)}Api`, {
        entry,
        description,
        environment,
        alarmTopic,
        api,
        authorizer,
        routes: routes.filter((route) => route.group === group),
        // A 5 MiB file checked, or 50,000 rows written as CSV, within API Gateway's 30 seconds.
        ...(group === 'imports' || group === 'exports' ? { timeout: Duration.seconds(29), memorySize: 1769 } : {}),
      });
    }
    // CloudFormation would create the stage before the routes its settings name, and fail.
    const throttled = new Set(Object.keys(stage.routeSettings as object));
    for (const child of api.node.findAll()) {
      if (child instanceof CfnRoute && throttled.has(child.routeKey)) stage.addResourceDependency(child);
    }

    // Least privilege: nothing scans or writes in batches. Only a handler whose bundle can take a
    // person's answer back (person-steps.ts, which deletes that one timeline entry) may delete.
    const tableAccess = {
      reads: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
      writes: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      deletes: ['dynamodb:DeleteItem'],
    };
    const grantRecords = (grantee: IGrantable, ...access: (keyof typeof tableAccess)[]) =>
      table.grant(grantee, ...access.flatMap((kind) => tableAccess[kind]));
    const grantWrites = (grantee: IGrantable, entry: string) =>
      grantRecords(grantee, 'reads', 'writes', ...(deletesItems(entry) ? (['deletes'] as const) : []));
    grantRecords(groups.platform.function, 'reads');
    grantRecords(groups.agenda.function, 'reads');
    grantRecords(groups.exports.function, 'reads');
    grantRecords(groups.reports.function, 'reads');
    for (const group of [
      'leads',
      'opportunities',
      'activities',
      'quotes',
      'actions',
      'accounts',
      'orders',
      'marketing',
      'people',
      'imports',
    ] as const) {
      grantWrites(groups[group].function, routeGroups[group].entry);
    }
    // Emails go out from the configured address only, by the functions that send them.
    // With a configuration set on the identity, SES authorizes the send against the set too.
    const grantSendEmail = (fn: IFunction, actions: string[]) =>
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions,
          resources: [
            `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${mailIdentity.emailIdentityName}`,
            `arn:${this.partition}:ses:${this.region}:${this.account}:configuration-set/${mailConfiguration.configurationSetName}`,
          ],
          conditions: { StringEquals: { 'ses:FromAddress': settings.mailFrom } },
        }),
      );

    // Each workflow with the one function its steps run in (functions/workflows.ts).
    const flows = {} as Record<WorkflowName, { workflow: Workflow; steps: IFunction }>;
    for (const [name, workflow] of Object.entries(workflows) as [WorkflowName, (typeof workflows)[WorkflowName]][]) {
      const [[substitution, entry]] = Object.entries(workflow.functions) as [[string, string]];
      const steps = new SalesflowFunction(this, substitution, {
        entry,
        description: `${workflow.description}: the steps`,
        environment,
        alarmTopic,
        timeout: Duration.seconds(30),
      });
      grantWrites(steps.function, entry);
      flows[name] = {
        steps: steps.function,
        workflow: new Workflow(this, pascalCase(name), {
          definitionFile: workflow.definitionFile,
          stateMachineName: workflowNames[name],
          functions: { [substitution]: steps.function },
          alarmTopic,
          description: workflow.description,
        }),
      };
    }
    // Workflow steps queue their emails in the outbox: only the mail functions hold SES.
    const { workflow: quoteApproval } = flows['quote-approval'];
    quoteApproval.grantStartExecution(groups.quotes.function);
    quoteApproval.grantTaskResponse(groups.quotes.function);
    quoteApproval.grantTaskResponse(groups.actions.function);
    const { workflow: postShipment } = flows['post-shipment'];
    postShipment.grantStartExecution(groups.orders.function);
    postShipment.grantTaskResponse(groups.orders.function);
    postShipment.grantTaskResponse(groups.actions.function);

    const mail = new StreamWorker(this, 'MailDelivery', {
      entry: workers.mailDelivery.entry,
      description: workers.mailDelivery.description,
      environment,
      alarmTopic,
      table,
      stream: workers.mailDelivery.tableStream,
      timeout: Duration.seconds(30),
      memorySize: workers.mailDelivery.memoryMb,
    });
    grantWrites(mail.function, workers.mailDelivery.entry);
    grantSendEmail(mail.function, ['ses:SendRawEmail']);

    // R21: support registrations to the external service desk, when one is configured.
    const serviceDesk = new StreamWorker(this, 'ServiceDeskSync', {
      entry: workers.serviceDeskSync.entry,
      description: workers.serviceDeskSync.description,
      environment,
      alarmTopic,
      table,
      stream: workers.serviceDeskSync.tableStream,
      timeout: Duration.seconds(30),
      memorySize: workers.serviceDeskSync.memoryMb,
    });
    grantWrites(serviceDesk.function, workers.serviceDeskSync.entry);

    // The reports' counters, from every change to a lead, opportunity, quote, order or campaign.
    const rollups = new StreamWorker(this, 'ReportRollups', {
      entry: workers.reportRollups.entry,
      description: workers.reportRollups.description,
      environment,
      alarmTopic,
      table,
      stream: workers.reportRollups.tableStream,
      timeout: Duration.seconds(60),
      memorySize: workers.reportRollups.memoryMb,
    });
    grantWrites(rollups.function, workers.reportRollups.entry);

    // Issue 15: a CSV import's records, a stored chunk at a time.
    const importChunks = new StreamWorker(this, 'ImportChunks', {
      entry: workers.importChunks.entry,
      description: workers.importChunks.description,
      environment,
      alarmTopic,
      table,
      stream: workers.importChunks.tableStream,
      timeout: Duration.minutes(5),
      memorySize: workers.importChunks.memoryMb,
    });
    grantWrites(importChunks.function, workers.importChunks.entry);

    const feedback = new SalesflowFunction(this, 'MailFeedback', {
      entry: mailFeedback.entry,
      description: mailFeedback.description,
      memorySize: mailFeedback.memoryMb,
      environment,
      alarmTopic,
    });
    // A notice that cannot be recorded waits on a queue: an address left on bulk mail hurts the sender's reputation.
    const feedbackDeadLetters = new DeadLetters(this, 'MailFeedbackDeadLetters', { description: mailFeedback.description, alarmTopic });
    feedback.function.addEventSource(new SnsEventSource(mailFeedbackTopic, { deadLetterQueue: feedbackDeadLetters.queue }));
    // It only records suppressions.
    table.grant(feedback.function, 'dynamodb:PutItem');

    // R6-R8: the schedules, each with its job (functions/schedules.ts); the outbox's retries.
    const jobs = {} as Record<ScheduleName, ScheduledJob>;
    for (const [name, schedule] of Object.entries(schedules) as [ScheduleName, Schedule][]) {
      const job = new ScheduledJob(this, pascalCase(name), {
        entry: schedule.entry,
        description: schedule.description,
        environment,
        alarmTopic,
        timeout: Duration.minutes(5),
        memorySize: schedule.memoryMb,
        schedule: { name, ...schedule },
      });
      grantWrites(job.function, schedule.entry);
      if (schedule.sendsEmail) grantSendEmail(job.function, ['ses:SendRawEmail']);
      jobs[name] = job;
    }

    // An email given up on (functions/mail/deliver.ts) is a person not told: someone must look.
    operationsAlarm(this, 'EmailsFailed', {
      description: 'Emails failed for good after their retries: see the runbook (README, "Redrive") to send them again',
      metric: new Metric({
        namespace: 'salesflow',
        metricName: 'EmailsFailed',
        dimensionsMap: { service: 'mail' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      alarmTopic,
    });

    // SES puts an account under review at 5% bounces or 0.1% complaints, and may pause its sending at 10% or 0.5%.
    const reputation = { BounceRate: 0.05, ComplaintRate: 0.001 };
    for (const [name, threshold] of Object.entries(reputation)) {
      operationsAlarm(this, `Mail${name}`, {
        description: `SES ${name} at the level where AWS reviews the account: find the addresses (MailFeedback logs) before sending is paused`,
        metric: new Metric({ namespace: 'AWS/SES', metricName: `Reputation.${name}`, statistic: 'Maximum', period: Duration.hours(1) }),
        alarmTopic,
        threshold,
      });
    }
    // On demand still throttles a hot partition; a throttled write is an email or step retried late.
    const throttleEvents = (metricName: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    operationsAlarm(this, 'TableThrottled', {
      description: 'DynamoDB throttled reads or writes of the table',
      metric: new MathExpression({
        expression: 'reads + writes',
        usingMetrics: { reads: throttleEvents('ReadThrottleEvents'), writes: throttleEvents('WriteThrottleEvents') },
        period: Duration.minutes(5),
      }),
      alarmTopic,
    });

    operationsAlarm(this, 'ApiServerErrors', {
      description: 'The API answered 5xx: something other than a client is at fault',
      metric: api.metricServerError({ period: Duration.minutes(5) }),
      alarmTopic,
    });

    webForms.publish({
      apiUrl: api.apiEndpoint,
      signIn: {
        kind: 'cognito',
        authorizeUrl: `${signInDomain.baseUrl()}/oauth2/authorize`,
        tokenUrl: `${signInDomain.baseUrl()}/oauth2/token`,
        clientId: webClient.userPoolClientId,
      },
    });

    new CfnOutput(this, 'WebFormsUrl', { value: webForms.url });
    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: webClient.userPoolClientId });
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
