import { SalesforceApiError, notFound } from './salesforce-error';
import type { ApiBudget } from './api-budget';
import { API_ROOT } from './api-version';
import { handleCollections } from './collection-resources';
import { batchSizeFromHeader, continueQuery, runQuery } from './query-executor';
import { type ApiContext, type ApiRequest, type ApiResponse, methodNotAllowed } from './rest-context';
import { handleSObjects } from './sobject-resources';

/** `GET /services/data/v62.0`: the resources this emulator serves. */
const RESOURCE_DIRECTORY = Object.fromEntries(
  ['sobjects', 'query', 'queryAll', 'limits', 'composite'].map((name) => [name, `${API_ROOT}/${name}`]),
);

/** Dispatches a versioned REST call (`/services/data/v62.0/...`) to its resource. */
export async function handleRestApi(context: ApiContext, request: ApiRequest, budget: ApiBudget): Promise<ApiResponse> {
  const [resource, ...rest] = request.segments;
  switch (resource) {
    case undefined:
      if (request.method !== 'GET') throw methodNotAllowed(request.method, ['GET', 'HEAD']);
      return { status: 200, body: RESOURCE_DIRECTORY };
    case 'query':
    case 'queryAll':
      return handleQuery(context, request, resource === 'queryAll', rest);
    case 'sobjects':
      return handleSObjects(context, request, rest);
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(context, request, rest.slice(1));
      throw notFound();
    case 'limits':
      if (rest.length > 0) throw notFound();
      if (request.method !== 'GET') throw methodNotAllowed(request.method, ['GET', 'HEAD']);
      return limits(budget);
    default:
      throw notFound();
  }
}

async function handleQuery(
  context: ApiContext,
  request: ApiRequest,
  includeDeleted: boolean,
  rest: string[],
): Promise<ApiResponse> {
  if (request.method !== 'GET') throw methodNotAllowed(request.method, ['GET', 'HEAD']);
  const header = request.headers['sforce-query-options'];
  const batchSize = batchSizeFromHeader(Array.isArray(header) ? header[0] : header);
  // jsforce asks for the next page by the last path segment, so the locator is one segment.
  const locator = rest.filter(Boolean)[0];
  if (rest.filter(Boolean).length > 1) throw notFound();
  if (locator) return { status: 200, body: await continueQuery(context, locator, batchSize) };
  const soql = request.searchParams.get('q');
  if (soql === null || soql.trim() === '') {
    const explain = request.searchParams.get('explain');
    if (explain !== null)
      throw SalesforceApiError.of(400, 'MALFORMED_QUERY', 'explain is not supported by this Salesforce sandbox');
    throw SalesforceApiError.of(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  }
  return { status: 200, body: await runQuery(context, soql, { includeDeleted, batchSize }) };
}

async function limits(budget: ApiBudget): Promise<ApiResponse> {
  const used = await budget.used();
  return {
    status: 200,
    body: {
      DailyApiRequests: { Max: budget.limit, Remaining: Math.max(0, budget.limit - used) },
    },
  };
}
