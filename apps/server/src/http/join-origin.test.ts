import { describe, expect, it } from 'vitest';
import { joinOrigin } from './join-origin.ts';

describe('joinOrigin', () => {
  it('names the LAN address instead of a loopback host, keeping the port', () => {
    expect(joinOrigin('http', 'localhost:8080', '192.168.1.20')).toBe('http://192.168.1.20:8080');
    expect(joinOrigin('http', '127.0.0.1:9000', '10.0.0.5')).toBe('http://10.0.0.5:9000');
    expect(joinOrigin('http', '[::1]:8080', '10.0.0.5')).toBe('http://10.0.0.5:8080');
    expect(joinOrigin('http', 'localhost', '10.0.0.5')).toBe('http://10.0.0.5');
  });

  it('keeps a host the devices can reach, and loopback when there is no network', () => {
    expect(joinOrigin('https', 'studio.clinic.example', '10.0.0.5')).toBe('https://studio.clinic.example');
    expect(joinOrigin('http', '192.168.1.20:8080', '10.0.0.5')).toBe('http://192.168.1.20:8080');
    expect(joinOrigin('http', 'localhost:8080', null)).toBe('http://localhost:8080');
  });
});
