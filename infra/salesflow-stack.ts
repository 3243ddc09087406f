import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { CfnStage, HttpApi, CorsHttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, OAuthScope, UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity } from 'aws-cdk-lib/aws-ses';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { tableDesign } from '#adapters/table-design';
import { settingNames, type Settings } from '#functions/config';
import { roles } from '#domain/roles';
import { routeGroups, routeKey, routes, type RouteGroup } from '#functions/routes';
import { mailFeedback, workers } from '#functions/workers';
import { workflows, type WorkflowName } from '#functions/workflows';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ApiFunction } from './constructs/api-function';
import { SalesflowFunction } from './constructs/salesflow-function';
import { StreamWorker } from './constructs/stream-worker';
import { Workflow } from './constructs/workflow';
import { ScheduledJob } from './constructs/scheduled-job';
import { WebForms } from './constructs/web-forms';
import { schedules, type Schedule, type ScheduleName } from '#functions/schedules';

/** quote-approval -> QuoteApproval: construct ids from the tables' names. */
const pascalCase = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());
import { processSettingDefaults, type ProcessSettings } from './process-settings';

export interface SalesflowStackProps extends StackProps {
  /** Overrides of the business settings (cdk.json context `salesflow:settings`). */
  settings?: Partial<ProcessSettings>;
  /** Who hears about alarms (cdk.json context `salesflow:alarmEmail`). */
  alarmEmail?: string;
  /** Where emailed links (served by the API) point; defaults to the API's own URL. */
  appBaseUrl?: string;
  /** The Cognito hosted sign-in's domain prefix, unique in the region (default salesflow-<account>). */
  signInDomainPrefix?: string;
}

/** The AWS side: the same handlers, route table and key design as `npm start`, on managed services. */
export class SalesflowStack extends Stack {
  constructor(scope: Construct, id: string, props: SalesflowStackProps = {}) {
    super(scope, id, props);
    const settings = { ...processSettingDefaults, ...props.settings };

    const alarmTopic = new Topic(this, 'Alarms', { enforceSSL: true, displayName: 'salesflow alarms' });
    if (props.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const table = new TableV2(this, 'Table', {
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

    // R28: one Cognito group per role; the API's authorizer trusts only this pool.
    const userPool = new UserPool(this, 'People', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of roles) {
      new CfnUserPoolGroup(this, `Group${role}`, { userPoolId: userPool.userPoolId, groupName: role });
    }
    // The web forms; people sign in on the pool's hosted pages, which hand the pages a code (PKCE).
    const webForms = new WebForms(this, 'WebForms');
    const signInDomain = userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `salesflow-${this.account}` },
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
    });

    // R2: SES reports bounces and complaints to a topic; a function takes those addresses off bulk mail.
    const mailFeedbackTopic = new Topic(this, 'MailFeedbackTopic', { enforceSSL: true, displayName: 'salesflow SES bounces and complaints' });
    const mailConfiguration = new ConfigurationSet(this, 'MailConfiguration', { reputationMetrics: true });
    mailConfiguration.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(mailFeedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const mailIdentity = new EmailIdentity(this, 'MailFrom', { identity: Identity.email(settings.mailFrom), configurationSet: mailConfiguration });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const api = new HttpApi(this, 'Api', {
      description: 'salesflow: web forms and internal pages',
      corsPreflight: {
        // Only the web forms' pages call the API from a browser; scripts need no CORS.
        allowOrigins: [webForms.url],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
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
    const workflowNames = Object.fromEntries(
      Object.keys(workflows).map((name) => [name, `${this.stackName}-${name}`]),
    ) as Record<WorkflowName, string>;
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
      });
    }
    // Least privilege: the health probe only reads; the others read and write records.
    table.grantReadData(groups.platform.function);
    table.grantReadData(groups.agenda.function);
    for (const group of ['leads', 'opportunities', 'activities', 'quotes', 'actions', 'accounts', 'orders', 'marketing'] as const) {
      table.grantReadWriteData(groups[group].function);
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
      table.grantReadWriteData(steps.function);
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
    table.grantReadWriteData(mail.function);
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
    table.grantReadWriteData(serviceDesk.function);

    const feedback = new SalesflowFunction(this, 'MailFeedback', {
      entry: mailFeedback.entry,
      description: mailFeedback.description,
      memorySize: mailFeedback.memoryMb,
      environment,
      alarmTopic,
    });
    feedback.function.addEventSource(new SnsEventSource(mailFeedbackTopic));
    table.grantWriteData(feedback.function);

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
      table.grantReadWriteData(job.function);
      if (schedule.sendsEmail) grantSendEmail(job.function, ['ses:SendRawEmail']);
      jobs[name] = job;
    }

    // An email given up on (functions/mail/deliver.ts) is a person not told: someone must look.
    const emailsFailed = new Alarm(this, 'EmailsFailed', {
      alarmDescription: 'Emails failed for good after their retries: see the runbook (README, "Redrive") to send them again',
      metric: new Metric({ namespace: 'salesflow', metricName: 'EmailsFailed', dimensionsMap: { service: 'mail' }, statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    emailsFailed.addAlarmAction(new SnsAction(alarmTopic));

    const serverErrors = new Alarm(this, 'ApiServerErrors', {
      alarmDescription: 'The API answered 5xx: something other than a client is at fault',
      metric: api.metricServerError({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    serverErrors.addAlarmAction(new SnsAction(alarmTopic));

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
    acknowledge(
      'AwsSolutions-L1',
      'Node.js 22 on purpose: the local stack runs the same handlers on Node 22, pinned in package.json.',
    );
    acknowledge(
      'AwsSolutions-IAM5[Resource::<TableCD117FA1.Arn>/index/*]',
      "The table's own GSIs, from grantReadData/grantReadWriteData: queries by status, owner and due date.",
    );
    acknowledge(
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords, which take no resource ARN.',
    );
    acknowledge('AwsSolutions-SQS3', 'These queues are the dead-letter queues themselves.');
  }
}
