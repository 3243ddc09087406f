import { listProducts, saveProduct } from '#adapters/product-records';
import { setProduct } from '#domain/product';
import { apiRoute, json } from '#http/api';
import { productBody } from './schemas';

/** The price list the SM picks quote lines from. */
export const getProducts = apiRoute({ route: 'GET /products' }, async () => json(200, { products: await listProducts() }));

/**
 * Sales Admin adds a product or changes it, by SKU: the SKU names it, so the same request twice
 * leaves the same list (no Idempotency-Key needed), and a new price is the same request again.
 */
export const putProduct = apiRoute({ route: 'POST /products', body: productBody }, async ({ body, caller }) => {
  const product = setProduct(body, caller!, new Date().toISOString());
  const { created } = await saveProduct(product);
  return json(created ? 201 : 200, product, { location: '/products' });
});
