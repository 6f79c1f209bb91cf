import { runCli } from '../run-cli';

// libtensorflow removed: the native binding's dlopen fails when tfjs-node is required.
jest.mock('@tensorflow/tfjs-node', () => {
  throw Object.assign(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'), {
    code: 'ERR_DLOPEN_FAILED',
  });
});

const run = (argv: string[]) => runCli(argv, process.cwd());

test('doctor without the native libraries: wasm is chosen and tfjs-node says why and how to fix it', async () => {
  const r = await run(['doctor', '--json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  expect(report).toMatchObject({ chosen: 'wasm', provider: 'wasm', tensorflowVersion: null });
  const native = report.probes.find((p: { provider: string }) => p.provider === 'tfjs-node');
  expect(native.status).toBe('unavailable');
  expect(native.reason).toMatch(/does not load \(libtensorflow\.so\.2: cannot open shared object file.*npm run setup/);
});

test('asking for tensorflow explicitly then exits 2 with the reason', async () => {
  const r = await run(['doctor', '--backend', 'tensorflow']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/backend "tensorflow" is not available[\s\S]*tfjs-node: @tensorflow\/tfjs-node does not load/);
});
