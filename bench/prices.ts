/**
 * AWS list prices the cost section uses, in one place. Region: US East (N. Virginia), us-east-1,
 * the region the pricing pages quote; London (eu-west-2) lists a few per cent higher for most of
 * these. Taken from the public pricing pages as last published before 2026-11 (DynamoDB on-demand
 * after its 2024-11-01 price cut). No free tier is applied. Check the pages before quoting a bill.
 */
export const prices = {
  region: 'us-east-1',
  asOf: '2026-11 (pages as last published; DynamoDB on-demand after the 2024-11-01 cut)',
  sources: {
    lambda: 'https://aws.amazon.com/lambda/pricing/',
    apiGateway: 'https://aws.amazon.com/api-gateway/pricing/',
    dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    stepFunctions: 'https://aws.amazon.com/step-functions/pricing/',
    ses: 'https://aws.amazon.com/ses/pricing/',
    scheduler: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  /** Lambda on Arm (the stack's architecture): per request, and per GB-second of duration. */
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  /** HTTP API, first 300 million requests a month. */
  httpApiRequest: 1.0 / 1e6,
  /** On-demand: per write request unit and read request unit. */
  dynamodbWrite: 0.625 / 1e6,
  dynamodbRead: 0.125 / 1e6,
  /** Standard workflows: per state transition. */
  stepFunctionsTransition: 0.025 / 1000,
  /** Outbound email. */
  sesEmail: 0.1 / 1000,
  /** EventBridge Scheduler: per invocation (beyond the free 14 million a month). */
  schedulerInvocation: 1.0 / 1e6,
} as const;
