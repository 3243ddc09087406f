import { Duration, type Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type WorkflowName, workflows } from '#functions/workflows';
import { SalesflowFunction } from './salesflow-function';
import type { TableAccess } from './table-access';
import { Workflow } from './workflow';

/** quote-approval -> QuoteApproval: construct ids from the names in the tables. */
export const pascalCase = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());

/** Each state machine's name: given, so that functions know its ARN before it exists (no cycle). */
export const workflowNamesOf = (stack: Stack) =>
  Object.fromEntries(Object.keys(workflows).map((name) => [name, `${stack.stackName}-${name}`])) as Record<WorkflowName, string>;

export interface WorkflowsProps {
  environment: Record<string, string>;
  alarmTopic: ITopic;
  tableAccess: TableAccess;
}

/**
 * Each workflow (functions/workflows.ts) with the one function its steps run in, which may write
 * the records its steps keep. Workflow steps queue their emails in the outbox: none holds SES.
 * On the stack itself, so the state machines keep their logical IDs.
 */
export const salesWorkflows = (stack: Stack, props: WorkflowsProps) => {
  const names = workflowNamesOf(stack);
  const flows = {} as Record<WorkflowName, { workflow: Workflow; steps: IFunction }>;
  for (const [name, workflow] of Object.entries(workflows) as [WorkflowName, (typeof workflows)[WorkflowName]][]) {
    const [[substitution, entry]] = Object.entries(workflow.functions) as [[string, string]];
    const steps = new SalesflowFunction(stack, substitution, {
      entry,
      description: `${workflow.description}: the steps`,
      environment: props.environment,
      alarmTopic: props.alarmTopic,
      timeout: Duration.seconds(30),
    });
    props.tableAccess.grantWrites(steps.function, entry);
    flows[name] = {
      steps: steps.function,
      workflow: new Workflow(stack, pascalCase(name), {
        definitionFile: workflow.definitionFile,
        stateMachineName: names[name],
        functions: { [substitution]: steps.function },
        alarmTopic: props.alarmTopic,
        description: workflow.description,
      }),
    };
  }
  return flows;
};
