/** R28: the Cognito groups, one per role of the process. */
export const roles = [
  'SalesManager',
  'ApplicationEngineer',
  'SalesAdmin',
  'Engineering',
  'Marketing',
  'Production',
  'ManagingDirector',
] as const;

export type Role = (typeof roles)[number];

export interface Caller {
  email: string;
  roles: Role[];
}

const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/**
 * `cognito:groups` arrives as a JSON array from Cognito itself, but API Gateway's JWT authorizer
 * flattens array claims to a string such as "[SalesManager Marketing]". Accept both.
 */
export const groupsFromClaim = (claim: unknown): Role[] => {
  const names = Array.isArray(claim)
    ? claim.map(String)
    : typeof claim === 'string'
      ? claim.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return names.map((name) => name.trim()).filter(isRole);
};

export const hasAnyRole = (caller: Caller, allowed: readonly Role[]): boolean =>
  caller.roles.some((role) => allowed.includes(role));
