import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectFile } from '../../infra/local/project';

type Step = { run?: string; uses?: string; with?: Record<string, string> };
type Job = { needs?: string; environment?: string; permissions?: Record<string, string>; steps: Step[] };
const text = readFileSync(projectFile('.github/workflows/deploy.yml'), 'utf8');
const { jobs } = parse(text) as { jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

describe('the deploy pipeline (.github/workflows/deploy.yml)', () => {
  it("goes synth and checks, dev, its smoke test, a person's approval, then prod", () => {
    expect(jobs['deploy-dev']!.needs).toBe('synth');
    expect(jobs['smoke-dev']!.needs).toBe('deploy-dev');
    expect(jobs['deploy-prod']!.needs).toBe('smoke-dev');
    // The approval is the "prod" GitHub environment's required reviewers (DEPLOY.md, "The pipeline").
    expect(jobs['deploy-prod']!.environment).toBe('prod');
    expect(runs(jobs.synth!)).toMatch(/test\/infra\/stack\.test\.ts/);
    expect(runs(jobs['smoke-dev']!)).toMatch(/npm run smoke -- --api "\$api" --web "\$web" --table/);
  });

  it('deploys the assembly it checked, for each stage', () => {
    expect(runs(jobs.synth!)).toMatch(/cdk synth -c stage=dev .*--output cdk\.out\/dev/);
    expect(runs(jobs.synth!)).toMatch(/cdk synth -c stage=prod .*--output cdk\.out\/prod/);
    expect(runs(jobs['deploy-dev']!)).toMatch(/cdk deploy --app cdk\.out\/dev/);
    expect(runs(jobs['deploy-prod']!)).toMatch(/cdk deploy --app cdk\.out\/prod/);
  });

  it('reaches AWS by OIDC only: no keys, a role per environment', () => {
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
    for (const name of ['deploy-dev', 'smoke-dev', 'deploy-prod']) {
      const job = jobs[name]!;
      expect(job.permissions, name).toEqual({ 'id-token': 'write', contents: 'read' });
      const credentials = job.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials'));
      expect(credentials?.with?.['role-to-assume'], name).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    }
  });

  it('names only scripts and files this repository has', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(projectFile('package.json'), 'utf8')).scripts);
    for (const [, script] of text.matchAll(/npm run (\w+)/g)) expect(scripts).toContain(script);
    for (const [file] of text.matchAll(/test\/infra\/[\w-]+\.test\.ts/g)) expect(existsSync(projectFile(file)), file).toBe(true);
  });
});
