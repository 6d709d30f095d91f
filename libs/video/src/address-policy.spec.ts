import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockedAddressReason } from './address-policy';

describe('blockedAddressReason: what is never a camera, in every spelling', () => {
  const blocked: Array<[string, RegExp]> = [
    ['169.254.169.254', /link-local/],
    ['169.254.0.1', /link-local/],
    ['fe80::1', /link-local/],
    ['FE80::1', /link-local/],
    ['febf::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['::ffff:169.254.169.254', /link-local/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['0:0:0:0:0:ffff:a9fe:a9fe', /link-local/],
    ['::169.254.169.254', /link-local/],
    ['::ffff:0:169.254.169.254', /link-local/],
    ['64:ff9b::169.254.169.254', /link-local/],
    ['64:ff9b::a9fe:1', /link-local/],
    ['2002:a9fe:a9fe::', /link-local/],
    ['2002:a9fe:1::1', /link-local/],
    ['100.100.100.200', /metadata/],
    ['fd00:ec2::254', /metadata/],
    ['::ffff:100.100.100.200', /metadata/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['::', /unspecified/],
    ['::ffff:0.0.0.0', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['ff02::1', /multicast/],
    ['::ffff:239.1.1.1', /multicast/],
    ['2002:e001:0203::', /multicast/],
    ['240.0.0.1', /reserved|broadcast/],
    ['255.255.255.255', /reserved|broadcast/],
    ['2001:0:4136:e378:8000:63bf:5601:5601', /Teredo/],
    ['64:ff9b:1::a9fe:a9fe', /NAT64/],
    ['not-an-ip', /not an IP address/],
  ];
  for (const [ip, reason] of blocked) it(`${ip} blocked`, () => assert.match(blockedAddressReason(ip) ?? 'allowed', reason));

  const allowed = [
    '127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '10.0.0.5', '172.16.0.1', '192.168.1.20', '::ffff:192.168.1.20',
    'fd00::5', 'fc00::1', '100.64.0.1', '8.8.8.8', '2001:db8::1', '2a00:1450::1', '64:ff9b::a00:5', '2002:c0a8:114::1', '169.253.255.255', '169.255.0.0',
  ];
  for (const ip of allowed) it(`${ip} allowed`, () => assert.equal(blockedAddressReason(ip), null));
});
