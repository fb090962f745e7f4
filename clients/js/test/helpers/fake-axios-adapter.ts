// An axios adapter that sends each request to a FakeApi instead of the
// network, and settles it as axios's own adapters do (validateStatus, an
// AxiosError carrying the response).

import { AxiosError, type AxiosAdapter, type AxiosResponse } from 'axios';

import type { FakeApi } from './fake-api.js';

export function fakeAdapter(api: FakeApi): AxiosAdapter {
  return async (config) => {
    const url = new URL(config.url ?? '', config.baseURL);
    const method = (config.method ?? 'get').toUpperCase();
    let reply: Response;
    try {
      reply = await api.fetch(url, {
        method,
        body: method === 'GET' || method === 'HEAD' ? undefined : (config.data as string),
        credentials: config.withCredentials ? 'include' : 'same-origin',
      });
    } catch (error) {
      throw new AxiosError(String(error), AxiosError.ERR_NETWORK, config);
    }
    const response: AxiosResponse = {
      data: await reply.text(),
      status: reply.status,
      statusText: reply.statusText,
      headers: Object.fromEntries(reply.headers),
      config,
    };
    const validate = config.validateStatus;
    if (!validate || validate(response.status)) return response;
    throw new AxiosError(
      `Request failed with status code ${response.status}`,
      response.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE,
      config,
      undefined,
      response,
    );
  };
}
