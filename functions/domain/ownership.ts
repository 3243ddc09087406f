/**
 * R4: Sales Admin advises the SM "who owns that territory or distributor". A lead that came
 * through a distributor belongs to the distributor's SM; otherwise the customer's country decides;
 * otherwise the catch-all owner does, so that no lead is ever left without an owner (R5).
 */
export interface Territories {
  /** ISO 3166-1 alpha-2 country code to the owning SM's email. */
  byCountry: Record<string, string>;
  /** Owner of leads from anywhere else. */
  fallbackOwner: string;
}

export interface OwnershipClues {
  distributorOwner?: string;
  country?: string;
}

export const ownerOfLead = (clues: OwnershipClues, territories: Territories): string =>
  (
    clues.distributorOwner ??
    (clues.country ? territories.byCountry[clues.country.toUpperCase()] : undefined) ??
    territories.fallbackOwner
  ).toLowerCase();
