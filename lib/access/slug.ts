// Slugs name tenants and sites in URLs, container names and object keys, so they are strict.
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/;
export const SLUG_RULE = '2 to 40 characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit';

export function slugify(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/g, '');
}
