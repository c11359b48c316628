import { timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Cookie name older versions set; never accepted: cookies reach every port of a host. */
export const TOKEN_COOKIE = 'gsd_harness_token';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface AccessPolicy {
  token: string;
  /** `host:port` values a request's Host header may carry. */
  allowedHosts(): Set<string>;
  /**
   * Route paths (as registered, e.g. `/assets/*`) served without a token: pages that hold no secrets
   * and ask for the token themselves. Matched on the route the request was routed to, not its URL.
   */
  publicRoutes?: ReadonlySet<string>;
}

/** Host names (with port) the server answers to: loopback names, plus the bound address and extras. */
export function hostsFor(port: number, boundHost: string, extraHosts: readonly string[]): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, ...extraHosts]);
  const bracket = (address: string): string => (address.includes(':') ? `[${address}]` : address);
  if (boundHost === '0.0.0.0' || boundHost === '::') {
    // Bound to every interface: each of the machine's addresses names this server.
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address } of addresses ?? []) names.add(bracket(address));
    }
  } else if (!['127.0.0.1', 'localhost', '::1'].includes(boundHost)) {
    names.add(bracket(boundHost));
  }
  return new Set([...names].map((name) => `${name}:${port}`));
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function queryToken(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get('token') ?? undefined;
}

function reject(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, message });
}

/**
 * Checks every request: a Host (and, when sent, Origin) naming this server, against DNS rebinding;
 * then the access token, from `Authorization: Bearer` or `?token=`. Public routes need no token.
 */
export function createAccessHook(policy: AccessPolicy) {
  return async function checkAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const hosts = policy.allowedHosts();
    const host = request.headers.host ?? '';
    if (!hosts.has(host.toLowerCase())) {
      await reject(reply, 403, 'forbidden_host', `Host ${JSON.stringify(host)} is not this server`);
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !hosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
      await reject(reply, 403, 'forbidden_origin', `Origin ${JSON.stringify(origin)} is not this server`);
      return;
    }
    const authorization = request.headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    const fromQuery = queryToken(request.url);
    // No cookie: browsers send cookies to every port of a host, so another local server would get it.
    const given = bearer ?? fromQuery;
    const valid = given !== undefined && sameToken(given, policy.token);
    const isPublic =
      request.routeOptions.url !== undefined && policy.publicRoutes?.has(request.routeOptions.url);
    if (!valid && !isPublic) {
      await reject(
        reply,
        401,
        'unauthorized',
        given === undefined
          ? 'An access token is required: use the URL gsd-harness start printed, or send Authorization: Bearer <token>'
          : 'The access token is not valid',
      );
      return;
    }
  };
}
