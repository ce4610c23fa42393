import { listenHost } from './service-app';

describe('the address a service listens on', () => {
  it('is loopback unless HOST says otherwise', () => {
    expect(listenHost({})).toBe('127.0.0.1');
    expect(listenHost({ HOST: '' })).toBe('127.0.0.1');
    expect(listenHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
    expect(listenHost({ HOST: '::' })).toBe('::');
  });

  it('refuses what is not an address, naming the variable', () => {
    expect(() => listenHost({ HOST: 'everywhere' })).toThrow(/HOST: must be an IP address/);
  });
});
