import { AddressInfo, createServer, Server } from 'node:net';
import { BlockedAddressError, blockedRange, guardedConnector, guardedLookup, ipLiteral } from './outbound-network.policy';

describe('blockedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
  ])('refuses %s (%s)', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(blockedRange(address)).toBeNull();
    },
  );
});

describe('ipLiteral', () => {
  it('finds IP literals as URL hostnames spell them', () => {
    expect(ipLiteral(new URL('http://[::ffff:127.0.0.1]:80/').hostname)).toBe('::ffff:7f00:1');
    expect(ipLiteral(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipLiteral(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(ipLiteral('example.com')).toBeNull();
  });
});

describe('guardedLookup', () => {
  const lookup = (host: string, all: boolean) =>
    new Promise<unknown>((resolve, reject) =>
      guardedLookup(host, { all }, (error, address) => (error ? reject(error) : resolve(address))),
    );

  it('refuses a name that resolves to loopback, in both callback shapes', async () => {
    await expect(lookup('localhost', false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(lookup('localhost', true)).rejects.toThrow(/SSRF protection: localhost resolves to/);
  });
});

describe('guardedConnector', () => {
  let server: Server;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const tryConnect = (hostname: string, port: string) =>
    new Promise<Error | null>((resolve) =>
      guardedConnector({ timeout: 1000 })({ hostname, host: `${hostname}:${port}`, protocol: 'http:', port }, (...args) => {
        args[1]?.destroy();
        resolve(args[0]);
      }),
    );

  it('checks the address actually connected to, even when no name was resolved', async () => {
    const port = String((server.address() as AddressInfo).port);
    const error = await tryConnect('127.0.0.1', port);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toMatch(/127\.0\.0\.1 is a loopback address/);
  });

  it('never opens a connection to a name that resolves to loopback', async () => {
    const port = String((server.address() as AddressInfo).port);
    const before = connections;
    const error = await tryConnect('localhost', port);
    expect(error).toBeInstanceOf(BlockedAddressError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(before);
  });
});
