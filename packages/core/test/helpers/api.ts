import type { ApiSpec } from '../../src/spec.js';

/** A small API covering every feature the runtime acts on; the tests point it at a local server. */
export const testApi: ApiSpec = {
  provider: 'TestAPI',
  servers: [{ url: 'https://{host}/v1', variables: { host: { default: 'api.test.invalid' } } }],
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer' },
    basic: { type: 'http', scheme: 'basic' },
    headerKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
    cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid' },
  },
  schemas: {
    Thing: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 }, count: { type: 'integer', minimum: 0 }, id: { type: 'string', readOnly: true } },
    },
  },
  operations: {
    getThing: {
      id: 'getThing',
      method: 'GET',
      path: '/things/{id}',
      params: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      security: [['bearer']],
    },
    listThings: {
      id: 'listThings',
      method: 'GET',
      path: '/things',
      params: [
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
        { name: 'filter', in: 'query', json: true, schema: { type: 'object' } },
        { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
      ],
      security: [['queryKey'], ['headerKey']],
      pagination: { style: 'offset', offset: 'offset', limit: 'limit', items: 'items', total: 'total', pageSize: 2 },
    },
    createThing: {
      id: 'createThing',
      method: 'POST',
      path: '/things',
      body: { required: true, mediaType: 'application/json', schema: { $ref: '#/components/schemas/Thing' } },
      security: [['basic']],
    },
    putThing: {
      id: 'putThing',
      method: 'PUT',
      path: '/things/{id}',
      params: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      body: { required: true, mediaType: 'application/json', schema: { $ref: '#/components/schemas/Thing' } },
      security: [['cookieKey']],
    },
    ping: { id: 'ping', method: 'GET', path: '/ping', security: [] },
  },
};
