/**
 * The Step Functions workflows: each ASL file under statemachines/ and the functions its
 * `${Name}` definition substitutions stand for. The CDK stack deploys each file with
 * DefinitionBody.fromFile and these substitutions; the local Step Functions endpoint runs the
 * same file with the same handlers in process.
 *
 * The quote-approval (R13-R19) and post-shipment (R25, R26) workflows join this table as they land.
 */
export interface Workflow {
  /** The ASL file, relative to the project root. */
  definitionFile: string;
  /** Substitution name to the handler module that runs there. */
  functions: Record<string, string>;
}

export const workflows: Record<string, Workflow> = {};
