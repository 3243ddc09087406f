// @ts-check
import { $, formAt, gbp, h, internalPage, loadFailed, postForm, reloadWith, showNotice, when } from '../page.js';
import { api, hasRole } from '../session.js';

/** The price list: everyone who quotes reads it; Sales Admin adds and changes products. */
const who = internalPage();
showNotice();
const answer = await api('GET', '/products');
if (answer.status !== 200) loadFailed(answer);
else {
  const products = answer.body.products;
  $('#content').replaceChildren(
    products.length
      ? h(
          'table',
          { id: 'products' },
          h('caption', {}, `${products.length} products`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'SKU'),
              h('th', {}, 'Description'),
              h('th', { class: 'number' }, 'Unit price'),
              h('th', {}, 'Last changed'),
            ),
          ),
          h(
            'tbody',
            {},
            ...products.map((/** @type {any} */ p) =>
              h(
                'tr',
                {},
                h('td', {}, p.sku),
                h('td', {}, p.description),
                h('td', { class: 'number' }, gbp(p.unitPriceGbp)),
                h('td', { title: `by ${p.updatedBy}` }, when(p.updatedAt)),
              ),
            ),
          ),
        )
      : h('p', {}, 'No products yet.'),
  );
}
if (hasRole(who, 'SalesAdmin')) $('#product').hidden = false;
postForm(formAt('#product-form'), who, ['SalesAdmin'], '/products', ({ status, body }) =>
  reloadWith(`${body.sku} ${status === 201 ? 'added' : 'changed'}`),
);
