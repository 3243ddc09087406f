import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { controlTowerChecks } from '../../infra/nag';
import { SalesflowStack } from '../../infra/salesflow-stack';
import { StageSettingsRefused, stackNameOf, stageSettings, stagesDirectory } from '../../infra/stages';

const prodExample = join(stagesDirectory, 'prod.example.json');
const settingsFile = (contents: object) => {
  const file = join(mkdtempSync(join(tmpdir(), 'salesflow-stage-')), 'stage.json');
  writeFileSync(file, JSON.stringify(contents));
  return file;
};

describe('a stage and its settings', () => {
  it('prod without its own settings file is refused, pointing at the example to copy', () => {
    expect(() => stageSettings('prod', join(stagesDirectory, 'prod.json'))).toThrow(StageSettingsRefused);
    expect(() => stageSettings('prod', join(stagesDirectory, 'prod.json'))).toThrow(/copy infra\/stages\/prod\.example\.json/);
  });

  it('prod refuses a .example placeholder anywhere, and a missing alarm email, naming each', () => {
    const file = settingsFile({ settings: { mailFrom: 'sales@mail.acme-instruments.co.uk' } });
    const refusal = (() => {
      try {
        stageSettings('prod', file);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    // The defaults it did not override are placeholders too: a territory's SM, the approvers.
    expect(refusal).toMatch(/placeholder settings\.territories\.GB: sm\.uk@salesflow\.example/);
    expect(refusal).toMatch(/placeholder settings\.approvers\.finance/);
    expect(refusal).toMatch(/no alarmEmail: alarms would reach nobody/);
    expect(refusal).not.toMatch(/mailFrom/);
  });

  it('dev may keep the placeholders; the filled example is accepted for prod', () => {
    expect(stageSettings('dev').settings.mailFrom).toMatch(/\.example$/);
    const prod = stageSettings('prod', prodExample);
    expect(prod.alarmEmail).toBeTruthy();
    expect(prod.settings.territories.GB).not.toMatch(/\.example/);
  });
});

describe('dev and prod side by side in one account', () => {
  const templates = {} as Record<'dev' | 'prod', Template>;
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'salesflow-stages-'));
    // No bundling: names and policies are what is compared, not the functions' code.
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = (['dev', 'prod'] as const).map((stage) => {
      const { account, region, ...settings } = stageSettings(stage, stage === 'prod' ? prodExample : undefined);
      return [
        stage,
        new SalesflowStack(app, stackNameOf(stage), { env: { account: '111111111111', region: 'eu-west-2' }, stage, ...settings }),
      ] as const;
    });
    app.synth();
    for (const [stage, stack] of stacks) templates[stage] = Template.fromStack(stack);
  }, 300_000);

  /**
   * Names a resource gives itself in the account: top-level *Name properties, SES identities,
   * Cognito domains; not references to another resource (Ref, GetAtt), not names that are only
   * unique inside their parent (a pool's group, a plan's selection, a role's inline policy), and
   * not a metric's name.
   */
  const scopedOrNotNames = ['GroupName', 'SelectionName', 'PolicyName', 'MetricName', 'StageName'];
  const isReference = (value: unknown) => typeof value === 'object' && value !== null && ('Ref' in value || 'Fn::GetAtt' in value);
  const physicalNames = (template: Template) =>
    Object.values(template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>).flatMap(
      ({ Type, Properties = {} }) =>
        Object.entries(Properties)
          .filter(([key]) => (/Name$/.test(key) && !scopedOrNotNames.includes(key)) || ['EmailIdentity', 'Domain'].includes(key))
          .filter(([key, value]) => !isReference(value) && !(Type === 'AWS::ApiGatewayV2::Authorizer' && key === 'Name'))
          .map(([key, value]) => `${Type}.${key} = ${JSON.stringify(value)}`),
    );

  it('share no physical name', () => {
    const dev = new Set(physicalNames(templates.dev));
    expect(dev.size).toBeGreaterThan(5);
    expect(physicalNames(templates.prod).filter((name) => dev.has(name))).toEqual([]);
    expect(stackNameOf('dev')).not.toBe(stackNameOf('prod'));
  });

  it('each stage sends from its own domain', () => {
    const identities = (['dev', 'prod'] as const).map(
      (stage) => Object.values(templates[stage].findResources('AWS::SES::EmailIdentity'))[0]!.Properties.EmailIdentity,
    );
    expect(identities).toEqual(['dev.salesflow.example', 'mail.acme-instruments.co.uk']);
  });

  it("a first deploy leaves Cognito's email with Cognito: it refuses an SES domain not yet verified", () => {
    templates.dev.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT', ReplyToEmailAddress: 'sales@dev.salesflow.example' },
    });
  });

  it("each stage's template passes cfn-lint (errors and warnings)", () => {
    const cfnLint = (() => {
      try {
        return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
      } catch {
        return undefined;
      }
    })();
    // Never skipped: a machine without it fails here, saying how to get it (.ci/run installs it).
    expect(cfnLint, 'cfn-lint is not installed: pip install cfn-lint (PyPI), or run .ci/run').toBeDefined();
    for (const stage of ['dev', 'prod'] as const) {
      const template = join(outdir, `${stackNameOf(stage)}.template.json`);
      const run = (() => {
        try {
          // W3005: the CDK writes DependsOn beside a GetAtt on a function's role; redundant, harmless.
          const args = ['--format', 'parseable', '--ignore-checks', 'W3005', '--', template];
          return { status: 0, output: execFileSync('cfn-lint', args, { encoding: 'utf8' }) };
        } catch (error) {
          const failed = error as { status: number; stdout: string; stderr: string };
          return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
        }
      })();
      expect(run.output, `${stage}: cfn-lint findings`).toBe('');
      expect(run.status).toBe(0);
    }
  }, 300_000);
});

