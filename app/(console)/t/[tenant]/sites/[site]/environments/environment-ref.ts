import { text } from '../../../../../_lib/run-action';

/** Which environment a page section or form is about: its tenant, its site and its name. */
export interface EnvironmentRef { tenantId: string; siteId: string; environment: string }

/** The ids every environment form carries as hidden fields. */
export const siteIdsOf = (form: FormData) => ({ tenantId: text(form, 'tenantId'), siteId: text(form, 'siteId') });

export const environmentRefOf = (form: FormData): EnvironmentRef => ({ ...siteIdsOf(form), environment: text(form, 'environment') });
