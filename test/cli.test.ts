import { describe, expect, it } from 'vitest';
import { seici } from './helpers/cli.js';

describe('seici command line', () => {
  it('exits 2 with one line for an unknown command', () => {
    const r = seici(['no-such-command']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('prints help and exits 0', () => {
    const r = seici(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: seici');
  });
});
