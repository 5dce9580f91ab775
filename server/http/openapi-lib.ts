// trpc-to-openapi is loaded natively, outside Next's server bundle: webpack folds the library's feature test
// `'coerce' in z` to false, after which it refuses every non-string query parameter (z.coerce.date, numbers).
type OpenApiLib = typeof import('trpc-to-openapi');

let loading: Promise<OpenApiLib> | undefined;

export function openApiLib(): Promise<OpenApiLib> {
  loading ??= import(/* webpackIgnore: true */ 'trpc-to-openapi');
  return loading;
}
