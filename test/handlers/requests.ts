import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { knownPeople } from '#adapters/people-records';
import type { Role } from '#domain/roles';
import { apiGatewayEvent, lambdaContext, type PlainRequest } from '../../infra/local/api-event';

type Handler = (event: ReturnType<typeof apiGatewayEvent>, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** Calls a route group's handler as API Gateway would, and reads the JSON answer. */
export const call = async (
  handler: Handler,
  request: Omit<PlainRequest, 'path'> & { path?: string; as?: { email: string; roles: Role[] } },
) => {
  const path = request.path ?? request.routeKey.split(' ')[1]!;
  // The people directory knows whom a test acts as, as it knows everyone who signed in before.
  if (request.as)
    knownPeople([{ sub: `sub-${request.as.email}`, email: request.as.email, name: request.as.email, roles: request.as.roles }]);
  const result = (await handler(
    apiGatewayEvent({
      ...request,
      path,
      // As API Gateway's JWT authorizer passes Cognito's claims on: every one a string.
      claims: request.as
        ? {
            sub: `sub-${request.as.email}`,
            email: request.as.email,
            email_verified: 'true',
            'cognito:groups': `[${request.as.roles.join(' ')}]`,
          }
        : undefined,
    }),
    lambdaContext('salesflow-test'),
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode!,
    headers: result.headers ?? {},
    body: result.body ? (JSON.parse(result.body) as Record<string, any>) : undefined,
  };
};

export const jsonHeaders = { 'content-type': 'application/json' };

export const validLead = {
  channel: 'web-form',
  source: 'marketing-campaign',
  campaignId: 'trade-show-2026',
  contact: { name: 'Ann Smith', email: 'ann@acme.test', company: 'Acme Ltd', country: 'GB' },
  interest: { products: ['tester'], message: 'Please call me' },
  literature: ['product-brochure'],
};
