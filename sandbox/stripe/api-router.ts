/**
 * Matches a method and path to an endpoint; path segments written `:name` become parameters.
 */
import type { ApiRoute } from './api-context';

export interface RouteMatch {
  route: ApiRoute;
  params: Record<string, string>;
}

interface Compiled {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

export class ApiRouter {
  private readonly compiled: Compiled[];

  constructor(routes: readonly ApiRoute[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): RouteMatch | null {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { route, params };
    }
    return null;
  }
}
