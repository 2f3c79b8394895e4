export default async function globalTeardown(): Promise<void> {
  const dynamo = (globalThis as { __DYNAMO__?: { stop: () => Promise<void> } }).__DYNAMO__;
  await dynamo?.stop();
}
