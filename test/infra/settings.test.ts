import { afterEach, describe, expect, it } from 'vitest';
import { cadenceRules, emailMaxAttempts, quoteLimits, settingNames, suspectRetentionMonths, tableName } from '#functions/config';
import { businessDefaults, businessSettingsFrom, environmentOf, readSetting, settings, settingTexts } from '#functions/settings';

const provided = {
  tableName: 'salesflow',
  appBaseUrl: 'http://127.0.0.1:3000',
  webBaseUrl: 'http://127.0.0.1:3000',
  quoteApprovalArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:salesflow-quote-approval',
  postShipmentArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:salesflow-post-shipment',
};

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe('the settings table', () => {
  it('gives every setting its own variable', () => {
    const variables = Object.values(settingNames);
    expect(new Set(variables).size).toBe(variables.length);
  });

  it('reads back every default as it was written', () => {
    const defaults = businessDefaults();
    const texts = settingTexts(defaults, provided);
    for (const [name, value] of Object.entries(defaults)) {
      expect(settings[name as keyof typeof defaults].parse(texts[name as keyof typeof texts])).toEqual(value);
    }
  });

  it('sets every variable but the functions-only tuning, the same on AWS and locally', () => {
    const environment = environmentOf(settingTexts(businessSettingsFrom({}), provided));
    expect(Object.keys(environment).sort()).toEqual(
      Object.values(settingNames)
        .filter((name) => !['SALESFLOW_SUSPECT_RETENTION_MONTHS', 'SALESFLOW_DUPLICATE_WINDOW_DAYS'].includes(name))
        .sort(),
    );
  });

  it('takes a local override over the default, and leaves the rest', () => {
    const values = businessSettingsFrom({ SALESFLOW_QUOTE_LIMITS: '{"followUpDays":3}', SALESFLOW_MAIL_FROM: 'sales@acme.example' });
    expect(values.quoteLimits.followUpDays).toBe(3);
    expect(values.quoteLimits.qpaTotalGbp).toBe(businessDefaults().quoteLimits.qpaTotalGbp);
    expect(values.mailFrom).toBe('sales@acme.example');
    expect(values.supportEmail).toBe(businessDefaults().supportEmail);
  });
});

describe('a function reading a setting', () => {
  it('refuses a bad value, naming the variable', () => {
    const refusals: [string, string, () => unknown][] = [
      ['SALESFLOW_EMAIL_MAX_ATTEMPTS', 'five', emailMaxAttempts],
      ['SALESFLOW_SUSPECT_RETENTION_MONTHS', '-1', suspectRetentionMonths],
      ['SALESFLOW_QUOTE_LIMITS', '{"followUpDays":"a week"}', quoteLimits],
      ['SALESFLOW_QUOTE_LIMITS', '{followUpDays: 7}', quoteLimits],
      ['SALESFLOW_CADENCES', '{"smCall":{"largeDistributor":{"days":0}}}', cadenceRules],
      ['SALESFLOW_APPROVERS', '{"salesDirector":"sd@acme.example"}', () => readSetting(settings.approvers)],
    ];
    for (const [variable, value, read] of refusals) {
      process.env[variable] = value;
      expect(read, `${variable}=${value}`).toThrow(new RegExp(`^Setting ${variable}: `));
    }
  });

  it('refuses to run without a setting that has no default', () => {
    delete process.env.SALESFLOW_TABLE_NAME;
    expect(tableName).toThrow('Setting SALESFLOW_TABLE_NAME is not set');
  });

  it('keeps the defaults for what is unset or empty, and for what a JSON setting leaves out', () => {
    process.env.SALESFLOW_EMAIL_MAX_ATTEMPTS = '';
    delete process.env.SALESFLOW_SUSPECT_RETENTION_MONTHS;
    process.env.SALESFLOW_CADENCES = '{"smCall":{"largeDistributor":{"days":14}}}';
    expect(emailMaxAttempts()).toBe(5);
    expect(suspectRetentionMonths()).toBe(24);
    expect(cadenceRules().smCall).toEqual({ ...businessDefaults().cadences.smCall, largeDistributor: { days: 14 } });
  });
});
