import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostsFor } from '../src/auth.js';

describe('hostsFor', () => {
  it('answers to loopback names only when bound to loopback', () => {
    expect([...hostsFor(3333, '127.0.0.1', [])].sort()).toEqual(
      ['127.0.0.1:3333', '[::1]:3333', 'localhost:3333'].sort(),
    );
  });

  it('answers to every interface address when bound to all of them, and to names given', () => {
    const hosts = hostsFor(4000, '0.0.0.0', ['build-box.local']);
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address } of addresses ?? []) {
        expect(hosts.has(`${address.includes(':') ? `[${address}]` : address}:4000`)).toBe(true);
      }
    }
    expect(hosts.has('build-box.local:4000')).toBe(true);
    expect(hosts.has('evil.example:4000')).toBe(false);
  });
});
