/**
 * The Step Functions workflows: each ASL file under statemachines/ and the functions its
 * `${Name}` definition substitutions stand for. The CDK stack deploys each file with
 * DefinitionBody.fromFile and these substitutions; the local Step Functions endpoint runs the
 * same file with the same handlers in process. Each file is generated from its chart
 * (statemachines/<name>.ts, `npm run workflows`): edit the chart, not the JSON.
 */
export interface Workflow {
  /** The ASL file, relative to the project root. */
  definitionFile: string;
  /** Substitution name to the handler module that runs there: one per workflow. */
  functions: Record<string, string>;
  description: string;
}

export const workflows = {
  'quote-approval': {
    definitionFile: 'statemachines/quote-approval.asl.json',
    functions: { QuoteSteps: 'functions/quotes/workflow-steps.ts' },
    description: 'R13-R19: quote approval, preparation, signature, transmission and contract',
  },
  'post-shipment': {
    definitionFile: 'statemachines/post-shipment.asl.json',
    functions: { OrderSteps: 'functions/orders/workflow-steps.ts' },
    description: 'R25/R26: the two-week check and the two-to-three-month equipment check after shipment',
  },
} as const satisfies Record<string, Workflow>;

export type WorkflowName = keyof typeof workflows;
