import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { CfnRoute, type CfnStage, CorsHttpMethod, HttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type RouteGroup, routeGroups, routeKey, routes } from '#functions/routes';
import { ApiFunction } from './api-function';
import type { TableAccess } from './table-access';

/** What each route group does to the table: a new group must say before it deploys. */
const tableUse: Record<RouteGroup, 'reads' | 'writes'> = {
  platform: 'reads',
  agenda: 'reads',
  exports: 'reads',
  reports: 'reads',
  leads: 'writes',
  opportunities: 'writes',
  activities: 'writes',
  quotes: 'writes',
  actions: 'writes',
  accounts: 'writes',
  orders: 'writes',
  marketing: 'writes',
  people: 'writes',
  imports: 'writes',
};

export interface RouteGroupsProps {
  environment: Record<string, string>;
  alarmTopic: ITopic;
  /** For every route that is not public. */
  authorizer: IHttpRouteAuthorizer;
  tableAccess: TableAccess;
}

/**
 * The HTTP API: the route table (functions/routes.ts) served by one function per route group,
 * throttled, its access logged without client IPs. On the stack itself, as before it was split
 * out, so the API keeps its logical ID and its URL.
 */
export class SalesflowApi {
  readonly httpApi: HttpApi;
  private readonly stage: CfnStage;

  constructor(
    private readonly stack: Stack,
    props: { stageName: string; webFormsUrl: string },
  ) {
    // Who called what is kept a year, for audits.
    const accessLogs = new LogGroup(stack, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    this.httpApi = new HttpApi(stack, 'Api', {
      apiName: `salesflow-${props.stageName}`,
      description: 'salesflow: web forms and internal pages',
      corsPreflight: {
        // Only the web forms' pages call the API from a browser; scripts need no CORS.
        allowOrigins: [props.webFormsUrl],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-column-mapping'],
        // The export page names the saved file and its row count from these (GET /exports/{file}).
        exposeHeaders: ['content-disposition', 'x-rows', 'location'],
        maxAge: Duration.hours(1),
      },
    });
    const defaultThrottle = { rate: 50, burst: 100 };
    this.stage = this.httpApi.defaultStage!.node.defaultChild as CfnStage;
    this.stage.defaultRouteSettings = {
      throttlingRateLimit: defaultThrottle.rate,
      throttlingBurstLimit: defaultThrottle.burst,
    };
    // Public routes get their own, tighter throttle from the route table. RouteSettings is an
    // untyped map in CloudFormation, so it takes CloudFormation's own property names.
    this.stage.routeSettings = Object.fromEntries(
      routes
        .filter((route) => route.throttle)
        .map((route) => [routeKey(route), { ThrottlingRateLimit: route.throttle!.rate, ThrottlingBurstLimit: route.throttle!.burst }]),
    );
    // Access logs carry no client IP or user agent: ids, routes, statuses and timings only.
    this.stage.accessLogSettings = {
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
  }

  get url() {
    return this.httpApi.apiEndpoint;
  }

  /** One function per route group, with its routes and its access to the table. */
  serveRouteGroups(props: RouteGroupsProps): Record<RouteGroup, ApiFunction> {
    const groups = {} as Record<RouteGroup, ApiFunction>;
    for (const [group, { entry, description }] of Object.entries(routeGroups) as [RouteGroup, (typeof routeGroups)[RouteGroup]][]) {
      groups[group] = new ApiFunction(this.stack, `${group[0]!.toUpperCase()}${group.slice(1)}Api`, {
        entry,
        description,
        environment: props.environment,
        alarmTopic: props.alarmTopic,
        api: this.httpApi,
        authorizer: props.authorizer,
        routes: routes.filter((route) => route.group === group),
        // A 5 MiB file checked, or 50,000 rows written as CSV, within API Gateway's 30 seconds.
        ...(group === 'imports' || group === 'exports' ? { timeout: Duration.seconds(29), memorySize: 1769 } : {}),
      });
      if (tableUse[group] === 'reads') props.tableAccess.grantRecords(groups[group].function, 'reads');
      else props.tableAccess.grantWrites(groups[group].function, entry);
    }
    // CloudFormation would create the stage before the routes its settings name, and fail.
    const throttled = new Set(Object.keys(this.stage.routeSettings as object));
    for (const child of this.httpApi.node.findAll()) {
      if (child instanceof CfnRoute && throttled.has(child.routeKey)) this.stage.addResourceDependency(child);
    }
    return groups;
  }
}
