/**
 * The Step Functions workflows: each ASL file under statemachines/ and the functions its
 * `${Name}` definition substitutions stand for. The CDK stack deploys each file with
 * DefinitionBody.fromFile and these substitutions; the local Step Functions endpoint runs the
 * same file with the same handlers in process.

 */
export interface Workflow {
  /** The ASL file, relative to the project root. */
  definitionFile: string;
  /** Substitution name to the handler module that runs there. */
  functions: Record<string, string>;
}

export const workflows = {
  'quote-approval': {
    definitionFile: 'statemachines/quote-approval.asl.json',
    functions: { QuoteSteps: 'functions/quotes/workflow-steps.ts' },
  },
  'post-shipment': {
    definitionFile: 'statemachines/post-shipment.asl.json',
    functions: { OrderSteps: 'functions/orders/workflow-steps.ts' },
  },
} as const satisfies Record<string, Workflow>;

export type WorkflowName = keyof typeof workflows;
