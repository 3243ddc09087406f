import { fileURLToPath } from 'node:url';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import cdkNag from 'cdk-nag';

/** cdk-nag is CommonJS whose named exports Node's ESM loader cannot see; take them from the default. */
export const { AwsSolutionsChecks } = cdkNag;

/** Rules of our own, in cfn-guard's language: where the Control Tower rules look away (infra/guard/). */
const ownRules = fileURLToPath(new URL('guard/', import.meta.url));

/** AWS's cfn-guard with the Control Tower rules and ours (its binary and rules ship in the npm package). */
export const controlTowerChecks = () => new CfnGuardValidator({ rules: [ownRules] });
