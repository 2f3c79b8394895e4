import type { OwnStack } from './local-stack';

export default async function e2eGlobalTeardown(): Promise<void> {
  await (globalThis as { __E2E_STACK__?: OwnStack }).__E2E_STACK__?.stop();
}
