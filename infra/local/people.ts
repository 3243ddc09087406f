import { type Person, seededDirectory } from '#domain/people';
import type { Approvers } from '#domain/quote';
import type { Settings } from '#functions/config';
import { localSub } from './auth';

/**
 * The local people directory: the people the process settings name, each with the `sub` their
 * local tokens carry, their roles and their manager. The sign-in page lists them.
 */
export const localMarketingEmail = 'marketing@salesflow.example';
export const localDataProtectionEmail = 'data.protection@salesflow.example';

export const localDirectory = (
  settings: Pick<
    Settings,
    'territories' | 'fallbackOwner' | 'salesAdminEmail' | 'engineeringEmail' | 'applicationEngineerEmail' | 'productionEmail' | 'approvers'
  >,
): Person[] =>
  seededDirectory(
    {
      territories: JSON.parse(settings.territories) as Record<string, string>,
      fallbackOwner: settings.fallbackOwner,
      salesAdminEmail: settings.salesAdminEmail,
      engineeringEmail: settings.engineeringEmail,
      applicationEngineerEmail: settings.applicationEngineerEmail,
      productionEmail: settings.productionEmail,
      approvers: JSON.parse(settings.approvers) as Approvers,
      marketingEmail: localMarketingEmail,
      dataProtectionEmail: localDataProtectionEmail,
    },
    localSub,
  );
