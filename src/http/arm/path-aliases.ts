/**
 * ARM matches paths case-insensitively and ignores doubled slashes, and the SDKs rely on both:
 * @azure/arm-resources sends `/resourcegroups/` and `//subscriptions/…` for ids (`/{+resourceId}`),
 * @azure/arm-authorization `/resourceGroups/` (and `/resourcegroups/` for permissions). While the
 * server's router is case-sensitive, each route of a scope is also registered, hidden from the
 * OpenAPI document, under the spellings clients send: with `resourcegroups`, all in lower case, and
 * with a leading `//`. With `routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true }`
 * this does nothing.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the hidden alias of a route. */
    pathAlias?: boolean;
  }
}

interface RouterFlags {
  caseSensitive?: boolean;
  ignoreDuplicateSlashes?: boolean;
  routerOptions?: { caseSensitive?: boolean; ignoreDuplicateSlashes?: boolean };
}

function spellings(url: string, flags: RouterFlags): string[] {
  const caseSensitive = flags.routerOptions?.caseSensitive !== false && flags.caseSensitive !== false;
  const slashes = flags.routerOptions?.ignoreDuplicateSlashes !== true && flags.ignoreDuplicateSlashes !== true;
  const lowerStatic = (part: string) => (part.startsWith(':') || part.startsWith('*') ? part : part.toLowerCase());
  const parts = url.split('/');
  const cased = caseSensitive ? [url, parts.map((p) => (p === 'resourceGroups' ? 'resourcegroups' : p)).join('/'), parts.map(lowerStatic).join('/')] : [url];
  const all = slashes && url !== '/' ? [...cased, ...cased.map((u) => `/${u}`)] : cased;
  return [...new Set(all)].filter((v) => v !== url);
}

/** Registers the alias spellings of every route added to `scope` from now on. */
export function registerPathAliases(scope: FastifyInstance): void {
  const flags = scope.initialConfig as RouterFlags;
  scope.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.pathAlias) return;
    for (const url of spellings(route.url, flags)) {
      scope.route({
        method: route.method,
        url,
        handler: route.handler,
        // GET aliases get their HEAD alias from the HEAD route's own onRoute.
        exposeHeadRoute: false,
        schema: { ...(route.schema ?? {}), hide: true },
        config: { ...(route.config ?? {}), pathAlias: true },
      });
    }
  });
}
