import cdkNag from 'cdk-nag';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/** cdk-nag is CommonJS whose named exports Node's ESM loader cannot see; take them from the default. */
export const { AwsSolutionsChecks } = cdkNag;

/** AWS's cfn-guard with the Control Tower rules (its binary and rules ship in the npm package). */
export const ControlTowerChecks = CfnGuardValidator;
