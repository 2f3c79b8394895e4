/**
 * The README's local-stack commands work as written, on the day they are read: every `sh`
 * block of its "The local stack" section runs in bash against the e2e tier's stack (the
 * examples book the demo tutor as the demo student: no other file uses either), with only
 * what the commands read from the environment changed: `API` (the stack's URL) and
 * `LOCAL_DATA_DIR` (its data and signing key).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useLocalStack } from '../support/local-stack';

const ROOT = join(__dirname, '../..');

/** The fenced `sh` blocks between a `## title` heading and the next `## ` heading. */
const shellBlocks = (markdown: string, title: string): string[] => {
  const start = markdown.indexOf(`\n## ${title}`);
  if (start === -1) throw new Error(`The README has no "## ${title}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
};

const stack = useLocalStack();

describe("The README's local stack section", () => {
  const blocks = shellBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'The local stack');

  it('has commands to run', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it('books tomorrow’s first free hour with tutor-ada, as written, and the next free one when run again', async () => {
    // One shell, the blocks in order, as a reader pastes them into a terminal.
    const script = blocks.join('\n');
    const starts: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: ROOT,
        env: { ...process.env, API: stack.url, LOCAL_DATA_DIR: stack.dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
      // Every answer printed is a success: no error body among them.
      expect(result.stdout).not.toContain('"error"');
      // The booking is the only thing printed with a ULID (tutor ids are names).
      const booked = [...new Set([...result.stdout.matchAll(/"id":"([0-9A-HJKMNP-TV-Z]{26})"/g)].map((m) => m[1]!))];
      expect(booked).toHaveLength(1);
      const session = await stack.api('GET', `/sessions/${booked[0]}`, { as: 'student-bola' });
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ tutorId: 'tutor-ada', studentId: 'student-bola', status: 'PENDING_MENTOR_REVIEW', title: 'System design', durationMinutes: 60 });
      starts.push(session.body.scheduledAt);
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(starts.map((s) => s.slice(0, 10))).toEqual([tomorrow, tomorrow]);
    expect(new Set(starts).size).toBe(2);
  }, 120_000);
});
