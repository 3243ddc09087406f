import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDesign } from '#adapters/table-design';
import { roles } from '#domain/roles';
import { routeGroups, routeKey, routes } from '#functions/routes';
import { schedules } from '#functions/schedules';
import { mailFeedback, workers } from '#functions/workers';
import { type WorkflowName, workflows } from '#functions/workflows';
import { directoryIndexCode } from '../../infra/constructs/web-forms';
import { projectFile } from '../../infra/local/project';
import { AwsSolutionsChecks, controlTowerChecks } from '../../infra/nag';
import { processSettingDefaults } from '../../infra/process-settings';
import { SalesflowStack } from '../../infra/salesflow-stack';

let template: Template;
let assemblyDir: string;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': ['**'] } });
  const stack = new SalesflowStack(app, 'Salesflow', {
    env: { account: '111111111111', region: 'eu-west-2' },
    alarmEmail: 'it.operations@acme-instruments.co.uk',
    mailDomainVerified: true,
  });
  // cdk-nag and cfn-guard (Control Tower rules) run as validation plugins: any finding not
  // acknowledged with a reason fails synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), controlTowerChecks());
  assemblyDir = app.synth().directory;
  template = Template.fromStack(stack);
  // cdk-nag and cfn-guard over every resource, plus bundling: minutes on a busy two-core machine.
}, 300_000);

describe('the table', () => {
  it('is the key design module, on demand, recoverable, protected, with TTL and a stream', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: tableDesign.timeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: tableDesign.stream },
      GlobalSecondaryIndexes: tableDesign.indexes.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });
});

describe('the HTTP API', () => {
  it('has exactly the routes of the route table', () => {
    const deployed = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (resource) => resource.Properties.RouteKey as string,
    );
    expect(deployed.sort()).toEqual(routes.map(routeKey).sort());
  });

  it('puts the Cognito authorizer on every internal route and none on public ones', () => {
    for (const route of routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: route.access.public ? 'NONE' : 'JWT',
      });
    }
  });

  it('throttles the public lead form by its own limits', () => {
    const lead = routes.find((route) => routeKey(route) === 'POST /leads')!;
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        'POST /leads': { ThrottlingRateLimit: lead.throttle!.rate, ThrottlingBurstLimit: lead.throttle!.burst },
      },
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue() }),
      AccessLogSettings: Match.objectLike({ Format: Match.not(Match.stringLikeRegexp('sourceIp')) }),
    });
  });

  it('one Cognito group per role', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...roles].sort());
  });
});