describe('restoring the table (DEPLOY.md, "Restoring the table")', () => {
  const synth = (props: { tableGeneration?: number; importingTable?: boolean }) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new SalesflowStack(app, stackNameOf('dev'), { env: { account: '111111111111', region: 'eu-west-2' }, ...props });
    return Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; DeletionPolicy?: string }> };
  };
  const tablesOf = (template: ReturnType<typeof synth>) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::GlobalTable')
      .map(([id]) => id);

  it('while importing, the restored table stands beside the current one, retained and referenced by nothing', () => {
    const template = synth({ importingTable: true });
    const [current, restored] = tablesOf(template);
    expect(current).toMatch(/^Table[A-F0-9]{8}$/);
    expect(restored).toMatch(/^Table2[A-F0-9]{8}$/);
    expect(template.Resources[restored!]!.DeletionPolicy).toBe('Retain');
    const { [restored!]: _itself, ...others } = template.Resources;
    expect(JSON.stringify(others)).not.toContain(restored);
    expect(JSON.stringify(others)).toContain(current);
  }, 180_000);

  it('the next generation is then the only table, and everything points at it', () => {
    const template = synth({ tableGeneration: 2 });
    expect(tablesOf(template)).toEqual([expect.stringMatching(/^Table2[A-F0-9]{8}$/)]);
    expect(JSON.stringify(template.Resources)).not.toMatch(/"Table[A-F0-9]{8}"/);
  }, 180_000);
});

describe("cfn-guard's own rules (infra/guard/)", () => {
  it('a global table without point-in-time recovery fails synth, which the Control Tower rules alone let pass', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Unrecoverable');
    new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, deletionProtection: true });
    Validations.of(app).addPlugins(controlTowerChecks());
    expect(() => app.synth()).toThrow(/SALESFLOW\.DYNAMODB\.1|salesflow_global_table_pitr_check/);
  }, 180_000);
});
