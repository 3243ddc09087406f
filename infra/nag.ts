import cdkNag from 'cdk-nag';

/** cdk-nag is CommonJS whose named exports Node's ESM loader cannot see; take them from the default. */
export const { AwsSolutionsChecks } = cdkNag;
