import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type WorkflowName, workflows } from '#functions/workflows';
import { projectFile } from '#infra/local/project';
import { aslText, type Definition } from '#statemachines/builder';
import { postShipment } from '#statemachines/post-shipment';
import { quoteApproval } from '#statemachines/quote-approval';

/**
 * `npm run workflows`: each chart written out as the ASL file functions/workflows.ts names, which
 * CDK deploys and the local endpoint runs. Committed, so a review shows the graph that changed;
 * test/infra/workflow-charts.test.ts fails if a file differs from its chart.
 */
export const charts: Record<WorkflowName, Definition> = {
  'quote-approval': quoteApproval,
  'post-shipment': postShipment,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, chart] of Object.entries(charts) as [WorkflowName, Definition][]) {
    writeFileSync(projectFile(workflows[name].definitionFile), aslText(chart));
    console.log(`${workflows[name].definitionFile}: ${Object.keys(chart.States).length} states`);
  }
}
