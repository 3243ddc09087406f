import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDesign } from '#adapters/table-design';
import { roles } from '#domain/roles';
import { routeKey, routes } from '#functions/routes';
import { workers } from '#functions/workers';
import { AwsSolutionsChecks } from '../../infra/nag';
import { SalesflowStack } from '../../infra/salesflow-stack';

let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': ['**'] } });
  const stack = new SalesflowStack(app, 'Salesflow', { env: { account: '111111111111', region: 'eu-west-2' } });
  // cdk-nag v3 runs as a validation plugin: any finding not acknowledged with a reason fails synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  template = Template.fromStack(stack);
}, 120_000);

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
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(4 + Object.keys(workers).length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
        TracingConfig: { Mode: 'Active' },
      });
    }
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

  it('only mail delivery may send email, and only from the configured address', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const senders = policies.filter((policy) => JSON.stringify(policy).includes('ses:SendEmail'));
    expect(senders).toHaveLength(1);
    expect(JSON.stringify(senders[0])).toContain('ses:FromAddress');
  });

  it('the health probe cannot write', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const platform = policies.find(([id]) => id.startsWith('PlatformApi'))!;
    expect(JSON.stringify(platform[1])).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
  });
});