describe('the functions', () => {
  it('are Node.js 22 on arm64 with JSON logs and X-Ray', () => {
    // Ours, not CDK's own custom-resource functions (the web forms' upload and bucket clean-up).
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !/^Custom(CDKBucketDeployment|S3AutoDeleteObjects)/.test(id))
      .map(([, fn]) => fn);
    const workflowFunctions = Object.values(workflows).flatMap((workflow) => Object.keys(workflow.functions));
    expect(functions).toHaveLength(
      Object.keys(routeGroups).length + Object.keys(workers).length + workflowFunctions.length + Object.keys(schedules).length + 1, // + mail feedback
    );
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('ship their source map as a build artefact beside the bundle, never loaded at runtime (issue 18)', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([id]) => !/^Custom(CDKBucketDeployment|S3AutoDeleteObjects)/.test(id),
    );
    // The bundle's asset folder in the assembly (cdk.out), named after the hash the zip is uploaded under.
    const assetDir = (fn: { [key: string]: any }) => join(assemblyDir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    for (const [, fn] of functions) {
      expect(fn.Properties.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
      expect(readFileSync(join(assetDir(fn), 'index.mjs'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(join(assetDir(fn), 'index.mjs.map'))).toBe(true);
    }
    // Names and offsets only: the sources themselves stay out of the artefact.
    const [, leads] = functions.find(([id]) => id.startsWith('LeadsApi'))!;
    const map = JSON.parse(readFileSync(join(assetDir(leads), 'index.mjs.map'), 'utf8'));
    expect(map.sources.some((source: string) => source.endsWith('functions/leads/index.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
  });

  it('mail delivery reads only new outbox emails from the stream, with a DLQ on failure', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(workers.mailDelivery.tableStream.filter) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: workers.mailDelivery.tableStream.retryAttempts,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('only the outbox (mail delivery and its retry job) may send email, and only from the configured address', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const senders = policies.filter(([, policy]) => JSON.stringify(policy).includes('ses:Send'));
    expect(senders.map(([id]) => id.replace(/Function.*$/, '')).sort()).toEqual(['MailDelivery', 'MailRetry']);
    for (const [, policy] of senders) {
      expect(JSON.stringify(policy)).toContain('ses:FromAddress');
      // The identity has a configuration set, which SES authorizes as well.
      expect(JSON.stringify(policy)).toContain(':configuration-set/');
    }
  });

  it('an email failed for good raises an alarm to the alarm topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    const failed = alarms.find((alarm) => alarm.Properties.MetricName === 'EmailsFailed');
    expect(failed?.Properties).toMatchObject({ Namespace: 'salesflow', Threshold: 1, Dimensions: [{ Name: 'service', Value: 'mail' }] });
    expect(JSON.stringify(failed?.Properties.AlarmActions)).toContain('Alarm');
  });

  it('the health probe cannot write', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const platform = policies.find(([id]) => id.startsWith('PlatformApi'))!;
    expect(JSON.stringify(platform[1])).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
  });
});

const machineIds = { 'quote-approval': /^QuoteApproval/, 'post-shipment': /^PostShipment/ } as const;
const stepsFunctionOf = (name: WorkflowName) => Object.keys(workflows[name].functions)[0]!;

describe.each(Object.keys(workflows) as WorkflowName[])('the %s workflow', (name) => {
  const machine = () => {
    const found = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(([id]) => machineIds[name].test(id));
    expect(found, `a state machine for ${name}`).toBeDefined();
    return found as [string, any];
  };

  it('is a STANDARD state machine from its ASL file, logging ALL events with X-Ray', () => {
    const [, resource] = machine();
    expect(resource.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
    // The definition is the file itself (an S3 asset), with the function ARN substituted in.
    expect(resource.Properties.DefinitionS3Location).toBeDefined();
    const steps = stepsFunctionOf(name);
    expect(resource.Properties.DefinitionSubstitutions).toEqual({
      [steps]: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${steps}Function`)), 'Arn'] },
    });
    const file = readFileSync(projectFile(workflows[name].definitionFile), 'utf8');
    expect(file).toContain(`\${${steps}}`);
  });

  it('may invoke its own steps function and nothing else', () => {
    const [, resource] = machine();
    const roleId = resource.Properties.RoleArn['Fn::GetAtt'][0];
    const [, policy] = Object.entries(template.findResources('AWS::IAM::Policy')).find(([, p]) =>
      p.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId),
    )!;
    const invoke = policy.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes('lambda:InvokeFunction'),
    );
    expect(JSON.stringify(invoke)).toMatch(new RegExp(`${stepsFunctionOf(name)}Function`));
    for (const other of Object.keys(workflows).filter((n) => n !== name) as WorkflowName[]) {
      expect(JSON.stringify(invoke)).not.toMatch(new RegExp(`${stepsFunctionOf(other)}Function`));
    }
    expect(JSON.stringify(invoke)).not.toMatch(/"\*"/);
  });
});

describe('workflow permissions and alarms', () => {
  it('only the quotes and orders functions start runs; they and the links hand answers back', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const holders = (action: string) =>
      policies
        .filter(([, p]) => JSON.stringify(p).includes(action))
        .map(([id]) => id.replace(/Function.*$/, ''))
        .sort();
    expect(holders('states:StartExecution')).toEqual(['OrdersApi', 'QuotesApi']);
    expect(holders('states:SendTaskSuccess')).toEqual(['ActionsApi', 'OrdersApi', 'QuotesApi']);
  });

  it('raises an alarm when a run of either workflow fails', () => {
    const failed = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'ExecutionsFailed' && alarm.Properties.Namespace === 'AWS/States',
    );
    expect(failed).toHaveLength(Object.keys(workflows).length);
  });
});

describe('the post-shipment workflow (R25/R26)', () => {
  const definition = JSON.parse(readFileSync(projectFile(workflows['post-shipment'].definitionFile), 'utf8'));
  const states = Object.values(definition.States) as any[];

  it('waits to timestamps computed from the ship date, never fixed seconds', () => {
    const waits = states.filter((state) => state.Type === 'Wait');
    expect(waits.map((w) => w.TimestampPath)).toEqual(['$.schedule.deliveryCheckAt', '$.schedule.equipmentCheckFrom']);
    expect(waits.every((w) => w.Seconds === undefined && w.SecondsPath === undefined)).toBe(true);
  });

  it('asks the SM with a task token and escalates on timeout', () => {
    const ask = states.find((state) => String(state.Resource).endsWith('.waitForTaskToken'));
    expect(ask.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(ask.TimeoutSeconds).toBe(30 * 24 * 60 * 60);
    expect(ask.Catch[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: "Escalate to the SM's manager" });
  });

  it('the service desk worker reads only new registrations, with a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(workers.serviceDeskSync.tableStream.filter) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('the schedules (R6-R8)', () => {
  it('each is an EventBridge Scheduler schedule with the expression and time zone of functions/schedules.ts', () => {
    const deployed = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r) => r.Properties);
    expect(deployed.map((p) => [p.ScheduleExpression, p.ScheduleExpressionTimezone]).sort()).toEqual(
      Object.values(schedules)
        .map((s) => [s.expression, s.timeZone])
        .sort(),
    );
    for (const [name, schedule] of Object.entries(schedules)) {
      const mine = deployed.find((p) => p.ScheduleExpression === schedule.expression)!;
      expect(JSON.parse(mine.Target.Input)).toEqual({ schedule: name, tick: '<aws.scheduler.scheduled-time>' });
      expect(mine.Target.RetryPolicy.MaximumRetryAttempts).toBe(schedule.retryAttempts);
      expect(mine.Target.DeadLetterConfig.Arn).toBeDefined();
    }
  });

  it('a run that throws is retried by Lambda and then dead-lettered too (Scheduler invokes asynchronously)', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('bulk mail (R2)', () => {
  it("SES bounces and complaints reach the feedback function through SNS, from the identity's configuration set", () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        SnsDestination: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { ConfigurationSetAttributes: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MailFeedbackFunction'), 'Arn'] },
    });
  });
});

describe('the web forms', () => {
  it('are a private bucket read by CloudFront only, over HTTPS, with security headers', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'self'") }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
  });

  it('are uploaded with the API URL and the Cognito sign-in written in at deploy', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const data = JSON.stringify(deployment!.Properties.SourceMarkers ?? deployment!.Properties);
    // The lead form's action and /config.js carry the API's endpoint and the pool's client, resolved at deploy.
    expect(data).toContain('ApiEndpoint');
    expect(data).toContain('WebForms');
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'] });
  });

  it("send people to Cognito's hosted sign-in with the code flow, back to the site's sign-in page", () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('are the only browser origin the API accepts, and where the thank-you page is', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [Match.objectLike({ 'Fn::Join': Match.anyValue() })] }),
    });
    const [leads] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('lead intake') } }),
    );
    expect(JSON.stringify(leads!.Properties.Environment.Variables.SALESFLOW_WEB_BASE_URL)).toContain('DomainName');
  });
});

type Resources = Record<string, { Type: string; Properties: any; DependsOn?: string[]; DeletionPolicy?: string }>;
const resourcesOf = (type: string) => Object.entries(template.findResources(type) as Resources);
const policiesOf = (idPrefix: string) => resourcesOf('AWS::IAM::Policy').filter(([id]) => id.startsWith(idPrefix));

/** Each function's construct id and handler, as the stack names them. */
const pascalCase = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());
const handlers: Record<string, string> = {
  ...Object.fromEntries(Object.entries(routeGroups).map(([group, { entry }]) => [`${pascalCase(group)}Api`, entry])),
  ...Object.fromEntries(Object.values(workflows).flatMap((workflow) => Object.entries(workflow.functions))),
  ...Object.fromEntries(Object.entries(workers).map(([name, { entry }]) => [pascalCase(name), entry])),
  ...Object.fromEntries(Object.entries(schedules).map(([name, { entry }]) => [pascalCase(name), entry])),
  MailFeedback: mailFeedback.entry,
};
/**
 * The functions whose bundle deletes items: the code that takes a person's answer back (a timeline
 * entry), and the erasure of a person's data or of expired suspects.
 */
let deletesItems: string[];
beforeAll(async () => {
  const bundles = await Promise.all(
    Object.entries(handlers).map(async ([id, entry]) => {
      const { metafile } = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        outdir: 'unused',
        logLevel: 'silent',
      });
      const inputs = Object.keys(metafile.inputs);
      return [id, inputs.includes('functions/adapters/person-steps.ts') || inputs.includes('functions/adapters/personal-data.ts')] as const;
    }),
  );
  deletesItems = bundles.filter(([, holds]) => holds).map(([id]) => id);
}, 180_000);

describe('the first deploy (issue 14)', () => {
  it('creates the routes before the stage that throttles them', () => {
    const [[, stage]] = resourcesOf('AWS::ApiGatewayV2::Stage') as [[string, Resources[string]]];
    const throttled = Object.keys(stage.Properties.RouteSettings);
    expect(throttled.length).toBe(routes.filter((route) => route.throttle).length);
    const routeIds = Object.fromEntries(resourcesOf('AWS::ApiGatewayV2::Route').map(([id, route]) => [route.Properties.RouteKey, id]));
    for (const key of throttled) expect(stage.DependsOn, key).toContain(routeIds[key]);
  });

  it('serves a folder address (/app/) its index.html through a CloudFront Function', () => {
    const [[functionId, fn]] = resourcesOf('AWS::CloudFront::Function') as [[string, Resources[string]]];
    expect(fn.Properties.FunctionCode).toBe(directoryIndexCode);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }],
        }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
  });

  it("sends from the sender's whole domain, DKIM-signed, with its own MAIL FROM, and Cognito's email through it", () => {
    const domain = processSettingDefaults.mailFrom.split('@')[1];
    template.hasResource('AWS::SES::EmailIdentity', {
      Properties: Match.objectLike({
        EmailIdentity: domain,
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        MailFromAttributes: { MailFromDomain: `bounce.${domain}` },
      }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({
        EmailSendingAccount: 'DEVELOPER',
        From: Match.stringLikeRegexp(processSettingDefaults.mailFrom),
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`:identity/${domain}$`)])] },
      }),
      // PLUS's threat protection, switched on: risky sign-ins are blocked, not only logged.
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('keeps what a destroy or a replacement would lose: groups, state machines, dead letters, the table and the pool', () => {
    for (const type of [
      'AWS::Cognito::UserPoolGroup',
      'AWS::StepFunctions::StateMachine',
      'AWS::SQS::Queue',
      'AWS::Cognito::UserPool',
      'AWS::DynamoDB::GlobalTable',
    ]) {
      const kept = resourcesOf(type);
      expect(kept.length, type).toBeGreaterThan(0);
      for (const [id, resource] of kept) expect(resource.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('backs the table up with AWS Backup, beyond PITR', () => {
    const [[, selection]] = resourcesOf('AWS::Backup::BackupSelection') as [[string, Resources[string]]];
    expect(selection.Properties.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] }]);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({ BackupPlanRule: Match.arrayWith([Match.objectLike({ Lifecycle: { DeleteAfterDays: 365 * 7 } })]) }),
    });
  });

  it('every alarm reaches the alarm topic, and the topic reaches a person', () => {
    const [topicId] = resourcesOf('AWS::SNS::Topic').find(([, topic]) => topic.Properties.DisplayName === 'salesflow dev alarms')!;
    const alarms = resourcesOf('AWS::CloudWatch::Alarm');
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', TopicArn: { Ref: topicId } });
  });

  it('alarms on SES bounce and complaint rates, stream workers falling behind, table throttling and Lambda throttles', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const on = (metricName: string) =>
      alarms.filter((alarm) => alarm.MetricName === metricName || JSON.stringify(alarm.Metrics ?? []).includes(`"${metricName}"`));
    expect(on('Reputation.BounceRate')[0]).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.05 });
    expect(on('Reputation.ComplaintRate')[0]).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.001 });
    expect(on('IteratorAge')).toHaveLength(Object.keys(workers).length);
    expect(on('WriteThrottleEvents')).toHaveLength(1);
    expect(on('ReadThrottleEvents')).toHaveLength(1);
    const ours = resourcesOf('AWS::Lambda::Function').filter(([id]) => !/^Custom(CDKBucketDeployment|S3AutoDeleteObjects)/.test(id));
    expect(on('Throttles')).toHaveLength(ours.length);
  });

  it('nothing may scan or write in batches, and only what takes answers back or erases may delete', () => {
    const policies = resourcesOf('AWS::IAM::Policy').filter(([id]) => !id.startsWith('Custom'));
    for (const [id, policy] of policies) expect(JSON.stringify(policy), id).not.toMatch(/dynamodb:(Scan|BatchWriteItem|\*)/);
    const deleters = policies
      .filter(([, policy]) => JSON.stringify(policy).includes('dynamodb:DeleteItem'))
      .map(([id]) => id.replace(/Function.*$/, ''));
    expect(deleters.sort()).toEqual(deletesItems.sort());
    // GDPR art. 17 and data minimisation would fail on AWS without it.
    expect(deleters).toEqual(expect.arrayContaining(['PeopleApi', 'SuspectRetention']));
    expect(deleters).not.toContain('LeadsApi');
  });

  it('SES feedback may only record suppressions, and a notice it cannot take waits on a dead-letter queue', () => {
    const [[, policy]] = policiesOf('MailFeedback') as [[string, Resources[string]]];
    const tableStatements = policy.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes('dynamodb:'),
    );
    expect(tableStatements.map((s: { Action: unknown }) => s.Action)).toEqual(['dynamodb:PutItem']);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MailFeedbackDeadLetters'), 'Arn'] } },
    });
  });

  it('keeps the audit trail a year: API access logs and workflow runs', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    const audit = groups.filter(([id]) => id.startsWith('ApiAccessLogs') || /^(QuoteApproval|PostShipment)Logs/.test(id));
    expect(audit).toHaveLength(1 + Object.keys(workflows).length);
    for (const [id, group] of audit) expect(group.Properties.RetentionInDays, id).toBe(365);
  });

  it("versions the web forms' files, so a bad deploy's pages can be put back", () => {
    template.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
  });
});

describe("people's addresses (issue 13's enrolment by email)", () => {
  it('the web client cannot change an email, and a change by an administrator waits for its confirmation', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ReadAttributes: Match.arrayWith(['email', 'email_verified']),
      WriteAttributes: ['name'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });
});
