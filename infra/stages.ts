import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessSettings, processSettingDefaults } from './process-settings';

/**
 * A stage is one copy of salesflow in one AWS account and region: its own stack, sign-in domain,
 * sender and people. Its settings file (infra/stages/<stage>.json) is the one place a stage
 * differs; everything named in AWS derives from the stage's name.
 */
export interface StageSettings {
  /** The AWS account and region it deploys to (default: the CLI's profile). */
  account?: string;
  region?: string;
  /** Who hears about alarms; required outside dev. */
  alarmEmail?: string;
  /** Where emailed links point; default the API's own URL. */
  appBaseUrl?: string;
  /** The Cognito hosted sign-in's domain prefix, unique in the region (default salesflow-<stage>-<account>). */
  signInDomainPrefix?: string;
  /** Set once SES shows the sender's domain verified: Cognito then sends through SES (DEPLOY.md). */
  mailDomainVerified?: boolean;
  /** Which table generation the stage runs on, and whether a restored one is being imported (DEPLOY.md). */
  tableGeneration?: number;
  importingTable?: boolean;
  /** Overrides of the business settings (infra/process-settings.ts). */
  settings?: Partial<ProcessSettings>;
}

export const stagesDirectory = fileURLToPath(new URL('stages/', import.meta.url));

/** dev may keep the placeholders; every other stage sends real email and must reach a person. */
export const mayKeepPlaceholders = (stage: string) => stage === 'dev';

/** The stack's name in CloudFormation, from the stage's: two stages never share one. */
export const stackNameOf = (stage: string) => `Salesflow-${stage}`;

/** Every value in the settings that is still a placeholder (an address or URL at a .example domain). */
export const placeholdersIn = (value: unknown, path = ''): string[] => {
  if (typeof value === 'string') return /\.example(\b|$)/i.test(value) ? [`${path}: ${value}`] : [];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => placeholdersIn(inner, path ? `${path}.${key}` : key));
  }
  return [];
};

export class StageSettingsRefused extends Error {
  constructor(stage: string, file: string, problems: string[]) {
    super(
      `Stage "${stage}" cannot be built from ${relative(process.cwd(), file)}:\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        `\nFill in real addresses (see DEPLOY.md, "First deploy of a stage"); only dev may keep the .example placeholders.`,
    );
    this.name = 'StageSettingsRefused';
  }
}

/**
 * The stage's settings as the stack takes them: the process defaults under the file's. Outside dev
 * it refuses placeholder addresses and a missing alarm email, before anything is synthesized.
 */
export const stageSettings = (stage: string, file = join(stagesDirectory, `${stage}.json`)) => {
  if (!/^[a-z][a-z0-9-]{1,15}$/.test(stage)) throw new Error(`Stage "${stage}": lower-case letters, digits and dashes, 2-16 long`);
  if (!existsSync(file)) {
    const example = join(stagesDirectory, `${stage}.example.json`);
    throw new StageSettingsRefused(stage, file, [
      existsSync(example)
        ? `the file is missing: copy ${relative(process.cwd(), example)} to it and fill it in, or name a file with -c stageFile=<path>`
        : 'the file is missing',
    ]);
  }
  const stageFile = JSON.parse(readFileSync(file, 'utf8')) as StageSettings;
  const settings: ProcessSettings = { ...processSettingDefaults, ...stageFile.settings };
  if (!mayKeepPlaceholders(stage)) {
    const problems = [
      ...placeholdersIn({ ...stageFile, settings }).map((found) => `placeholder ${found}`),
      ...(stageFile.alarmEmail ? [] : ['no alarmEmail: alarms would reach nobody']),
    ];
    if (problems.length) throw new StageSettingsRefused(stage, file, problems);
  }
  return { ...stageFile, settings };
};
