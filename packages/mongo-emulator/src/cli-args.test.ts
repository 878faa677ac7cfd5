import { CliUsageError, parseEmulatorArgs } from './cli-args';

describe('parseEmulatorArgs', () => {
  it('when --port is given in either form, then it is used', () => {
    expect(parseEmulatorArgs(['--port', '27018'])).toEqual({ port: 27018, host: '127.0.0.1' });
    expect(parseEmulatorArgs(['--port=0', '--host', '0.0.0.0'])).toEqual({ port: 0, host: '0.0.0.0' });
  });

  it('when the port is not an integer in 0–65535, then a one-line usage error is thrown', () => {
    for (const bad of ['65536', '-1', '12.5', 'abc', '']) {
      expect(() => parseEmulatorArgs(['--port', bad])).toThrow(CliUsageError);
    }
  });

  it('when an argument is unknown or a value is missing, then a usage error names it', () => {
    expect(() => parseEmulatorArgs(['--prot', '1'])).toThrow(/unknown argument "--prot"/);
    expect(() => parseEmulatorArgs(['--port'])).toThrow(/--port needs a value/);
  });
});

describe('parseEmulatorArgs --dbpath', () => {
  it('when --dbpath is given, then it is passed on; without it there is none (in memory)', () => {
    expect(parseEmulatorArgs(['--port', '0', '--dbpath', '.data/x'])).toEqual({
      port: 0,
      host: '127.0.0.1',
      dbPath: '.data/x',
    });
    expect(parseEmulatorArgs(['--dbpath=/tmp/d'])).toEqual({
      port: 27017,
      host: '127.0.0.1',
      dbPath: '/tmp/d',
    });
    expect(parseEmulatorArgs([])).not.toHaveProperty('dbPath');
    expect(() => parseEmulatorArgs(['--dbpath'])).toThrow(/--dbpath needs a value/);
  });
});
