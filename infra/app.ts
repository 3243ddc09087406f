import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, controlTowerChecks } from './nag';
import { SalesflowStack } from './salesflow-stack';
import { StageSettingsRefused, stackNameOf, stageSettings } from './stages';

/**
 * `npx cdk deploy -c stage=dev|prod`: the stage's settings from infra/stages/<stage>.json (or
 * `-c stageFile=path`); account and region from that file or the usual AWS profile.
 */
const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
const stageFile = app.node.tryGetContext('stageFile') as string | undefined;
const settings = (() => {
  try {
    return stageSettings(stage, stageFile);
  } catch (error) {
    // A person's mistake, not a bug: the message alone.
    if (!(error instanceof StageSettingsRefused)) throw error;
    console.error(error.message);
    process.exit(1);
  }
})();
new SalesflowStack(app, stackNameOf(stage), {
  env: { account: settings.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: settings.region ?? process.env.CDK_DEFAULT_REGION },
  stage,
  ...settings,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), controlTowerChecks());
