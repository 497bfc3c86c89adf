import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Request } from 'express';
import { clientAddress } from '../../routes/middleware/rate-limits.ts';

// The address limits count: one person's IPv4 address whatever the socket's family, and an IPv6 line
// as its /56 network, so cycling the host bits buys no fresh allowance.
const of = (ip: string | undefined) => clientAddress({ ip } as Request);

test('IPv4, plain or mapped into IPv6 by a dual-stack socket, counts as itself', () => {
  assert.is(of('203.0.113.7'), '203.0.113.7');
  assert.is(of('::ffff:203.0.113.7'), '203.0.113.7');
  assert.is.not(of('::ffff:203.0.113.7'), of('::ffff:203.0.113.8'), 'two people stay two');
});

test('IPv6 counts as its /56 network, however it is written', () => {
  assert.is(of('2001:db8:1234:5678::1'), '2001:db8:1234:5600::/56');
  assert.is(of('2001:db8:1234:56ff:ffff:ffff:ffff:ffff'), '2001:db8:1234:5600::/56', 'the same line');
  assert.is(of('2001:0db8:1234:5678:0:0:0:1'), '2001:db8:1234:5600::/56', 'uncompressed');
  assert.is.not(of('2001:db8:1234:5700::1'), of('2001:db8:1234:5600::1'), 'the next /56 is another line');
  assert.is(of('::1'), '0:0:0:0::/56');
  assert.is(of('fe80::1%eth0'), 'fe80:0:0:0::/56', 'a zone is not part of the address');
  assert.is(of('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/56');
});

test('no address at all counts as one shared unknown', () => {
  assert.is(of(undefined), 'unknown');
});

test.run();
