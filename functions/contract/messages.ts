import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * zod/mini ships without messages ("Invalid input" for everything); classic zod loaded the English
 * ones. Loading them here keeps every 400's wording ("Too big: expected string to have <=254
 * characters") as it was, for about 3 KB. Imported by each module that declares schemas.
 */
config(en());
