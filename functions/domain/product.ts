import type { Caller } from './roles';

/**
 * A product of the price list: what the SM picks quote lines from (R14). A quote copies the line
 * (SKU, description, price) when it is defined, so a later change of price never moves a quote.
 */
export interface Product {
  sku: string;
  description: string;
  unitPriceGbp: number;
  updatedBy: string;
  updatedAt: string;
}

/** Sales Admin sets a product: the SKU is its identity, so setting it again changes it in place. */
export const setProduct = (given: Pick<Product, 'sku' | 'description' | 'unitPriceGbp'>, by: Caller, now: string): Product => ({
  sku: given.sku.toUpperCase(),
  description: given.description,
  unitPriceGbp: given.unitPriceGbp,
  updatedBy: by.email,
  updatedAt: now,
});
