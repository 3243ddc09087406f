/** R28: the Cognito groups, one per role of the process (DataProtection: requests about personal data). */
export const roles = [
  'SalesManager',
  'ApplicationEngineer',
  'SalesAdmin',
  'Engineering',
  'Marketing',
  'Production',
  'ManagingDirector',
  'DataProtection',
] as const;

export type Role = (typeof roles)[number];

export interface Caller {
  /** The identity provider's subject: what the person is, whatever their email becomes. */
  sub?: string;
  /** From the people directory (functions/domain/people), never from the token's email claim. */
  email: string;
  roles: Role[];
}

const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/**
 * `cognito:groups` arrives as a JSON array from Cognito itself, but API Gateway's JWT authorizer
 * flattens array claims to a string such as "[SalesManager Marketing]". Accept both.
 */
export const groupsFromClaim = (claim: unknown): Role[] => {
  const names = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return names.map((name) => name.trim()).filter(isRole);
};

export const hasAnyRole = (caller: Caller, allowed: readonly Role[]): boolean => caller.roles.some((role) => allowed.includes(role));
