import { appRouter } from '@/server/routers';
import { openApiDocument } from './openapi';
import { byFixedSegmentsFirst, REST_PREFIX, templatePattern } from './rest-routes';

// Metric labels must be bounded: a request path becomes the route it matched, with ids left as {placeholders},
// and anything unknown collapses into one label instead of minting a new series per URL.
const FIXED_API_ROUTES = new Set(['/api/health', '/api/ready', '/api/metrics', '/api/openapi.json']);

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

interface Matcher { pattern: RegExp; template: string }

async function restMatchers(): Promise<Matcher[]> {
  const paths = Object.keys((await openApiDocument('')).paths ?? {});
  return paths.map((p) => ({ template: `${REST_PREFIX}${p}`, pattern: templatePattern(p) })).sort(byFixedSegmentsFirst);
}

export interface RouteTemplates { templateOf: (pathname: string) => string }

export async function createRouteTemplates(): Promise<RouteTemplates> {
  const rest = await restMatchers();
  const procedures = new Set(Object.keys(appRouter._def.procedures));
  const trpcTemplate = (names: string | null) => {
    const list = names?.split(',') ?? [];
    if (list.length === 0 || !list.every((n) => procedures.has(n))) return '/api/trpc/*unmatched';
    return list.length === 1 ? `/api/trpc/${list[0]}` : '/api/trpc/(batch)';
  };
  return {
    templateOf(pathname) {
      if (pathname.startsWith(`${REST_PREFIX}/`)) return rest.find((m) => m.pattern.test(pathname))?.template ?? `${REST_PREFIX}/*unmatched`;
      if (pathname.startsWith('/api/trpc/')) return trpcTemplate(safeDecode(pathname.slice('/api/trpc/'.length)));
      if (pathname.startsWith('/api/auth/')) return '/api/auth/*';
      if (FIXED_API_ROUTES.has(pathname)) return pathname;
      if (pathname.startsWith('/api/')) return '/api/*unmatched';
      if (pathname.startsWith('/_next/')) return '/_next/*';
      return '(page)';
    },
  };
}
