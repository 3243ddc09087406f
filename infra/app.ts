import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './nag';
import { SalesflowStack } from './salesflow-stack';

/** `npx cdk deploy`: account and region come from the usual AWS profile or environment. */
const app = new App();
new SalesflowStack(app, 'Salesflow', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  settings: app.node.tryGetContext('salesflow:settings'),
  alarmEmail: app.node.tryGetContext('salesflow:alarmEmail'),
  appBaseUrl: app.node.tryGetContext('salesflow:appBaseUrl'),
  signInDomainPrefix: app.node.tryGetContext('salesflow:signInDomainPrefix'),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
