import { Validations } from 'aws-cdk-lib';
import type { HttpApi, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import type { Route } from '#functions/routes';
import { SalesflowFunction, type SalesflowFunctionProps } from './salesflow-function';

export interface ApiFunctionProps extends SalesflowFunctionProps {
  api: HttpApi;
  /** This group's routes, from the route table. */
  routes: readonly Route[];
  /** For every route that is not public. */
  authorizer: IHttpRouteAuthorizer;
}

/** A route group's Lambda behind the HTTP API: one function, its routes, the authorizer on internal ones. */
export class ApiFunction extends SalesflowFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id, props);
    const integration = new HttpLambdaIntegration(`${id}Integration`, this.function);
    for (const route of props.routes) {
      const [httpRoute] = props.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.access.public ? {} : { authorizer: props.authorizer }),
      });
      if (route.access.public) {
        for (const id of ['AwsSolutions-APIG4', 'cdk-validator-cfnguard::api_gw_v2_authorization_type_configured_check']) {
          Validations.of(httpRoute!).acknowledge({ id, reason: `Public by design (docs/api.md): ${route.summary}` });
        }
      }
    }
  }
}
