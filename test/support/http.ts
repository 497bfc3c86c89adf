import http from 'node:http';
import * as assert from 'uvu/assert';

export type Res = { status: number; headers: Headers; text: string; location: string | null };

/** A small browser stand-in: keeps cookies, reads CSRF tokens from forms, never follows redirects by itself. */
export class Client {
  private cookies = new Map<string, string>();
  lastPage = '';
  /** The CSRF token of the last form seen: what a person going back to that form would send. */
  private lastToken = '';
  /** `ip`: a loopback address (127.0.0.2, …) to send from, so one test can act from several addresses. */
  constructor(
    readonly base: string,
    readonly ip?: string,
  ) {}

  /** The Cookie header this client sends, for a raw request of its own (e.g. to count compressed bytes). */
  get cookieHeaderValue(): string {
    return this.cookieHeader();
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    body?: Record<string, string> | string | FormData,
    headers: Record<string, string> = {},
  ): Promise<Res> {
    const url = path.startsWith('http') ? path : this.base + path;
    const multipart = body instanceof FormData;
    const send = this.ip ? fetchFrom(this.ip) : fetch;
    const res = await send(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        ...(body && !multipart ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: multipart
        ? body
        : typeof body === 'string'
          ? body
          : body
            ? new URLSearchParams(body).toString()
            : undefined,
    });
    this.keep(res);
    const text = await res.text();
    // Like a browser, the page on screen is the last one shown, whatever method brought it.
    if ((res.status < 300 || res.status >= 400) && (res.headers.get('content-type') ?? '').includes('text/html')) {
      this.lastPage = text;
      const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
      if (token) this.lastToken = token;
    }
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>): Promise<Res> {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a form with the CSRF token of the last page fetched (as a browser would). */
  post(path: string, fields: Record<string, string>, opts: { csrf?: boolean } = {}): Promise<Res> {
    const body = opts.csrf === false ? fields : { _csrf: this.lastToken || csrfFrom(this.lastPage), ...fields };
    return this.request('POST', path, body);
  }

  /**
   * Posts a multipart form as a browser would: the page's hidden fields (CSRF token, submission key)
   * plus `fields`, and `files` as [field, file name, bytes].
   */
  postMultipart(
    path: string,
    fields: Record<string, string | string[]>,
    files: Array<[string, string, Buffer]> = [],
    opts: { csrf?: boolean } = {},
  ): Promise<Res> {
    const form = new FormData();
    if (opts.csrf !== false) form.append('_csrf', this.lastToken || csrfFrom(this.lastPage));
    const key = /name="submissionKey" value="([^"]+)"/.exec(this.lastPage)?.[1];
    if (key && !('submissionKey' in fields)) form.append('submissionKey', key);
    for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) form.append(k, one);
    for (const [field, name, bytes] of files) form.append(field, new Blob([new Uint8Array(bytes)]), name);
    return this.request('POST', path, form);
  }

  /** GET, then follow redirects within the site, like a browser; returns the last response. */
  async follow(res: Res, max = 5): Promise<Res> {
    let r = res;
    for (let i = 0; i < max && r.status >= 300 && r.status < 400 && r.location; i++) r = await this.get(r.location);
    return r;
  }

  /** A cookie as if an earlier visit had left it. */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }
}

/** fetch, sent from a given local address (Node's fetch cannot choose one). */
function fetchFrom(localAddress: string) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const body = Buffer.from(await request.arrayBuffer());
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: request.method, localAddress, headers: Object.fromEntries(request.headers) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            const status = res.statusCode ?? 500;
            const empty = status === 204 || status === 304 || request.method === 'HEAD';
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on('error', reject);
      req.end(body.length ? body : undefined);
    });
  };
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a form with a CSRF token');
  return m![1]!;
}

/** Visible text of an HTML page, for "does the page say X" checks. */
export function textOf(html: string): string {
  return (
    html
      .replace(/<script[\s\S]*?<\/script>/g, '')
      // A first visit's stylesheet is inline (issue 14): not text anyone reads.
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
  );
}
