import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';

/** Why an outgoing webhook connection was refused; recorded as the attempt's error. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_BLOCKED_ADDRESS';
  constructor(host: string, address: string, range: string) {
    const where = host === address ? `${address} is` : `${host} resolves to ${address},`;
    super(`SSRF protection: ${where} a ${range} address, which webhooks may not reach`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * SPEC §9: webhooks reach only public unicast addresses. ipaddr.js names every special
 * range (loopback, private, linkLocal incl. 169.254.169.254, carrierGradeNat, unspecified
 * 0.0.0.0/8, multicast, broadcast, reserved, uniqueLocal fc00::/7, …); an allow-list of
 * 'unicast' refuses all of them, including ranges added later. `process` turns ::ffff:a.b.c.d
 * and ::a.b.c.d into the IPv4 address they carry; NAT64, 6to4 and Teredo can embed any IPv4
 * address, so they are refused outright rather than decoded.
 */
export function blockedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : range;
}

/** The host part of a URL when it is an IP literal (brackets stripped), else null. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup replacement for net.connect: resolves every address of the name and refuses
 * the connection if ANY of them is blocked, so a name that answers with one public and one
 * private address (DNS rebinding) cannot pick the private one later. Node calls it with
 * `all: true` when it races address families (autoSelectFamily), so both shapes are served.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    for (const { address } of addresses) {
      const range = blockedRange(address);
      if (range) return callback(new BlockedAddressError(hostname, address, range), '');
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
}

/**
 * undici connector that resolves through guardedLookup and then checks the peer address of
 * the socket actually opened: the last word, whatever path produced the connection (an IP
 * literal never goes through lookup; the dispatcher refuses those before connecting too).
 */
export function guardedConnector(options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup } as buildConnector.BuildOptions);
  return (opts, callback) =>
    connect(opts, (error, socket) => {
      if (error) return callback(error, null);
      const remote = (socket as Socket).remoteAddress ?? '';
      const range = blockedRange(remote);
      if (range) {
        socket!.destroy();
        return callback(new BlockedAddressError(opts.hostname, remote, range), null);
      }
      callback(null, socket!);
    });
}
