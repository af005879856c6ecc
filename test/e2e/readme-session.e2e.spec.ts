import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);

interface Step {
  command: string;
  /** The status the README's `# →` comment promises (its first 3-digit code), else 200. */
  expected: number;
}

/**
 * The README's "A session with curl" block, run as printed: real curl through bash, with the
 * exports filled the way the README tells a reader to (the key, then each id just returned)
 * and localhost:3000 pointed at the test app. A README edit that breaks a command, or a
 * change that makes a command answer other than its comment says, fails here.
 */
function readmeSession(): Step[] {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A session with curl'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no bash block under "A session with curl"');
  const steps: Step[] = [];
  let pending = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('#')) {
      const code = /→\s*(\d{3})\b/.exec(line);
      const last = steps[steps.length - 1];
      if (code && last && last.expected === 0) last.expected = Number(code[1]);
      continue;
    }
    if (!line.trim()) continue;
    pending += line.replace(/\\$/, ' ');
    if (line.endsWith('\\')) continue;
    steps.push({ command: pending.replace(/\s+#.*$/, '').trim(), expected: 0 });
    pending = '';
  }
  return steps.map((s) => ({ ...s, expected: s.expected || 200 }));
}

describe('the README curl session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs as printed: every command answers the status its comment shows', async () => {
    const steps = readmeSession();
    expect(steps.filter((s) => s.command.startsWith('curl')).length).toBeGreaterThanOrEqual(15);
    const env: Record<string, string> = {};
    let lastIds: Record<string, string> = {};
    const seen: Array<[string, number, number]> = [];
    for (const { command, expected } of steps) {
      const exported = /^export (\w+)=(\w+?)_…/.exec(command);
      if (exported) {
        const [, name, prefix] = exported;
        // KEY is the first start's key; every other export is "the id it returned".
        env[name] = prefix === 'rv_test' ? t.keys.test : lastIds[prefix];
        expect(env[name]).toBeDefined();
        continue;
      }
      expect(command).toMatch(/^curl /);
      const local = command.replace(/localhost:3000/g, t.url.replace('http://', ''));
      const { stdout } = await run('bash', ['-c', `${local} -w '\\n%{http_code}'`], {
        env: { ...process.env, ...env },
      });
      const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
      seen.push([command.slice(0, 70), expected, status]);
      const body = JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n')) || 'null');
      if (typeof body?.id === 'string') lastIds = { ...lastIds, [body.id.slice(0, body.id.indexOf('_'))]: body.id };
    }
    // One assertion over all steps, so a failure shows every command that answered otherwise.
    expect(seen.filter(([, want, got]) => want !== got)).toEqual([]);
    expect(Object.keys(env).sort()).toEqual(['CU', 'KEY', 'PLN', 'RE']);
  });
});
